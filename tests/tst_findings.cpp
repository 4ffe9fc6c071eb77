#include "testutils.h"

#include <fileimport.h>
#include <findings.h>
#include <findingsindex.h>
#include <findingsmodel.h>
#include <importsession.h>
#include <modelroles.h>
#include <pricetable.h>
#include <tracefilterproxymodel.h>
#include <tracelistmodel.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#include <set>

using namespace Tracelight;

namespace {

constexpr std::int64_t Ms = 1'000'000;

// "l3": built by appending (GCC 12 warns, wrongly, about "l" + std::to_string(3) with -Werror=restrict).
std::string id(const char* prefix, std::int64_t n)
{
    std::string out(prefix);
    out += std::to_string(n);
    return out;
}

// Runs built step by step: a support agent's llm calls and tool calls on a clock of milliseconds.
class Run
{
public:
    Run(std::string traceId, std::string agent = "support", std::string version = "1.0")
        : m_traceId(std::move(traceId))
        , m_agent(std::move(agent))
    {
        auto resource = std::make_shared<Resource>();
        resource->serviceName = "svc-" + m_agent;
        resource->serviceVersion = version;
        resource->attributesJson = nlohmann::json::array(
            { { { "key", "service.name" }, { "value", { { "stringValue", resource->serviceName } } } },
                { { "key", "service.version" }, { "value", { { "stringValue", version } } } } })
                                       .dump();
        m_resource = resource;
        Step& root = add("root", "", StepKind::Agent, "invoke_agent " + m_agent, 0);
        root.agentName = m_agent;
    }

    Step& add(const std::string& spanId, const std::string& parent, StepKind kind, const std::string& name,
        std::int64_t durationMs)
    {
        Step s;
        s.traceId = m_traceId;
        s.spanId = spanId;
        s.parentId = parent;
        s.name = name;
        s.kind = kind;
        s.startNs = m_clock * Ms;
        s.endNs = (m_clock + durationMs) * Ms;
        s.resource = m_resource;
        m_clock += durationMs + 1;
        m_steps.push_back(std::move(s));
        return m_steps.back();
    }

    // An llm call of the root that was sent the conversation so far plus the user's message.
    Step& llm(const std::string& spanId, std::int64_t durationMs = 100, std::int64_t input = 1000,
        std::int64_t output = 50, std::optional<double> cost = std::nullopt)
    {
        nlohmann::json messages = nlohmann::json::array();
        messages.push_back(
            { { "role", "user" }, { "parts", { { { "type", "text" }, { "content", m_userMessage } } } } });
        for (const auto& result : m_history)
            messages.push_back(
                { { "role", "tool" }, { "parts", { { { "type", "tool_call_response" }, { "response", result } } } } });
        Step& s = add(spanId, "root", StepKind::Llm, "chat gpt-4o", durationMs);
        s.model = "gpt-4o";
        s.inputMessages = messages.dump();
        s.outputMessages = R"([{"role":"assistant","parts":[{"type":"text","content":"…"}],"finish_reason":"stop"}])";
        s.tokens.input = input;
        s.tokens.output = output;
        s.costUsd = cost;
        return s;
    }

    Step& tool(const std::string& spanId, const std::string& name, const std::string& arguments,
        const std::string& result, std::int64_t durationMs = 40, StepStatus status = StepStatus::Ok)
    {
        Step& s = add(spanId, "root", StepKind::Tool, "execute_tool " + name, durationMs);
        s.toolName = name;
        s.toolArguments = arguments;
        s.toolResult = result;
        s.status = status;
        if (!result.empty())
            m_history.push_back(result);
        return s;
    }

    void setUserMessage(std::string text) { m_userMessage = std::move(text); }
    Step& root() { return m_steps.front(); }

    // Ends the root after the last step and writes the run in a file transaction of its own.
    void write(TraceStore& store)
    {
        m_steps.front().endNs = m_clock * Ms;
        TraceWriter writer(store);
        writer.beginFile("memory:" + m_traceId, "test", 0);
        writer.addSteps(StepBatch(m_steps));
        writer.commitFile("sha-" + m_traceId);
    }

    const std::string& traceId() const { return m_traceId; }

private:
    std::string m_traceId;
    std::string m_agent;
    std::shared_ptr<const Resource> m_resource;
    std::int64_t m_clock = 1'700'000'000'000;
    StepBatch m_steps;
    std::string m_userMessage = "Please refund the duplicate charge on order A-10442.";
    std::vector<std::string> m_history;
};

// The healthy refund: the order is looked up, the refund goes to the customer and amount the lookup returned.
Run refundRun(const std::string& traceId, const std::string& refundCustomer, const std::string& lookupCustomer,
    const std::string& userMessage = {})
{
    Run run(traceId);
    if (!userMessage.empty())
        run.setUserMessage(userMessage);
    run.llm("l1");
    nlohmann::json order { { "order_id", "A-10442" }, { "total", 89.99 }, { "status", "shipped" } };
    if (!lookupCustomer.empty())
        order["customer_id"] = lookupCustomer;
    run.tool("t1", "get_order", R"({"order_id":"A-10442"})", order.dump());
    run.llm("l2");
    run.tool("t2", "issue_refund",
        nlohmann::json({ { "customer_id", refundCustomer }, { "order_id", "A-10442" }, { "amount", 89.99 },
                           { "reason", "duplicate" } })
            .dump(),
        R"({"refund_id":"rf_7KQ2M9","status":"succeeded"})");
    run.llm("l3");
    return run;
}

std::vector<Finding> ofKind(const std::vector<Finding>& findings, FindingKind kind)
{
    std::vector<Finding> out;
    for (const Finding& f : findings)
        if (f.kind == kind)
            out.push_back(f);
    return out;
}

QByteArray describe(const std::vector<Finding>& findings)
{
    QByteArray out;
    for (const Finding& f : findings)
        out += QByteArray::fromStdString(findingToJson(f)) + '\n';
    return out;
}

// The sample read on its own: span id, tool name, arguments, result and status of every span.
struct SampleSpan
{
    QString spanId;
    QString tool;
    QString arguments;
    QString result;
    int status = 0;
    qint64 start = 0;
};

std::vector<SampleSpan> readSample(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    std::vector<SampleSpan> out;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (const auto& rs : root.value(QStringLiteral("resourceSpans")).toArray())
        for (const auto& ss : rs.toObject().value(QStringLiteral("scopeSpans")).toArray())
            for (const auto& sv : ss.toObject().value(QStringLiteral("spans")).toArray()) {
                const QJsonObject span = sv.toObject();
                SampleSpan s;
                s.spanId = span.value(QStringLiteral("spanId")).toString();
                s.status = span.value(QStringLiteral("status")).toObject().value(QStringLiteral("code")).toInt();
                s.start = span.value(QStringLiteral("startTimeUnixNano")).toString().toLongLong();
                for (const auto& av : span.value(QStringLiteral("attributes")).toArray()) {
                    const QJsonObject a = av.toObject();
                    const QString key = a.value(QStringLiteral("key")).toString();
                    const QString value
                        = a.value(QStringLiteral("value")).toObject().value(QStringLiteral("stringValue")).toString();
                    if (key == QLatin1String("gen_ai.tool.name"))
                        s.tool = value;
                    else if (key == QLatin1String("gen_ai.tool.call.arguments"))
                        s.arguments = value;
                    else if (key == QLatin1String("gen_ai.tool.call.result"))
                        s.result = value;
                }
                out.push_back(s);
            }
    return out;
}

QString field(const QString& json, const char* key)
{
    return QJsonDocument::fromJson(json.toUtf8()).object().value(QLatin1String(key)).toString();
}

} // namespace

class TestFindings : public QObject
{
    Q_OBJECT
private slots:
    void aHealthyRunHasNoFindings()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        refundRun("aa01", "cust_51907", "cust_51907").write(store);
        const auto findings = FindingsIndex::compute(store, "aa01", {});
        QVERIFY2(findings.empty(), describe(findings).constData());

        // And the inspector's provenance says where each argument came from.
        const auto sources = FindingsIndex::argumentSources(store, "aa01", "t2", {});
        std::map<std::string, ArgumentSource> byArgument;
        for (const ArgumentSource& s : sources)
            byArgument[s.argument] = s;
        QCOMPARE(byArgument.size(), std::size_t(3)); // customer_id, order_id, amount ("duplicate" is no identifier)
        QCOMPARE(byArgument["customer_id"].sourceSpanId, std::string("t1"));
        QCOMPARE(byArgument["customer_id"].sourceKind, std::string("tool result"));
        QCOMPARE(byArgument["order_id"].sourceSpanId, std::string("l1")); // the user's message in the first prompt
        QCOMPARE(byArgument["order_id"].sourceKind, std::string("prompt"));
        QCOMPARE(byArgument["amount"].value, std::string("89.99"));
        QCOMPARE(byArgument["amount"].sourceSpanId, std::string("t1"));
    }

    void aRefundToAnIdFromNowhereIsUngrounded()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        // The order's customer is not in the lookup's result: cus_99999 has no source at all.
        refundRun("aa02", "cus_99999", "").write(store);
        const auto findings = FindingsIndex::compute(store, "aa02", {});
        QVERIFY2(findings.size() == 1, describe(findings).constData());
        const Finding& f = findings.front();
        QCOMPARE(f.kind, FindingKind::UngroundedArgument);
        QCOMPARE(f.severity, FindingSeverity::High); // a refund acts: worse than a lookup
        QCOMPARE(f.spanIds, std::vector<std::string> { "t2" });
        QCOMPARE(f.argument, std::string("customer_id"));
        QCOMPARE(f.value, std::string("cus_99999"));
        QVERIFY(f.sourceSpanId.empty());
        QVERIFY(f.message.find("appears nowhere earlier") != std::string::npos);
        QCOMPARE(f.traceId, std::string("aa02"));

        // A lookup with a value from nowhere is flagged too, less severely than an action.
        Run lookup("aa05");
        lookup.llm("l1");
        lookup.tool("t1", "get_order", R"({"order_id":"A-99999"})", R"({"error":"no such order"})");
        lookup.write(store);
        const auto looked = ofKind(FindingsIndex::compute(store, "aa05", {}), FindingKind::UngroundedArgument);
        QCOMPARE(looked.size(), std::size_t(1));
        QCOMPARE(looked.front().severity, FindingSeverity::Medium);
        QCOMPARE(looked.front().value, std::string("A-99999"));

        // A tool called by code, with no model prompt to have come from, is not judged.
        Run scripted("aa03");
        scripted.tool("t1", "issue_refund", R"({"customer_id":"cus_99999"})", "{}");
        scripted.write(store);
        QVERIFY(ofKind(FindingsIndex::compute(store, "aa03", {}), FindingKind::UngroundedArgument).empty());
    }

    void anIdThatContradictsTheLookupIsFlagged()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        // The user names cust_51907 (so the value has a source), but the order belongs to cust_51970.
        refundRun("aa04", "cust_51907", "cust_51970", "I am cust_51907; refund the duplicate charge on order A-10442.")
            .write(store);
        const auto findings = FindingsIndex::compute(store, "aa04", {});
        const auto flagged = ofKind(findings, FindingKind::UngroundedArgument);
        QCOMPARE(flagged.size(), std::size_t(1));
        const Finding& f = flagged.front();
        QCOMPARE(f.argument, std::string("customer_id"));
        QCOMPARE(f.value, std::string("cust_51907"));
        QCOMPARE(f.entity, std::string("order_id=A-10442"));
        QCOMPARE(f.sourceSpanId, std::string("t1"));
        QCOMPARE(f.sourceValue, std::string("cust_51970"));
        QCOMPARE(f.spanIds, std::vector<std::string> { "t2" });
    }

    void theSameCallFiveTimesIsALoop()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        Run run("bb01");
        const std::int64_t llmMs = 300;
        const std::int64_t toolMs = 70;
        const std::int64_t tokensIn = 1200;
        const std::int64_t tokensOut = 40;
        for (int i = 0; i < 5; ++i) {
            run.llm(id("l", i), llmMs, tokensIn, tokensOut, 0.01);
            run.tool(id("t", i), "search_kb", R"({"query":"refund policy","top_k":3})",
                R"({"articles":[{"id":"KB-1187","title":"Duplicate charges"}]})", toolMs);
        }
        run.llm("final");
        run.write(store);
        const auto loops = ofKind(FindingsIndex::compute(store, "bb01", {}), FindingKind::Loop);
        QCOMPARE(loops.size(), std::size_t(1));
        const Finding& f = loops.front();
        QCOMPARE(f.spanIds, (std::vector<std::string> { "t0", "t1", "t2", "t3", "t4" }));
        // Four rounds after the first were wasted: each an llm call and the tool call it issued.
        QCOMPARE(*f.wastedNs, 4 * (llmMs + toolMs) * Ms);
        QCOMPARE(*f.wastedTokens, 4 * (tokensIn + tokensOut));
        QVERIFY(std::abs(*f.wastedCostUsd - 0.04) < 1e-9);
        QVERIFY(f.message.find("search_kb was called 5 times") != std::string::npos);

        // Below the threshold there is no loop.
        FindingThresholds strict;
        strict.loopRepeats = 6;
        QVERIFY(ofKind(FindingsIndex::compute(store, "bb01", strict), FindingKind::Loop).empty());
    }

    void theSameCallWithNewResultsIsNoLoop()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        Run run("bb02");
        // Running the tests after each edit: the same command, a different outcome each time.
        for (int i = 0; i < 5; ++i) {
            run.llm(id("l", i));
            run.tool(id("t", i), "bash", R"({"command":"npm test"})",
                id("FAIL: failing tests: ", 5 - i) + "; see the output of the test runner above");
        }
        run.write(store);
        const auto findings = FindingsIndex::compute(store, "bb02", {});
        QVERIFY2(ofKind(findings, FindingKind::Loop).empty(), describe(findings).constData());
    }

    void searchesThatAllFindTheSameAreALoop()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        Run run("bb03");
        const std::string nothing = R"({"results":[],"note":"No articles matched the query; try other words."})";
        for (int i = 0; i < 3; ++i) {
            run.llm(id("l", i));
            run.tool(id("t", i), "search_kb", nlohmann::json({ { "query", id("variant ", i) } }).dump(), nothing);
        }
        run.write(store);
        const auto loops = ofKind(FindingsIndex::compute(store, "bb03", {}), FindingKind::Loop);
        QCOMPARE(loops.size(), std::size_t(1));
        QCOMPARE(loops.front().spanIds, (std::vector<std::string> { "t0", "t1", "t2" }));
        QVERIFY(loops.front().message.find("same result to 3 different calls") != std::string::npos);
    }

    void aRunFarAboveItsBaselineIsARunaway()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        const auto runWith = [](const std::string& traceId, int llmCalls, const std::string& version) {
            Run run(traceId, "procurement", version);
            // Each round reads another page of offers: the prompts grow, no call repeats another.
            for (int i = 0; i < llmCalls; ++i) {
                run.llm(id("l", i), 200, 800, 60, 0.002);
                run.tool(id("t", i), "list_offers", nlohmann::json({ { "page", i } }).dump(),
                    nlohmann::json({ { "page", i }, { "offers", nlohmann::json::array({ id("offer ", i) }) } }).dump());
            }
            return run;
        };
        for (int i = 0; i < 20; ++i)
            runWith(id("base", 100 + i), 3, "2.0").write(store);
        runWith("runaway", 20, "2.0").write(store);
        runWith("next", 20, "2.1").write(store);

        FindingThresholds thresholds;
        QVERIFY(FindingsIndex::catchUp(store, thresholds));
        const auto runaway = FindingsIndex::stored(store, "runaway");
        const auto r = ofKind(runaway, FindingKind::Runaway);
        QCOMPARE(r.size(), std::size_t(1));
        QVERIFY2(r.front().message.find("20 llm calls where the baseline makes 3") != std::string::npos,
            r.front().message.c_str());
        QVERIFY(r.front().message.find("median of 20 runs of procurement 2.0") != std::string::npos);
        QCOMPARE(r.front().spanIds, std::vector<std::string> { "root" });
        QCOMPARE(*r.front().wastedTokens, 17 * (800 + 60));
        const auto cost = ofKind(runaway, FindingKind::CostRegression);
        QCOMPARE(cost.size(), std::size_t(1));
        QVERIFY(std::abs(*cost.front().wastedCostUsd - 17 * 0.002) < 1e-9);
        QVERIFY(cost.front().message.find("17 more llm calls (extra rounds)") != std::string::npos);
        QCOMPARE(ofKind(runaway, FindingKind::LatencyRegression).size(), std::size_t(1));
        // The baseline's own runs are healthy, and a version of one run has no baseline of its own…
        for (int i = 0; i < 20; ++i)
            QVERIFY2(FindingsIndex::stored(store, id("base", 100 + i)).empty(),
                describe(FindingsIndex::stored(store, id("base", 100 + i))).constData());
        QVERIFY(FindingsIndex::stored(store, "next").empty());
        // … unless it is measured against another version.
        QCOMPARE(
            ofKind(FindingsIndex::compute(store, "next", thresholds, std::string("2.0")), FindingKind::Runaway).size(),
            std::size_t(1));
        // The list shows the stored findings.
        const auto summary = store.trace("runaway");
        QCOMPARE(summary->findings, std::int64_t(3));
        QCOMPARE(summary->findingsSeverity, static_cast<int>(FindingSeverity::High));
        QVERIFY(summary->findingKinds.find("runaway") != std::string::npos);
        QCOMPARE(store.trace("base100")->findings, std::int64_t(0));
    }

    void aBaselineOfTooFewRunsSaysNothing()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        for (int i = 0; i < 4; ++i) {
            Run run(id("few", i), "procurement", "2.0");
            for (int k = 0; k < 3; ++k)
                run.llm(id("l", k));
            run.write(store);
        }
        Run big("big", "procurement", "2.0");
        for (int k = 0; k < 20; ++k) {
            big.llm(id("l", k));
            big.tool(id("t", k), "list_offers", nlohmann::json({ { "page", k } }).dump(), id("offers of page ", k));
        }
        big.write(store);
        QVERIFY2(FindingsIndex::compute(store, "big", {}).empty(),
            describe(FindingsIndex::compute(store, "big", {})).constData());
    }

    void theFailingCauseIsTheFirstFailureOnThePathToTheRoot()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        Run run("cc01");
        run.root().status = StepStatus::Error;
        run.root().statusMessage = "AgentError: could not complete";
        run.llm("l1");
        Step& sub = run.add("sub", "root", StepKind::Agent, "invoke_agent billing", 0);
        sub.status = StepStatus::Error;
        for (int i = 0; i < 3; ++i) {
            Step& t = run.add(id("pay", i), "sub", StepKind::Tool, "execute_tool charge_card", 30);
            t.toolName = "charge_card";
            t.status = StepStatus::Error;
            t.statusMessage = "GatewayTimeout: upstream did not answer";
        }
        run.write(store);
        const auto causes = ofKind(FindingsIndex::compute(store, "cc01", {}), FindingKind::FailureCause);
        QCOMPARE(causes.size(), std::size_t(1));
        QCOMPARE(causes.front().spanIds, (std::vector<std::string> { "pay0", "pay1", "pay2", "root" }));
        QVERIFY(
            causes.front().message.find("tool charge_card failed (3 attempts): GatewayTimeout") != std::string::npos);

        // A guardrail that tripped stopped the run.
        Run guarded("cc02");
        guarded.llm("l1");
        Step& g = guarded.add("guard", "root", StepKind::Guardrail, "pii_filter", 5);
        g.status = StepStatus::Error;
        g.statusMessage = "tripwire: the answer contained a card number";
        guarded.write(store);
        const auto stopped = ofKind(FindingsIndex::compute(store, "cc02", {}), FindingKind::FailureCause);
        QCOMPARE(stopped.size(), std::size_t(1));
        QCOMPARE(stopped.front().spanIds, std::vector<std::string> { "guard" });
        QVERIFY(stopped.front().message.find("guardrail pii_filter stopped the run") != std::string::npos);
    }

    void aConversationNearItsWindowIsUnderPressure()
    {
        // gpt-4o's window, read from the shipped price file on its own.
        QFile file(TestUtils::sourceDir() + QStringLiteral("/resources/prices/models.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        qint64 window = 0;
        for (const auto& entry :
            QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("models")).toArray()) {
            const QJsonObject o = entry.toObject();
            if (o.value(QStringLiteral("models")).toArray().first().toString() == QLatin1String("gpt-4o")
                && !o.contains(QStringLiteral("until")))
                window = o.value(QStringLiteral("context_window")).toInteger();
        }
        QVERIFY(window > 0);

        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        store.setCostModel(
            std::make_shared<const CostModel>(std::make_shared<const PriceTable>(PriceTable::builtIn())));
        Run run("dd01");
        run.llm("small", 100, window / 4, 100);
        run.llm("big", 100, window * 9 / 10, 100);
        Step& cut = run.llm("cut", 100, 1000, 4096);
        cut.outputMessages
            = R"([{"role":"assistant","parts":[{"type":"text","content":"…"}],"finish_reason":"length"}])";
        run.write(store);
        const auto pressure = ofKind(FindingsIndex::compute(store, "dd01", {}), FindingKind::ContextPressure);
        QCOMPARE(pressure.size(), std::size_t(2));
        QCOMPARE(pressure[0].spanIds, std::vector<std::string> { "big" });
        QCOMPARE(pressure[0].severity, FindingSeverity::Medium); // 90 %: above 80 %, below 95 %
        QVERIFY2(pressure[0].message.find(id("90% full (", window * 9 / 10 + 100) + id(" of ", window) + " tokens)")
                != std::string::npos,
            pressure[0].message.c_str());
        QCOMPARE(pressure[1].spanIds, std::vector<std::string> { "cut" });
        QCOMPARE(pressure[1].severity, FindingSeverity::Low);
    }

    // The bundled samples, worked out by hand. In both runs the triage agent looked up "Dana Whitfield" and got
    // two customers (cust_51907 and cust_48213); get_order then returned order A-10442 with customer_id cust_48213,
    // yet the agent handed off and refunded with customer_id cust_51907: the refund went to the wrong customer.
    // The bad run (version 1.5.0) also retries the declined issue_refund three more times with the same arguments.
    void theBundledSamples()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        const QString good = TestUtils::samplePath();
        const QString bad
            = TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json");
        {
            TraceWriter writer(store);
            QVERIFY(importFile(good.toStdString(), writer).ok());
            QVERIFY(importFile(bad.toStdString(), writer).ok());
        }
        for (const QString& path : { good, bad }) {
            const std::vector<SampleSpan> spans = readSample(path);
            const auto order = std::find_if(
                spans.begin(), spans.end(), [](const auto& s) { return s.tool == QLatin1String("get_order"); });
            const auto handoff = std::find_if(spans.begin(), spans.end(),
                [](const auto& s) { return s.tool == QLatin1String("transfer_to_refunds"); });
            QVERIFY(order != spans.end() && handoff != spans.end());
            const QString owner = field(order->result, "customer_id");
            const QString refunded = field(handoff->arguments, "customer_id");
            QCOMPARE(owner, QStringLiteral("cust_48213"));
            QCOMPARE(refunded, QStringLiteral("cust_51907"));
            std::vector<SampleSpan> failedRefunds;
            for (const SampleSpan& s : spans)
                if (s.tool == QLatin1String("issue_refund") && s.status == 2)
                    failedRefunds.push_back(s);
            std::sort(failedRefunds.begin(), failedRefunds.end(),
                [](const auto& a, const auto& b) { return a.start < b.start; });

            const std::string traceId
                = path == good ? "62ea7a6dc2b69860d0195151f6e51f43" : "b4d0c0de5e7a11f0a1b2c3d4e5f60718";
            const auto findings = FindingsIndex::compute(store, traceId, {});
            const auto ungrounded = ofKind(findings, FindingKind::UngroundedArgument);
            QCOMPARE(ungrounded.size(), std::size_t(1));
            QCOMPARE(QString::fromStdString(ungrounded[0].value), refunded);
            QCOMPARE(QString::fromStdString(ungrounded[0].sourceValue), owner);
            QCOMPARE(QString::fromStdString(ungrounded[0].sourceSpanId), order->spanId);
            QCOMPARE(QString::fromStdString(ungrounded[0].spanIds.front()), handoff->spanId);
            QCOMPARE(ungrounded[0].entity, std::string("order_id=A-10442"));
            // Every later call with the wrong customer for that order is listed too, the refunds included.
            for (const SampleSpan& s : failedRefunds)
                QVERIFY(std::find(ungrounded[0].spanIds.begin(), ungrounded[0].spanIds.end(), s.spanId.toStdString())
                    != ungrounded[0].spanIds.end());

            const auto loops = ofKind(findings, FindingKind::Loop);
            if (path == good) {
                QCOMPARE(failedRefunds.size(), std::size_t(1)); // declined once, then store credit
                QVERIFY2(loops.empty(), describe(findings).constData());
            } else {
                QCOMPARE(failedRefunds.size(), std::size_t(4));
                QCOMPARE(loops.size(), std::size_t(1));
                QCOMPARE(loops[0].spanIds.size(), failedRefunds.size());
                for (std::size_t i = 0; i < failedRefunds.size(); ++i)
                    QCOMPARE(QString::fromStdString(loops[0].spanIds[i]), failedRefunds[i].spanId);
                QVERIFY(loops[0].message.find("PaymentGatewayError: card declined") != std::string::npos);
            }
            QCOMPARE(findings.size(), ungrounded.size() + loops.size());
        }
    }

    // False positives matter as much as misses: the corpus's runs are healthy as far as loops and runaways go, but
    // for one. Inspect AI's guess_number test uses its "hardcoded" model, which sends the same bash call five times
    // and gets the same answer each time: that is a loop by definition, and the only one.
    void theCorpusHasNoFalseLoopsOrRunaways()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus (CI requires it)");
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("c.sqlite")).toStdString();
        ImportSession session(db);
        session.setFindingSettings(
            {}, std::make_shared<const CostModel>(std::make_shared<const PriceTable>(PriceTable::builtIn())));
        FindingsState last;
        ImportSession::Callbacks callbacks;
        callbacks.findings = [&](const FindingsState& state) { last = state; };
        session.run({ TestUtils::corpusDir().toStdString() }, callbacks);
        QVERIFY(last.total > 100);
        QVERIFY(last.complete());
        TraceStore store(db, TraceStore::Mode::ReadOnly);
        int loops = 0;
        for (const Finding& f : FindingsIndex::storedAll(store)) {
            QVERIFY2(f.kind != FindingKind::Runaway, findingToJson(f).c_str());
            if (f.kind != FindingKind::Loop)
                continue;
            ++loops;
            const auto steps = store.steps(f.traceId);
            QVERIFY(std::any_of(steps.begin(), steps.end(),
                [](const StepRecord& s) { return s.model.str() == "hardcoded/hardcoded"; }));
            QCOMPARE(f.spanIds.size(), std::size_t(5));
        }
        QCOMPARE(loops, 1);
    }

    void theModelsShowFindings()
    {
        FindingsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Finding low;
        low.kind = FindingKind::ContextPressure;
        low.severity = FindingSeverity::Low;
        low.spanIds = { "c1" };
        low.message = "cut";
        Finding high;
        high.kind = FindingKind::UngroundedArgument;
        high.severity = FindingSeverity::High;
        high.spanIds = { "t2", "t3" };
        high.message = "issue_refund was called with customer_id = cus_99999";
        high.wastedTokens = 1200;
        high.wastedNs = 2'500'000'000;
        model.setFindings({ low, high });
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, FindingsModel::SeverityColumn).data().toString(), QStringLiteral("high"));
        QCOMPARE(model.index(0, FindingsModel::KindColumn).data().toString(), QStringLiteral("ungrounded argument"));
        QCOMPARE(model.index(0, FindingsModel::WastedColumn).data().toString(), QStringLiteral("1,200 tokens, 2.50 s"));
        QCOMPARE(model.index(0, FindingsModel::StepsColumn).data().toString(), QStringLiteral("2"));
        QCOMPARE(model.index(0, 0).data(SpanIdRole).toString(), QStringLiteral("t2"));
        QCOMPARE(model.index(1, FindingsModel::MessageColumn).data().toString(), QStringLiteral("cut"));
        model.setFindings({});
        QCOMPARE(model.rowCount(), 0);

        // The run list: a Findings column and the "with findings" filter.
        TraceListModel list;
        QAbstractItemModelTester listTester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        TraceSummary clean;
        clean.traceId = "t-clean";
        TraceSummary flagged;
        flagged.traceId = "t-flagged";
        flagged.findings = 2;
        flagged.findingsSeverity = int(FindingSeverity::High);
        flagged.findingKinds = "loop,ungrounded_argument";
        list.updateTraces({ clean, flagged });
        const int row = list.rowOf("t-flagged");
        QCOMPARE(list.index(row, TraceListModel::FindingsColumn).data().toString(),
            QStringLiteral("loop, ungrounded argument"));
        QCOMPARE(list.index(list.rowOf("t-clean"), TraceListModel::FindingsColumn).data().toString(), QString());
        TraceFilterProxyModel proxy;
        proxy.setSourceModel(&list);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setStatus(TraceFilterProxyModel::StatusFilter::WithFindings);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(TraceIdRole).toString(), QStringLiteral("t-flagged"));
    }

    void theSameFindingInAnotherRunIsNotNew()
    {
        Finding a;
        a.kind = FindingKind::UngroundedArgument;
        a.message = "issue_refund was called with customer_id = cust_51907 for order_id A-10442, but get_order had "
                    "returned customer_id cust_48213 for it";
        Finding b = a;
        b.message = "issue_refund was called with customer_id = cust_60001 for order_id A-20001, but get_order had "
                    "returned customer_id cust_48999 for it";
        Finding loop;
        loop.kind = FindingKind::Loop;
        loop.message = "issue_refund was called 4 times with the same arguments and got the same error each time";
        QCOMPARE(findingSignature(a), findingSignature(b));
        QVERIFY(findingSignature(a) != findingSignature(loop));
        const auto fresh = findingsNewIn({ a }, { b, loop });
        QCOMPARE(fresh.size(), std::size_t(1));
        QCOMPARE(fresh.front().kind, FindingKind::Loop);
        QVERIFY(findingsNewIn({ a, loop }, { b }).empty());
    }

    void thresholdsFromAFile()
    {
        const auto t
            = FindingThresholds::fromJson(R"({"loop_repeats": 4, "baseline_ratio": 3, "note": "ours"})", "f.json");
        QCOMPARE(t.loopRepeats, 4);
        QCOMPARE(t.baselineRatio, 3.0);
        QCOMPARE(t.promptRepeats, FindingThresholds().promptRepeats);
        QVERIFY(t.fingerprint() != FindingThresholds().fingerprint());
        QCOMPARE(FindingThresholds::fromJson(t.toJson(), "again").fingerprint(), t.fingerprint());
        const auto refuses = [](const char* json, const char* words) {
            try {
                FindingThresholds::fromJson(json, "f.json");
            } catch (const std::runtime_error& error) {
                return QString::fromUtf8(error.what()).contains(QLatin1String(words));
            }
            return false;
        };
        QVERIFY(refuses(R"({"loop_repeat": 4})", "f.json: unknown setting \"loop_repeat\""));
        QVERIFY(refuses(R"({"loop_repeats": 1})", "at least 2"));
        QVERIFY(refuses(R"({"context_warning": 3})", "from 0"));
        QVERIFY(refuses(R"([1])", "must be a JSON object"));
    }

    void theCacheKeepsFindingsCurrent()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("c.sqlite")).toStdString());
        refundRun("ee01", "cus_99999", "cust_51907").write(store);
        FindingThresholds thresholds;
        QCOMPARE(FindingsIndex::state(store, thresholds).current, std::int64_t(0));
        QVERIFY(FindingsIndex::catchUp(store, thresholds));
        QCOMPARE(FindingsIndex::state(store, thresholds).current, std::int64_t(1));
        QCOMPARE(FindingsIndex::stored(store, "ee01"), FindingsIndex::compute(store, "ee01", thresholds));
        // Other settings: pending again, and recomputed under them.
        FindingThresholds off;
        off.ungroundedArguments = false;
        QCOMPARE(FindingsIndex::state(store, off).current, std::int64_t(0));
        QVERIFY(FindingsIndex::catchUp(store, off));
        QVERIFY(FindingsIndex::stored(store, "ee01").empty());
        // A run that changes is pending until the next catch-up.
        QVERIFY(FindingsIndex::catchUp(store, thresholds));
        QCOMPARE(FindingsIndex::stored(store, "ee01").size(), std::size_t(1));
        Run grown = refundRun("ee01", "cus_99999", "cust_51907");
        grown.tool("t4", "send_confirmation", R"({"refund_id":"rf_7KQ2M9"})", R"({"status":"queued"})");
        grown.write(store);
        QCOMPARE(FindingsIndex::state(store, thresholds).current, std::int64_t(0));
        QVERIFY(FindingsIndex::catchUp(store, thresholds));
        QCOMPARE(FindingsIndex::state(store, thresholds).current, std::int64_t(1));
        const auto again = FindingsIndex::stored(store, "ee01");
        QCOMPARE(again, FindingsIndex::compute(store, "ee01", thresholds));
        QVERIFY2(again.size() == 1, describe(again).constData()); // rf_7KQ2M9 came from the refund's result
    }

    void checkOnTheCommandLine()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("c.sqlite"));
        {
            TraceStore store(db.toStdString());
            TraceWriter writer(store);
            QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
            QVERIFY(importFile(
                QString(TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json"))
                    .toStdString(),
                writer)
                        .ok());
        }
        const QDateTime before = QFileInfo(db).lastModified();
        const auto check = [&](const QStringList& arguments) {
            QProcess process;
            process.start(QStringLiteral(TRACELIGHT_BINARY),
                QStringList { QStringLiteral("check"), QStringLiteral("--db"), db } + arguments);
            if (!process.waitForFinished(60000))
                qFatal("tracelight check did not finish");
            return std::make_tuple(process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError());
        };
        {
            const auto [code, out, err] = check({ QStringLiteral("--fail-on"), QStringLiteral("loop") });
            QCOMPARE(code, 1);
            QVERIFY(out.contains("issue_refund was called 4 times"));
            QVERIFY(out.contains("failing: 1 loop"));
        }
        {
            const auto [code, out, err]
                = check({ QStringLiteral("--fail-on"), QStringLiteral("runaway,context_pressure") });
            QCOMPARE(code, 0);
        }
        {
            const auto [code, out, err] = check({ QStringLiteral("62ea"), QStringLiteral("--json"),
                QStringLiteral("--fail-on"), QStringLiteral("ungrounded_argument") });
            QCOMPARE(code, 1);
            const auto j = nlohmann::json::parse(out.toStdString());
            QCOMPARE(j["runs"].get<int>(), 1);
            QCOMPARE(j["findings"].size(), std::size_t(1));
            const auto& f = j["findings"][0];
            for (const char* key : { "trace_id", "kind", "severity", "span_ids", "message", "argument", "value",
                     "source_span_id", "source_value" })
                QVERIFY2(f.contains(key), key);
            QCOMPARE(f["kind"].get<std::string>(), std::string("ungrounded_argument"));
            QCOMPARE(f["value"].get<std::string>(), std::string("cust_51907"));
            QVERIFY(j["failed_kinds"] == nlohmann::json::array({ "ungrounded_argument" }));
        }
        {
            const QString junit = dir.filePath(QStringLiteral("check.xml"));
            const auto [code, out, err] = check({ QStringLiteral("--all"), QStringLiteral("--fail-on"),
                QStringLiteral("loop"), QStringLiteral("--junit"), junit });
            QCOMPARE(code, 1);
            QFile file(junit);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QXmlStreamReader xml(&file);
            int cases = 0;
            int failures = 0;
            while (!xml.atEnd()) {
                xml.readNext();
                if (xml.isStartElement() && xml.name() == QLatin1String("testcase"))
                    ++cases;
                if (xml.isStartElement() && xml.name() == QLatin1String("failure")) {
                    ++failures;
                    QCOMPARE(xml.attributes().value(QLatin1String("type")).toString(), QStringLiteral("loop"));
                }
            }
            QVERIFY(!xml.hasError());
            QCOMPARE(cases, 2);
            QCOMPARE(failures, 1);
        }
        {
            const auto [code, out, err] = check({ QStringLiteral("--fail-on"), QStringLiteral("loops") });
            QCOMPARE(code, 2);
            QVERIFY(err.contains("unknown finding kind \"loops\""));
        }
        QCOMPARE(QFileInfo(db).lastModified(), before); // check reads the cache, never writes it
    }

    void importKeepsTheFindingsThatListAndShowPrint()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("c.sqlite"));
        const auto run = [&](const QStringList& arguments) {
            QProcess process;
            process.start(QStringLiteral(TRACELIGHT_BINARY), arguments + QStringList { QStringLiteral("--db"), db });
            if (!process.waitForFinished(60000))
                qFatal("tracelight did not finish");
            return std::make_pair(process.readAllStandardOutput(), process.readAllStandardError());
        };
        const auto [imported, log] = run({ QStringLiteral("import"), TestUtils::samplePath(),
            TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json") });
        QVERIFY2(log.contains("findings: 2 runs"), log.constData());
        const auto list
            = nlohmann::json::parse(run({ QStringLiteral("list"), QStringLiteral("--json") }).first.toStdString());
        std::map<std::string, std::int64_t> counts;
        for (const auto& row : list)
            counts[row["trace_id"].get<std::string>()] = row["findings"].get<std::int64_t>();
        QCOMPARE(counts["62ea7a6dc2b69860d0195151f6e51f43"], std::int64_t(1));
        QCOMPARE(counts["b4d0c0de5e7a11f0a1b2c3d4e5f60718"], std::int64_t(2));
        const auto shown = nlohmann::json::parse(
            run({ QStringLiteral("show"), QStringLiteral("b4d0"), QStringLiteral("--json") }).first.toStdString());
        std::set<std::string> kinds;
        for (const auto& f : shown["findings"])
            kinds.insert(f["kind"].get<std::string>());
        QCOMPARE(kinds, (std::set<std::string> { "loop", "ungrounded_argument" }));
        // stats --json counts them by kind and version.
        const auto stats
            = nlohmann::json::parse(run({ QStringLiteral("stats"), QStringLiteral("--json") }).first.toStdString());
        std::map<std::pair<std::string, std::string>, std::int64_t> counts2;
        for (const auto& c : stats["findings"])
            counts2[{ c["kind"].get<std::string>(), c["version"].get<std::string>() }] = c["runs"].get<std::int64_t>();
        QCOMPARE(counts2.size(), std::size_t(3));
        QCOMPARE((counts2[{ "loop", "1.5.0" }]), std::int64_t(1));
        QCOMPARE((counts2[{ "ungrounded_argument", "1.5.0" }]), std::int64_t(1));
        QCOMPARE((counts2[{ "ungrounded_argument", "1.4.2" }]), std::int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestFindings)
#include "tst_findings.moc"
