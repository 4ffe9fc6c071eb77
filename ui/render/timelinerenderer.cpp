#include "timelinerenderer.h"

#include "kindstyle.h"
#include "timelinelod.h"

#include <format.h>

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <functional>

namespace Tracelight {

struct TimelineRenderer::Context
{
    QRect area;
    QRect time;
    QRect content;
    const TimelineState& state;
    const QPalette& palette;
    QFont font;
    QFontMetrics metrics;
    bool dark;
};

namespace {

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t));
}

// Black or white, whichever reads better on the fill.
QColor textOn(const QColor& fill)
{
    const double luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return luminance > 0.55 ? QColor(0x11, 0x18, 0x27) : QColor(Qt::white);
}

QString stepTitle(const StepRecord& s)
{
    return Format::fromUtf8(s.name.empty() ? std::string("(unnamed)") : s.name);
}

} // namespace

TimelineRenderer::TimelineRenderer(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout)
    : m_snapshot(std::move(snapshot))
    , m_layout(std::move(layout))
{ }

bool TimelineRenderer::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor TimelineRenderer::agentColor(const std::string& agentName, bool dark)
{
    const std::size_t hash = std::hash<std::string> {}(agentName);
    const int hue = int(hash % 360);
    return QColor::fromHsv(hue, dark ? 140 : 170, dark ? 230 : 190);
}

QRect TimelineRenderer::overviewRect(const QRect& area)
{
    return QRect(area.left(), area.top(), area.width(), OverviewHeight);
}

QRect TimelineRenderer::rulerRect(const QRect& area, TimelineMode mode)
{
    const QRect time = timeRect(area, mode);
    return QRect(time.left(), area.top() + OverviewHeight, time.width(), RulerHeight);
}

QRect TimelineRenderer::contentRect(const QRect& area)
{
    return QRect(area.left(), area.top() + OverviewHeight + RulerHeight, area.width(),
        std::max(0, area.height() - OverviewHeight - RulerHeight));
}

QRect TimelineRenderer::timeRect(const QRect& area, TimelineMode mode)
{
    const QRect content = contentRect(area);
    // The names get a third of a narrow view and at most GutterWidth of a wide one.
    const int gutter = mode == TimelineMode::Waterfall ? std::clamp(area.width() / 3, 120, GutterWidth) : 0;
    return QRect(content.left() + gutter, content.top(), std::max(1, content.width() - gutter), content.height());
}

int TimelineRenderer::contentHeight(TimelineMode mode) const
{
    const int rows = mode == TimelineMode::Waterfall ? m_snapshot->size() : m_layout->laneCount();
    return rows * RowHeight;
}

int TimelineRenderer::stepTop(int step, TimelineMode mode) const
{
    return (mode == TimelineMode::Waterfall ? m_layout->rowOf(step) : m_layout->laneOf(step)) * RowHeight;
}

TimeAxis TimelineRenderer::fitAxis(const QRect& area, TimelineMode mode) const
{
    const int width = timeRect(area, mode).width();
    // Room on the right for the last bar's label.
    const int margin = std::min(12, width / 20);
    const TimeAxis axis = TimeAxis::fit(m_snapshot->startNs(), m_snapshot->endNs(), std::max(1, width - 2 * margin));
    return axis.panned(-margin);
}

void TimelineRenderer::paint(
    QPainter& painter, const QRect& area, const TimelineState& state, const QPalette& palette, const QFont& font) const
{
    const Context c { area, timeRect(area, state.mode), contentRect(area), state, palette, font, QFontMetrics(font),
        isDark(palette) };
    painter.save();
    painter.setFont(font);
    painter.fillRect(area, palette.color(QPalette::Base));
    painter.setClipRect(c.content);
    if (state.mode == TimelineMode::Waterfall)
        paintWaterfall(painter, c);
    else
        paintFlame(painter, c);
    painter.setClipping(false);
    paintOverview(painter, c);
    paintRuler(painter, c);

    if (state.selectFrom != state.selectTo) {
        const int x0 = c.time.left() + std::min(state.selectFrom, state.selectTo);
        const int x1 = c.time.left() + std::max(state.selectFrom, state.selectTo);
        QColor band = palette.color(QPalette::Highlight);
        band.setAlpha(60);
        painter.fillRect(QRect(x0, rulerRect(area, state.mode).top(), x1 - x0, area.bottom()), band);
        painter.setPen(palette.color(QPalette::Highlight));
        painter.drawLine(x0, rulerRect(area, state.mode).top(), x0, area.bottom());
        painter.drawLine(x1, rulerRect(area, state.mode).top(), x1, area.bottom());
        const QString span
            = Format::duration(state.axis.time(x1 - c.time.left()) - state.axis.time(x0 - c.time.left()));
        painter.setPen(palette.color(QPalette::Text));
        painter.drawText(QRect(x0, c.content.top() + 4, std::max(x1 - x0, 80), 20), Qt::AlignCenter, span);
    }
    painter.restore();
}

void TimelineRenderer::paintOverview(QPainter& painter, const Context& c) const
{
    const QRect strip = overviewRect(c.area).adjusted(0, 0, 0, -1);
    painter.fillRect(strip, c.palette.color(QPalette::AlternateBase));
    painter.setPen(c.palette.color(QPalette::Mid));
    painter.drawLine(strip.bottomLeft() + QPoint(0, 1), strip.bottomRight() + QPoint(0, 1));

    // A miniature flame of the first lanes over the whole run, with the same level-of-detail merging.
    // The lanes above, and below them a row of error ticks: merged work stays in its own colours however many of
    // the steps in a pixel column failed.
    const QRect inner = strip.adjusted(4, 4, -4, -4 - ErrorTickHeight - 1);
    const QRect errorRow(inner.left(), inner.bottom() + 2, inner.width(), ErrorTickHeight);
    const int lanes = std::min(m_layout->laneCount(), 8);
    if (lanes == 0 || inner.width() <= 0)
        return;
    const TimeAxis whole = TimeAxis::fit(m_snapshot->startNs(), m_snapshot->endNs(), inner.width());
    const double laneHeight = double(inner.height()) / lanes;
    for (int lane = 0; lane < lanes; ++lane) {
        const int y = inner.top() + int(lane * laneHeight);
        const int h = std::max(1, int((lane + 1) * laneHeight) - int(lane * laneHeight) - 1);
        for (const LodBox& box : mergeLane(*m_snapshot, m_layout->lane(lane), whole, inner.width())) {
            QColor fill = KindStyle::color(m_snapshot->step(box.step).kind, c.dark);
            fill.setAlpha(170);
            painter.fillRect(QRect(inner.left() + box.x0, y, box.x1 - box.x0, h), fill);
        }
    }
    for (int lane = 0; lane < m_layout->laneCount(); ++lane) {
        for (const LodBox& box : mergeLane(*m_snapshot, m_layout->errorLane(lane), whole, inner.width())) {
            painter.fillRect(
                QRect(inner.left() + box.x0, errorRow.top(), std::max(1, box.x1 - box.x0), errorRow.height()),
                KindStyle::errorColor(c.dark));
        }
    }

    // The part of the run the main area shows; the rest is veiled.
    const double left = whole.x(c.state.axis.time(0));
    const double right = whole.x(c.state.axis.time(c.time.width()));
    const int x0 = inner.left() + int(std::clamp(left, 0.0, double(inner.width())));
    const int x1 = inner.left() + int(std::clamp(right, 0.0, double(inner.width())));
    QColor veil = c.palette.color(QPalette::Base);
    veil.setAlpha(150);
    painter.fillRect(QRect(strip.left(), strip.top(), x0 - strip.left(), strip.height()), veil);
    painter.fillRect(QRect(x1, strip.top(), strip.right() - x1 + 1, strip.height()), veil);
    QPen frame(c.palette.color(QPalette::Highlight), 1.5);
    painter.setPen(frame);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(QRectF(x0, strip.top() + 1, std::max(2, x1 - x0), strip.height() - 2));
}

void TimelineRenderer::paintRuler(QPainter& painter, const Context& c) const
{
    const QRect ruler = rulerRect(c.area, c.state.mode);
    const QRect band(c.area.left(), ruler.top(), c.area.width(), ruler.height());
    painter.fillRect(band, c.palette.color(QPalette::Window));
    painter.setPen(c.palette.color(QPalette::Mid));
    painter.drawLine(band.bottomLeft(), band.bottomRight());
    if (c.state.mode == TimelineMode::Waterfall) {
        painter.setPen(c.palette.color(QPalette::PlaceholderText));
        const TraceSummary& t = m_snapshot->summary();
        painter.drawText(QRect(c.area.left() + 8, ruler.top(), c.time.left() - c.area.left() - 16, ruler.height()),
            Qt::AlignVCenter | Qt::AlignLeft,
            Format::count(m_snapshot->size(), tr("step"), tr("steps")) + QStringLiteral("  ·  ")
                + Format::duration(t.endNs - t.startNs));
    }

    const double labelWidth = c.metrics.horizontalAdvance(QStringLiteral("00.000 ms")) + 16;
    const auto ticks = c.state.axis.ticks(c.time.width(), labelWidth, m_snapshot->startNs());
    QColor grid = c.palette.color(QPalette::Mid);
    grid.setAlpha(c.dark ? 70 : 50);
    for (const TimeAxis::Tick& tick : ticks) {
        const int x = c.time.left() + int(std::lround(tick.x));
        painter.setPen(c.palette.color(QPalette::Mid));
        painter.drawLine(x, ruler.bottom() - 5, x, ruler.bottom());
        // A label that would be cut by the right edge is left out; its tick and grid line stay.
        if (x + 3 + c.metrics.horizontalAdvance(tick.label) <= ruler.right()) {
            painter.setPen(c.palette.color(QPalette::WindowText));
            painter.drawText(QRect(x + 3, ruler.top(), int(labelWidth), ruler.height() - 3),
                Qt::AlignBottom | Qt::AlignLeft, tick.label);
        }
        painter.setPen(grid);
        painter.drawLine(x, c.content.top(), x, c.content.bottom());
    }
}

QString TimelineRenderer::barLabel(int step, bool withSelfTime) const
{
    const StepRecord& s = m_snapshot->step(step);
    QString text = Format::duration(s.durationNs());
    if (withSelfTime)
        text += tr(" (self %1)").arg(Format::duration(m_layout->selfTimeNs(step)));
    if (s.tokens.input || s.tokens.output)
        text += QStringLiteral("  ·  ") + tr("%1 tok").arg(Format::tokens(s.tokens.total()));
    if (!s.model.empty())
        text += QStringLiteral("  ·  ") + Format::fromUtf8(s.model);
    else if (!s.toolName.empty() && s.toolName != s.name)
        text += QStringLiteral("  ·  ") + Format::fromUtf8(s.toolName);
    if (s.status == StepStatus::Error)
        text += QStringLiteral("  ·  ") + (s.statusMessage.empty() ? tr("error") : Format::fromUtf8(s.statusMessage));
    return text;
}

void TimelineRenderer::paintWaterfall(QPainter& painter, const Context& c) const
{
    const TraceSnapshot& s = *m_snapshot;
    const std::vector<int>& causal = s.causalOrder();
    const int first = std::max(0, c.state.scrollY / RowHeight);
    const int last = std::min(int(causal.size()) - 1, (c.state.scrollY + c.content.height()) / RowHeight);
    const QColor highlight = c.palette.color(QPalette::Highlight);
    const QColor text = c.palette.color(QPalette::Text);
    const QColor dimText = c.palette.color(QPalette::PlaceholderText);
    const QColor error = KindStyle::errorColor(c.dark);
    const int gutterRight = c.time.left();

    for (int row = first; row <= last; ++row) {
        const int i = causal[std::size_t(row)];
        const StepRecord& step = s.step(i);
        const int y = c.content.top() + row * RowHeight - c.state.scrollY;
        const QRect rowRect(c.area.left(), y, c.area.width(), RowHeight);
        const bool dimmed = c.state.criticalPath && !m_layout->onCriticalPath(i);
        if (row % 2)
            painter.fillRect(rowRect, c.palette.color(QPalette::AlternateBase));
        if (step.status == StepStatus::Error) {
            QColor tint = error;
            tint.setAlpha(c.dark ? 40 : 28);
            painter.fillRect(rowRect, tint);
        }
        if (c.state.matches && (*c.state.matches)[std::size_t(i)]) {
            QColor found(0xfd, 0xe0, 0x47);
            found.setAlpha(c.dark ? 60 : 110);
            painter.fillRect(rowRect, found);
        }
        if (i == c.state.current) {
            QColor selected = highlight;
            selected.setAlpha(c.dark ? 90 : 60);
            painter.fillRect(rowRect, selected);
        } else if (i == c.state.hovered) {
            QColor hover = highlight;
            hover.setAlpha(25);
            painter.fillRect(rowRect, hover);
        }

        // Gutter: owning agent stripe, indentation by depth, kind chip, name.
        const int owner = s.owningAgent(i);
        if (owner >= 0)
            painter.fillRect(QRect(c.area.left(), y + 1, 3, RowHeight - 2), agentColor(s.step(owner).name, c.dark));
        const int maxIndent = (gutterRight - c.area.left()) / 3;
        const int depth = s.depth(i);
        const int indent = std::min(depth * IndentStep, maxIndent);
        int x = c.area.left() + 8 + indent;
        if (depth * IndentStep > maxIndent) {
            painter.setPen(dimText);
            painter.drawText(QRect(x - 14, y, 14, RowHeight), Qt::AlignCenter, QString::number(depth));
        }
        const QColor kindColor = KindStyle::color(step.kind, c.dark);
        painter.setPen(Qt::NoPen);
        painter.setBrush(kindColor);
        if (step.kind == StepKind::Handoff) {
            // A handoff is where control moves between agents: a diamond, not a square.
            QPainterPath diamond;
            const QPointF centre(x + 5, y + RowHeight / 2.0);
            diamond.moveTo(centre + QPointF(0, -5));
            diamond.lineTo(centre + QPointF(5, 0));
            diamond.lineTo(centre + QPointF(0, 5));
            diamond.lineTo(centre + QPointF(-5, 0));
            diamond.closeSubpath();
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.drawPath(diamond);
            painter.setRenderHint(QPainter::Antialiasing, false);
        } else {
            painter.drawRoundedRect(QRect(x, y + 6, 10, RowHeight - 12), 2, 2);
        }
        x += 16;
        // A finding's marker at the gutter's right end, where it lines up from row to row.
        const int finding = c.state.findings ? (*c.state.findings)[std::size_t(i)] : 0;
        if (finding > 0) {
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.setBrush(KindStyle::findingColor(finding - 1, c.dark));
            painter.drawEllipse(QPointF(gutterRight - 10, y + RowHeight / 2.0), 4, 4);
            painter.setRenderHint(QPainter::Antialiasing, false);
        }
        // An annotated step's bookmark, left of the finding's marker.
        const bool annotated = c.state.annotated && (*c.state.annotated)[std::size_t(i)];
        if (annotated) {
            const double left = gutterRight - (finding > 0 ? 26 : 14);
            const double top = y + RowHeight / 2.0 - 5;
            QPainterPath bookmark;
            bookmark.moveTo(left, top);
            bookmark.lineTo(left + 7, top);
            bookmark.lineTo(left + 7, top + 10);
            bookmark.lineTo(left + 3.5, top + 7);
            bookmark.lineTo(left, top + 10);
            bookmark.closeSubpath();
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.fillPath(bookmark, c.palette.color(QPalette::Highlight));
            painter.setRenderHint(QPainter::Antialiasing, false);
        }
        const QRect nameRect(x, y, gutterRight - x - (finding > 0 ? 20 : 6) - (annotated ? 12 : 0), RowHeight);
        QFont nameFont = c.font;
        nameFont.setBold(step.kind == StepKind::Agent);
        painter.setFont(nameFont);
        painter.setPen(step.status == StepStatus::Error ? error : (dimmed ? dimText : text));
        painter.drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetrics(nameFont).elidedText(stepTitle(step), Qt::ElideRight, nameRect.width()));
        painter.setFont(c.font);

        // Bar on the shared time axis.
        const double x0 = c.time.left() + c.state.axis.x(step.startNs);
        const double x1 = c.time.left() + c.state.axis.x(TimelineLayout::visualEnd(step));
        const int barLeft = int(std::floor(std::clamp(x0, double(c.time.left()) - 2, double(c.time.right()) + 2)));
        const int barRight = std::max(
            barLeft + 2, int(std::ceil(std::clamp(x1, double(c.time.left()) - 2, double(c.time.right()) + 2))));
        const QRect bar(barLeft, y + 4, barRight - barLeft, RowHeight - 8);
        QColor fill = step.status == StepStatus::Error ? error : kindColor;
        if (dimmed)
            fill = mix(fill, c.palette.color(QPalette::Base), 0.7);
        painter.setClipRect(c.time.intersected(c.content));
        painter.fillRect(bar, fill);
        if (step.endNs <= step.startNs && step.endNs == 0) {
            // Never ended: a hollow tick at the start.
            painter.setPen(QPen(fill, 1, Qt::DashLine));
            painter.drawLine(barLeft, y + 2, barLeft, y + RowHeight - 2);
        }
        if (c.state.criticalPath && !dimmed) {
            painter.setPen(QPen(c.dark ? QColor(Qt::white) : QColor(0x11, 0x18, 0x27), 1.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5));
        }
        if (i == c.state.current) {
            painter.setPen(QPen(highlight, 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(bar.adjusted(-1, -1, 1, 1));
        }

        // Label: inside the bar when it fits, else to its right, else to its left.
        const QString label = barLabel(i, c.state.criticalPath);
        const int labelWidth = c.metrics.horizontalAdvance(label) + 8;
        painter.setPen(dimmed ? dimText : text);
        if (bar.width() >= labelWidth + 4) {
            painter.setPen(textOn(fill));
            painter.drawText(bar.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, label);
        } else if (c.time.right() - bar.right() >= labelWidth || bar.left() - c.time.left() < labelWidth) {
            painter.drawText(QRect(bar.right() + 5, y, std::max(0, c.time.right() - bar.right() - 5), RowHeight),
                Qt::AlignVCenter | Qt::AlignLeft, label);
        } else {
            painter.drawText(
                QRect(bar.left() - labelWidth, y, labelWidth - 4, RowHeight), Qt::AlignVCenter | Qt::AlignRight, label);
        }
        painter.setClipRect(c.content);
    }

    // Gutter separator.
    painter.setPen(c.palette.color(QPalette::Mid));
    painter.drawLine(gutterRight - 1, c.content.top(), gutterRight - 1, c.content.bottom());
}

void TimelineRenderer::paintFlame(QPainter& painter, const Context& c) const
{
    const TraceSnapshot& s = *m_snapshot;
    const int firstLane = std::max(0, c.state.scrollY / RowHeight);
    const int lastLane = std::min(m_layout->laneCount() - 1, (c.state.scrollY + c.content.height()) / RowHeight);
    const int minLabelWidth = c.metrics.averageCharWidth() * 6;
    const QColor error = KindStyle::errorColor(c.dark);
    const QColor base = c.palette.color(QPalette::Base);
    QRect currentBox;

    for (int lane = firstLane; lane <= lastLane; ++lane) {
        const int y = c.content.top() + lane * RowHeight - c.state.scrollY;
        for (const LodBox& box : mergeLane(s, m_layout->lane(lane), c.state.axis, c.time.width())) {
            const StepRecord& step = s.step(box.step);
            QRect r(c.time.left() + box.x0, y + 1, box.x1 - box.x0, RowHeight - 2);
            // A pixel of air between boxes that are wide enough to spare it.
            if (r.width() > 3)
                r.setRight(r.right() - 1);
            QColor fill = KindStyle::color(step.kind, c.dark);
            if (box.count > 1)
                fill = mix(fill, base, 0.35);
            const bool dimmed = c.state.criticalPath && !m_layout->onCriticalPath(box.step);
            if (dimmed)
                fill = mix(fill, base, 0.7);
            if (box.step == c.state.hovered && box.count == 1)
                fill = fill.lighter(115);
            painter.fillRect(r, fill);
            if (c.state.criticalPath && !dimmed && box.count == 1) {
                painter.setPen(QPen(c.dark ? QColor(Qt::white) : QColor(0x11, 0x18, 0x27), 1.5));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5));
            }
            if (c.state.matches && (*c.state.matches)[std::size_t(box.step)])
                painter.fillRect(QRect(r.left(), r.top(), r.width(), 4), QColor(0xfa, 0xcc, 0x15));
            if (const int finding = c.state.findings ? (*c.state.findings)[std::size_t(box.step)] : 0;
                finding > 0 && box.count == 1 && r.width() >= 8) {
                // A corner flag in the finding's colour.
                QPainterPath flag;
                flag.moveTo(r.topLeft());
                flag.lineTo(r.topLeft() + QPointF(8, 0));
                flag.lineTo(r.topLeft() + QPointF(0, 8));
                flag.closeSubpath();
                painter.setRenderHint(QPainter::Antialiasing, true);
                painter.fillPath(flag, KindStyle::findingColor(finding - 1, c.dark));
                painter.setRenderHint(QPainter::Antialiasing, false);
            }
            if (box.count == 1 && r.width() >= minLabelWidth) {
                QString label = stepTitle(step) + QStringLiteral("  ") + Format::duration(step.durationNs());
                if (c.state.criticalPath)
                    label += tr(" (self %1)").arg(Format::duration(m_layout->selfTimeNs(box.step)));
                painter.setPen(dimmed ? c.palette.color(QPalette::PlaceholderText) : textOn(fill));
                painter.drawText(r.adjusted(4, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                    c.metrics.elidedText(label, Qt::ElideRight, r.width() - 7));
            }
        }
        // Errors on top, where merging can never swallow them: a failed step wide enough to see gets a red frame;
        // failures merged with their neighbours get a red tick along the bottom of the row, so the healthy work
        // merged with them keeps its colours at any zoom.
        for (const LodBox& box : mergeLane(s, m_layout->errorLane(lane), c.state.axis, c.time.width())) {
            const QRect r(c.time.left() + box.x0, y + 1, std::max(2, box.x1 - box.x0), RowHeight - 2);
            if (box.count == 1 && r.width() >= MinFramedErrorWidth) {
                painter.setPen(QPen(error, 2));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(r).adjusted(1, 1, -1, -1));
            }
            painter.fillRect(QRect(r.left(), r.bottom() - ErrorTickHeight + 1, r.width(), ErrorTickHeight), error);
        }
        if (c.state.current >= 0 && m_layout->laneOf(c.state.current) == lane) {
            const StepRecord& step = s.step(c.state.current);
            const double x0 = c.state.axis.x(step.startNs);
            const double x1 = c.state.axis.x(TimelineLayout::visualEnd(step));
            currentBox = QRect(c.time.left() + int(std::floor(x0)), y, std::max(3, int(std::ceil(x1 - x0))), RowHeight);
        }
    }
    if (!currentBox.isNull()) {
        painter.setClipRect(c.time.intersected(c.content));
        painter.setPen(QPen(c.palette.color(QPalette::Highlight), 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(currentBox.adjusted(0, 0, -1, -1));
    }
}

int TimelineRenderer::stepAt(const QPoint& point, const QRect& area, const TimelineState& state) const
{
    const QRect content = contentRect(area);
    if (!content.contains(point) || m_snapshot->size() == 0)
        return -1;
    const int index = (point.y() - content.top() + state.scrollY) / RowHeight;
    if (state.mode == TimelineMode::Waterfall) {
        const std::vector<int>& causal = m_snapshot->causalOrder();
        return index >= 0 && index < int(causal.size()) ? causal[std::size_t(index)] : -1;
    }
    if (index < 0 || index >= m_layout->laneCount())
        return -1;
    const QRect time = timeRect(area, state.mode);
    const std::vector<int>& lane = m_layout->lane(index);
    // The first step ending at or after the point, with two pixels of slack for thin boxes.
    const std::int64_t t = state.axis.time(point.x() - time.left());
    const auto slack = std::int64_t(std::ceil(2 * state.axis.nsPerPixel()));
    auto it = std::lower_bound(lane.begin(), lane.end(), t - slack,
        [&](int i, std::int64_t value) { return TimelineLayout::visualEnd(m_snapshot->step(i)) < value; });
    if (it == lane.end() || m_snapshot->step(*it).startNs > t + slack)
        return -1;
    return *it;
}

} // namespace Tracelight
