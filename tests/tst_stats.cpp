#include "testutils.h"

#include <fileimport.h>
#include <runstats.h>
#include <statmath.h>
#include <statsquery.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Tracelight;

namespace {

// gpt-4o and gpt-4o-mini at their list prices, so that the sample's cost is known (tst_cost works it out).
constexpr std::string_view testPrices = R"({"models": [
    { "models": ["gpt-4o"], "input": 2.5, "cache_read": 1.25, "output": 10 },
    { "models": ["gpt-4o-mini"], "input": 0.15, "cache_read": 0.075, "output": 0.6 }
]})";

bool near(double a, double b, double tolerance = 1e-6)
{
    return std::abs(a - b) <= tolerance;
}

QString demoPath()
{
    return TestUtils::corpusDir() + QStringLiteral("/otlp-collector-file/otel-demo-mixed-signals.jsonl");
}

const StatsGroup* group(const std::vector<StatsGroup>& groups, const std::string& key)
{
    const auto it = std::find_if(groups.begin(), groups.end(), [&](const StatsGroup& g) { return g.key == key; });
    return it == groups.end() ? nullptr : &*it;
}

Step step(const char* spanId, const char* parentId, StepKind kind, std::int64_t startMs, std::int64_t endMs)
{
    Step s;
    s.traceId = "000000000000000000000000000000aa";
    s.spanId = spanId;
    s.parentId = parentId;
    s.name = spanId;
    s.kind = kind;
    s.startNs = startMs * 1000000;
    s.endNs = endMs * 1000000;
    return s;
}

} // namespace

class TestStats : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<TraceStore>(m_dir.filePath(QStringLiteral("stats.sqlite")).toStdString());
        TraceWriter writer(*m_store);
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
        if (TestUtils::haveCorpus())
            QVERIFY(importFile(demoPath().toStdString(), writer).ok());
        m_store->setCostModel(std::make_shared<const CostModel>(
            std::make_shared<const PriceTable>(PriceTable::fromJson(testPrices, "test", false))));
    }

    void percentiles()
    {
        // Linear interpolation between closest ranks: p95 of 1..4 is at rank 0.95 × 3 = 2.85, between 3 and 4.
        const std::vector<double> values { 1, 2, 3, 4 };
        QCOMPARE(StatMath::percentile(values, 0.5), 2.5);
        QVERIFY(near(StatMath::percentile(values, 0.95), 3.85));
        QVERIFY(near(StatMath::percentile(values, 0.99), 3.97));
        QCOMPARE(StatMath::percentile({ 7 }, 0.99), 7.0);
        QCOMPARE(StatMath::percentile({}, 0.5), 0.0);
        std::vector<double> unsorted { 40, 10, 30, 20 };
        const LatencySummary s = StatMath::summarize(unsorted);
        QCOMPARE(s.count, 4);
        QCOMPARE(s.meanMs, 25.0);
        QCOMPARE(s.p50Ms, 25.0);
        QCOMPARE(s.maxMs, 40.0);
    }

    void pointBudgets()
    {
        constexpr std::int64_t minute = Q_INT64_C(60000000000);
        QCOMPARE(StatMath::bucketSize(10 * minute, 200), minute);
        QCOMPARE(StatMath::bucketSize(3 * 24 * 60 * minute, 200), 60 * minute); // 72 hourly buckets; 288 of 15 min
        QCOMPARE(StatMath::bucketSize(365 * 24 * 60 * minute, 200), 7 * 24 * 60 * minute);
        QCOMPARE(StatMath::partition(10, 3), (std::vector<std::pair<int, int>> { { 0, 2 }, { 3, 5 }, { 6, 9 } }));
        QCOMPARE(StatMath::partition(2, 5), (std::vector<std::pair<int, int>> { { 0, 0 }, { 1, 1 } }));
        QVERIFY(StatMath::partition(0, 5).empty());
        std::vector<StatsGroup> groups(5);
        for (int i = 0; i < 5; ++i) {
            groups[std::size_t(i)].key = std::string(1, char('a' + i));
            groups[std::size_t(i)].calls = (i + 1) * 10; // a:10 … e:50
        }
        const auto top = StatMath::topGroups(groups, 3, [](const StatsGroup& g) { return double(g.calls); });
        QCOMPARE(top.size(), std::size_t(3));
        QCOMPARE(top[0].key, std::string("d")); // kept in their order
        QCOMPARE(top[1].key, std::string("e"));
        QVERIFY(top[2].others);
        QCOMPARE(top[2].calls, 60); // a + b + c
        QCOMPARE(top[2].key, std::string("3 others"));
        const auto bins = StatMath::histogram({ 5, 50, 60, 500, 5000 }, 24);
        std::int64_t total = 0;
        for (const HistogramBin& bin : bins)
            total += bin.runs;
        QCOMPARE(total, 5);
        QVERIFY(bins.size() <= 24);
    }

    // The bundled sample alone. Expected values from the file, by hand and with
    // python3 -c 'import json; d=json.load(open("resources/samples/refund-agent.otlp.json")); …' over the spans'
    // gen_ai.operation.name, usage attributes, status codes and times (see the comments on each figure).
    void sampleRun()
    {
        StatsFilter filter;
        filter.service = "support-agent";
        const CacheStats s = StatsQuery(*m_store).compute(filter, { StatsGrouping::Model });
        QCOMPARE(s.runs, 1);
        QCOMPARE(s.runsWithErrors, 1); // issue_refund and its POST failed (status code 2)
        QCOMPARE(s.steps, 32);
        QCOMPARE(s.llmCalls, 10); // spans with operation chat
        QCOMPARE(s.toolCalls, 10); // execute_tool
        QCOMPARE(s.toolErrors, 1);
        QVERIFY(near(s.toolSuccessRate(), 0.9));
        QCOMPARE(s.retrievals, 1); // retrieval kb-support
        QCOMPARE(s.runsWithHandoff, 1); // triage invokes refunds: two agents
        QCOMPARE(s.runsWithHuman, 0);
        QCOMPARE(s.tokens.input, 12881);
        QCOMPARE(s.tokens.output, 776);
        QCOMPARE(s.tokens.cacheRead, 7808); // 1,152 (gpt-4o) + 6,656 (gpt-4o-mini)
        QVERIFY(near(*s.cost.usd, 0.011285, 1e-12)); // worked out in tst_cost::sampleCost
        QVERIFY(near(*s.medianRunCostUsd, 0.011285, 1e-12));
        QVERIFY(near(s.runLatency.p50Ms, 39412.969108)); // last end − first start of the trace
        // By model: chat span durations (end − start) per gen_ai.response.model.
        QCOMPARE(s.groups.size(), std::size_t(2));
        const StatsGroup* gpt4o = group(s.groups, "gpt-4o-2024-08-06");
        const StatsGroup* mini = group(s.groups, "gpt-4o-mini-2024-07-18");
        QVERIFY(gpt4o && mini);
        QCOMPARE(s.groups.front().key, gpt4o->key); // the costlier first
        QCOMPARE(gpt4o->calls, 3);
        QCOMPARE(gpt4o->tokens.input, 3763); // 824 + 1,251 + 1,688
        QCOMPARE(gpt4o->tokens.output, 211);
        QVERIFY(near(*gpt4o->cost.usd, 0.0100775, 1e-12));
        QVERIFY(near(gpt4o->latency.p50Ms, 3219.670481));
        QVERIFY(near(gpt4o->latency.p95Ms, 3815.370038));
        QCOMPARE(mini->calls, 7);
        QCOMPARE(mini->runs, 1);
        QVERIFY(near(*mini->cost.usd, 0.0012075, 1e-12));
        QVERIFY(near(mini->latency.p50Ms, 2804.518405));
        QVERIFY(near(mini->latency.p95Ms, 3723.867625));
    }

    void sampleTools()
    {
        StatsFilter filter;
        filter.service = "support-agent";
        const CacheStats s = StatsQuery(*m_store).compute(filter, { StatsGrouping::Tool });
        QCOMPARE(s.groups.size(), std::size_t(9)); // distinct gen_ai.tool.name of execute_tool spans
        const StatsGroup* refund = group(s.groups, "issue_refund");
        QVERIFY(refund);
        QCOMPARE(s.groups.front().key, refund->key); // the most called first
        QCOMPARE(refund->calls, 2);
        QCOMPARE(refund->errors, 1);
        QCOMPARE(refund->runsWithErrors, 1);
        QVERIFY(near(refund->latency.p50Ms, 799.374459)); // mean of 886.6 and 712.1 ms
        QVERIFY(near(group(s.groups, "transfer_to_refunds")->latency.p50Ms, 60.694472));

        const CacheStats agents = StatsQuery(*m_store).compute(filter, { StatsGrouping::Agent });
        QCOMPARE(agents.groups.size(), std::size_t(2));
        QVERIFY(near(group(agents.groups, "triage")->latency.p50Ms, 39412.969108));
        QVERIFY(near(group(agents.groups, "refunds")->latency.p50Ms, 26472.081114));
    }

    // The OpenTelemetry demo capture: 141 traces of plain (non-GenAI) spans. Expected values computed with python
    // over the file (the script is in the comment at the end of this file): one run per traceId, duration =
    // max(end) − min(start > 0), version and service of the root span's resource (the span without a parent, else
    // the earliest whose parent is absent), errors = spans with status.code 2.
    void demoCapture()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        StatsFilter demo;
        demo.untilNs = Q_INT64_C(1760000000000000000); // before the sample's run
        StatsQuery query(*m_store);
        const CacheStats s = query.compute(demo, { StatsGrouping::Version, true });
        QCOMPARE(s.runs, 141);
        QCOMPARE(s.runsWithErrors, 59);
        QCOMPARE(s.steps, 547);
        QCOMPARE(s.llmCalls, 0);
        QVERIFY(!s.cost.usd); // nothing to cost: unknown, not $0
        QCOMPARE(s.cost.source(), CostSource::None);
        QVERIFY(near(s.runLatency.p50Ms, 7.364613));
        QVERIFY(near(s.runLatency.p95Ms, 419.666501));
        QVERIFY(near(s.runLatency.p99Ms, 34528.949870));
        QVERIFY(near(s.runLatency.maxMs, 48510.395614));
        QVERIFY(near(s.runLatency.meanMs, 962.106469));
        QCOMPARE(s.firstStartNs, Q_INT64_C(1730291040218138154));
        QCOMPARE(s.lastStartNs, Q_INT64_C(1730291076256414062));
        QCOMPARE(s.groups.size(), std::size_t(2));
        const StatsGroup* none = group(s.groups, "");
        const StatsGroup* v0111 = group(s.groups, "v0.11.1");
        QVERIFY(none && v0111);
        QCOMPARE(none->runs, 131);
        QCOMPARE(none->runsWithErrors, 59);
        QCOMPARE(none->errors, 107);
        QVERIFY(near(none->latency.p50Ms, 6.678193));
        QVERIFY(near(none->latency.p95Ms, 66.486976));
        QCOMPARE(v0111->runs, 10);
        QCOMPARE(v0111->runsWithErrors, 0);
        QVERIFY(near(v0111->latency.p50Ms, 22.840392));
        QVERIFY(near(v0111->latency.p95Ms, 43535.406628));

        // Dashboard series: every run lands in one time bucket and one histogram bin.
        QCOMPARE(s.bucketNs, Q_INT64_C(60000000000)); // 36 s of runs: one-minute buckets
        std::int64_t bucketed = 0;
        for (const TimeBucket& bucket : s.timeline)
            bucketed += bucket.runs;
        QCOMPARE(bucketed, 141);
        std::int64_t binned = 0;
        for (const HistogramBin& bin : s.latencyHistogram)
            binned += bin.runs;
        QCOMPARE(binned, 141);
        QCOMPARE(QString::fromStdString(s.slowest.front().traceId), QStringLiteral("8f2e9d887dc12a3a28a26c47945d52fb"));
        QCOMPARE(s.slowest.size(), std::size_t(10));
        QVERIFY(s.slowest[0].durationNs() >= s.slowest[9].durationNs());
        QCOMPARE(s.failed.size(), std::size_t(10));
        for (const RunRef& run : s.failed)
            QVERIFY(run.errors > 0);
        QVERIFY(s.costliest.empty()); // no run has a known cost

        const CacheStats days = query.compute(demo, { StatsGrouping::Day });
        QCOMPARE(days.groups.size(), std::size_t(1));
        QCOMPARE(days.groups.front().key, std::string("2024-10-30"));
        QCOMPARE(days.groups.front().runs, 141);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("runs");
        QTest::addColumn<bool>("needsCorpus");
        // From the python script below and the sample's attributes.
        QTest::newRow("service") << "service"
                                 << "frontend" << 53 << true;
        QTest::newRow("version") << "version"
                                 << "v0.11.1" << 10 << true;
        QTest::newRow("since") << "since"
                               << "1730291060000000000" << 71 + 1 << true; // + the sample (2025)
        QTest::newRow("until") << "until"
                               << "1730291060000000000" << 70 << true;
        QTest::newRow("agent below the root") << "agent"
                                              << "refunds" << 1 << false;
        QTest::newRow("model") << "model"
                               << "gpt-4o-mini-2024-07-18" << 1 << false;
        QTest::newRow("model glob") << "model"
                                    << "gpt-4o*" << 1 << false;
        QTest::newRow("model unknown") << "model"
                                       << "claude*" << 0 << false;
        QTest::newRow("tool") << "tool"
                              << "issue_refund" << 1 << false;
        QTest::newRow("errors only") << "errors"
                                     << "" << 59 + 1 << true;
        // python: sum(1000 <= r['ms'] for r in runs) → 7 demo runs, + the sample (39.4 s)
        QTest::newRow("at least 1 s") << "minMs"
                                      << "1000" << 7 + 1 << true;
        // python: sum(r['ms'] < 10 for r in runs)
        QTest::newRow("under 10 ms") << "maxMs"
                                     << "10" << 78 << true;
    }

    void filters()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(int, runs);
        QFETCH(bool, needsCorpus);
        if (needsCorpus && !TestUtils::haveCorpus())
            QSKIP("no corpus");
        StatsFilter f;
        const std::string v = value.toStdString();
        if (field == QLatin1String("service"))
            f.service = v;
        else if (field == QLatin1String("version"))
            f.version = v;
        else if (field == QLatin1String("since"))
            f.sinceNs = value.toLongLong();
        else if (field == QLatin1String("until"))
            f.untilNs = value.toLongLong();
        else if (field == QLatin1String("agent"))
            f.agent = v;
        else if (field == QLatin1String("model"))
            f.model = v;
        else if (field == QLatin1String("tool"))
            f.tool = v;
        else if (field == QLatin1String("minMs"))
            f.minDurationNs = value.toLongLong() * 1000000;
        else if (field == QLatin1String("maxMs"))
            f.maxDurationNs = value.toLongLong() * 1000000;
        else
            f.errorsOnly = true;
        StatsQuery query(*m_store);
        QCOMPARE(query.compute(f).runs, runs);
        const std::vector<RunRef> listed = query.runs(f, 1000);
        QCOMPARE(int(listed.size()), runs);
        for (std::size_t i = 1; i < listed.size(); ++i)
            QVERIFY(listed[i - 1].startNs >= listed[i].startNs); // newest first
    }

    void choices()
    {
        const StatsQuery::Choices c = StatsQuery(*m_store).choices();
        QVERIFY(std::find(c.agents.begin(), c.agents.end(), "refunds") != c.agents.end());
        QCOMPARE(c.models, (std::vector<std::string> { "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18" }));
        QVERIFY(std::find(c.services.begin(), c.services.end(), "support-agent") != c.services.end());
    }

    // Self time by hand: agent [0, 100] with an llm call [10, 40] and a tool [50, 70] that overlaps a second llm
    // call [60, 90]; the tool's own child covers [55, 65].
    void runSelfTime()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("self.sqlite")).toStdString());
        {
            TraceWriter writer(store);
            writer.beginFile("memory", "test", 0);
            StepBatch batch;
            batch.push_back(step("a1", "", StepKind::Agent, 1000, 1100));
            batch.back().agentName = "planner";
            batch.push_back(step("l1", "a1", StepKind::Llm, 1010, 1040));
            batch.push_back(step("t1", "a1", StepKind::Tool, 1050, 1070));
            batch.back().toolName = "search";
            batch.back().status = StepStatus::Error;
            batch.push_back(step("o1", "t1", StepKind::Other, 1055, 1065));
            batch.push_back(step("l2", "a1", StepKind::Llm, 1060, 1090));
            batch.back().tokens.input = 100;
            writer.addSteps(std::move(batch));
            writer.commitFile("sha");
        }
        const auto summary = store.trace("000000000000000000000000000000aa");
        const auto snapshot = TraceSnapshot::build(*summary, store.steps(summary->traceId));
        const RunStats run = RunStats::compute(*snapshot);
        constexpr std::int64_t ms = 1000000;
        // Agent: 100 − (30 + [50, 90] = 40) = 30; llm: 30 + 30; tool: 20 − 10; other: 10.
        QCOMPARE(run.selfNsByKind[std::size_t(StepKind::Agent)], 30 * ms);
        QCOMPARE(run.selfNsByKind[std::size_t(StepKind::Llm)], 60 * ms);
        QCOMPARE(run.selfNsByKind[std::size_t(StepKind::Tool)], 10 * ms);
        QCOMPARE(run.selfNsByKind[std::size_t(StepKind::Other)], 10 * ms);
        QCOMPARE(run.selfNsByAgent.size(), std::size_t(1));
        QCOMPARE(run.selfNsByAgent.front().first, std::string("planner"));
        QCOMPARE(run.selfNsByAgent.front().second, 110 * ms); // parallel work counts on each branch
        QCOMPARE(run.wallNs, 100 * ms);
        QCOMPARE(run.llmCalls.size(), std::size_t(2));
        QCOMPARE(run.llmCalls[1].tokens.input, 100);
        QCOMPARE(run.toolCalls.size(), std::size_t(1));
        QCOMPARE(run.toolCalls.front().tool, std::string("search"));
        QVERIFY(run.toolCalls.front().failed);
        QCOMPARE(run.toolCalls.front().durationNs, 20 * ms);
    }

    // The sample's llm calls in start order with their tokens and costs (chat spans sorted by startTimeUnixNano).
    void sampleRunCharts()
    {
        const auto summary = m_store->trace("62ea7a6dc2b69860d0195151f6e51f43");
        QVERIFY(summary);
        const auto snapshot = TraceSnapshot::build(*summary, m_store->steps(summary->traceId));
        const RunStats run = RunStats::compute(*snapshot);
        QCOMPARE(run.llmCalls.size(), std::size_t(10));
        const std::vector<std::int64_t> inputs { 169, 824, 1251, 1688, 1033, 1203, 1382, 1543, 1751, 2037 };
        double cost = 0;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            QCOMPARE(run.llmCalls[i].tokens.input, inputs[i]);
            cost += *run.llmCalls[i].costUsd;
        }
        QVERIFY(near(cost, 0.011285, 1e-12)); // the calls add up to the run's cost
        // First call: gpt-4o-mini, 169 in, 39 out: 169 × $0.15 + 39 × $0.60 = $0.00004875
        QVERIFY(near(*run.llmCalls[0].costUsd, 0.00004875, 1e-12));
        QCOMPARE(run.toolCalls.size(), std::size_t(10));
        QCOMPARE(std::count_if(run.toolCalls.begin(), run.toolCalls.end(), [](const auto& t) { return t.failed; }), 1);
        std::int64_t self = 0;
        for (const std::int64_t ns : run.selfNsByKind)
            self += ns;
        QVERIFY(self >= run.wallNs); // sequential agent: self times cover the run at least once
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TraceStore> m_store;
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"

/* The script behind the demo capture's expected values (python3, standard library only):

import json, collections, datetime
spans = {}
for line in open('otlp-collector-file/otel-demo-mixed-signals.jsonl'):
    for rs in json.loads(line).get('resourceSpans', []):
        res = {a['key']: list(a['value'].values())[0] for a in rs.get('resource', {}).get('attributes', [])}
        for ss in rs.get('scopeSpans', []):
            for s in ss.get('spans', []):
                spans[(s['traceId'].lower(), s['spanId'].lower())] = dict(parent=s.get('parentSpanId', '').lower(),
                    start=int(s.get('startTimeUnixNano', 0)), end=int(s.get('endTimeUnixNano', 0)),
                    err=s.get('status', {}).get('code') == 2, service=res.get('service.name'),
                    version=res.get('service.version'))
traces = collections.defaultdict(list)
for (t, sid), s in spans.items(): traces[t].append(dict(s, id=sid))
def pct(v, p):
    v = sorted(v); r = p * (len(v) - 1); lo = int(r); hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (r - lo)
runs = []
for t, ss in traces.items():
    start = min(s['start'] for s in ss if s['start'] > 0); end = max(max(s['end'], s['start']) for s in ss)
    ids = {s['id'] for s in ss}
    root = sorted([s for s in ss if not s['parent'] or s['parent'] not in ids],
                  key=lambda s: (bool(s['parent']), s['start']))[0]
    first = lambda k: root[k] or next((s[k] for s in sorted(ss, key=lambda s: s['start']) if s[k]), None)
    runs.append(dict(trace=t, ms=(end - start) / 1e6, errors=sum(s['err'] for s in ss), service=first('service'),
                     version=first('version') or '', start=start))
d = [r['ms'] for r in runs]
print(len(runs), sum(r['errors'] > 0 for r in runs), pct(d, .5), pct(d, .95), pct(d, .99), max(d), sum(d) / len(d))
for v in sorted(set(r['version'] for r in runs)):
    g = [r for r in runs if r['version'] == v]
    print(repr(v), len(g), sum(r['errors'] > 0 for r in g), sum(r['errors'] for r in g),
          pct([r['ms'] for r in g], .5), pct([r['ms'] for r in g], .95))
print(sum(1000 <= r['ms'] for r in runs), sum(r['ms'] < 10 for r in runs))
print(sum(r['service'] == 'frontend' for r in runs), sum(r['start'] >= 1730291060000000000 for r in runs),
      max(runs, key=lambda r: r['ms'])['trace'], min(r['start'] for r in runs), max(r['start'] for r in runs))
*/
