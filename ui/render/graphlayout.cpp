#include "graphlayout.h"

#include "renderlogging.h"

#include <format.h>
#include <utf8.h>

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainterPathStroker>

#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace Tracelight {

namespace {

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("GraphLayout", text, disambiguation, n);
}

constexpr double MaxTitleWidth = 220.0;
constexpr double PaddingX = 10.0;
constexpr double PaddingY = 6.0;
constexpr double MaxGrowth = 0.6; // the largest node is 1.6 times its text's size

// Graphviz keeps global state: one layout at a time, in one context for the process.
std::mutex& graphvizMutex()
{
    static std::mutex mutex;
    return mutex;
}

thread_local std::string* graphvizErrors = nullptr;

int collectGraphvizError(char* message)
{
    if (graphvizErrors && message)
        *graphvizErrors += message;
    return 0;
}

GVC_t* graphvizContext()
{
    // Plugins are loaded when first used: only the dot layout is.
    static GVC_t* context = [] {
        agseterrf(&collectGraphvizError);
        GVC_t* gvc = gvContext();
        agseterr(AGWARN);
        return gvc;
    }();
    return context;
}

// Graphviz's attribute API takes char*; the strings are only read.
char* text(const char* literal)
{
    return const_cast<char*>(literal);
}

void set(void* object, const char* name, const std::string& value)
{
    agsafeset(object, text(name), const_cast<char*>(value.c_str()), text(""));
}

std::string inches(double pixels)
{
    return QByteArray::number(pixels / 72.0, 'f', 4).toStdString();
}

QString titleOf(const AgentGraph::Node& node, int runs, const QFontMetricsF& metrics)
{
    if (node.kind == "run")
        return runs > 1 ? tr("%1 runs").arg(runs) : tr("Run");
    return metrics.elidedText(Format::fromUtf8(Utf8::inertLine(node.name, 200)), Qt::ElideMiddle, MaxTitleWidth);
}

QString detailOf(const AgentGraph::Node& node)
{
    if (node.kind == "run")
        return Format::count(node.calls, tr("start"), tr("starts"));
    QString detail = Format::count(node.calls, tr("call"), tr("calls"));
    if (node.errors > 0)
        detail += QStringLiteral(" · ") + Format::count(node.errors, tr("error"), tr("errors"));
    detail += QStringLiteral(" · ") + Format::duration(node.durationNs);
    if (node.costUsd)
        detail += QStringLiteral(" · ") + Format::cost(node.costUsd);
    return detail;
}

QString defaultEdgeLabel(const AgentGraph::Edge& edge)
{
    QString label = QStringLiteral("×%1 · p50 %2").arg(edge.count).arg(Format::duration(edge.p50Ns()));
    if (edge.errors > 0)
        label += QStringLiteral(" · ") + tr("%n failed", nullptr, int(edge.errors));
    return label;
}

QPointF pointOf(const pointf& p, const boxf& bb)
{
    return { p.x - bb.LL.x + GraphLayout::Margin, bb.UR.y - p.y + GraphLayout::Margin };
}

QPolygonF arrowHead(QPointF from, QPointF tip)
{
    const QLineF line(tip, from);
    if (line.length() < 0.01)
        return {};
    const QPointF unit = (from - tip) / line.length();
    const QPointF normal(-unit.y(), unit.x());
    const double length = 9.0;
    const double half = 4.0;
    return QPolygonF({ tip, tip + unit * length + normal * half, tip + unit * length - normal * half });
}

} // namespace

GraphLayout::Input GraphLayout::Input::of(const AgentGraph& graph)
{
    Input input;
    input.nodes = graph.nodes();
    input.edges = graph.edges();
    input.runs = graph.runs();
    return input;
}

GraphLayout::Input GraphLayout::Input::of(const AgentGraph::Diff& diff)
{
    Input input;
    input.runs = diff.runsAfter;
    for (const AgentGraph::NodeChange& c : diff.nodes) {
        input.nodes.push_back(c.node);
        input.nodeChanges.push_back(c.change);
    }
    for (const AgentGraph::EdgeChange& c : diff.edges) {
        input.edges.push_back(c.edge);
        input.edgeChanges.push_back(c.change);
        const auto rate = [](double v) { return QString::number(v, 'g', 3); };
        input.edgeLabels.push_back(c.change == "added" ? tr("new · %1 a run").arg(rate(c.perRunAfter))
                : c.change == "removed"                ? tr("gone · was %1 a run").arg(rate(c.perRunBefore))
                                        : tr("%1 → %2 a run").arg(rate(c.perRunBefore), rate(c.perRunAfter)));
    }
    return input;
}

GraphLayoutPtr GraphLayout::build(Input input, const Options& options, std::string* error)
{
    auto layout = std::make_shared<GraphLayout>();
    layout->m_font = options.font;
    QFont bold = options.font;
    bold.setBold(true);
    QFont small = options.font;
    small.setPointSizeF(options.font.pointSizeF() > 0 ? options.font.pointSizeF() * 0.9 : 9.0);
    const QFontMetricsF titleMetrics(bold);
    const QFontMetricsF detailMetrics(small);
    const QFontMetricsF labelMetrics(small);

    const auto metric = [&](const AgentGraph::Node& n) {
        return options.sizeBy == SizeBy::Cost ? n.costUsd.value_or(0.0) : double(n.durationNs);
    };
    double largest = 0.0;
    for (const AgentGraph::Node& n : input.nodes)
        if (n.kind != "run")
            largest = std::max(largest, metric(n));

    const int nodeCount = int(input.nodes.size());
    std::map<std::string, int> indexOf;
    for (int i = 0; i < nodeCount; ++i) {
        const AgentGraph::Node& n = input.nodes[std::size_t(i)];
        indexOf.emplace(n.id, i);
        NodeBox box;
        box.title = titleOf(n, input.runs, titleMetrics);
        box.detail = detailOf(n);
        box.weight = largest > 0.0 && n.kind != "run" ? std::clamp(metric(n) / largest, 0.0, 1.0) : 0.0;
        box.change = i < int(input.nodeChanges.size()) ? input.nodeChanges[std::size_t(i)] : std::string();
        const double growth = 1.0 + MaxGrowth * std::sqrt(box.weight);
        const double w
            = std::max(titleMetrics.horizontalAdvance(box.title), detailMetrics.horizontalAdvance(box.detail))
            + 2 * PaddingX;
        const double h = titleMetrics.height() + detailMetrics.height() + 2 * PaddingY;
        box.rect = QRectF(0, 0, std::ceil(std::max(w, 60.0) * growth), std::ceil(h * growth));
        layout->m_nodes.push_back(std::move(box));
    }
    for (std::size_t i = 0; i < input.edges.size(); ++i) {
        const AgentGraph::Edge& e = input.edges[i];
        EdgeRoute route;
        const auto from = indexOf.find(e.from);
        const auto to = indexOf.find(e.to);
        route.from = from != indexOf.end() ? from->second : -1;
        route.to = to != indexOf.end() ? to->second : -1;
        route.label = i < input.edgeLabels.size() ? input.edgeLabels[i] : defaultEdgeLabel(e);
        route.change = i < input.edgeChanges.size() ? input.edgeChanges[i] : std::string();
        const QSizeF size = labelMetrics.size(Qt::TextSingleLine, route.label) + QSizeF(8, 2);
        route.labelRect = QRectF(QPointF(), size);
        layout->m_edges.push_back(std::move(route));
    }

    std::string problems;
    bool laidOut = false;
    const bool tooLarge = nodeCount > MaxLaidOutNodes || int(layout->m_edges.size()) > MaxLaidOutEdges;
    if (tooLarge)
        problems = "the graph is too large to lay out (" + std::to_string(nodeCount) + " nodes, "
            + std::to_string(layout->m_edges.size()) + " edges)";
    std::unique_lock lock(graphvizMutex(), std::defer_lock);
    if (nodeCount > 0 && !tooLarge)
        lock.lock();
    if (lock.owns_lock() && options.cancelled && options.cancelled->load())
        lock.unlock(); // no longer wanted: the grid below costs nothing
    if (lock.owns_lock()) {
        GVC_t* gvc = graphvizContext();
        graphvizErrors = &problems;
        Agraph_t* g = agopen(text("tracelight"), Agdirected, nullptr);
        agattr(g, AGRAPH, text("rankdir"), text("LR"));
        agattr(g, AGRAPH, text("nodesep"), text("0.3"));
        agattr(g, AGRAPH, text("ranksep"), text("0.7"));
        agattr(g, AGNODE, text("shape"), text("box"));
        agattr(g, AGNODE, text("fixedsize"), text("true"));
        agattr(g, AGNODE, text("label"), text(""));
        agattr(g, AGNODE, text("width"), text("1"));
        agattr(g, AGNODE, text("height"), text("0.5"));
        agattr(g, AGEDGE, text("label"), text(""));
        agattr(g, AGEDGE, text("fontname"), text("Helvetica"));
        agattr(g, AGEDGE, text("fontsize"), text("10"));
        std::vector<Agnode_t*> gvNodes;
        for (int i = 0; i < nodeCount; ++i) {
            QByteArray name = "n" + QByteArray::number(i);
            Agnode_t* node = agnode(g, name.data(), 1);
            set(node, "width", inches(layout->m_nodes[std::size_t(i)].rect.width()));
            set(node, "height", inches(layout->m_nodes[std::size_t(i)].rect.height()));
            gvNodes.push_back(node);
        }
        std::vector<Agedge_t*> gvEdges;
        for (std::size_t i = 0; i < layout->m_edges.size(); ++i) {
            const EdgeRoute& route = layout->m_edges[i];
            if (route.from < 0 || route.to < 0) {
                gvEdges.push_back(nullptr);
                continue;
            }
            QByteArray name = "e" + QByteArray::number(qulonglong(i));
            Agedge_t* edge
                = agedge(g, gvNodes[std::size_t(route.from)], gvNodes[std::size_t(route.to)], name.data(), 1);
            // Graphviz reserves room for the label from a stand-in of the same size: x characters in a font size
            // that makes its estimate as wide as ours; the label itself is painted by us.
            const double charWidth = 6.0;
            set(edge, "label", std::string(std::size_t(std::ceil(route.labelRect.width() / charWidth)), 'x'));
            set(edge, "fontsize",
                QByteArray::number(std::max(route.labelRect.height() - 2, 8.0), 'f', 1).toStdString());
            gvEdges.push_back(edge);
        }
        if (gvLayout(gvc, g, "dot") == 0) {
            laidOut = true;
            const boxf bb = GD_bb(g);
            layout->m_bounds = QRectF(0, 0, bb.UR.x - bb.LL.x + 2 * Margin, bb.UR.y - bb.LL.y + 2 * Margin);
            for (int i = 0; i < nodeCount; ++i) {
                NodeBox& box = layout->m_nodes[std::size_t(i)];
                box.rect.moveCenter(pointOf(ND_coord(gvNodes[std::size_t(i)]), bb));
            }
            for (std::size_t i = 0; i < gvEdges.size(); ++i) {
                Agedge_t* edge = gvEdges[i];
                EdgeRoute& route = layout->m_edges[i];
                if (!edge || !ED_spl(edge) || ED_spl(edge)->size < 1)
                    continue;
                const bezier& curve = ED_spl(edge)->list[0];
                if (curve.size < 1)
                    continue;
                QPainterPath path(pointOf(curve.list[0], bb));
                for (int p = 1; p + 2 < curve.size; p += 3)
                    path.cubicTo(
                        pointOf(curve.list[p], bb), pointOf(curve.list[p + 1], bb), pointOf(curve.list[p + 2], bb));
                const QPointF last = pointOf(curve.list[curve.size - 1], bb);
                if (curve.eflag) {
                    route.arrow = arrowHead(last, pointOf(curve.ep, bb));
                } else if (curve.size >= 2) {
                    route.arrow = arrowHead(pointOf(curve.list[curve.size - 2], bb), last);
                }
                route.path = path;
                if (ED_label(edge) && ED_label(edge)->set)
                    route.labelRect.moveCenter(pointOf(ED_label(edge)->pos, bb));
                else
                    route.labelRect.moveCenter(path.pointAtPercent(0.5));
            }
            gvFreeLayout(gvc, g);
        }
        agclose(g);
        graphvizErrors = nullptr;
        lock.unlock();
    }
    if (!laidOut) {
        // No layout (an empty graph, or Graphviz failed): the nodes in rows, edges as straight lines.
        if (nodeCount > 0) {
            qCWarning(lcRender) << "graph layout failed:" << QString::fromStdString(problems);
            if (error)
                *error = problems.empty() ? std::string("the graph could not be laid out") : problems;
        }
        const int columns = std::max(1, int(std::ceil(std::sqrt(double(nodeCount)))));
        double x = Margin;
        double y = Margin;
        double rowHeight = 0.0;
        double right = 0.0;
        for (int i = 0; i < nodeCount; ++i) {
            NodeBox& box = layout->m_nodes[std::size_t(i)];
            if (i > 0 && i % columns == 0) {
                x = Margin;
                y += rowHeight + 40.0;
                rowHeight = 0.0;
            }
            box.rect.moveTopLeft(QPointF(x, y));
            x += box.rect.width() + 40.0;
            right = std::max(right, x);
            rowHeight = std::max(rowHeight, box.rect.height());
        }
        for (EdgeRoute& route : layout->m_edges) {
            if (route.from < 0 || route.to < 0)
                continue;
            const QPointF a = layout->m_nodes[std::size_t(route.from)].rect.center();
            const QPointF b = layout->m_nodes[std::size_t(route.to)].rect.center();
            route.path = QPainterPath(a);
            route.path.lineTo(b);
            route.arrow = arrowHead(a, b);
            route.labelRect.moveCenter((a + b) / 2);
        }
        layout->m_bounds = QRectF(0, 0, std::max(right, 2 * Margin) + Margin, y + rowHeight + Margin);
    }
    layout->m_input = std::move(input);
    return layout;
}

int GraphLayout::nodeAt(QPointF point) const
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].rect.contains(point))
            return int(i);
    return -1;
}

int GraphLayout::edgeAt(QPointF point, double tolerance) const
{
    for (std::size_t i = 0; i < m_edges.size(); ++i)
        if (!m_edges[i].path.isEmpty() && m_edges[i].labelRect.contains(point))
            return int(i);
    QPainterPathStroker stroker;
    stroker.setWidth(2 * tolerance);
    const QRectF near(point - QPointF(tolerance, tolerance), QSizeF(2 * tolerance, 2 * tolerance));
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const QPainterPath& path = m_edges[i].path;
        if (path.isEmpty()
            || !path.controlPointRect().adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(point))
            continue;
        if (stroker.createStroke(path).intersects(near))
            return int(i);
    }
    return -1;
}

} // namespace Tracelight
