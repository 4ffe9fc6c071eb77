#pragma once

#include "costmodel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Which runs the statistics cover. Every filter selects runs (traces): --model selects the runs that called that
// model, --agent the runs in which that agent worked; the run's figures are then counted whole.
struct StatsFilter
{
    std::int64_t sinceNs = 0; // runs started at or after; 0: no bound
    std::int64_t untilNs = 0; // runs started before; 0: no bound
    std::string service;
    std::string version;
    std::string agent; // any step of the run has this agent name
    std::string model; // any llm step of the run has this model (a glob such as gpt-4o* also works)
    std::string tool; // any tool step of the run calls this tool
    bool errorsOnly = false;
    std::int64_t minDurationNs = 0; // runs that took at least this long; 0: no bound
    std::int64_t maxDurationNs = 0; // runs that took less than this; 0: no bound

    bool operator==(const StatsFilter&) const = default;
};

enum class StatsGrouping
{
    None,
    Model, // llm calls by model
    Tool, // tool calls by tool name
    Agent, // agent steps by agent name
    Version, // runs by service version
    Day, // runs by the UTC day they started
};

std::string_view statsGroupingName(StatsGrouping grouping);
std::optional<StatsGrouping> statsGroupingFromName(std::string_view name);

// Durations in milliseconds. Percentiles interpolate linearly between the closest ranks (numpy's default).
struct LatencySummary
{
    std::int64_t count = 0;
    double meanMs = 0.0;
    double p50Ms = 0.0;
    double p95Ms = 0.0;
    double p99Ms = 0.0;
    double maxMs = 0.0;
};

// One row of a breakdown. For model, tool and agent groups, calls/errors/latency are of those steps; for version
// and day groups they are of the runs (calls == runs).
struct StatsGroup
{
    std::string key;
    std::int64_t runs = 0;
    std::int64_t runsWithErrors = 0;
    std::int64_t calls = 0;
    std::int64_t errors = 0;
    LatencySummary latency;
    TokenTotals tokens;
    CostTotal cost;
    bool others = false; // the sum of the groups left out of a chart's point budget
};

// A run one click away from a figure (slowest, costliest, failed, or behind a chart element).
struct RunRef
{
    std::string traceId;
    std::string name;
    std::string service;
    std::string version;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int64_t errors = 0;
    std::int64_t llmCalls = 0;
    std::optional<double> costUsd;
    std::int64_t unknownCostCalls = 0;

    std::int64_t durationNs() const { return endNs > startNs ? endNs - startNs : 0; }
};

struct TimeBucket
{
    std::int64_t startNs = 0; // the bucket is [startNs, startNs + CacheStats::bucketNs)
    std::int64_t runs = 0;
    std::int64_t runsWithErrors = 0;
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    double costUsd = 0.0; // known costs only
    std::int64_t unknownCostCalls = 0;
};

struct HistogramBin
{
    double fromMs = 0.0;
    double toMs = 0.0;
    std::int64_t runs = 0;
};

struct CacheStats
{
    StatsFilter filter;
    std::int64_t runs = 0;
    std::int64_t runsWithErrors = 0;
    std::int64_t steps = 0;
    std::int64_t llmCalls = 0;
    std::int64_t toolCalls = 0;
    std::int64_t toolErrors = 0;
    std::int64_t retrievals = 0; // retriever steps
    std::int64_t runsWithRetrieval = 0;
    std::int64_t runsWithHuman = 0; // escalations: a human step in the run
    std::int64_t runsWithHandoff = 0; // a handoff step, or more than one agent at work
    TokenTotals tokens; // over llm steps only, as everywhere
    CostTotal cost;
    std::optional<double> medianRunCostUsd; // over the runs whose cost is known
    std::int64_t runsWithKnownCost = 0;
    LatencySummary runLatency;
    std::int64_t firstStartNs = 0;
    std::int64_t lastStartNs = 0;

    StatsGrouping grouping = StatsGrouping::None;
    std::vector<StatsGroup> groups;

    // Filled for the dashboard (StatsOptions::dashboard): series already reduced to the point budget.
    std::int64_t bucketNs = 0;
    std::vector<TimeBucket> timeline;
    std::vector<HistogramBin> latencyHistogram;
    std::vector<StatsGroup> byModel;
    std::vector<StatsGroup> byTool;
    std::vector<StatsGroup> byAgent;
    std::vector<StatsGroup> byVersion;
    std::vector<RunRef> slowest;
    std::vector<RunRef> costliest;
    std::vector<RunRef> failed;

    double share(std::int64_t part) const { return runs > 0 ? double(part) / double(runs) : 0.0; }
    double errorRate() const { return share(runsWithErrors); }
    double escalationRate() const { return share(runsWithHuman); }
    double handoffRate() const { return share(runsWithHandoff); }
    double toolSuccessRate() const { return toolCalls > 0 ? 1.0 - double(toolErrors) / double(toolCalls) : 0.0; }
};

struct StatsOptions
{
    StatsGrouping grouping = StatsGrouping::None;
    bool dashboard = false;
    int pointBudget = 200; // at most this many time buckets
    int categoryBudget = 10; // at most this many bars per breakdown chart (the rest summed as "others")
    int topRuns = 10;
};

} // namespace Tracelight
