#include "timelinelayout.h"

#include <algorithm>

namespace Tracelight {

namespace {

std::vector<int> childrenOf(const TraceSnapshot& s, int index)
{
    std::vector<int> children(std::size_t(s.childCount(index)));
    for (int row = 0; row < int(children.size()); ++row)
        children[std::size_t(row)] = s.child(index, row);
    return children;
}

// Greedy lane packing in causal order: a step goes to the first lane below its parent that is free at its
// start. Appending only when free keeps every lane sorted and free of overlaps.
void assignLanes(const TraceSnapshot& s, std::vector<int>& laneOf, std::vector<std::vector<int>>& lanes)
{
    std::vector<std::int64_t> busyUntil;
    for (const int i : s.causalOrder()) {
        const StepRecord& step = s.step(i);
        const int parent = s.parent(i);
        std::size_t lane = parent < 0 ? 0 : std::size_t(laneOf[std::size_t(parent)]) + 1;
        while (lane < busyUntil.size() && busyUntil[lane] > step.startNs)
            ++lane;
        if (lane >= busyUntil.size()) {
            busyUntil.resize(lane + 1, 0);
            lanes.resize(lane + 1);
        }
        busyUntil[lane] = TimelineLayout::visualEnd(step);
        laneOf[std::size_t(i)] = int(lane);
        lanes[lane].push_back(i);
    }
}

} // namespace

std::shared_ptr<const TimelineLayout> TimelineLayout::build(const TraceSnapshot& s)
{
    auto layout = std::make_shared<TimelineLayout>();
    TimelineLayout& l = *layout;
    const std::size_t n = std::size_t(s.size());

    l.m_row.assign(n, 0);
    const std::vector<int>& causal = s.causalOrder();
    for (std::size_t r = 0; r < causal.size(); ++r)
        l.m_row[std::size_t(causal[r])] = int(r);

    l.m_lane.assign(n, 0);
    assignLanes(s, l.m_lane, l.m_lanes);
    l.m_errorLanes.resize(l.m_lanes.size());
    for (std::size_t lane = 0; lane < l.m_lanes.size(); ++lane) {
        for (const int i : l.m_lanes[lane]) {
            if (s.step(i).status == StepStatus::Error)
                l.m_errorLanes[lane].push_back(i);
        }
    }

    // Self time: the step's span minus the union of its children's spans, clipped to the step. Children are
    // in start order, so one sweep per step merges them.
    l.m_self.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const StepRecord& step = s.step(int(i));
        const std::int64_t begin = step.startNs;
        const std::int64_t end = visualEnd(step);
        std::int64_t covered = 0;
        std::int64_t runStart = 0;
        std::int64_t runEnd = -1;
        const int count = s.childCount(int(i));
        for (int row = 0; row < count; ++row) {
            const StepRecord& c = s.step(s.child(int(i), row));
            const std::int64_t cs = std::clamp(c.startNs, begin, end);
            const std::int64_t ce = std::clamp(visualEnd(c), begin, end);
            if (cs > runEnd) {
                if (runEnd > runStart)
                    covered += runEnd - runStart;
                runStart = cs;
                runEnd = ce;
            } else {
                runEnd = std::max(runEnd, ce);
            }
        }
        if (runEnd > runStart)
            covered += runEnd - runStart;
        l.m_self[i] = std::max<std::int64_t>(0, end - begin - covered);
    }

    // Critical path: from the root that ended last, walk back from its end; the child that finished last before
    // the current point is what the parent waited for, then continue before that child's start. Iterative, so
    // a deep chain cannot overflow the stack.
    l.m_critical.assign(n, 0);
    int lastRoot = -1;
    for (const int r : s.roots()) {
        if (lastRoot < 0 || visualEnd(s.step(r)) > visualEnd(s.step(lastRoot)))
            lastRoot = r;
    }
    struct Pending
    {
        int step;
        std::int64_t until;
    };
    std::vector<Pending> stack;
    if (lastRoot >= 0)
        stack.push_back({ lastRoot, visualEnd(s.step(lastRoot)) });
    while (!stack.empty()) {
        const Pending p = stack.back();
        stack.pop_back();
        l.m_critical[std::size_t(p.step)] = 1;
        const std::int64_t begin = s.step(p.step).startNs;
        std::vector<int> children = childrenOf(s, p.step);
        std::sort(children.begin(), children.end(),
            [&](int a, int b) { return visualEnd(s.step(a)) > visualEnd(s.step(b)); });
        // A child still running at the cursor overlapped the one already on the path: the parent did not wait
        // for it. Children reaching past their parent are clipped to it.
        std::int64_t cursor = p.until;
        for (const int c : children) {
            const StepRecord& child = s.step(c);
            const std::int64_t end = std::min(visualEnd(child), p.until);
            if (end > cursor || end <= begin)
                continue;
            stack.push_back({ c, end });
            cursor = child.startNs;
            if (cursor <= begin)
                break;
        }
    }
    for (const int i : causal) {
        if (l.m_critical[std::size_t(i)])
            l.m_criticalPath.push_back(i);
    }
    return layout;
}

} // namespace Tracelight
