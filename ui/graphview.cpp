#include "graphview.h"

#include <format.h>

#include <QGestureEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Tracelight {

namespace {

constexpr double MinZoom = 0.05;
constexpr double MaxZoom = 4.0;

} // namespace

GraphView::GraphView(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Agent graph"));
    grabGesture(Qt::PinchGesture);
}

void GraphView::setGraphLayout(GraphLayoutPtr layout)
{
    m_layout = std::move(layout);
    m_state = GraphState();
    m_fitted = true;
    fit();
    emit selectionChanged(-1, -1);
}

void GraphView::clear()
{
    setGraphLayout(nullptr);
}

QTransform GraphView::view() const
{
    return QTransform(m_zoom, 0, 0, m_zoom, m_offset.x(), m_offset.y());
}

QPointF GraphView::toLayout(QPointF point) const
{
    return (point - m_offset) / m_zoom;
}

void GraphView::fit()
{
    if (!m_layout || m_layout->bounds().isEmpty()) {
        update();
        return;
    }
    const QRectF bounds = m_layout->bounds();
    // Fit, but never enlarge beyond 1:1 (text at its size) nor shrink below what can be made out at all.
    m_zoom = std::clamp(std::min(width() / bounds.width(), height() / bounds.height()), MinZoom, 1.0);
    m_offset = QPointF((width() - bounds.width() * m_zoom) / 2, (height() - bounds.height() * m_zoom) / 2);
    m_fitted = true;
    update();
}

void GraphView::zoomBy(double factor, QPointF anchor)
{
    const QPointF at = toLayout(anchor);
    m_zoom = std::clamp(m_zoom * factor, MinZoom, MaxZoom);
    m_offset = anchor - at * m_zoom;
    m_fitted = false;
    update();
}

void GraphView::selectNode(int node)
{
    setSelection(node, -1);
    if (m_layout && node >= 0 && node < int(m_layout->nodes().size()))
        ensureVisible(m_layout->nodes()[std::size_t(node)].rect);
}

void GraphView::selectEdge(int edge)
{
    setSelection(-1, edge);
    if (m_layout && edge >= 0 && edge < int(m_layout->edges().size()))
        ensureVisible(m_layout->edges()[std::size_t(edge)].labelRect);
}

void GraphView::setSelection(int node, int edge)
{
    if (node == m_state.selectedNode && edge == m_state.selectedEdge)
        return;
    m_state.selectedNode = node;
    m_state.selectedEdge = edge;
    update();
    emit selectionChanged(node, edge);
}

void GraphView::ensureVisible(const QRectF& layoutRect)
{
    const QRectF shown = view().mapRect(layoutRect);
    const QRectF area = QRectF(rect()).adjusted(20, 20, -20, -20);
    if (area.contains(shown))
        return;
    m_offset += area.center() - shown.center();
    m_fitted = false;
    update();
}

void GraphView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_layout || m_layout->nodes().empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
            m_layout ? tr("No agents, models, tools or retrievers in this run.") : tr("No run is open."));
        return;
    }
    GraphState state = m_state;
    state.view = view();
    GraphRenderer::paint(painter, *m_layout, state, palette());
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1));
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void GraphView::resizeEvent(QResizeEvent*)
{
    if (m_fitted)
        fit();
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    if (!m_layout)
        return;
    if (event->modifiers() & Qt::ShiftModifier) {
        m_offset += QPointF(event->angleDelta().y(), 0) / 2;
        m_fitted = false;
        update();
    } else {
        zoomBy(std::pow(1.0015, event->angleDelta().y()), event->position());
    }
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    m_pressAt = event->pos();
    m_pressOffset = m_offset;
    m_dragging = false;
    event->accept();
}

void GraphView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & (Qt::LeftButton | Qt::MiddleButton)) {
        if ((event->pos() - m_pressAt).manhattanLength() > 3)
            m_dragging = true;
        if (m_dragging) {
            setCursor(Qt::ClosedHandCursor);
            m_offset = m_pressOffset + (event->pos() - m_pressAt);
            m_fitted = false;
            update();
        }
        return;
    }
    if (!m_layout)
        return;
    const QPointF at = toLayout(event->position());
    const int node = m_layout->nodeAt(at);
    const int edge = node < 0 ? m_layout->edgeAt(at, 5.0 / m_zoom) : -1;
    if (node != m_state.hoveredNode || edge != m_state.hoveredEdge) {
        m_state.hoveredNode = node;
        m_state.hoveredEdge = edge;
        setCursor(node >= 0 || edge >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

void GraphView::mouseReleaseEvent(QMouseEvent* event)
{
    unsetCursor();
    if (m_dragging || !m_layout || event->button() != Qt::LeftButton) {
        m_dragging = false;
        return;
    }
    const QPointF at = toLayout(event->position());
    const int node = m_layout->nodeAt(at);
    setSelection(node, node < 0 ? m_layout->edgeAt(at, 5.0 / m_zoom) : -1);
}

void GraphView::leaveEvent(QEvent*)
{
    if (m_state.hoveredNode >= 0 || m_state.hoveredEdge >= 0) {
        m_state.hoveredNode = -1;
        m_state.hoveredEdge = -1;
        update();
    }
}

void GraphView::keyPressEvent(QKeyEvent* event)
{
    const QPointF centre = QRectF(rect()).center();
    const double step = 60.0;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25, centre);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8, centre);
        return;
    case Qt::Key_0:
    case Qt::Key_F:
        fit();
        return;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        m_offset += QPointF(event->key() == Qt::Key_Left ? step
                : event->key() == Qt::Key_Right          ? -step
                                                         : 0,
            event->key() == Qt::Key_Up         ? step
                : event->key() == Qt::Key_Down ? -step
                                               : 0);
        m_fitted = false;
        update();
        return;
    case Qt::Key_Escape:
        setSelection(-1, -1);
        return;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

bool GraphView::event(QEvent* event)
{
    // Tab and Shift+Tab step through the edges (then leave the view at either end).
    if (event->type() == QEvent::KeyPress && m_layout && !m_layout->edges().empty()) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool plain = !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
        if (plain && (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab)) {
            // The next (or previous) edge that is drawn.
            const int count = int(m_layout->edges().size());
            const int step = key->key() == Qt::Key_Tab ? 1 : -1;
            int next = m_state.selectedEdge < 0 ? (step > 0 ? 0 : count - 1) : m_state.selectedEdge + step;
            while (next >= 0 && next < count && m_layout->edges()[std::size_t(next)].path.isEmpty())
                next += step;
            if (next >= 0 && next < count) {
                selectEdge(next);
                return true;
            }
        }
    }
    if (event->type() == QEvent::Gesture) {
        auto* gesture = static_cast<QGestureEvent*>(event);
        if (auto* pinch = static_cast<QPinchGesture*>(gesture->gesture(Qt::PinchGesture))) {
            zoomBy(pinch->scaleFactor(), mapFromGlobal(pinch->centerPoint().toPoint()));
            return true;
        }
    }
    if (event->type() == QEvent::ToolTip && m_layout) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPointF at = toLayout(help->pos());
        const int node = m_layout->nodeAt(at);
        const int edge = node < 0 ? m_layout->edgeAt(at, 5.0 / m_zoom) : -1;
        QString tip;
        if (node >= 0) {
            const GraphLayout::NodeBox& box = m_layout->nodes()[std::size_t(node)];
            tip = box.title + QLatin1Char('\n') + box.detail;
        } else if (edge >= 0) {
            const AgentGraph::Edge& e = m_layout->input().edges[std::size_t(edge)];
            const GraphLayout::EdgeRoute& route = m_layout->edges()[std::size_t(edge)];
            const auto& nodes = m_layout->nodes();
            tip = tr("%1 %2 %3\n%4 · p95 %5")
                      .arg(route.from >= 0 ? nodes[std::size_t(route.from)].title : QString(),
                          e.kind == "handoff" ? tr("hands off to") : tr("calls"),
                          route.to >= 0 ? nodes[std::size_t(route.to)].title : QString(), route.label,
                          Format::duration(e.p95Ns()));
        }
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), Format::plainToolTip(tip), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace Tracelight
