#pragma once

#include "timeaxis.h"

#include <tracesnapshot.h>

#include <vector>

namespace Tracelight {

// One primitive to paint on a lane: whole pixel columns [x0, x1), standing for count consecutive steps of the
// lane starting with `step`. A box with count > 1 is a merge of steps too small to tell apart.
struct LodBox
{
    int x0 = 0;
    int x1 = 0;
    int step = -1;
    int count = 0;
};

// Level of detail (house style point 10): turns the steps of one lane (indices into the snapshot, sorted and
// non-overlapping, as TimelineLayout makes them) into at most one primitive per pixel column over [0, width).
// Cost is O(primitives × log n), independent of how many steps the range holds.
std::vector<LodBox> mergeLane(
    const TraceSnapshot& snapshot, const std::vector<int>& lane, const TimeAxis& axis, int width);

} // namespace Tracelight
