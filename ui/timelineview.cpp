#include "timelineview.h"

#include <format.h>

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Tracelight {

namespace {
// The horizontal scroll bar maps the run onto a fixed range: deep zoom on a long run overflows int pixels.
constexpr int HorizontalRange = 100000;
} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setFrameShape(QFrame::NoFrame);
    setMinimumHeight(
        TimelineRenderer::OverviewHeight + TimelineRenderer::RulerHeight + 4 * TimelineRenderer::RowHeight);
}

TimelineView::~TimelineView() = default;

void TimelineView::setTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout)
{
    m_snapshot = std::move(snapshot);
    m_layout = std::move(layout);
    m_renderer = m_snapshot && m_layout ? std::make_unique<TimelineRenderer>(m_snapshot, m_layout) : nullptr;
    m_state.current = -1;
    m_state.hovered = -1;
    m_state.scrollY = 0;
    m_state.matches.reset();
    m_state.findings.reset();
    m_state.annotated.reset();
    fitToRun();
}

void TimelineView::updateTrace(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout)
{
    const std::string current = m_snapshot && m_state.current >= 0 && m_state.current < m_snapshot->size()
        ? m_snapshot->step(m_state.current).spanId
        : std::string();
    m_snapshot = std::move(snapshot);
    m_layout = std::move(layout);
    m_renderer = m_snapshot && m_layout ? std::make_unique<TimelineRenderer>(m_snapshot, m_layout) : nullptr;
    m_state.current = m_snapshot && !current.empty() ? m_snapshot->indexOf(current) : -1;
    m_state.hovered = -1;
    m_state.matches.reset();
    m_state.findings.reset();
    m_state.annotated.reset();
    if (m_fitted) {
        fitToRun();
        return;
    }
    updateScrollBars();
    viewport()->update();
}

void TimelineView::clear()
{
    setTrace(nullptr, nullptr);
}

QRect TimelineView::area() const
{
    return viewport()->rect();
}

void TimelineView::setMode(TimelineMode mode)
{
    if (mode == m_state.mode)
        return;
    m_state.mode = mode;
    m_state.scrollY = 0;
    if (m_fitted)
        fitToRun();
    updateScrollBars();
    if (m_state.current >= 0)
        ensureVisible(m_state.current);
    viewport()->update();
    emit modeChanged(mode);
}

void TimelineView::setCriticalPathVisible(bool visible)
{
    m_state.criticalPath = visible;
    viewport()->update();
}

void TimelineView::setCurrentStep(int step)
{
    if (!m_snapshot || step >= m_snapshot->size())
        step = -1;
    if (step == m_state.current)
        return;
    m_state.current = step;
    if (step >= 0)
        ensureVisible(step);
    viewport()->update();
    emit currentStepChanged(step);
}

void TimelineView::setMatches(std::shared_ptr<const std::vector<std::uint8_t>> matches)
{
    if (matches && m_snapshot && matches->size() != std::size_t(m_snapshot->size()))
        matches.reset();
    m_state.matches = std::move(matches);
    viewport()->update();
}

void TimelineView::setFindings(const std::vector<Finding>& findings)
{
    if (!m_snapshot || findings.empty()) {
        m_state.findings.reset();
        viewport()->update();
        return;
    }
    auto marks = std::make_shared<std::vector<std::uint8_t>>(std::size_t(m_snapshot->size()), 0);
    for (const Finding& f : findings)
        for (const std::string& span : f.spanIds)
            if (const int step = m_snapshot->indexOf(span); step >= 0)
                (*marks)[std::size_t(step)]
                    = std::max<std::uint8_t>((*marks)[std::size_t(step)], std::uint8_t(int(f.severity) + 1));
    m_state.findings = std::move(marks);
    viewport()->update();
}

void TimelineView::setAnnotated(const std::vector<std::string>& spanIds)
{
    if (!m_snapshot || spanIds.empty()) {
        m_state.annotated.reset();
        viewport()->update();
        return;
    }
    auto marks = std::make_shared<std::vector<std::uint8_t>>(std::size_t(m_snapshot->size()), 0);
    for (const std::string& span : spanIds)
        if (const int step = m_snapshot->indexOf(span); step >= 0)
            (*marks)[std::size_t(step)] = 1;
    m_state.annotated = std::move(marks);
    viewport()->update();
}

void TimelineView::setAxis(const TimeAxis& axis)
{
    m_state.axis = axis;
    m_fitted = false;
    updateScrollBars();
    viewport()->update();
}

void TimelineView::fitToRun()
{
    if (m_renderer)
        m_state.axis = m_renderer->fitAxis(area(), m_state.mode);
    m_fitted = true;
    updateScrollBars();
    viewport()->update();
}

void TimelineView::zoomAt(double timeX, double factor)
{
    if (!m_renderer)
        return;
    setAxis(m_state.axis.zoomedAt(timeX, factor));
}

void TimelineView::zoomIn()
{
    zoomAt(TimelineRenderer::timeRect(area(), m_state.mode).width() / 2.0, 2.0);
}

void TimelineView::zoomOut()
{
    zoomAt(TimelineRenderer::timeRect(area(), m_state.mode).width() / 2.0, 0.5);
}

void TimelineView::zoomToStep(int step)
{
    if (!m_snapshot || step < 0)
        return;
    const StepRecord& s = m_snapshot->step(step);
    const std::int64_t span = std::max<std::int64_t>(TimelineLayout::visualEnd(s) - s.startNs, 1000);
    const int width = TimelineRenderer::timeRect(area(), m_state.mode).width();
    setAxis(TimeAxis::range(s.startNs - span / 10, TimelineLayout::visualEnd(s) + span / 10, width));
    ensureVisible(step);
}

void TimelineView::ensureVisible(int step)
{
    if (!m_renderer)
        return;
    const QRect content = TimelineRenderer::contentRect(area());
    const int top = m_renderer->stepTop(step, m_state.mode);
    if (top < m_state.scrollY)
        m_state.scrollY = std::max(0, top - TimelineRenderer::RowHeight);
    else if (top + TimelineRenderer::RowHeight > m_state.scrollY + content.height())
        m_state.scrollY = top + 2 * TimelineRenderer::RowHeight - content.height();
    m_state.scrollY
        = std::clamp(m_state.scrollY, 0, std::max(0, m_renderer->contentHeight(m_state.mode) - content.height()));

    // Pan when the step is out of sight; keep the zoom, unless the step is longer than the view.
    const StepRecord& s = m_snapshot->step(step);
    const int width = TimelineRenderer::timeRect(area(), m_state.mode).width();
    const double x0 = m_state.axis.x(s.startNs);
    const double x1 = m_state.axis.x(TimelineLayout::visualEnd(s));
    if (x1 < 0 || x0 > width) {
        const double centre = (x0 + x1) / 2;
        m_state.axis = m_state.axis.panned(centre - width / 2.0);
        m_fitted = false;
    }
    updateScrollBars();
}

void TimelineView::updateScrollBars()
{
    m_syncingScrollBars = true;
    const QRect content = TimelineRenderer::contentRect(area());
    const int height = m_renderer ? m_renderer->contentHeight(m_state.mode) : 0;
    verticalScrollBar()->setRange(0, std::max(0, height - content.height()));
    verticalScrollBar()->setPageStep(std::max(1, content.height()));
    verticalScrollBar()->setSingleStep(TimelineRenderer::RowHeight);
    verticalScrollBar()->setValue(m_state.scrollY);

    if (m_snapshot) {
        const int width = TimelineRenderer::timeRect(area(), m_state.mode).width();
        const double run = double(std::max<std::int64_t>(m_snapshot->endNs() - m_snapshot->startNs(), 1));
        const double visible = std::min(run, width * m_state.axis.nsPerPixel());
        const double offset = double(m_state.axis.origin() - m_snapshot->startNs());
        const int page = std::max(1, int(HorizontalRange * visible / run));
        horizontalScrollBar()->setRange(0, std::max(0, HorizontalRange - page));
        horizontalScrollBar()->setPageStep(page);
        horizontalScrollBar()->setSingleStep(std::max(1, page / 10));
        horizontalScrollBar()->setValue(int(std::clamp(HorizontalRange * offset / run, 0.0, double(HorizontalRange))));
    } else {
        horizontalScrollBar()->setRange(0, 0);
    }
    m_syncingScrollBars = false;
}

void TimelineView::scrollContentsBy(int, int)
{
    if (m_syncingScrollBars || !m_snapshot)
        return;
    m_state.scrollY = verticalScrollBar()->value();
    const double run = double(std::max<std::int64_t>(m_snapshot->endNs() - m_snapshot->startNs(), 1));
    const auto origin = m_snapshot->startNs() + std::int64_t(run * horizontalScrollBar()->value() / HorizontalRange);
    if (origin != m_state.axis.origin() && horizontalScrollBar()->maximum() > 0) {
        m_state.axis = TimeAxis(origin, m_state.axis.nsPerPixel());
        m_fitted = false;
    }
    viewport()->update();
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    if (m_fitted)
        fitToRun();
    else
        updateScrollBars();
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    if (!m_renderer) {
        painter.fillRect(area(), palette().color(QPalette::Base));
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area(), Qt::AlignCenter, tr("Select a run to see its timeline."));
        return;
    }
    m_renderer->paint(painter, area(), m_state, palette(), font());
}

int TimelineView::stepAt(const QPoint& viewportPoint) const
{
    return m_renderer ? m_renderer->stepAt(viewportPoint, area(), m_state) : -1;
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    if (!m_renderer)
        return;
    const QRect time = TimelineRenderer::timeRect(area(), m_state.mode);
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = delta.y() / 120.0;
        zoomAt(event->position().x() - time.left(), std::pow(1.25, steps));
    } else if ((event->modifiers() & Qt::ShiftModifier) || std::abs(delta.x()) > std::abs(delta.y())) {
        const int d = std::abs(delta.x()) > std::abs(delta.y()) ? delta.x() : delta.y();
        setAxis(m_state.axis.panned(-d / 120.0 * time.width() / 8.0));
    } else {
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y() / 120 * 3 * TimelineRenderer::RowHeight);
    }
    event->accept();
}

void TimelineView::centreOverviewAt(int x)
{
    const QRect strip = TimelineRenderer::overviewRect(area()).adjusted(4, 4, -4, -4);
    const TimeAxis whole = TimeAxis::fit(m_snapshot->startNs(), m_snapshot->endNs(), strip.width());
    const std::int64_t t = whole.time(x - strip.left());
    const int width = TimelineRenderer::timeRect(area(), m_state.mode).width();
    setAxis(TimeAxis(t, m_state.axis.nsPerPixel()).panned(-width / 2.0));
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (!m_renderer)
        return;
    m_pressPos = m_lastPos = event->position().toPoint();
    if (event->button() == Qt::MiddleButton) {
        m_drag = Drag::Pan;
        viewport()->setCursor(Qt::ClosedHandCursor);
    } else if (event->button() == Qt::LeftButton) {
        if (TimelineRenderer::overviewRect(area()).contains(m_pressPos)) {
            m_drag = Drag::Overview;
            centreOverviewAt(m_pressPos.x());
        } else {
            m_drag = Drag::Pending;
        }
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    const QRect time = TimelineRenderer::timeRect(area(), m_state.mode);
    switch (m_drag) {
    case Drag::Pan:
        setAxis(m_state.axis.panned(m_lastPos.x() - pos.x()));
        verticalScrollBar()->setValue(verticalScrollBar()->value() + m_lastPos.y() - pos.y());
        break;
    case Drag::Overview:
        centreOverviewAt(pos.x());
        break;
    case Drag::Pending:
        if ((pos - m_pressPos).manhattanLength() > 4 && m_pressPos.x() >= time.left())
            m_drag = Drag::Select;
        else
            break;
        [[fallthrough]];
    case Drag::Select:
        m_state.selectFrom = std::clamp(m_pressPos.x(), time.left(), time.right()) - time.left();
        m_state.selectTo = std::clamp(pos.x(), time.left(), time.right()) - time.left();
        viewport()->update();
        break;
    case Drag::None: {
        const int hovered = stepAt(pos);
        if (hovered != m_state.hovered) {
            m_state.hovered = hovered;
            viewport()->update();
        }
        break;
    }
    }
    m_lastPos = pos;
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    viewport()->unsetCursor();
    if (drag == Drag::Select) {
        const int from = std::min(m_state.selectFrom, m_state.selectTo);
        const int to = std::max(m_state.selectFrom, m_state.selectTo);
        m_state.selectFrom = m_state.selectTo = 0;
        if (to - from >= 3) {
            const int width = TimelineRenderer::timeRect(area(), m_state.mode).width();
            setAxis(TimeAxis::range(m_state.axis.time(from), m_state.axis.time(to), width));
        }
        viewport()->update();
    } else if (drag == Drag::Pending && event->button() == Qt::LeftButton) {
        const int step = stepAt(event->position().toPoint());
        if (step >= 0)
            setCurrentStep(step);
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int step = stepAt(event->position().toPoint());
    if (step >= 0)
        zoomToStep(step);
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        fitToRun();
        return;
    case Qt::Key_Z:
        zoomToStep(m_state.current);
        return;
    default:
        break;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        const int width = TimelineRenderer::timeRect(area(), m_state.mode).width();
        if (event->key() == Qt::Key_Left) {
            setAxis(m_state.axis.panned(-width / 6.0));
            return;
        }
        if (event->key() == Qt::Key_Right) {
            setAxis(m_state.axis.panned(width / 6.0));
            return;
        }
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void TimelineView::leaveEvent(QEvent* event)
{
    m_state.hovered = -1;
    viewport()->update();
    QAbstractScrollArea::leaveEvent(event);
}

QString TimelineView::toolTipFor(int step) const
{
    const StepRecord& s = m_snapshot->step(step);
    // Everything from the trace is escaped: a step name is untrusted text, never rich text.
    const auto esc = [](const std::string& text) { return Format::fromUtf8(text).toHtmlEscaped(); };
    QString html = QStringLiteral("<b>") + esc(s.name) + QStringLiteral("</b> <i>") + Format::kindLabel(s.kind)
        + QStringLiteral("</i><br>");
    html += tr("Duration %1, self %2, starts at +%3")
                .arg(Format::duration(s.durationNs()), Format::duration(m_layout->selfTimeNs(step)),
                    Format::duration(s.startNs - m_snapshot->startNs()));
    if (!s.model.empty())
        html += QStringLiteral("<br>") + tr("Model: %1").arg(esc(s.model));
    if (!s.toolName.empty())
        html += QStringLiteral("<br>") + tr("Tool: %1").arg(esc(s.toolName));
    if (s.tokens.input || s.tokens.output)
        html += QStringLiteral("<br>")
            + tr("Tokens: %1 in, %2 out")
                  .arg(Format::tokens(s.tokens.input.value_or(0)), Format::tokens(s.tokens.output.value_or(0)));
    const int agent = m_snapshot->owningAgent(step);
    if (agent >= 0 && agent != step)
        html += QStringLiteral("<br>") + tr("Agent: %1").arg(esc(m_snapshot->step(agent).name));
    if (s.status == StepStatus::Error)
        html += QStringLiteral("<br><span style='color:#dc2626'>") + tr("Error: %1").arg(esc(s.statusMessage))
            + QStringLiteral("</span>");
    if (m_layout->onCriticalPath(step))
        html += QStringLiteral("<br>") + tr("On the critical path");
    return QStringLiteral("<p style='white-space:pre'>") + html + QStringLiteral("</p>");
}

bool TimelineView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_renderer) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int step = stepAt(help->pos());
        if (step >= 0)
            QToolTip::showText(help->globalPos(), toolTipFor(step), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::NativeGesture) {
        auto* gesture = static_cast<QNativeGestureEvent*>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            const QRect time = TimelineRenderer::timeRect(area(), m_state.mode);
            zoomAt(gesture->position().x() - time.left(), 1.0 + gesture->value());
            return true;
        }
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace Tracelight
