#include "testutils.h"

#include <costmodel.h>
#include <fileimport.h>
#include <pricetable.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Tracelight;

namespace {

// A price table written for these tests, so that every expected cost below is worked out by hand from it.
constexpr std::string_view testPrices = R"({
  "models": [
    { "models": ["m-basic"], "input": 2, "output": 8 },
    { "models": ["m-cache"], "input": 3, "cache_read": 0.3, "cache_write": 3.75, "output": 15 },
    { "models": ["m-reason"], "input": 1, "output": 4, "reasoning": 10 },
    { "models": ["m-dated"], "input": 10, "output": 10, "until": "2025-01-01" },
    { "models": ["m-dated"], "input": 1, "output": 1, "from": "2025-01-01" },
    { "models": ["llama-x"], "input": 5, "output": 5 },
    { "models": ["llama-x"], "via": ["groq"], "input": 0.5, "output": 0.5 },
    { "models": ["pair-a", "pair-b"], "input": 7, "output": 7 },
    { "models": ["gpt-4o"], "input": 2.5, "cache_read": 1.25, "output": 10 },
    { "models": ["gpt-4o-mini"], "input": 0.15, "cache_read": 0.075, "output": 0.6 }
  ]
})";

constexpr qint64 nsPerDay = Q_INT64_C(86400000000000);
constexpr qint64 jan1st2025 = Q_INT64_C(20089) * nsPerDay; // days from 1970-01-01 to 2025-01-01

PriceTablePtr table()
{
    return std::make_shared<const PriceTable>(PriceTable::fromJson(testPrices, "test-prices.json", false));
}

StepRecord llm(const char* model, std::optional<std::int64_t> input, std::optional<std::int64_t> output)
{
    StepRecord s;
    s.kind = StepKind::Llm;
    s.model = model;
    s.startNs = jan1st2025 + 3600 * Q_INT64_C(1000000000);
    s.tokens.input = input;
    s.tokens.output = output;
    return s;
}

Step step(const std::string& spanId, const std::string& parentId, StepKind kind, const std::string& model,
    std::optional<std::int64_t> input, std::optional<std::int64_t> output, std::int64_t startNs)
{
    Step s;
    s.traceId = "0000000000000000000000000000c057";
    s.spanId = spanId;
    s.parentId = parentId;
    s.name = std::string(stepKindName(kind));
    s.kind = kind;
    s.model = model;
    s.tokens.input = input;
    s.tokens.output = output;
    s.startNs = startNs;
    s.endNs = startNs + 1000000;
    return s;
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-12;
}

} // namespace

class TestCost : public QObject
{
    Q_OBJECT
private slots:
    void patternMatching_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("matches");
        QTest::newRow("dated snapshot") << "gpt-4o-2024-08-06"
                                        << "gpt-4o" << true;
        QTest::newRow("exact") << "gpt-4o"
                               << "gpt-4o" << true;
        QTest::newRow("router prefix") << "openai/gpt-4o"
                                       << "gpt-4o" << true;
        QTest::newRow("bedrock id") << "anthropic.claude-3-5-sonnet-20240620-v1:0"
                                    << "claude-3-5-sonnet" << true;
        QTest::newRow("vertex @version") << "claude-3-5-sonnet@20240620"
                                         << "claude-3-5-sonnet" << true;
        QTest::newRow("gemini models/ prefix") << "models/gemini-1.5-pro-002"
                                               << "gemini-1.5-pro" << true;
        QTest::newRow("longer name, same start") << "gpt-4o-mini"
                                                 << "gpt-4o" << true; // longest pattern decides
        QTest::newRow("letter after") << "gpt-4o1"
                                      << "gpt-4o" << false;
        QTest::newRow("dot version after") << "gpt-4.1"
                                           << "gpt-4" << false;
        QTest::newRow("letter before") << "xgpt-4o"
                                       << "gpt-4o" << false;
        QTest::newRow("other model") << "o3-mini"
                                     << "o1" << false;
    }

    void patternMatching()
    {
        QFETCH(QString, model);
        QFETCH(QString, pattern);
        QFETCH(bool, matches);
        QCOMPARE(PriceTable::patternMatches(model.toStdString(), pattern.toStdString()), matches);
    }

    void lookup_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<qint64>("atNs");
        QTest::addColumn<QString>("pattern"); // empty: no price
        QTest::addColumn<double>("input");
        const qint64 after = jan1st2025 + 1;
        QTest::newRow("longest pattern wins") << "gpt-4o-mini-2024-07-18"
                                              << "openai" << after << "gpt-4o-mini" << 0.15;
        QTest::newRow("snapshot of the shorter") << "gpt-4o-2024-08-06"
                                                 << "openai" << after << "gpt-4o" << 2.5;
        QTest::newRow("case-insensitive") << "GPT-4o"
                                          << "" << after << "gpt-4o" << 2.5;
        QTest::newRow("before a price change") << "m-dated"
                                               << "" << jan1st2025 - 1 << "m-dated" << 10.0;
        QTest::newRow("at the change (from is inclusive)") << "m-dated"
                                                           << "" << jan1st2025 << "m-dated" << 1.0;
        QTest::newRow("provider-specific entry") << "llama-x-70b"
                                                 << "groq" << after << "llama-x" << 0.5;
        QTest::newRow("provider given as a dotted name") << "llama-x"
                                                         << "cloud.groq" << after << "llama-x" << 0.5;
        QTest::newRow("other provider: generic entry") << "llama-x"
                                                       << "together" << after << "llama-x" << 5.0;
        QTest::newRow("no provider: generic entry") << "llama-x"
                                                    << "" << after << "llama-x" << 5.0;
        QTest::newRow("unknown model") << "my-finetune-v2"
                                       << "openai" << after << "" << 0.0;
        QTest::newRow("no model") << ""
                                  << "openai" << after << "" << 0.0;
    }

    void lookup()
    {
        QFETCH(QString, model);
        QFETCH(QString, provider);
        QFETCH(qint64, atNs);
        QFETCH(QString, pattern);
        QFETCH(double, input);
        const auto prices = table();
        const auto match = prices->find(model.toStdString(), provider.toStdString(), atNs);
        QCOMPARE(match.has_value(), !pattern.isEmpty());
        if (match) {
            QCOMPARE(QString::fromStdString(match->pattern), pattern);
            QCOMPARE(match->entry->price.input, input);
        }
    }

    // Each expected cost is worked out by hand from testPrices (USD per million tokens).
    void stepCost_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("status"); // StepStatus
        QTest::addColumn<qint64>("input"); // -1: not reported
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("cacheRead");
        QTest::addColumn<qint64>("cacheWrite");
        QTest::addColumn<qint64>("reasoning");
        QTest::addColumn<double>("recorded"); // -1: none
        QTest::addColumn<int>("source"); // CostSource
        QTest::addColumn<double>("usd"); // -1: unknown
        const int ok = int(StepStatus::Ok);
        const int error = int(StepStatus::Error);
        const int computed = int(CostSource::Computed);
        // 1000 × $2 + 500 × $8 = $0.006
        QTest::newRow("input and output")
            << "m-basic" << ok << 1000LL << 500LL << 0LL << 0LL << 0LL << -1.0 << computed << 0.006;
        // 10,000 input of which 8,000 read from the cache: 2,000 × $3 + 8,000 × $0.30 + 200 × $15 = $0.0114
        QTest::newRow("cache read") << "m-cache" << ok << 10000LL << 200LL << 8000LL << 0LL << 0LL << -1.0 << computed
                                    << 0.0114;
        // 6,000 input = 1,000 uncached + 1,000 read + 4,000 written: $0.003 + $0.0003 + $0.015, + 100 × $15 = $0.0198
        QTest::newRow("cache write") << "m-cache" << ok << 6000LL << 100LL << 1000LL << 4000LL << 0LL << -1.0
                                     << computed << 0.0198;
        // Reasoning is part of the output: 100 × $2 + 1,000 × $8 = $0.0082 (not 1,600 output tokens)
        QTest::newRow("reasoning at the output rate")
            << "m-basic" << ok << 100LL << 1000LL << 0LL << 0LL << 600LL << -1.0 << computed << 0.0082;
        // 100 × $1 + 400 visible × $4 + 600 reasoning × $10 = $0.0077
        QTest::newRow("reasoning at its own rate")
            << "m-reason" << ok << 100LL << 1000LL << 0LL << 0LL << 600LL << -1.0 << computed << 0.0077;
        // Cache read above the input: the source counted input without the cache (Anthropic's raw usage), so all
        // 500 input tokens are uncached: 500 × $3 + 2,000 × $0.30 = $0.0021
        QTest::newRow("input excluding cache")
            << "m-cache" << ok << 500LL << 0LL << 2000LL << 0LL << 0LL << -1.0 << computed << 0.0021;
        QTest::newRow("source-recorded cost wins")
            << "m-basic" << ok << 1000LL << 500LL << 0LL << 0LL << 0LL << 0.5 << int(CostSource::Recorded) << 0.5;
        QTest::newRow("recorded cost of an unpriced model")
            << "unknown-model" << ok << 10LL << 10LL << 0LL << 0LL << 0LL << 0.25 << int(CostSource::Recorded) << 0.25;
        QTest::newRow("failed call without usage costs nothing")
            << "m-basic" << error << -1LL << -1LL << 0LL << 0LL << 0LL << -1.0 << computed << 0.0;
        QTest::newRow("failed call with usage is priced")
            << "m-basic" << error << 1000LL << 0LL << 0LL << 0LL << 0LL << -1.0 << computed << 0.002;
        QTest::newRow("successful call without usage: unknown")
            << "m-basic" << ok << -1LL << -1LL << 0LL << 0LL << 0LL << -1.0 << int(CostSource::Unknown) << -1.0;
        QTest::newRow("model without a price: unknown, not 0") << "unknown-model" << ok << 1000LL << 500LL << 0LL << 0LL
                                                               << 0LL << -1.0 << int(CostSource::Unknown) << -1.0;
        QTest::newRow("no model: unknown")
            << "" << ok << 1000LL << 500LL << 0LL << 0LL << 0LL << -1.0 << int(CostSource::Unknown) << -1.0;
    }

    void stepCost()
    {
        QFETCH(QString, model);
        QFETCH(int, status);
        QFETCH(qint64, input);
        QFETCH(qint64, output);
        QFETCH(qint64, cacheRead);
        QFETCH(qint64, cacheWrite);
        QFETCH(qint64, reasoning);
        QFETCH(double, recorded);
        QFETCH(int, source);
        QFETCH(double, usd);
        const std::string name = model.toStdString();
        StepRecord s = llm(name.c_str(), input >= 0 ? std::optional(input) : std::nullopt,
            output >= 0 ? std::optional(output) : std::nullopt);
        s.status = static_cast<StepStatus>(status);
        if (cacheRead)
            s.tokens.cacheRead = cacheRead;
        if (cacheWrite)
            s.tokens.cacheWrite = cacheWrite;
        if (reasoning)
            s.tokens.reasoning = reasoning;
        if (recorded >= 0)
            s.costUsd = recorded;
        const CostModel costs(table());
        const CostModel::StepCost cost = costs.stepCost(s);
        QCOMPARE(int(cost.source), source);
        QCOMPARE(cost.usd.has_value(), usd >= 0);
        if (cost.usd)
            QVERIFY2(near(*cost.usd, usd), qPrintable(QString::number(*cost.usd, 'g', 17)));

        // The grouped form (what trace and cache figures use) gives the same answer for a group of one.
        UsageGroup group;
        group.model = name;
        group.atNs = s.startNs;
        group.calls = 1;
        if (recorded >= 0) {
            group.recordedCalls = 1;
            group.recordedUsd = recorded;
        } else if (input < 0 && output < 0) {
            (status == int(StepStatus::Error) ? group.failedWithoutUsage : group.withoutUsage) = 1;
        } else {
            group.usageCalls = 1;
            group.tokens.input = std::max<qint64>(input, 0);
            group.tokens.output = std::max<qint64>(output, 0);
            group.tokens.cacheRead = cacheRead;
            group.tokens.cacheWrite = cacheWrite;
            group.tokens.reasoning = reasoning;
        }
        const CostTotal total = costs.groupCost(group);
        QCOMPARE(total.usd.has_value(), usd >= 0);
        if (total.usd)
            QVERIFY(near(*total.usd, usd));
        QCOMPARE(int(total.source()), source);
        QCOMPARE(total.unknownCalls, usd >= 0 ? 0 : 1);
    }

    void nonLlmStepsAreNotCosted()
    {
        StepRecord tool = llm("m-basic", 1000, 500);
        tool.kind = StepKind::Agent; // usage repeated on an enclosing span
        const CostModel::StepCost cost = CostModel(table()).stepCost(tool);
        QCOMPARE(cost.source, CostSource::None);
        QVERIFY(!cost.usd);
    }

    void withoutPricesOnlyRecordedCostsAreKnown()
    {
        const CostModel none;
        QVERIFY(!none.stepCost(llm("gpt-4o", 100, 100)).usd);
        StepRecord recorded = llm("gpt-4o", 100, 100);
        recorded.costUsd = 0.01;
        QCOMPARE(none.stepCost(recorded).usd, std::optional(0.01));
    }

    void userOverride()
    {
        PriceTable prices = *table();
        const PriceTable user = PriceTable::fromJson(R"({"models": [
            { "models": "m-basic", "input": 1, "output": 1 },
            { "models": ["pair-a"], "input": 100, "output": 100 },
            { "models": ["m-new"], "input": 4, "output": 4, "cache_read": 0 }
        ]})",
            "prices.json", true);
        prices.merge(user);
        const CostModel costs(std::make_shared<const PriceTable>(prices));
        // Replaced: 1000 × $1 + 500 × $1 = $0.0015 (was $0.006)
        QVERIFY(near(*costs.stepCost(llm("m-basic", 1000, 500)).usd, 0.0015));
        // Added, with a free cache: 1,000 input of which 750 cached: 250 × $4 + 0 + 100 × $4 = $0.0014
        StepRecord cached = llm("m-new", 1000, 100);
        cached.tokens.cacheRead = 750;
        QVERIFY(near(*costs.stepCost(cached).usd, 0.0014));
        // pair-a overridden; pair-b keeps the shipped entry's price: 1,000 × $7 = $0.007
        QVERIFY(near(*costs.stepCost(llm("pair-a", 1000, 0)).usd, 0.1));
        QVERIFY(near(*costs.stepCost(llm("pair-b", 1000, 0)).usd, 0.007));
        // The user's entries come back for the editor, and the file form reads back the same.
        const std::vector<PriceEntry> mine = prices.userEntries();
        QCOMPARE(mine.size(), std::size_t(3));
        const PriceTable reread = PriceTable::fromJson(user.toJson(), "again.json", true);
        QCOMPARE(reread.entries().size(), std::size_t(3));
        QCOMPARE(reread.entries()[2].price.cacheRead, std::optional(0.0));
        QCOMPARE(reread.entries()[1].patterns, std::vector<std::string> { "pair-a" });
    }

    void userFileOnDisk()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("prices.json"));
        TestUtils::writeFile(path, R"({"models": [{ "models": "gpt-4o", "input": 1, "output": 2 }]})");
        const PriceTable merged = PriceTable::withUserFile(path.toStdString());
        for (const char* model : { "gpt-4o", "openai/gpt-4o", "gpt-4o-2099-01-01" }) {
            const auto match = merged.find(model, "openai", jan1st2025);
            QVERIFY(match);
            QVERIFY2(match->entry->user, model);
            QCOMPARE(match->entry->price.output, 2.0);
        }
        // A snapshot the shipped table prices by its own, longer name keeps that price: the longest pattern wins.
        QVERIFY(!merged.find("gpt-4o-2024-08-06", "openai", jan1st2025)->entry->user);
        // No file: the shipped table alone.
        QCOMPARE(PriceTable::withUserFile(dir.filePath(QStringLiteral("none.json")).toStdString()).entries().size(),
            PriceTable::builtIn().entries().size());
    }

    void badPriceFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray("{\n  \"models\": [\n    { \"models\": \"x\", }\n") << "line 3, column";
        QTest::newRow("no list") << QByteArray("{}") << "\"models\" must be a list";
        QTest::newRow("missing input") << QByteArray(R"({"models":[{"models":"x","output":1}]})")
                                       << "models[0]: \"input\" (USD per million tokens) is missing";
        QTest::newRow("negative price") << QByteArray(R"({"models":[{"models":"x","input":1,"output":-2}]})")
                                        << "models[0]: \"output\" must be a number ≥ 0";
        QTest::newRow("bad date") << QByteArray(
            R"({"models":[{"models":"x","input":1,"output":1,"from":"2025-13-01"}]})")
                                  << "\"from\" must be a date written YYYY-MM-DD";
        QTest::newRow("empty range") << QByteArray(
            R"({"models":[{"models":"x","input":1,"output":1,"from":"2025-02-01","until":"2025-01-01"}]})")
                                     << "\"from\" must come before \"until\"";
        QTest::newRow("no pattern") << QByteArray(R"({"models":[{"models":[],"input":1,"output":1}]})")
                                    << "must name at least one model pattern";
    }

    void badPriceFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        try {
            PriceTable::fromJson(json.toStdString(), "my-prices.json", true);
            QFAIL("no error");
        } catch (const PriceTableError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(QStringLiteral("my-prices.json: ")), qPrintable(message));
            QVERIFY2(message.contains(error), qPrintable(message));
        }
    }

    // The shipped table parses, records its sources and covers the major providers.
    void builtInTable()
    {
        const PriceTable& prices = PriceTable::builtIn();
        QVERIFY(prices.entries().size() > 80);
        QVERIFY(!prices.compiled().empty());
        QVERIFY(QString::fromStdString(prices.note()).contains(QStringLiteral("re-checked")));
        for (const char* provider : { "openai", "anthropic", "google", "mistral", "deepseek", "xai" })
            QVERIFY2(prices.sources().count(provider), provider);
        for (const char* model : { "gpt-4o-2024-08-06", "gpt-4.1-mini-2025-04-14", "o3-mini", "gpt-5",
                 "claude-sonnet-4-5-20250929", "anthropic.claude-3-5-haiku-20241022-v1:0", "gemini-2.5-flash",
                 "models/gemini-1.5-pro-002", "mistral-large-latest", "deepseek-chat", "grok-4", "command-r-plus" })
            QVERIFY2(prices.find(model, "", jan1st2025 + 200 * nsPerDay), model);
        // gpt-4o-mini is not priced as gpt-4o.
        QCOMPARE(prices.find("gpt-4o-mini-2024-07-18", "openai", jan1st2025)->pattern, std::string("gpt-4o-mini"));
        // Llama through Groq is priced at Groq's rate, not the generic one, when the entries differ.
        const auto groq = prices.find("llama-3.3-70b-versatile", "groq", jan1st2025);
        QVERIFY(groq && !groq->entry->via.empty());
    }

    // A trace with usage repeated on its agent span, a priced model, an unpriced one, a recorded cost and a failed
    // call: the store sums llm steps only and reports what it could not price.
    void traceCost()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("cost.sqlite")).toStdString());
        {
            TraceWriter writer(store);
            writer.beginFile("memory", "test", 0);
            const std::int64_t t0 = jan1st2025 + 10;
            StepBatch batch;
            batch.push_back(step("a000000000000001", "", StepKind::Agent, "m-basic", 4000, 1500, t0));
            batch.push_back(step("1000000000000001", "a000000000000001", StepKind::Llm, "m-basic", 1000, 500, t0 + 1));
            batch.push_back(step("1000000000000002", "a000000000000001", StepKind::Llm, "m-basic", 2000, 500, t0 + 2));
            Step recorded = step("1000000000000003", "a000000000000001", StepKind::Llm, "m-basic", 999, 999, t0 + 3);
            recorded.costUsd = 0.25;
            batch.push_back(recorded);
            batch.push_back(step("1000000000000004", "a000000000000001", StepKind::Llm, "mystery-1", 10, 10, t0 + 4));
            Step failed = step("1000000000000005", "a000000000000001", StepKind::Llm, "m-basic", {}, {}, t0 + 5);
            failed.status = StepStatus::Error;
            batch.push_back(failed);
            batch.push_back(step("1000000000000006", "a000000000000001", StepKind::Tool, "", {}, {}, t0 + 6));
            writer.addSteps(std::move(batch));
            writer.commitFile("sha");
        }
        // Without prices: only the recorded cost is known; four calls are not.
        TraceSummary plain = store.traces().front();
        QCOMPARE(plain.costUsd, std::optional(0.25));
        QCOMPARE(plain.costSource, CostSource::Recorded);
        QCOMPARE(plain.unknownCostCalls, 3); // the failed call without usage costs 0: known
        store.setCostModel(std::make_shared<const CostModel>(table()));
        // (1,000 + 2,000) × $2 + 1,000 × $8 = $0.014; + $0.25 recorded; + $0 failed; the agent's 4,000/1,500 repeat
        // its children and are not counted again.
        const TraceSummary t = *store.trace("0000000000000000000000000000c057");
        QVERIFY2(near(*t.costUsd, 0.264), qPrintable(QString::number(*t.costUsd, 'g', 17)));
        QCOMPARE(t.costSource, CostSource::Mixed);
        QCOMPARE(t.unknownCostCalls, 1);
        QCOMPARE(t.unpricedModels, std::vector<std::string> { "mystery-1" });
        QVERIFY(near(*store.traces().front().costUsd, 0.264));
        // Steps carry their own cost and its source.
        const std::vector<StepRecord> steps = store.steps(t.traceId);
        QCOMPARE(steps.size(), std::size_t(7));
        QCOMPARE(steps[0].costSource, CostSource::None); // the agent
        QVERIFY(near(*steps[1].costUsd, 0.006));
        QCOMPARE(steps[1].costSource, CostSource::Computed);
        QCOMPARE(steps[3].costSource, CostSource::Recorded);
        QCOMPARE(steps[4].costSource, CostSource::Unknown);
        QCOMPARE(steps[5].costUsd, std::optional(0.0));
        QVERIFY(!steps[6].costUsd);
        QVERIFY(near(*store.stepDetail(t.traceId, "1000000000000002")->record.costUsd, 0.008));

        // A new price table: the same cache, new costs (nothing was baked into it).
        PriceTable cheaper = *table();
        cheaper.merge(PriceTable::fromJson(R"({"models":[{"models":"m-basic","input":1,"output":1}]})", "u", true));
        store.setCostModel(std::make_shared<const CostModel>(std::make_shared<const PriceTable>(cheaper)));
        // 3,000 × $1 + 1,000 × $1 = $0.004, + $0.25
        QVERIFY(near(*store.traces().front().costUsd, 0.254));
    }

    // The bundled sample priced with the test table. Expected values by hand from the sample's attributes
    // (jq '[.resourceSpans[].scopeSpans[].spans[] | select(.name|startswith("chat")) | [.attributes[] |
    // select(.key|test("usage|response.model")) | .value[]]]' resources/samples/refund-agent.otlp.json):
    // gpt-4o: input 824 + 1,251 + 1,688 of which 1,152 cached → 2,611 × $2.50 + 1,152 × $1.25, output 211 × $10
    //   = $0.0100775; gpt-4o-mini: input 9,118 of which 6,656 cached → 2,462 × $0.15 + 6,656 × $0.075, output 565
    //   × $0.60 = $0.0012075. Total $0.011285.
    void sampleCost()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("sample.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
        store.setCostModel(std::make_shared<const CostModel>(table()));
        const TraceSummary t = store.traces().front();
        QVERIFY2(near(*t.costUsd, 0.011285), qPrintable(QString::number(*t.costUsd, 'g', 17)));
        QCOMPARE(t.costSource, CostSource::Computed);
        QCOMPARE(t.unknownCostCalls, 0);
    }
};

QTEST_GUILESS_MAIN(TestCost)
#include "tst_cost.moc"
