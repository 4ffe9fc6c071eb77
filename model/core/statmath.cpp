#include "statmath.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace Tracelight::StatMath {

double percentile(const std::vector<double>& sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    const double rank = std::clamp(p, 0.0, 1.0) * double(sorted.size() - 1);
    const auto low = static_cast<std::size_t>(std::floor(rank));
    const std::size_t high = std::min(low + 1, sorted.size() - 1);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - double(low));
}

LatencySummary summarize(std::vector<double>& valuesMs)
{
    LatencySummary s;
    if (valuesMs.empty())
        return s;
    std::sort(valuesMs.begin(), valuesMs.end());
    s.count = static_cast<std::int64_t>(valuesMs.size());
    s.meanMs = std::accumulate(valuesMs.begin(), valuesMs.end(), 0.0) / double(valuesMs.size());
    s.p50Ms = percentile(valuesMs, 0.50);
    s.p95Ms = percentile(valuesMs, 0.95);
    s.p99Ms = percentile(valuesMs, 0.99);
    s.maxMs = valuesMs.back();
    return s;
}

std::int64_t bucketSize(std::int64_t rangeNs, int budget)
{
    constexpr std::int64_t minute = 60'000'000'000;
    constexpr std::int64_t hour = 60 * minute;
    constexpr std::int64_t day = 24 * hour;
    constexpr std::array<std::int64_t, 10> sizes
        = { minute, 5 * minute, 15 * minute, hour, 3 * hour, 6 * hour, 12 * hour, day, 7 * day, 30 * day };
    budget = std::max(budget, 1);
    for (const std::int64_t size : sizes) {
        if (rangeNs / size < budget)
            return size;
    }
    return (rangeNs / (30 * day) / budget + 1) * 30 * day;
}

std::vector<std::pair<int, int>> partition(int count, int budget)
{
    std::vector<std::pair<int, int>> ranges;
    if (count <= 0)
        return ranges;
    budget = std::clamp(budget, 1, count);
    ranges.reserve(static_cast<std::size_t>(budget));
    for (int i = 0; i < budget; ++i) {
        const int first = int(std::int64_t(count) * i / budget);
        const int last = int(std::int64_t(count) * (i + 1) / budget) - 1;
        ranges.emplace_back(first, last);
    }
    return ranges;
}

std::vector<StatsGroup> topGroups(std::vector<StatsGroup> groups, int budget, double (*weight)(const StatsGroup&))
{
    budget = std::max(budget, 2);
    if (static_cast<int>(groups.size()) <= budget)
        return groups;
    std::vector<std::size_t> order(groups.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](std::size_t a, std::size_t b) { return weight(groups[a]) > weight(groups[b]); });
    std::vector<bool> keep(groups.size(), false);
    for (int i = 0; i < budget - 1; ++i)
        keep[order[static_cast<std::size_t>(i)]] = true;
    std::vector<StatsGroup> result;
    StatsGroup others;
    others.others = true;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (keep[i]) {
            result.push_back(std::move(groups[i]));
            continue;
        }
        const StatsGroup& g = groups[i];
        others.runs += g.runs; // an upper bound: a run can be in several of the groups
        others.runsWithErrors += g.runsWithErrors;
        others.calls += g.calls;
        others.errors += g.errors;
        others.tokens += g.tokens;
        others.cost.add(g.cost);
        ++others.latency.count;
    }
    others.key = std::to_string(others.latency.count) + " others";
    others.latency = {};
    result.push_back(std::move(others));
    return result;
}

std::vector<HistogramBin> histogram(const std::vector<double>& sortedMs, int binCount)
{
    std::vector<HistogramBin> bins;
    if (sortedMs.empty() || binCount <= 0)
        return bins;
    // Durations span orders of magnitude (a 50 ms run next to a 10 min one): bins are equal on a log scale, as many
    // a decade as the budget allows (runs that all took about a minute still get a dozen bins).
    const double low = std::max(sortedMs.front(), 1.0);
    const double high = std::max(sortedMs.back(), low * 1.0001);
    double logLow = 0;
    double logHigh = 0;
    int count = 0;
    for (const int perDecade : { 20, 10, 5, 4, 2, 1 }) {
        logLow = std::floor(std::log10(low) * perDecade) / perDecade;
        logHigh = std::ceil(std::log10(high) * perDecade) / perDecade;
        count = std::max(1, int(std::lround((logHigh - logLow) * perDecade)));
        if (count <= binCount)
            break;
    }
    count = std::min(count, binCount);
    const double step = (logHigh - logLow) / count;
    for (int i = 0; i < count; ++i)
        bins.push_back({ std::pow(10.0, logLow + step * i), std::pow(10.0, logLow + step * (i + 1)), 0 });
    bins.front().fromMs = 0.0;
    for (const double value : sortedMs) {
        const auto at = std::upper_bound(
            bins.begin(), bins.end(), value, [](double v, const HistogramBin& bin) { return v < bin.toMs; });
        (at == bins.end() ? bins.back() : *at).runs++;
    }
    return bins;
}

} // namespace Tracelight::StatMath
