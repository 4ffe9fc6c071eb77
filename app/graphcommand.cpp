#include "graphcommand.h"

#include "clisupport.h"
#include "statscommand.h"

#include <agentgraph.h>
#include <format.h>
#include <statsquery.h>
#include <tracesnapshot.h>

#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <iostream>

namespace Tracelight::Cli {

int graphCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption version(QStringLiteral("version"),
        QStringLiteral("The graph of every run of this agent version (instead of TRACE_IDs)."), QStringLiteral("V"));
    const QCommandLineOption service(
        QStringLiteral("service"), QStringLiteral("With --version: only runs of this service."), QStringLiteral("S"));
    const QCommandLineOption dot(QStringLiteral("dot"), QStringLiteral("Print Graphviz DOT (dot -Tsvg draws it)."));
    const QCommandLineOption output(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The file to write (default: standard output)."), QStringLiteral("FILE"));
    parser.addOptions({ version, service, dot, output, jsonOption(), pricesOption() });
    if (!parse(parser, arguments,
            QStringLiteral("Who called whom: agents, models, tools and retrievers as nodes, calls and handoffs as "
                           "edges with counts, errors and latency, for runs or a whole agent version."),
            QStringLiteral("[TRACE_ID…]"), QStringLiteral("The runs (unique prefixes are enough).")))
        return parser.isSet(QStringLiteral("help")) ? ExitOk : ExitUsage;
    const bool byVersion = parser.isSet(version);
    if (byVersion == !parser.positionalArguments().isEmpty() || (parser.isSet(service) && !byVersion)
        || (parser.isSet(dot) && parser.isSet(QStringLiteral("json")))) {
        err(QStringLiteral("tracelight graph: give TRACE_IDs or --version V [--service S], and --json or --dot "
                           "(see tracelight graph --help)"));
        return ExitUsage;
    }
    TraceStore store(databasePath(parser), TraceStore::Mode::ReadOnly);
    store.setCostModel(costModelFor(parser.value(QStringLiteral("prices"))));
    std::vector<TraceSummary> runs;
    if (byVersion) {
        StatsFilter filter;
        filter.version = parser.value(version).toStdString();
        filter.service = parser.value(service).toStdString();
        for (const std::string& id : StatsQuery(store).traceIds(filter))
            if (auto trace = store.trace(id))
                runs.push_back(std::move(*trace));
        if (runs.empty()) {
            err(QStringLiteral("tracelight graph: no run of version \"%1\"%2 in the cache")
                    .arg(parser.value(version),
                        filter.service.empty() ? QString()
                                               : QStringLiteral(" of service \"%1\"").arg(parser.value(service))));
            return ExitFailure;
        }
    }
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

    std::string text;
    if (parser.isSet(dot)) {
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
                        .arg(Format::fromUtf8(e.from),
                            e.kind == "handoff" ? QStringLiteral("=>") : QStringLiteral("->"), Format::fromUtf8(e.to))
                        .arg(e.count)
                        .arg(e.errors)
                        .arg(Format::duration(e.p50Ns()), Format::duration(e.p95Ns()))
                        .toStdString();
        }
    }
    const QString path = parser.value(output);
    if (path.isEmpty() || path == QLatin1String("-")) {
        std::cout << text;
        return std::cout ? ExitOk : ExitFailure;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) < 0 || !file.commit()) {
        err(QStringLiteral("tracelight graph: cannot write %1: %2").arg(path, file.errorString()));
        return ExitFailure;
    }
    std::cout << path.toStdString() << ": " << graph.nodes().size() << " nodes, " << graph.edges().size()
              << " edges of " << graph.runs() << (graph.runs() == 1 ? " run\n" : " runs\n");
    return ExitOk;
}

} // namespace Tracelight::Cli
