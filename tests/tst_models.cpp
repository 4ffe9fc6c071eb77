#include "testutils.h"

#include <attributeview.h>
#include <fileimport.h>
#include <format.h>
#include <modelroles.h>
#include <sessiongroupmodel.h>
#include <steptreemodel.h>
#include <tracefilterproxymodel.h>
#include <tracelistmodel.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

using namespace Tracelight;

namespace {

StepRecord record(const char* id, const char* parent, StepKind kind, const char* name, std::int64_t start,
    std::int64_t end, const char* detail = "")
{
    // Strings are built, not assigned from const char*: GCC 12 at -O3 warns falsely on that (PR 105651).
    StepRecord s;
    s.spanId = std::string(id);
    s.parentId = std::string(parent);
    s.kind = kind;
    s.name = std::string(name);
    s.startNs = 1'000'000'000 + start; // a start of 0 means "unknown"
    s.endNs = 1'000'000'000 + end;
    (kind == StepKind::Tool ? s.toolName : s.model) = std::string(detail);
    return s;
}

TraceSummary summary(const char* id, const char* name, const char* service, const char* version, int errors)
{
    TraceSummary t;
    t.traceId = std::string(id);
    t.name = std::string(name);
    t.service = std::string(service);
    t.version = std::string(version);
    t.errors = errors;
    t.startNs = 1000;
    t.endNs = 2000;
    return t;
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT
private slots:
    // The attribute tree and the importers share one AnyValue conversion: both OTLP spellings, NaN kept as text,
    // and, for the tree only, a plain value that is no AnyValue kept as it is.
    void anyValueConversion_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("camelCase int") << QStringLiteral(R"({"intValue":"42"})") << QStringLiteral("42");
        QTest::newRow("snake_case int") << QStringLiteral(R"({"int_value":"42"})") << QStringLiteral("42");
        QTest::newRow("NaN stays text") << QStringLiteral(R"({"doubleValue":"NaN"})") << QStringLiteral(R"("NaN")");
        QTest::newRow("snake_case list") << QStringLiteral(
            R"({"kvlist_value":{"values":[{"key":"a","value":{"bool_value":true}}]}})")
                                         << QStringLiteral(R"({"a":true})");
        QTest::newRow("array") << QStringLiteral(R"({"arrayValue":{"values":[{"stringValue":"x"},{"intValue":1}]}})")
                               << QStringLiteral(R"(["x",1])");
        QTest::newRow("plain object kept") << QStringLiteral(R"({"customer":"cus_1","amount":5})")
                                           << QStringLiteral(R"({"amount":5,"customer":"cus_1"})");
        QTest::newRow("plain string kept") << QStringLiteral(R"("text")") << QStringLiteral(R"("text")");
        QTest::newRow("empty AnyValue") << QStringLiteral("{}") << QStringLiteral("null");
    }
    void anyValueConversion()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const auto value = nlohmann::json::parse(input.toStdString());
        QCOMPARE(QString::fromStdString(Tracelight::AttributeView::fromAnyValueOrPlain(value).dump()), expected);
    }

    void stepTreeOfHandBuiltTrace()
    {
        // An agent with an llm call and a tool that has a child, an orphan whose parent never arrived, and two
        // steps whose parent links form a cycle. Steps arrive in start order, as the cache returns them.
        std::vector<StepRecord> steps {
            record("a", "", StepKind::Agent, "invoke_agent triage", 0, 10'000'000),
            record("b", "a", StepKind::Llm, "chat", 1'000'000, 3'000'000, "gpt-4o"),
            record("c", "a", StepKind::Tool, "execute_tool lookup", 3'000'000, 5'000'000, "lookup"),
            record("d", "c", StepKind::Other, "SELECT", 3'500'000, 4'500'000),
            record("x", "missing", StepKind::Chain, "orphan", 6'000'000, 7'000'000),
            record("p", "q", StepKind::Other, "cycle p", 8'000'000, 9'000'000),
            record("q", "p", StepKind::Other, "cycle q", 8'500'000, 9'000'000),
        };
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(TraceSnapshot::build(TraceSummary {}, steps));
        const QStringList expected {
            QStringLiteral("invoke_agent triage | Agent | +0 ms | 10.0 ms | "),
            QStringLiteral("  chat | gpt-4o | +1.00 ms | 2.00 ms | "),
            QStringLiteral("  execute_tool lookup | lookup | +3.00 ms | 2.00 ms | "),
            QStringLiteral("    SELECT | Span | +3.50 ms | 1.00 ms | "),
            QStringLiteral("orphan | Chain | +6.00 ms | 1.00 ms | "),
            QStringLiteral("cycle q | Span | +8.50 ms | 500 µs | "),
            QStringLiteral("  cycle p | Span | +8.00 ms | 1.00 ms | "),
        };
        QCOMPARE(TestUtils::dumpModel(model, StepTreeModel::ColumnCount), expected);
        const auto& snapshot = *model.snapshot();
        QCOMPARE(snapshot.brokenCycles(), 1);
        // Causal order: depth first, children by start.
        std::vector<std::string> order;
        for (const int i : snapshot.causalOrder())
            order.push_back(snapshot.step(i).spanId);
        QCOMPARE(order, (std::vector<std::string> { "a", "b", "c", "d", "x", "q", "p" }));
        QCOMPARE(snapshot.owningAgent(3), 0);
        QCOMPARE(snapshot.owningAgent(4), -1);
        const QModelIndex d = model.indexForStep(3);
        QCOMPARE(d.data(DepthRole).toInt(), 2);
        QCOMPARE(model.parent(d), model.indexForStep(2));
        model.setSnapshot(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void stepTreeOfRealTrace()
    {
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("m.sqlite")).toStdString());
        TraceWriter writer(store);
        QVERIFY(importFile(TestUtils::samplePath().toStdString(), writer).ok());
        const TraceSummary t = store.traces().front();
        StepTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot(TraceSnapshot::build(t, store.steps(t.traceId)));
        const QStringList dump = TestUtils::dumpModel(model, 2);
        QCOMPARE(dump.size(), 32);
        QCOMPARE(dump.front(), QStringLiteral("invoke_agent triage | gpt-4o"));
        QVERIFY(dump.contains(QStringLiteral("  invoke_agent refunds | gpt-4o-mini")));
        QVERIFY(dump.contains(QStringLiteral("    execute_tool issue_refund | issue_refund")));
    }

    void traceListUpdatesInPlace()
    {
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateTraces(
            { summary("t1", "first run", "svc-a", "1.0", 0), summary("t2", "second run", "svc-b", "2.0", 3) });
        QCOMPARE(model.rowCount(), 2);
        QPersistentModelIndex second = model.index(model.rowOf("t2"), 0);
        // t1 leaves, t2 changes, t3 arrives: t2's row survives (a view keeps its selection).
        model.updateTraces(
            { summary("t2", "second run (grown)", "svc-b", "2.0", 4), summary("t3", "third", "svc-a", "1.1", 0) });
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(second.isValid());
        QCOMPARE(second.data().toString(), QStringLiteral("second run (grown)"));
        QCOMPARE(model.index(second.row(), TraceListModel::ErrorsColumn).data().toString(), QStringLiteral("4"));
        QCOMPARE(model.rowOf("t1"), -1);

        TraceFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(TraceListModel::NameColumn);
        QCOMPARE(TestUtils::dumpModel(proxy, 3),
            (QStringList {
                QStringLiteral("second run (grown) | svc-b | 2.0"), QStringLiteral("third | svc-a | 1.1") }));
        proxy.setStatus(TraceFilterProxyModel::StatusFilter::WithErrors);
        QCOMPARE(TestUtils::dumpModel(proxy, 1), QStringList { QStringLiteral("second run (grown)") });
        proxy.setStatus(TraceFilterProxyModel::StatusFilter::Any);
        proxy.setService(QStringLiteral("svc-a"));
        QCOMPARE(TestUtils::dumpModel(proxy, 1), QStringList { QStringLiteral("third") });
        proxy.setService({});
        proxy.setText(QStringLiteral("t2"));
        QCOMPARE(TestUtils::dumpModel(proxy, 1), QStringList { QStringLiteral("second run (grown)") });
        proxy.setText({});
        proxy.setVersion(QStringLiteral("1.1"));
        QCOMPARE(proxy.rowCount(), 1);
    }

    // Runs that share a session become one row with a turn each, in the order they started; the session row sums
    // them; filters and sorting pass through; a live change that moves a run into a session keeps the selection.
    void sessionGrouping()
    {
        TraceListModel model;
        TraceFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        SessionGroupModel groups(&model);
        QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        groups.setSourceModel(&proxy);
        const auto run = [](const char* id, const char* session, std::int64_t start, int errors, double cost) {
            TraceSummary t = summary(id, id, "svc", "1.0", errors);
            t.sessionId = std::string(session);
            t.startNs = start;
            t.endNs = start + 500;
            t.spans = 10;
            t.costUsd = cost;
            t.costSource = CostSource::Computed;
            return t;
        };
        model.updateTraces({ run("b2", "conv-b", 3000, 0, 0.5), run("a1", "conv-a", 1000, 1, 0.25),
            run("solo", "", 2500, 0, 1.0), run("b1", "conv-b", 2000, 2, 0.25), run("a2", "conv-a", 1500, 0, 0.25),
            run("c1", "conv-c", 4000, 0, 0.1) });
        proxy.sort(TraceListModel::StartColumn, Qt::DescendingOrder);
        // Newest first at the top level: conv-c has one run (a row of its own), conv-b's newest turn is the newest
        // run then; turns in the order they started.
        QCOMPARE(TestUtils::dumpModel(groups, 1),
            (QStringList { QStringLiteral("c1"), QStringLiteral("b1 — session of 2 turns"),
                QStringLiteral("  Turn 1 · b1"), QStringLiteral("  Turn 2 · b2"), QStringLiteral("solo"),
                QStringLiteral("a1 — session of 2 turns"), QStringLiteral("  Turn 1 · a1"),
                QStringLiteral("  Turn 2 · a2") }));
        const QModelIndex b = groups.index(1, 0);
        QVERIFY(groups.isSession(b));
        QCOMPARE(b.siblingAtColumn(TraceListModel::SessionColumn).data().toString(), QStringLiteral("conv-b"));
        QCOMPARE(b.siblingAtColumn(TraceListModel::ErrorsColumn).data().toString(), QStringLiteral("2"));
        QCOMPARE(b.siblingAtColumn(TraceListModel::SpansColumn).data().toString(), QStringLiteral("20"));
        QCOMPARE(b.siblingAtColumn(TraceListModel::CostColumn).data().toString(), QStringLiteral("$0.7500"));
        QCOMPARE(b.siblingAtColumn(TraceListModel::DurationColumn).data().toString(), Format::duration(1500));
        QVERIFY(b.data(TraceIdRole).toString().isEmpty());
        QCOMPARE(groups.index(0, 0, b).data(TraceIdRole).toString(), QStringLiteral("b1"));
        QCOMPARE(groups.mapToSource(groups.index(0, 0, b)).data(TraceIdRole).toString(), QStringLiteral("b1"));
        QCOMPARE(groups.mapFromSource(proxy.index(0, 0)), groups.index(0, 0));

        // A live refresh: solo joins conv-a, b1 grows. The selection (a persistent index on b1) follows.
        QPersistentModelIndex b1 = groups.index(0, 0, b);
        QPersistentModelIndex sessionA = groups.index(3, 0);
        QVERIFY(groups.isSession(sessionA));
        TraceSummary joined = run("solo", "conv-a", 2500, 0, 1.0);
        TraceSummary grown = run("b1", "conv-b", 2000, 3, 0.25);
        model.upsertTraces({ joined, grown });
        QVERIFY(b1.isValid());
        QCOMPARE(b1.data(TraceIdRole).toString(), QStringLiteral("b1"));
        QCOMPARE(b1.parent().siblingAtColumn(TraceListModel::ErrorsColumn).data().toString(), QStringLiteral("3"));
        QVERIFY(sessionA.isValid());
        QCOMPARE(groups.rowCount(sessionA), 3);
        QCOMPARE(groups.index(2, 0, sessionA).data(TraceIdRole).toString(), QStringLiteral("solo"));

        // A filter that leaves one run of a session: it is a row of its own.
        proxy.setText(QStringLiteral("b2"));
        QCOMPARE(TestUtils::dumpModel(groups, 1), QStringList { QStringLiteral("b2") });
        QVERIFY(!b1.isValid());
        proxy.setText({});
        // Sorting the grouped view sorts its source.
        groups.sort(TraceListModel::NameColumn, Qt::AscendingOrder);
        QCOMPARE(groups.index(0, 0).data().toString(), QStringLiteral("a1 — session of 3 turns")); // a1 sorts first
        // Off: the list as the source has it.
        groups.setGrouping(false);
        QCOMPARE(groups.rowCount(), 6);
        QCOMPARE(groups.index(0, 0).data().toString(), QStringLiteral("a1"));
        groups.setGrouping(true);
        QCOMPARE(groups.rowCount(), 3);
    }

    // Inspect AI logs: the samples of one eval are runs of one session (the eval's run_id), read here from the files.
    void sessionGroupingOfInspectEvals()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        QTemporaryDir dir;
        TraceStore store(dir.filePath(QStringLiteral("inspect.sqlite")).toStdString());
        std::map<QString, int> expected; // run_id → samples
        for (const char* name : { "inspect-ai-evallog-security-guide.json", "inspect-json-popularity-cancelled.json",
                 "inspect-ai-evallog-browser-agent.json" }) {
            const QString path = TestUtils::corpusDir() + QStringLiteral("/other/") + QLatin1String(name);
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QJsonObject log = QJsonDocument::fromJson(file.readAll()).object();
            expected[log[QStringLiteral("eval")][QStringLiteral("run_id")].toString()]
                += int(log[QStringLiteral("samples")].toArray().size());
            TraceWriter writer(store);
            QVERIFY(importFile(path.toStdString(), writer).ok());
        }
        TraceListModel model;
        model.updateTraces(store.traces());
        TraceFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        SessionGroupModel groups(&model);
        QAbstractItemModelTester tester(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        groups.setSourceModel(&proxy);
        std::map<QString, int> actual;
        for (int row = 0; row < groups.rowCount(); ++row) {
            const QModelIndex index = groups.index(row, 0);
            if (groups.isSession(index))
                actual[index.siblingAtColumn(TraceListModel::SessionColumn).data().toString()] = groups.rowCount(index);
            else
                actual[index.siblingAtColumn(TraceListModel::SessionColumn).data().toString()] += 1;
        }
        QVERIFY(expected.size() == 3);
        QVERIFY2(actual == expected, qPrintable(TestUtils::dumpModel(groups, 1).join(QLatin1Char('\n'))));
        QVERIFY(std::count_if(expected.begin(), expected.end(), [](const auto& e) { return e.second >= 3; }) == 2);
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
