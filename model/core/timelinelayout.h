#pragma once

#include "tracesnapshot.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace Tracelight {

// Where every step of a trace sits in the timeline, computed once per trace on a worker thread and shared
// read-only with the views (house style point 9): a flat, time-sorted array per lane rather than an item model.
//
// Waterfall: one row per step, in causal order (row == position in TraceSnapshot::causalOrder()).
// Flame: steps stacked under their parents on lanes. Steps on one lane never overlap in time, so a lane is
// sorted by start and by end at once and the first step in a time range is a binary search. Parallel
// siblings that would overlap go to the next free lane below.
class TimelineLayout
{
public:
    static std::shared_ptr<const TimelineLayout> build(const TraceSnapshot& snapshot);

    // The drawn extent of a step: a step that never ended is drawn as an instant at its start.
    static std::int64_t visualEnd(const StepRecord& step)
    {
        return step.endNs > step.startNs ? step.endNs : step.startNs;
    }

    int rowOf(int step) const { return m_row[std::size_t(step)]; }
    int laneOf(int step) const { return m_lane[std::size_t(step)]; }
    int laneCount() const { return static_cast<int>(m_lanes.size()); }
    const std::vector<int>& lane(int index) const { return m_lanes[std::size_t(index)]; }
    // The error steps of a lane, in the same order: drawn on top so that merging never hides a failure.
    const std::vector<int>& errorLane(int index) const { return m_errorLanes[std::size_t(index)]; }

    // Time a step spent outside its children (the union of their intervals, clipped to the step).
    std::int64_t selfTimeNs(int step) const { return m_self[std::size_t(step)]; }
    // The chain of steps that set the run's end-to-end latency: each step on it is one the run waited for.
    bool onCriticalPath(int step) const { return m_critical[std::size_t(step)] != 0; }
    const std::vector<int>& criticalPath() const { return m_criticalPath; } // in causal order

private:
    std::vector<int> m_row;
    std::vector<int> m_lane;
    std::vector<std::vector<int>> m_lanes;
    std::vector<std::vector<int>> m_errorLanes;
    std::vector<std::int64_t> m_self;
    std::vector<std::uint8_t> m_critical;
    std::vector<int> m_criticalPath;
};

using TimelineLayoutPtr = std::shared_ptr<const TimelineLayout>;

} // namespace Tracelight
