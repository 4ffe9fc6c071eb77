// The agent graph: its data from real traces against an independent reading of the files, its layout (Graphviz's)
// at the size the issue asks for, the difference of two versions, and the panel in the window.
#include "testutils.h"

#include <agentgraph.h>
#include <agentgraphpanel.h>
#include <fileimport.h>
#include <graphrenderer.h>
#include <graphview.h>
#include <mainwindow.h>
#include <steptreemodel.h>
#include <timelinepanel.h>
#include <timelineview.h>
#include <tracesnapshot.h>
#include <tracestore.h>
#include <tracewriter.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <algorithm>
#include <map>

using namespace Tracelight;

namespace {

std::vector<TraceSnapshotPtr> importSnapshots(const QString& db, const QStringList& files)
{
    TraceStore store(db.toStdString());
    {
        TraceWriter writer(store);
        for (const QString& file : files)
            if (!importFile(file.toStdString(), writer).ok())
                qFatal("cannot import %s", qPrintable(file));
    }
    std::vector<TraceSnapshotPtr> runs;
    for (const TraceSummary& trace : store.traces())
        runs.push_back(TraceSnapshot::build(trace, store.steps(trace.traceId)));
    return runs;
}

std::map<std::string, std::int64_t> edgeCounts(const AgentGraph& graph)
{
    std::map<std::string, std::int64_t> counts;
    for (const AgentGraph::Edge& e : graph.edges())
        counts[e.from + " " + e.kind + " " + e.to] += e.count;
    return counts;
}

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(file.readAll()).object();
}

// An OTLP JSON file's spans whose attribute `key` has the string `value`, counted without Tracelight's importer.
int countSpans(const QString& path, const QString& key, const QString& value)
{
    int count = 0;
    for (const QJsonValue& rs : readJson(path)[QStringLiteral("resourceSpans")].toArray())
        for (const QJsonValue& ss : rs[QStringLiteral("scopeSpans")].toArray())
            for (const QJsonValue& span : ss[QStringLiteral("spans")].toArray())
                for (const QJsonValue& a : span[QStringLiteral("attributes")].toArray())
                    count += a[QStringLiteral("key")].toString() == key
                        && a[QStringLiteral("value")][QStringLiteral("stringValue")].toString() == value;
    return count;
}

bool overlaps(const QRectF& a, const QRectF& b)
{
    return a.intersected(b).width() > 0.5 && a.intersected(b).height() > 0.5;
}

} // namespace

class TestAgentGraph : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("TracelightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_agentgraph"));
    }

    // A Langfuse export of an OpenAI Agents SDK run (OpenInference): the edges counted from the observations
    // themselves — each AGENT, GENERATION and TOOL observation is called by its nearest AGENT ancestor (the run when
    // none) — are the graph's.
    void langfuseOpenAiAgentsMatchesTheObservations()
    {
        if (!TestUtils::haveCorpus())
            QSKIP("no corpus");
        const QString path = TestUtils::corpusDir() + QStringLiteral("/langfuse/openai-agents-2025-09-30.trace.json");
        std::map<QString, QJsonObject> byId;
        const QJsonArray observations = readJson(path)[QStringLiteral("observations")].toArray();
        for (const QJsonValue& o : observations)
            byId[o[QStringLiteral("id")].toString()] = o.toObject();
        std::map<std::string, std::int64_t> expected;
        for (const QJsonValue& o : observations) {
            const QString type = o[QStringLiteral("type")].toString();
            QString callee;
            if (type == QLatin1String("AGENT"))
                callee = QStringLiteral("agent:") + o[QStringLiteral("name")].toString();
            else if (type == QLatin1String("GENERATION"))
                callee = QStringLiteral("model:") + o[QStringLiteral("model")].toString();
            else if (type == QLatin1String("TOOL"))
                callee = QStringLiteral("tool:") + o[QStringLiteral("name")].toString();
            else
                continue;
            QString caller = QStringLiteral("run");
            for (QString parent = o[QStringLiteral("parentObservationId")].toString(); byId.count(parent);
                 parent = byId[parent][QStringLiteral("parentObservationId")].toString()) {
                if (byId[parent][QStringLiteral("type")].toString() == QLatin1String("AGENT")) {
                    caller = QStringLiteral("agent:") + byId[parent][QStringLiteral("name")].toString();
                    break;
                }
            }
            ++expected[QString(caller + QStringLiteral(" call ") + callee).toStdString()];
        }
        QCOMPARE(int(expected.size()), 4); // run → workflow → Hello world → the model (×2) and get_weather

        const auto runs = importSnapshots(m_dir.filePath(QStringLiteral("langfuse.sqlite")), { path });
        QCOMPARE(int(runs.size()), 1);
        AgentGraph graph;
        graph.add(*runs.front());
        const auto actual = edgeCounts(graph);
        if (actual != expected) {
            for (const auto& [key, n] : actual)
                qWarning("actual   %s ×%lld", key.c_str(), static_cast<long long>(n));
            for (const auto& [key, n] : expected)
                qWarning("expected %s ×%lld", key.c_str(), static_cast<long long>(n));
        }
        QVERIFY(actual == expected);
        for (const AgentGraph::Node& n : graph.nodes())
            if (n.id == "model:gpt-4.1-2025-04-14")
                QCOMPARE(n.calls, std::int64_t(2));
    }

    // 50 agents in a chain of handoffs, each with 4 tools of its own and a model: nothing overlaps, every edge is
    // routed with its arrow, and the same graph gets the same picture.
    void fiftyAgentsAndTwoHundredTools()
    {
        GraphLayout::Input input;
        const auto node = [&](const std::string& kind, const std::string& name, std::int64_t ns) {
            AgentGraph::Node n;
            n.id = kind == "run" ? kind : kind + ':' + name;
            n.kind = kind;
            n.name = name;
            n.calls = 3;
            n.durationNs = ns;
            input.nodes.push_back(n);
            return n.id;
        };
        const auto edge = [&](const std::string& from, const std::string& to, const char* kind, int count) {
            AgentGraph::Edge e;
            e.from = from;
            e.to = to;
            e.kind = kind;
            e.count = count;
            e.durationsNs.assign(std::size_t(count), 120000000);
            input.edges.push_back(e);
        };
        const std::string run = node("run", "run", 0);
        std::string previous = run;
        for (int a = 0; a < 50; ++a) {
            const std::string agent
                = node("agent", "agent_" + std::to_string(a) + "_with_a_long_name", (a + 1) * 1000000000LL);
            edge(previous, agent, a == 0 ? "call" : "handoff", 1 + a % 3);
            const std::string model = node("model", "model-" + std::to_string(a % 5), 500000000);
            edge(agent, model, "call", 2 + a % 4);
            for (int t = 0; t < 4; ++t)
                edge(agent, node("tool", "tool_" + std::to_string(a) + "_" + std::to_string(t), 40000000), "call",
                    1 + t);
            previous = agent;
        }
        // The five models appear ten times each above: one node each.
        std::vector<AgentGraph::Node> unique;
        for (const AgentGraph::Node& n : input.nodes)
            if (std::none_of(unique.begin(), unique.end(), [&](const AgentGraph::Node& u) { return u.id == n.id; }))
                unique.push_back(n);
        input.nodes = unique;
        QCOMPARE(int(input.nodes.size()), 1 + 50 + 5 + 200);

        GraphLayout::Options options;
        options.font = QApplication::font();
        std::string error;
        const GraphLayoutPtr layout = GraphLayout::build(input, options, &error);
        QVERIFY2(error.empty(), error.c_str());
        const auto& nodes = layout->nodes();
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            QVERIFY(layout->bounds().contains(nodes[i].rect));
            for (std::size_t j = i + 1; j < nodes.size(); ++j)
                QVERIFY2(!overlaps(nodes[i].rect, nodes[j].rect),
                    qPrintable(QStringLiteral("%1 overlaps %2").arg(nodes[i].title, nodes[j].title)));
        }
        int labelsOnNodes = 0;
        for (const GraphLayout::EdgeRoute& route : layout->edges()) {
            QVERIFY(!route.path.isEmpty());
            QCOMPARE(route.arrow.size(), 3);
            // The curve starts at its caller and its arrow ends at its callee.
            const QRectF from = nodes[std::size_t(route.from)].rect.adjusted(-3, -3, 3, 3);
            const QRectF to = nodes[std::size_t(route.to)].rect.adjusted(-3, -3, 3, 3);
            QVERIFY(from.contains(route.path.pointAtPercent(0)));
            QVERIFY(to.contains(route.arrow.front()));
            for (const GraphLayout::NodeBox& box : nodes)
                labelsOnNodes += overlaps(route.labelRect, box.rect);
        }
        QCOMPARE(labelsOnNodes, 0);
        // Larger by time: the last agent (50 s) is drawn larger than the first (1 s).
        const auto agent = [&](int a) {
            for (std::size_t i = 0; i < nodes.size(); ++i)
                if (layout->input().nodes[i].name == "agent_" + std::to_string(a) + "_with_a_long_name")
                    return nodes[i].rect;
            return QRectF();
        };
        QVERIFY(agent(49).height() > agent(0).height() * 1.3);

        const GraphLayoutPtr again = GraphLayout::build(input, options);
        for (std::size_t i = 0; i < nodes.size(); ++i)
            QCOMPARE(again->nodes()[i].rect, nodes[i].rect);
        const QString png = QStringLiteral("%1/tracelight-graph-250.png").arg(QCoreApplication::applicationDirPath());
        QString writeError;
        QVERIFY2(GraphRenderer::write(*layout, png, false, 0.5, &writeError), qPrintable(writeError));
        QVERIFY(!QImage(png).isNull());
    }

    // Names are untrusted: a bidi override, a line break and Graphviz's own escapes stay inert text on screen and
    // never reach Graphviz.
    void hostileNamesStayInert()
    {
        GraphLayout::Input input;
        AgentGraph::Node run;
        run.id = run.kind = run.name = "run";
        AgentGraph::Node tool;
        tool.kind = "tool";
        tool.name = std::string("evil\xE2\x80\xAE") + "gpj.exe\n\\N\\G\" ]; x -> y";
        tool.id = "tool:" + tool.name;
        tool.calls = 1;
        input.nodes = { run, tool };
        AgentGraph::Edge edge;
        edge.from = "run";
        edge.to = tool.id;
        edge.kind = "call";
        edge.count = 1;
        edge.durationsNs = { 1000 };
        input.edges = { edge };
        GraphLayout::Options options;
        options.font = QApplication::font();
        std::string error;
        const GraphLayoutPtr layout = GraphLayout::build(input, options, &error);
        QVERIFY2(error.empty(), error.c_str());
        const QString title = layout->nodes()[1].title;
        QVERIFY(!title.contains(QChar(0x202E)));
        QVERIFY(!title.contains(QLatin1Char('\n')));
        QVERIFY2(title.contains(QStringLiteral("U+202E")), qPrintable(title));
        QVERIFY(!layout->edges()[0].path.isEmpty());
    }

    // Version 1.5.0 of the sample agent retries its refund: against 1.4.2 the graph shows issue_refund called more
    // often per run; counts from the OTLP files read here, not by the importer.
    void differenceOfTwoVersions()
    {
        const QString before = TestUtils::samplePath();
        const QString after
            = TestUtils::sourceDir() + QStringLiteral("/resources/samples/refund-agent-retry-loop.otlp.json");
        const auto runs = importSnapshots(m_dir.filePath(QStringLiteral("versions.sqlite")), { before, after });
        QCOMPARE(int(runs.size()), 2);
        AgentGraph old;
        AgentGraph now;
        for (const TraceSnapshotPtr& run : runs)
            (run->summary().version == "1.4.2" ? old : now).add(*run);
        QCOMPARE(old.runs(), 1);
        QCOMPARE(now.runs(), 1);
        const int refundsBefore
            = countSpans(before, QStringLiteral("gen_ai.tool.name"), QStringLiteral("issue_refund"));
        const int refundsAfter = countSpans(after, QStringLiteral("gen_ai.tool.name"), QStringLiteral("issue_refund"));
        QVERIFY(refundsAfter >= refundsBefore * 1.25);
        const AgentGraph::Diff diff = AgentGraph::diff(old, now);
        bool seen = false;
        for (const AgentGraph::EdgeChange& c : diff.edges) {
            if (c.edge.to != "tool:issue_refund")
                continue;
            seen = true;
            QCOMPARE(c.countBefore, std::int64_t(refundsBefore));
            QCOMPARE(c.countAfter, std::int64_t(refundsAfter));
            QCOMPARE(c.change, std::string("more"));
        }
        QVERIFY(seen);
        // The run → triage edge is the same in both.
        for (const AgentGraph::EdgeChange& c : diff.edges)
            if (c.edge.from == "run")
                QCOMPARE(c.change, std::string());
        GraphLayout::Options options;
        options.font = QApplication::font();
        const GraphLayoutPtr layout = GraphLayout::build(GraphLayout::Input::of(diff), options);
        QCOMPARE(layout->edges().size(), diff.edges.size());
        QVERIFY(std::any_of(layout->edges().begin(), layout->edges().end(), [](const GraphLayout::EdgeRoute& r) {
            return r.change == "more" && r.label.contains(QStringLiteral("→"));
        }));
    }

    // The Agent graph tab of the window: the open run's graph; an edge clicked lists its steps, marks them in the
    // timeline, and a step activated is selected in the tree; export as SVG, PNG and DOT.
    void panelInTheWindow()
    {
        MainWindow window(m_dir.filePath(QStringLiteral("gui.sqlite")));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::traceLoaded);
        window.openFiles({ TestUtils::samplePath() });
        QVERIFY(loaded.wait(20000));
        AgentGraphPanel* panel = window.agentGraph();
        QAbstractItemModelTester tester(panel->stepModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy shown(panel, &AgentGraphPanel::graphShown);
        QTabWidget* tabs = nullptr;
        for (QTabWidget* candidate : window.findChildren<QTabWidget*>())
            if (candidate->indexOf(panel) >= 0)
                tabs = candidate;
        QVERIFY(tabs);
        tabs->setCurrentWidget(panel); // laid out when first shown
        QVERIFY(shown.wait(20000));
        GraphView* view = panel->view();
        const GraphLayoutPtr layout = view->graphLayout();
        QVERIFY(layout);
        int refund = -1;
        for (std::size_t i = 0; i < layout->edges().size(); ++i)
            if (layout->input().edges[i].to == "tool:issue_refund")
                refund = int(i);
        QVERIFY(refund >= 0);

        view->selectEdge(refund);
        QCOMPARE(view->selectedEdge(), refund);
        QCOMPARE(panel->stepModel()->rowCount(), 2); // two refund attempts, one declined
        int errors = 0;
        for (int row = 0; row < 2; ++row)
            errors += panel->stepModel()->index(row, AgentGraphPanel::StepStatusColumn).data().toString()
                == QStringLiteral("error");
        QCOMPARE(errors, 1);
        const auto marks = window.timelinePanel()->view()->matches();
        QVERIFY(marks);
        QCOMPARE(int(std::count(marks->begin(), marks->end(), 1)), 2);

        // Tab moves to the next edge; Escape clears.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Escape);
        QCOMPARE(view->selectedEdge(), -1);
        QCOMPARE(panel->stepModel()->rowCount(), 0);
        QVERIFY(!window.timelinePanel()->view()->matches());
        QTest::keyClick(view, Qt::Key_Tab);
        QCOMPARE(view->selectedEdge(), 0);
        QVERIFY(panel->stepModel()->rowCount() > 0);

        // A mouse click on the refund edge's label selects it.
        QTest::keyClick(view, Qt::Key_0);
        const QPointF label = layout->edges()[std::size_t(refund)].labelRect.center();
        const QPoint at = (label * view->zoom()).toPoint()
            + QPoint(int((view->width() - layout->bounds().width() * view->zoom()) / 2),
                int((view->height() - layout->bounds().height() * view->zoom()) / 2));
        QTest::mouseClick(view, Qt::LeftButton, {}, at);
        QCOMPARE(view->selectedEdge(), refund);

        // Activating the declined attempt selects it in the step tree.
        const QModelIndex declined = [&] {
            for (int row = 0; row < panel->stepModel()->rowCount(); ++row)
                if (panel->stepModel()->index(row, AgentGraphPanel::StepStatusColumn).data().toString()
                    == QStringLiteral("error"))
                    return panel->stepModel()->index(row, 0);
            return QModelIndex();
        }();
        QVERIFY(declined.isValid());
        emit panel->stepList()->activated(declined);
        StepTreeModel* steps = window.stepTreeModel();
        QTRY_COMPARE_WITH_TIMEOUT(window.timelinePanel()->currentStep(),
            steps->snapshot()->indexOf(declined.data(AgentGraphPanel::SpanIdRole).toString().toStdString()), 5000);
        QCOMPARE(declined.data(AgentGraphPanel::SpanIdRole).toString(), QStringLiteral("dcd2a8ceac3508ff"));

        tabs->setCurrentWidget(panel);
        QApplication::processEvents();
        QVERIFY(window.grab().toImage().save(
            QStringLiteral("%1/tracelight-agent-graph.png").arg(QCoreApplication::applicationDirPath())));

        QString error;
        const QString svg = m_dir.filePath(QStringLiteral("graph.svg"));
        QVERIFY2(panel->exportTo(svg, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("issue_refund"));
        const QString png = m_dir.filePath(QStringLiteral("graph.png"));
        QVERIFY2(panel->exportTo(png, &error), qPrintable(error));
        QCOMPARE(QImage(png).size(), (layout->bounds().size() * 2).toSize());
        const QString dot = m_dir.filePath(QStringLiteral("graph.dot"));
        QVERIFY2(panel->exportTo(dot, &error), qPrintable(error));
        QFile dotFile(dot);
        QVERIFY(dotFile.open(QIODevice::ReadOnly));
        QVERIFY(dotFile.readAll().startsWith("digraph tracelight {"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestAgentGraph)
#include "tst_agentgraph.moc"
