// Issue 8: aligning two runs, the delta summary, version comparison, the word diff, and the compare window.
#include "testutils.h"

#include <comparewindow.h>
#include <comparisonmodels.h>
#include <diffhtml.h>
#include <fileimport.h>
#include <runcomparison.h>
#include <textdiff.h>
#include <timelineview.h>
#include <tracestore.h>
#include <tracewriter.h>
#include <versioncomparison.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <nlohmann/json.hpp>

using namespace Tracelight;
using Op = RunComparison::Op;

namespace {

// A hand-built run: each step is "kind name @start+duration [model] [!]" under the step named parent.
struct Spec
{
    std::string id;
    std::string parent;
    StepKind kind;
    std::string name;
    std::int64_t start;
    std::int64_t duration;
    std::string model = {};
    bool error = false;
};

TraceSnapshotPtr run(const std::vector<Spec>& specs)
{
    std::vector<StepRecord> steps;
    for (const Spec& spec : specs) {
        StepRecord r;
        r.spanId = spec.id;
        r.parentId = spec.parent;
        r.kind = spec.kind;
        r.name = spec.name;
        r.toolName = spec.kind == StepKind::Tool ? spec.name : std::string();
        r.startNs = spec.start * 1'000'000;
        r.endNs = (spec.start + spec.duration) * 1'000'000;
        r.model = spec.model;
        r.status = spec.error ? StepStatus::Error : StepStatus::Ok;
        steps.push_back(r);
    }
    std::stable_sort(
        steps.begin(), steps.end(), [](const StepRecord& x, const StepRecord& y) { return x.startNs < y.startNs; });
    return TraceSnapshot::build(TraceSummary {}, std::move(steps));
}

// An agent loop of n llm calls, each followed by a tool call.
std::vector<Spec> loop(int n, const std::string& prefix)
{
    std::vector<Spec> specs = { { prefix + "root", "", StepKind::Agent, "agent", 0, 100'000 } };
    for (int i = 0; i < n; ++i) {
        specs.push_back(
            { prefix + "llm" + std::to_string(i), prefix + "root", StepKind::Llm, "chat", 10 + i * 100, 50, "gpt-4o" });
        specs.push_back(
            { prefix + "tool" + std::to_string(i), prefix + "root", StepKind::Tool, "search", 70 + i * 100, 20 });
    }
    specs.push_back({ prefix + "answer", prefix + "root", StepKind::Llm, "answer", 10 + n * 100, 50, "gpt-4o" });
    return specs;
}

QString opsOf(const RunComparison& c)
{
    QString ops;
    for (const auto& p : c.alignment())
        ops += QLatin1Char("=~+-"[int(p.op)]);
    return ops;
}

struct Cache
{
    QTemporaryDir dir;
    QString path() const { return dir.filePath(QStringLiteral("c.sqlite")); }
    Cache()
    {
        TraceStore store(path().toStdString());
        TraceWriter writer(store);
        for (const char* name : { "refund-agent.otlp.json", "refund-agent-retry-loop.otlp.json" }) {
            const QString file = TestUtils::sourceDir() + QStringLiteral("/resources/samples/") + QLatin1String(name);
            if (!importFile(file.toStdString(), writer).ok())
                qFatal("cannot import %s", name);
        }
    }
    RunComparison compare()
    {
        TraceStore store(path().toStdString(), TraceStore::Mode::ReadOnly);
        const auto a = *store.trace(Good);
        const auto b = *store.trace(Bad);
        return RunComparison::compute(
            TraceSnapshot::build(a, store.steps(Good)), TraceSnapshot::build(b, store.steps(Bad)));
    }
    static constexpr const char* Good = "62ea7a6dc2b69860d0195151f6e51f43";
    static constexpr const char* Bad = "b4d0c0de5e7a11f0a1b2c3d4e5f60718";
};

} // namespace

class CompareTest : public QObject
{
    Q_OBJECT

private slots:
    void alignSequences_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("expected"); // = match, + only in b, - only in a
        QTest::newRow("identical") << "abc"
                                   << "abc"
                                   << "===";
        QTest::newRow("empty a") << ""
                                 << "ab"
                                 << "++";
        QTest::newRow("empty b") << "ab"
                                 << ""
                                 << "--";
        QTest::newRow("insertion") << "abd"
                                   << "abcd"
                                   << "==+=";
        QTest::newRow("deletion") << "abcd"
                                  << "acd"
                                  << "=-==";
        QTest::newRow("replacement") << "axc"
                                     << "ayc"
                                     << "=-+=";
        // A repeated pattern: the extra rounds show as whole rounds where the repetition begins.
        QTest::newRow("loop") << "sLTLTe"
                              << "sLTLTLTLTe"
                              << "=++++=====";
        QTest::newRow("loop removed") << "sLTLTLTe"
                                      << "sLTe"
                                      << "=----===";
    }
    void alignSequences()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QString, expected);
        std::vector<std::size_t> ka;
        std::vector<std::size_t> kb;
        for (const QChar c : a)
            ka.push_back(c.unicode());
        for (const QChar c : b)
            kb.push_back(c.unicode());
        for (const std::int64_t cells : { RunComparison::MaxDiffCells, std::int64_t(0) }) {
            QString ops;
            int lastA = -1;
            int lastB = -1;
            for (const auto& [i, j] : Tracelight::alignSequences(ka, kb, cells)) {
                ops += i >= 0 && j >= 0 ? QLatin1Char('=') : i >= 0 ? QLatin1Char('-') : QLatin1Char('+');
                if (i >= 0 && j >= 0)
                    QCOMPARE(ka[std::size_t(i)], kb[std::size_t(j)]);
                // Both sides in order, each element once.
                if (i >= 0) {
                    QCOMPARE(i, lastA + 1);
                    lastA = i;
                }
                if (j >= 0) {
                    QCOMPARE(j, lastB + 1);
                    lastB = j;
                }
            }
            QCOMPARE(lastA, int(a.size()) - 1);
            QCOMPARE(lastB, int(b.size()) - 1);
            if (cells > 0) // the table gives the best alignment; the greedy fallback only a valid one
                QCOMPARE(
                    ops.size() - ops.count(QLatin1Char('=')), a.size() + b.size() - 2 * ops.count(QLatin1Char('=')));
            if (cells > 0)
                QCOMPARE(ops, expected);
        }
    }

    void twentyCallsAgainstThree()
    {
        const RunComparison c = RunComparison::compute(run(loop(3, "a")), run(loop(20, "b")));
        // root, 3 rounds, 17 extra rounds (34 steps) where the loop begins, then the answer.
        QCOMPARE(opsOf(c),
            QStringLiteral("=") + QString(34, QLatin1Char('+')) + QString(6, QLatin1Char('=')) + QStringLiteral("="));
        QCOMPARE(c.count(Op::Added), 34);
        QCOMPARE(c.firstDivergence(), 1);
        QCOMPARE(c.toolCalls().at("search").a, 3);
        QCOMPARE(c.toolCalls().at("search").b, 20);
    }

    void reorderedParallelToolsStillAlign()
    {
        // Run A starts lookup then fetch in parallel; run B the other way round. Same work: all same.
        const std::vector<Spec> a
            = { { "r", "", StepKind::Agent, "agent", 0, 1000 }, { "l", "r", StepKind::Llm, "plan", 10, 100, "gpt-4o" },
                  { "t1", "r", StepKind::Tool, "lookup", 200, 300 }, { "t2", "r", StepKind::Tool, "fetch", 205, 290 },
                  { "l2", "r", StepKind::Llm, "answer", 600, 100, "gpt-4o" } };
        const std::vector<Spec> b
            = { { "R", "", StepKind::Agent, "agent", 0, 1000 }, { "L", "R", StepKind::Llm, "plan", 10, 100, "gpt-4o" },
                  { "T2", "R", StepKind::Tool, "fetch", 200, 300 }, { "T1", "R", StepKind::Tool, "lookup", 204, 310 },
                  { "L2", "R", StepKind::Llm, "answer", 600, 100, "gpt-4o" } };
        const RunComparison c = RunComparison::compute(run(a), run(b));
        QCOMPARE(opsOf(c), QStringLiteral("====="));
        // Steps that merely touch (sequential, a few ms of overlap) keep their order.
        const std::vector<Spec> sequential = { { "r", "", StepKind::Agent, "agent", 0, 1000 },
            { "x", "r", StepKind::Tool, "zeta", 0, 100 }, { "y", "r", StepKind::Tool, "alpha", 98, 100 } };
        const auto s = run(sequential);
        const auto order = RunComparison::comparisonOrder(*s);
        QCOMPARE(s->step(order[1]).name, std::string("zeta"));
    }

    void changedModelOrStatus()
    {
        const std::vector<Spec> a = { { "r", "", StepKind::Agent, "agent", 0, 1000 },
            { "l", "r", StepKind::Llm, "chat", 10, 100, "gpt-4o" }, { "t", "r", StepKind::Tool, "pay", 200, 100 } };
        std::vector<Spec> b = a;
        b[1].model = "gpt-4o-mini";
        b[2].error = true;
        const RunComparison c = RunComparison::compute(run(a), run(b));
        QCOMPARE(opsOf(c), QStringLiteral("=~~"));
        QCOMPARE(c.firstDivergence(), 1);
        QCOMPARE(c.modelsA(), std::vector<std::string>({ "gpt-4o" }));
        QCOMPARE(c.modelsB(), std::vector<std::string>({ "gpt-4o-mini" }));
    }

    void goodRunAgainstRetryLoop()
    {
        // resources/samples/make-retry-loop-sample.py builds the bad run from the good one by adding three rounds of
        // [chat → issue_refund (fails) → POST (fails)] after the first failed refund, 4 s each. So, by construction:
        // 9 added steps, nothing removed or changed, +3 llm calls, +3 tool calls, +6 error steps, +12 s, and the
        // tokens of three copies of chat 823600fc890fa61d (jq: 1,203 in, 86 out).
        Cache cache;
        const RunComparison c = cache.compare();
        QCOMPARE(c.count(Op::Same), 32);
        QCOMPARE(c.count(Op::Added), 9);
        QCOMPARE(c.count(Op::Removed), 0);
        QCOMPARE(c.count(Op::Changed), 0);
        const auto& first = c.alignment()[std::size_t(c.firstDivergence())];
        QCOMPARE(first.op, Op::Added);
        QCOMPARE(c.b().step(first.b).name, std::string("chat gpt-4o-mini"));
        // Right after check_refund_eligibility's SELECT: the three rounds come as one block.
        QCOMPARE(
            c.a().step(c.alignment()[std::size_t(c.firstDivergence() - 1)].a).spanId, std::string("7d6a2d36236c9d94"));
        QCOMPARE(opsOf(c).mid(c.firstDivergence(), 10), QString(9, QLatin1Char('+')) + QLatin1Char('='));
        const TraceSummary& a = c.a().summary();
        const TraceSummary& b = c.b().summary();
        QCOMPARE(b.llmCalls - a.llmCalls, 3);
        QCOMPARE(b.toolCalls - a.toolCalls, 3);
        QCOMPARE(b.errors - a.errors, 6);
        QCOMPARE(b.tokens.input - a.tokens.input, 3 * 1203);
        QCOMPARE(b.tokens.output - a.tokens.output, 3 * 86);
        QCOMPARE((b.endNs - b.startNs) - (a.endNs - a.startNs), std::int64_t(12'000'000'000));
        QCOMPARE(c.toolCalls().at("issue_refund").a, 2);
        QCOMPARE(c.toolCalls().at("issue_refund").b, 5);

        AlignmentModel alignment;
        ComparisonSummaryModel summary;
        QAbstractItemModelTester t1(&alignment, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&summary, QAbstractItemModelTester::FailureReportingMode::QtTest);
        alignment.setComparison(std::make_shared<const RunComparison>(c));
        summary.setComparison(c);
        QCOMPARE(alignment.rowCount(), 41);
        QCOMPARE(alignment.rowOfA(c.a().indexOf("dcd2a8ceac3508ff")), c.firstDivergence() + 10);
        const QStringList dump = TestUtils::dumpModel(summary, ComparisonSummaryModel::ColumnCount);
        QCOMPARE(dump.at(0), QStringLiteral("Duration | 39.4 s | 51.4 s | +12.0 s"));
        QCOMPARE(dump.at(2), QStringLiteral("LLM calls | 10 | 13 | +3"));
        QCOMPARE(dump.at(3), QStringLiteral("Tool calls | 10 | 13 | +3"));
        QCOMPARE(dump.at(7), QStringLiteral("Errors | 2 | 8 | +6"));
        QCOMPARE(
            summary.index(7, ComparisonSummaryModel::DeltaColumn).data(ComparisonSummaryModel::VerdictRole).toInt(), 1);
        QVERIFY(dump.contains(QStringLiteral("Version | 1.4.2 | 1.5.0 | ")));
    }

    void versions()
    {
        Cache cache;
        TraceStore store(cache.path().toStdString(), TraceStore::Mode::ReadOnly);
        QCOMPARE(VersionComparison::versions(store), std::vector<std::string>({ "1.4.2", "1.5.0" }));
        const VersionStats v1 = VersionComparison::stats(store, "1.4.2", "support-agent");
        const VersionStats v2 = VersionComparison::stats(store, "1.5.0");
        QCOMPARE(v1.runs, 1);
        QCOMPARE(v1.failedRuns, 1);
        QCOMPARE(v1.llmCallsPerRun, 10.0);
        QCOMPARE(v2.llmCallsPerRun, 13.0);
        QVERIFY(std::abs(v1.p50DurationMs - 39'412.969) < 0.01);
        QVERIFY(std::abs(v2.p50DurationMs - 51'412.969) < 0.01);
        // issue_refund: 2 calls, 1 failed in 1.4.2; 5 calls, 4 failed in 1.5.0.
        QCOMPARE(v1.tools.at("issue_refund").calls, 2);
        QCOMPARE(v1.tools.at("issue_refund").errors, 1);
        QCOMPARE(v2.tools.at("issue_refund").calls, 5);
        QCOMPARE(v2.tools.at("issue_refund").errors, 4);
        QCOMPARE(VersionComparison::stats(store, "1.4.2", "another-service").runs, 0);

        // The pure part over hand-made runs; percentiles interpolate between ranks (numpy's default):
        // p50 of 100, 200, 300, 400 is 250, p95 is 300 + 0.85 × 100 = 385.
        std::vector<TraceSummary> runs;
        for (const int ms : { 100, 400, 200, 300 }) {
            TraceSummary t;
            t.traceId = std::to_string(ms);
            t.startNs = ms;
            t.endNs = ms + std::int64_t(ms) * 1'000'000;
            t.errors = ms == 400;
            t.costUsd = ms / 1000.0;
            runs.push_back(t);
        }
        const VersionStats s = VersionComparison::summarize("x", runs);
        QCOMPARE(s.p50DurationMs, 250.0);
        QVERIFY(std::abs(s.p95DurationMs - 385.0) < 1e-9);
        QCOMPARE(s.errorRate, 0.25);
        QVERIFY(std::abs(*s.medianCostUsd - 0.25) < 1e-12);
        QCOMPARE(s.traceIds.front(), std::string("400"));
    }

    void wordDiff()
    {
        const auto segments = TextDiff::words(QStringLiteral("Refund $89.99 to card ending 4242."),
            QStringLiteral("Refund $98.99 to card ending 4242 now."));
        QString rendered;
        for (const auto& s : segments)
            rendered += (s.op == TextDiff::Op::Equal           ? QString()
                                : s.op == TextDiff::Op::Delete ? QStringLiteral("[-")
                                                               : QStringLiteral("{+"))
                + s.text
                + (s.op == TextDiff::Op::Equal         ? QString()
                        : s.op == TextDiff::Op::Delete ? QStringLiteral("-]")
                                                       : QStringLiteral("+}"));
        QCOMPARE(rendered, QStringLiteral("Refund $[-89-]{+98+}.99 to card ending 4242{+ now+}."));
        QCOMPARE(TextDiff::tokens(QStringLiteral("a_b  c,d")),
            QStringList({ QStringLiteral("a_b"), QStringLiteral("  "), QStringLiteral("c"), QStringLiteral(","),
                QStringLiteral("d") }));
        const QString html = DiffHtml::diff(QStringLiteral("<b>x</b>"), QStringLiteral("<script>y</script>"), false);
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(html.contains(QStringLiteral("&lt;")) && html.contains(QStringLiteral("script")));
    }

    void compareCommand()
    {
        Cache cache;
        QProcess process;
        process.start(QStringLiteral(TRACELIGHT_BINARY),
            { QStringLiteral("compare"), QStringLiteral("--db"), cache.path(), QStringLiteral("62ea"),
                QStringLiteral("b4d0"), QStringLiteral("--json") });
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const auto j = nlohmann::json::parse(process.readAllStandardOutput().toStdString());
        QCOMPARE(j["a"]["trace_id"].get<std::string>(), std::string(Cache::Good));
        QCOMPARE(j["delta"]["llm_calls"].get<int>(), 3);
        QCOMPARE(j["delta"]["tool_calls"].get<int>(), 3);
        QCOMPARE(j["delta"]["errors"].get<int>(), 6);
        QCOMPARE(j["delta"]["input_tokens"].get<int>(), 3609);
        QCOMPARE(j["delta"]["duration_ms"].get<double>(), 12000.0);
        QVERIFY(j["delta"]["cost_usd"].is_null() || j["delta"]["cost_usd"].is_number());
        QCOMPARE(j["alignment"].size(), std::size_t(41));
        QCOMPARE(j["first_divergence"]["op"].get<std::string>(), std::string("added"));
        QVERIFY(j["first_divergence"]["a"].is_null());
        QCOMPARE(j["alignment"][0]["op"].get<std::string>(), std::string("same"));
        QCOMPARE(j["alignment"][0]["a"].get<std::string>(), std::string("89f56a5310a1e470"));
        // Both runs refund the wrong customer (the same finding, other span ids); only B loops on the refund.
        QCOMPARE(j["findings"]["a"].size(), std::size_t(1));
        QCOMPARE(j["findings"]["b"].size(), std::size_t(2));
        QCOMPARE(j["findings"]["new_in_b"].size(), std::size_t(1));
        QCOMPARE(j["findings"]["new_in_b"][0]["kind"].get<std::string>(), std::string("loop"));
        QCOMPARE(j["findings"]["new_in_b"][0]["trace_id"].get<std::string>(), std::string(Cache::Bad));

        process.start(QStringLiteral(TRACELIGHT_BINARY),
            { QStringLiteral("compare"), QStringLiteral("--db"), cache.path(), QStringLiteral("--versions"),
                QStringLiteral("1.4.2"), QStringLiteral("1.5.0"), QStringLiteral("--json") });
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const auto v = nlohmann::json::parse(process.readAllStandardOutput().toStdString());
        QCOMPARE(v["v1"]["runs"].get<int>(), 1);
        QCOMPARE(v["delta"]["llm_calls_per_run"].get<double>(), 3.0);
        QCOMPARE(v["v2"]["tools"]["issue_refund"]["errors"].get<int>(), 4);

        process.start(QStringLiteral(TRACELIGHT_BINARY),
            { QStringLiteral("compare"), QStringLiteral("--db"), cache.path(), QStringLiteral("62ea"),
                QStringLiteral("ffff") });
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY(process.readAllStandardError().contains("no trace \"ffff\""));
    }

    void compareWindow()
    {
        Cache cache;
        CompareWindow window(cache.path(), QString::fromLatin1(Cache::Good), QString::fromLatin1(Cache::Bad));
        window.setAttribute(Qt::WA_DeleteOnClose, false);
        QSignalSpy loaded(&window, &CompareWindow::loaded);
        QSignalSpy shown(&window, &CompareWindow::pairShown);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // The comparison may land before the spy is set up (a finished future runs its continuation at once).
        QTRY_COMPARE_WITH_TIMEOUT(window.alignmentModel()->rowCount(), 41, 20000);
        // It opens on the first divergence, an added llm call: B's timeline selects it, A's has nothing.
        QTRY_VERIFY_WITH_TIMEOUT(!window.diffView()->toPlainText().isEmpty(), 20000);
        QCOMPARE(
            window.alignmentView()->currentIndex().row(), window.alignmentModel()->comparison()->firstDivergence());
        QCOMPARE(window.timelineA()->currentStep(), -1);
        QVERIFY(window.timelineB()->currentStep() >= 0);
        QVERIFY(window.diffView()->toPlainText().contains(QStringLiteral("(not in this run)")));
        // What B does wrong that A did not: the loop on issue_refund.
        QTRY_COMPARE_WITH_TIMEOUT(window.newFindingCount(), 1, 20000);
        QVERIFY(window.newFindingsText().contains(QStringLiteral("loop: issue_refund was called 4 times")));
        // Shared time scale: the longer run sets nanoseconds per pixel for both.
        QCOMPARE(window.timelineA()->axis().nsPerPixel(), window.timelineB()->axis().nsPerPixel());
        // The failed refund in both runs: a pair with a word diff of its arguments.
        const int failed
            = window.alignmentModel()->rowOfA(window.alignmentModel()->comparison()->a().indexOf("dcd2a8ceac3508ff"));
        window.selectPair(failed);
        QTRY_VERIFY(window.diffView()->toPlainText().contains(QStringLiteral("Tool arguments (identical)")));
        QApplication::processEvents();
        QVERIFY(window.grab().save(QCoreApplication::applicationDirPath() + QStringLiteral("/tracelight-compare.png")));
    }
};

QTEST_MAIN(CompareTest)
#include "tst_compare.moc"
