#pragma once

#include "cachestats.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace Tracelight::StatMath {

// The p-th quantile (0 ≤ p ≤ 1) of sorted values, interpolating linearly between the closest ranks (numpy's
// default, Python's statistics.quantiles(method="inclusive")). 0 for no values.
double percentile(const std::vector<double>& sorted, double p);
// Count, mean, p50, p95, p99 and max of durations in ms (sorts them).
LatencySummary summarize(std::vector<double>& valuesMs);

// The smallest round bucket (1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 1 day, 7 days, 30 days, then multiples of
// 30 days) that cuts rangeNs into at most budget buckets.
std::int64_t bucketSize(std::int64_t rangeNs, int budget);

// Splits count items in order into at most budget consecutive ranges [first, last] of nearly equal size, for a
// per-item series (tokens of each llm call) longer than its point budget.
std::vector<std::pair<int, int>> partition(int count, int budget);

// Keeps the budget − 1 groups that rank first by weight and sums the rest into one "others" group (when more than
// budget groups are given). The groups keep their order.
std::vector<StatsGroup> topGroups(std::vector<StatsGroup> groups, int budget, double (*weight)(const StatsGroup&));

// Log-spaced bins over the durations (ms), at most binCount.
std::vector<HistogramBin> histogram(const std::vector<double>& sortedMs, int binCount);

} // namespace Tracelight::StatMath
