#pragma once

#include <agentgraph.h>

#include <QFont>
#include <QPainterPath>
#include <QPolygonF>
#include <QRectF>
#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace Tracelight {

class GraphLayout;
using GraphLayoutPtr = std::shared_ptr<const GraphLayout>;

// An agent graph placed on a plane: a box per node, a routed curve per edge with its arrowhead and label. Computed by
// Graphviz's layered layout (dot, from Debian's libgraphviz), left to right from the run, so the same graph always
// gets the same picture. Graphviz sees only sizes and edges — node names and labels never reach its parser; every
// text shown comes from the graph through Utf8::visible. Thread-safe to build (Graphviz itself is not: builds take
// turns); the result is immutable. Coordinates are in pixels at zoom 1, the top left of bounds() at (0, 0).
class GraphLayout
{
public:
    enum class SizeBy
    {
        Time,
        Cost,
    };
    struct Options
    {
        QFont font;
        SizeBy sizeBy = SizeBy::Time;
        // Set when the result is no longer wanted: a build that waits for Graphviz gives up (a plain grid).
        const std::atomic<bool>* cancelled = nullptr;
    };
    // Beyond these Graphviz would take minutes: the nodes are drawn in rows, and error says why.
    static constexpr int MaxLaidOutNodes = 1500;
    static constexpr int MaxLaidOutEdges = 5000;
    // Edge and node changes of a diff (AgentGraph::Diff's change strings), empty for a plain graph.
    struct Input
    {
        std::vector<AgentGraph::Node> nodes;
        std::vector<AgentGraph::Edge> edges;
        std::vector<std::string> nodeChanges; // parallel to nodes, or empty
        std::vector<std::string> edgeChanges; // parallel to edges, or empty
        std::vector<QString> edgeLabels; // parallel to edges, or empty for the default "×12 · p50 340 ms"
        int runs = 0; // runs behind the graph (after's for a diff)
        static Input of(const AgentGraph& graph);
        static Input of(const AgentGraph::Diff& diff);
    };
    struct NodeBox
    {
        QRectF rect;
        QString title; // the name, inert and elided
        QString detail; // "12 calls · 2 errors · 3.4 s · $0.012"
        double weight = 0.0; // its share of the largest node's time or cost, 0…1
        std::string change;
    };
    struct EdgeRoute
    {
        int from = -1; // node indexes
        int to = -1;
        QPainterPath path;
        QPolygonF arrow;
        QRectF labelRect;
        QString label; // "×12 · p50 340 ms"
        std::string change;
    };

    // Lays the graph out; a graph Graphviz cannot lay out gets a plain grid and the reason in error (never thrown).
    static GraphLayoutPtr build(Input input, const Options& options, std::string* error = nullptr);

    const Input& input() const { return m_input; }
    const std::vector<NodeBox>& nodes() const { return m_nodes; }
    const std::vector<EdgeRoute>& edges() const { return m_edges; }
    QRectF bounds() const { return m_bounds; }
    const QFont& font() const { return m_font; }

    // The node or edge at a point (edges within `tolerance` pixels of their curve or on their label), or -1.
    int nodeAt(QPointF point) const;
    int edgeAt(QPointF point, double tolerance) const;

    static constexpr double Margin = 24.0;

private:
    Input m_input;
    std::vector<NodeBox> m_nodes;
    std::vector<EdgeRoute> m_edges;
    QRectF m_bounds;
    QFont m_font;
};

} // namespace Tracelight
