#pragma once

#include "tracesnapshot.h"

#include <cstdint>
#include <string>
#include <vector>

namespace Tracelight {

class TraceStore;

// One tool call of a trace, as the tool call table shows it: the long texts are cut to a summary.
struct ToolCallRow
{
    int step = -1; // index into the TraceSnapshot
    std::string spanId;
    std::string tool;
    std::string agent;
    std::string arguments; // first SummaryLength characters, on one line
    std::string result;
    StepStatus status = StepStatus::Unset;
    std::string statusMessage;
    std::int64_t startNs = 0; // from the run's start
    std::int64_t durationNs = 0;
};

// The figures of one tool over a run.
struct ToolSummaryRow
{
    std::string tool;
    int calls = 0;
    int errors = 0;
    double successRate = 0; // calls without an error status / calls
    std::int64_t p50Ns = 0; // percentiles of the call durations (StatMath::percentile)
    std::int64_t p95Ns = 0;
    std::int64_t totalNs = 0;
    double shareOfRun = 0; // totalNs / the run's duration (parallel calls can add up to more than 1)
};

namespace ToolCalls {

inline constexpr int SummaryLength = 160;

// The tool calls of a trace in start order, with summaries of their arguments and results from the cache.
std::vector<ToolCallRow> load(TraceStore& store, const TraceSnapshot& snapshot);
// One row per tool, by number of calls then name.
std::vector<ToolSummaryRow> summarize(const std::vector<ToolCallRow>& calls, std::int64_t runDurationNs);
// Percentile (p in 0..100) of values, which it sorts, as the dashboard computes it (StatMath); 0 for none.
std::int64_t percentile(std::vector<std::int64_t>& values, double p);
// Collapses whitespace runs to one space and cuts at length characters (UTF-8 safe), adding "…".
std::string oneLine(std::string_view text, int length = SummaryLength);

} // namespace ToolCalls

} // namespace Tracelight
