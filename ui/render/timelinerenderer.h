#pragma once

#include "timeaxis.h"

#include <timelinelayout.h>
#include <tracesnapshot.h>

#include <QCoreApplication>
#include <QFont>
#include <QPalette>
#include <QRect>

#include <memory>
#include <vector>

class QPainter;

namespace Tracelight {

enum class TimelineMode
{
    Waterfall,
    Flame,
};

// What the timeline shows right now; the widget owns one, `tracelight render` builds one.
struct TimelineState
{
    TimelineMode mode = TimelineMode::Waterfall;
    TimeAxis axis; // maps time onto the time area (timeRect), x = 0 at its left edge
    int scrollY = 0; // content pixels scrolled off the top
    int current = -1;
    int hovered = -1;
    bool criticalPath = false;
    // Steps matching the find bar, one flag per step; null when nothing is searched.
    std::shared_ptr<const std::vector<std::uint8_t>> matches;
    // Steps a finding points at: per step 0 for none, else 1 + the most severe finding's severity; null for none.
    std::shared_ptr<const std::vector<std::uint8_t>> findings;
    // Steps a person annotated (a flag per step); null for none.
    std::shared_ptr<const std::vector<std::uint8_t>> annotated;
    // Pixel range being drag-selected in the time area (zoom to range), empty when none.
    int selectFrom = 0;
    int selectTo = 0;
};

// Paints the timeline of one trace onto any QPainter: the widget's viewport and `tracelight render` share it,
// so the picture in a bug report is the picture on screen. Layout of the area, top to bottom: overview strip of
// the whole run, time ruler, then rows (waterfall: one per step, names in a left gutter) or lanes (flame).
class TimelineRenderer
{
    Q_DECLARE_TR_FUNCTIONS(TimelineRenderer)

public:
    static constexpr int OverviewHeight = 36;
    static constexpr int RulerHeight = 24;
    static constexpr int RowHeight = 22;
    // Failures merged with their neighbours show as a tick this high along the bottom of their row (and in the
    // overview's error row); a failed step at least MinFramedErrorWidth pixels wide also gets a red frame.
    static constexpr int ErrorTickHeight = 3;
    static constexpr int MinFramedErrorWidth = 4;
    static constexpr int GutterWidth = 300;
    static constexpr int IndentStep = 14;

    TimelineRenderer(TraceSnapshotPtr snapshot, TimelineLayoutPtr layout);

    const TraceSnapshot& snapshot() const { return *m_snapshot; }
    const TimelineLayout& layout() const { return *m_layout; }

    static QRect overviewRect(const QRect& area);
    static QRect rulerRect(const QRect& area, TimelineMode mode);
    // Rows or lanes, below the ruler; in waterfall the gutter is its left part.
    static QRect contentRect(const QRect& area);
    static QRect timeRect(const QRect& area, TimelineMode mode);

    int contentHeight(TimelineMode mode) const;
    // An axis that shows the whole run with a small margin on both sides.
    TimeAxis fitAxis(const QRect& area, TimelineMode mode) const;
    // Row (waterfall) or lane (flame) top, in content coordinates (before scrolling).
    int stepTop(int step, TimelineMode mode) const;

    void paint(QPainter& painter, const QRect& area, const TimelineState& state, const QPalette& palette,
        const QFont& font) const;
    // The step under a point of the area, -1 for none.
    int stepAt(const QPoint& point, const QRect& area, const TimelineState& state) const;

    static bool isDark(const QPalette& palette);
    static QColor agentColor(const std::string& agentName, bool dark);

private:
    struct Context;
    void paintOverview(QPainter& painter, const Context& c) const;
    void paintRuler(QPainter& painter, const Context& c) const;
    void paintWaterfall(QPainter& painter, const Context& c) const;
    void paintFlame(QPainter& painter, const Context& c) const;
    QString barLabel(int step, bool withSelfTime) const;

    TraceSnapshotPtr m_snapshot;
    TimelineLayoutPtr m_layout;
};

} // namespace Tracelight
