#include "timelinelod.h"

#include <timelinelayout.h>

#include <algorithm>
#include <cmath>

namespace Tracelight {

std::vector<LodBox> mergeLane(const TraceSnapshot& s, const std::vector<int>& lane, const TimeAxis& axis, int width)
{
    std::vector<LodBox> boxes;
    if (lane.empty() || width <= 0)
        return boxes;
    const auto end = [&](int i) { return TimelineLayout::visualEnd(s.step(i)); };
    const auto start = [&](int i) { return s.step(i).startNs; };
    const std::int64_t viewStart = axis.time(0);
    const std::int64_t viewEnd = axis.time(width);

    // Ends are sorted as well as starts, since steps on a lane never overlap.
    auto it = std::lower_bound(lane.begin(), lane.end(), viewStart, [&](int i, std::int64_t t) { return end(i) < t; });
    int nextFree = 0;
    while (it != lane.end() && start(*it) <= viewEnd) {
        const int column = std::max(nextFree, int(std::floor(axis.x(start(*it)))));
        if (column >= width)
            break;
        // Every step that starts before the next column shares this one.
        const std::int64_t columnEnd = axis.time(column + 1);
        auto groupEnd
            = std::lower_bound(it, lane.end(), columnEnd, [&](int i, std::int64_t t) { return start(i) < t; });
        if (groupEnd == it)
            ++groupEnd; // rounding put the start a hair past the column: still one step
        const double lastEnd = std::ceil(axis.x(end(*(groupEnd - 1))));
        int x1 = int(std::clamp(lastEnd, double(column + 1), double(width)));
        // Only the group's last step can reach past the column. When it is wide, it gets a box of its own so that
        // the small steps before it do not borrow its colour and name.
        if (groupEnd - it > 1 && lastEnd > column + 2) {
            --groupEnd;
            x1 = column + 1;
        }
        boxes.push_back({ column, x1, *it, int(groupEnd - it) });
        nextFree = x1;
        it = groupEnd;
    }
    return boxes;
}

} // namespace Tracelight
