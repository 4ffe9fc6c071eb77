#pragma once

#include "graphlayout.h"

#include <QCoreApplication>
#include <QPalette>
#include <QTransform>

class QPainter;

namespace Tracelight {

// What the graph view shows right now; the widget owns one, `tracelight render --view graph` builds one.
struct GraphState
{
    QTransform view; // layout coordinates → the painter's
    int selectedNode = -1;
    int selectedEdge = -1;
    int hoveredNode = -1;
    int hoveredEdge = -1;
};

// Paints a laid-out agent graph onto any QPainter (the window's view, PNG and SVG files): nodes as boxes tinted by
// kind, their size by time or cost; edges thicker with more calls, dashed for handoffs, red where calls failed; in
// a diff, green for what is new, grey dashed for what is gone, amber for more frequent, blue for less. Level of
// detail: edge labels and node details go when they would be too small to read.
class GraphRenderer
{
    Q_DECLARE_TR_FUNCTIONS(GraphRenderer)

public:
    static void paint(QPainter& painter, const GraphLayout& layout, const GraphState& state, const QPalette& palette);

    // The whole graph at `scale` into a PNG or an SVG file (by the name's suffix); false with the reason otherwise.
    static bool write(const GraphLayout& layout, const QString& file, bool dark, double scale, QString* error);

    static QColor changeColor(const std::string& change, bool dark);
};

} // namespace Tracelight
