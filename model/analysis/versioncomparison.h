#pragma once

#include "tracesummary.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace Tracelight {

class TraceStore;

// The runs of one agent version, summarized: what "v2 is worse than v1" is measured with.
struct VersionStats
{
    std::string version;
    int runs = 0;
    int failedRuns = 0; // runs with at least one error step
    double errorRate = 0; // failedRuns / runs
    double p50DurationMs = 0; // percentiles over the runs (StatMath::percentile, as the dashboard)
    double p95DurationMs = 0;
    std::optional<double> medianCostUsd; // over the runs with a known cost; unknown when none has one
    double medianTokens = 0; // input + output
    double llmCallsPerRun = 0;
    double toolCallsPerRun = 0;
    struct Tool
    {
        int calls = 0;
        int errors = 0;
    };
    std::map<std::string, Tool> tools;
    std::vector<std::string> traceIds; // the runs behind the figures, newest first
};

namespace VersionComparison {

// The runs whose service.version (or, when the runs carry none, agent version) is version, optionally of one
// service.
VersionStats stats(TraceStore& store, const std::string& version, const std::string& service = {});
// Every version in the cache (of one service), sorted.
std::vector<std::string> versions(TraceStore& store, const std::string& service = {});
// Pure part, for tests: the figures of a set of runs.
VersionStats summarize(const std::string& version, const std::vector<TraceSummary>& runs);

} // namespace VersionComparison

} // namespace Tracelight
