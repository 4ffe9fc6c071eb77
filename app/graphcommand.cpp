#include "graphcommand.h"

#include "clisupport.h"
#include "statscommand.h"

#include <agentgraph.h>
#include <format.h>
#include <graphrenderer.h>
#include <statsquery.h>
#include <tracesnapshot.h>
#include <utf8.h>

#include <QFileInfo>
#include <QFontDatabase>
#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace Tracelight::Cli {

int graphCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption version(QStringLiteral("version"),
        QStringLiteral("The graph of every run of this agent version (instead of TRACE_IDs)."), QStringLiteral("V"));
    const QCommandLineOption service(
        QStringLiteral("service"), QStringLiteral("With --version: only runs of this service."), QStringLiteral("S"));
    const QCommandLineOption against(QStringLiteral("against"),
        QStringLiteral("With --version: the graph's difference from this earlier version (edges added, removed, "
                       "more or less frequent per run)."),
        QStringLiteral("V0"));
    const QCommandLineOption dot(QStringLiteral("dot"), QStringLiteral("Print Graphviz DOT (dot -Tsvg draws it)."));
    const QCommandLineOption output(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The file to write (default: standard output); a name ending in .svg or .png gets the "
                       "picture the window draws."),
        QStringLiteral("FILE"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("Pictures: light (default) or dark."),
        QStringLiteral("THEME"), QStringLiteral("light"));
    const QCommandLineOption sizeBy(QStringLiteral("size-by"),
        QStringLiteral("Pictures: node size by time (default) or cost."), QStringLiteral("time|cost"),
        QStringLiteral("time"));
    const QCommandLineOption width(
        QStringLiteral("width"), QStringLiteral("Pictures: scale to this many pixels wide."), QStringLiteral("W"));
    parser.addOptions({ version, service, against, dot, output, theme, sizeBy, width, jsonOption(), pricesOption() });
    if (!parse(parser, arguments,
            QStringLiteral("Who called whom: agents, models, tools and retrievers as nodes, calls and handoffs as "
                           "edges with counts, errors and latency, for runs or a whole agent version."),
            QStringLiteral("[TRACE_ID…]"), QStringLiteral("The runs (unique prefixes are enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const bool byVersion = parser.isSet(version);
    const QString path = parser.value(output);
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool picture = suffix == QLatin1String("svg") || suffix == QLatin1String("png");
    const bool diff = parser.isSet(against);
    if (byVersion == !parser.positionalArguments().isEmpty() || (parser.isSet(service) && !byVersion)
        || (diff && !byVersion) || (parser.isSet(dot) && parser.isSet(QStringLiteral("json")))
        || (diff && parser.isSet(dot)) || (picture && (parser.isSet(dot) || parser.isSet(QStringLiteral("json"))))) {
        err(QStringLiteral("tracelight graph: give TRACE_IDs or --version V [--service S] [--against V0], and "
                           "--json or --dot (not with --against) or -o FILE.svg|png (see tracelight graph --help)"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
    const auto runsOf = [&](const QString& v, std::vector<TraceSummary>& runs) {
        StatsFilter filter;
        filter.version = v.toStdString();
        filter.service = parser.value(service).toStdString();
        for (const std::string& id : StatsQuery(store).traceIds(filter))
            if (auto trace = store.trace(id))
                runs.push_back(std::move(*trace));
        if (runs.empty())
            err(QStringLiteral("tracelight graph: no run of version \"%1\"%2 in the cache")
                    .arg(v,
                        filter.service.empty() ? QString()
                                               : QStringLiteral(" of service \"%1\"").arg(parser.value(service))));
        return !runs.empty();
    };
    std::vector<TraceSummary> runs;
    std::vector<TraceSummary> runsBefore;
    if (byVersion && (!runsOf(parser.value(version), runs) || (diff && !runsOf(parser.value(against), runsBefore))))
        return ExitFailure;
    for (const QString& id : parser.positionalArguments()) {
        std::string error;
        auto trace = findTrace(store, id.toStdString(), error);
        if (!trace) {
            std::cerr << "tracelight graph: " << error << '\n';
            return ExitFailure;
        }
        runs.push_back(std::move(*trace));
    }
    AgentGraph graph;
    for (const TraceSummary& run : runs)
        graph.add(*TraceSnapshot::build(run, store.steps(run.traceId)));
    AgentGraph before;
    for (const TraceSummary& run : runsBefore)
        before.add(*TraceSnapshot::build(run, store.steps(run.traceId)));
    const AgentGraph::Diff changes = diff ? AgentGraph::diff(before, graph) : AgentGraph::Diff();

    if (picture) {
        int pixels = 0;
        if (parser.isSet(width)) {
            bool ok = false;
            pixels = parser.value(width).toInt(&ok);
            if (!ok || pixels < 200 || pixels > 16384) {
                err(QStringLiteral("tracelight graph: --width must be 200–16384 pixels"));
                return ExitUsage;
            }
        }
        return writeGraphPicture(diff ? GraphLayout::Input::of(changes) : GraphLayout::Input::of(graph), path,
            parser.value(theme), parser.value(sizeBy), pixels, QStringLiteral("tracelight graph"));
    }

    std::string text;
    if (diff) {
        nlohmann::json nodes = nlohmann::json::array();
        for (const AgentGraph::NodeChange& c : changes.nodes)
            nodes.push_back({ { "id", c.node.id }, { "kind", c.node.kind }, { "name", c.node.name },
                { "calls_before", c.callsBefore }, { "calls", c.callsAfter }, { "change", c.change } });
        nlohmann::json edges = nlohmann::json::array();
        for (const AgentGraph::EdgeChange& c : changes.edges)
            edges.push_back({ { "from", c.edge.from }, { "to", c.edge.to }, { "kind", c.edge.kind },
                { "count_before", c.countBefore }, { "count", c.countAfter }, { "per_run_before", c.perRunBefore },
                { "per_run", c.perRunAfter }, { "change", c.change } });
        if (parser.isSet(QStringLiteral("json"))) {
            text = nlohmann::json { { "version", parser.value(version).toStdString() },
                { "against", parser.value(against).toStdString() }, { "runs", changes.runsAfter },
                { "runs_before", changes.runsBefore }, { "nodes", nodes }, { "edges", edges } }
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                + '\n';
        } else {
            text = QStringLiteral("%1 (%2 runs) against %3 (%4 runs)\n")
                       .arg(parser.value(version))
                       .arg(changes.runsAfter)
                       .arg(parser.value(against))
                       .arg(changes.runsBefore)
                       .toStdString();
            for (const AgentGraph::EdgeChange& c : changes.edges) {
                // One arg() call: a %1 in a name is text, not a place for the next value.
                text += QStringLiteral("%1 %2 %3  %4 → %5 a run%6\n")
                            .arg(Format::fromUtf8(Utf8::inertLine(c.edge.from, 200)),
                                c.edge.kind == "handoff" ? QStringLiteral("=>") : QStringLiteral("->"),
                                Format::fromUtf8(Utf8::inertLine(c.edge.to, 200)),
                                QString::number(c.perRunBefore, 'g', 3), QString::number(c.perRunAfter, 'g', 3),
                                c.change.empty() ? QString() : QStringLiteral("  ") + Format::fromUtf8(c.change))
                            .toStdString();
            }
        }
    } else if (parser.isSet(dot)) {
        text = graph.dot();
    } else if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::json nodes = nlohmann::json::array();
        for (const AgentGraph::Node& n : graph.nodes())
            nodes.push_back({ { "id", n.id }, { "kind", n.kind }, { "name", n.name }, { "calls", n.calls },
                { "errors", n.errors }, { "duration_ns", n.durationNs },
                { "cost_usd", n.costUsd ? nlohmann::json(*n.costUsd) : nlohmann::json() } });
        nlohmann::json edges = nlohmann::json::array();
        for (const AgentGraph::Edge& e : graph.edges())
            edges.push_back({ { "from", e.from }, { "to", e.to }, { "kind", e.kind }, { "count", e.count },
                { "errors", e.errors }, { "p50_ns", e.p50Ns() }, { "p95_ns", e.p95Ns() } });
        nlohmann::json traceIds = nlohmann::json::array();
        for (const TraceSummary& run : runs)
            traceIds.push_back(run.traceId);
        text = nlohmann::json { { "runs", graph.runs() }, { "trace_ids", traceIds }, { "nodes", nodes },
            { "edges", edges } }
                   .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            + '\n';
    } else {
        text = std::to_string(graph.runs()) + (graph.runs() == 1 ? " run\n" : " runs\n");
        for (const AgentGraph::Edge& e : graph.edges()) {
            text += QStringLiteral("%1 %2 %3  ×%4  %5 errors  p50 %6  p95 %7\n")
                        .arg(Format::fromUtf8(Utf8::inertLine(e.from, 200)),
                            e.kind == "handoff" ? QStringLiteral("=>") : QStringLiteral("->"),
                            Format::fromUtf8(Utf8::inertLine(e.to, 200)), QString::number(e.count),
                            QString::number(e.errors), Format::duration(e.p50Ns()), Format::duration(e.p95Ns()))
                        .toStdString();
        }
    }
    if (path.isEmpty() || path == QLatin1String("-")) {
        std::cout << text;
        return std::cout ? ExitOk : ExitFailure;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) < 0 || !file.commit()) {
        err(QStringLiteral("tracelight graph: cannot write %1: %2").arg(path, file.errorString()));
        return ExitFailure;
    }
    if (diff)
        std::cout << path.toStdString() << ": " << changes.nodes.size() << " nodes, " << changes.edges.size()
                  << " edges\n";
    else
        std::cout << path.toStdString() << ": " << graph.nodes().size() << " nodes, " << graph.edges().size()
                  << " edges of " << graph.runs() << (graph.runs() == 1 ? " run\n" : " runs\n");
    return ExitOk;
}

int writeGraphPicture(const GraphLayout::Input& input, const QString& file, const QString& theme, const QString& sizeBy,
    int width, const QString& command)
{
    if ((theme != QLatin1String("light") && theme != QLatin1String("dark"))
        || (sizeBy != QLatin1String("time") && sizeBy != QLatin1String("cost"))) {
        err(QStringLiteral("%1: --theme is light or dark, --size-by time or cost").arg(command));
        return ExitUsage;
    }
    GraphLayout::Options options;
    options.font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    options.sizeBy = sizeBy == QLatin1String("cost") ? GraphLayout::SizeBy::Cost : GraphLayout::SizeBy::Time;
    std::string problem;
    const GraphLayoutPtr layout = GraphLayout::build(input, options, &problem);
    if (!problem.empty())
        err(QStringLiteral("%1: the layout failed (%2); nodes are drawn in rows")
                .arg(command, Format::fromUtf8(problem)));
    const double scale = width > 0 ? double(width) / std::max(layout->bounds().width(), 1.0) : 1.0;
    QString error;
    if (!GraphRenderer::write(*layout, file, theme == QLatin1String("dark"), scale, &error)) {
        err(QStringLiteral("%1: %2").arg(command, error));
        return ExitFailure;
    }
    const QSize size = (layout->bounds().size() * scale).toSize();
    out(QStringLiteral("%1: agent graph of %2 nodes and %3 edges, %4×%5 pixels")
            .arg(file)
            .arg(layout->nodes().size())
            .arg(layout->edges().size())
            .arg(size.width())
            .arg(size.height()));
    return ExitOk;
}

} // namespace Tracelight::Cli
