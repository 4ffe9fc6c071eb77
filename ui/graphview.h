#pragma once

#include <graphrenderer.h>

#include <QWidget>

namespace Tracelight {

// The agent graph on screen: GraphRenderer paints it (the same picture as `tracelight render --view graph`).
// Zoom with the wheel, pinch or +/-, pan by dragging or with the arrow keys, 0 fits the graph; Tab and Shift+Tab
// step through the edges, a click selects a node or an edge, Esc clears the selection.
class GraphView final : public QWidget
{
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);

    void setGraphLayout(GraphLayoutPtr layout);
    const GraphLayoutPtr& graphLayout() const { return m_layout; }
    void clear();

    int selectedNode() const { return m_state.selectedNode; }
    int selectedEdge() const { return m_state.selectedEdge; }
    void selectNode(int node);
    void selectEdge(int edge);
    double zoom() const { return m_zoom; }
    void fit();
    void zoomBy(double factor, QPointF anchor);

    QSize sizeHint() const override { return { 640, 420 }; }

signals:
    // The selection changed (both -1 when cleared).
    void selectionChanged(int node, int edge);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    QTransform view() const;
    QPointF toLayout(QPointF point) const;
    void setSelection(int node, int edge);
    void ensureVisible(const QRectF& layoutRect);

    GraphLayoutPtr m_layout;
    GraphState m_state;
    double m_zoom = 1.0;
    QPointF m_offset; // widget position of the layout's origin
    bool m_fitted = true; // follow the widget's size until the user zooms or pans
    QPoint m_pressAt;
    QPointF m_pressOffset;
    bool m_dragging = false;
};

} // namespace Tracelight
