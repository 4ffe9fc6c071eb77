#pragma once

#include "tracesnapshot.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Tracelight {

// The figures behind a run's charts: where its time went (by step kind and by agent), what each llm call used and
// cost, in order (a loop of 20 calls instead of 3 shows as 20 bars), and how long each tool call took. Computed
// from an immutable snapshot on a worker thread; costs are the snapshot's (see TraceStore::setCostModel).
struct RunStats
{
    struct LlmCall
    {
        int step = -1; // index into the snapshot
        std::string model;
        TokenTotals tokens;
        std::optional<double> costUsd;
        std::int64_t durationNs = 0;
        bool failed = false;
    };
    struct ToolCall
    {
        int step = -1;
        std::string tool;
        std::int64_t durationNs = 0;
        bool failed = false;
    };

    // Self time: a step's duration less the time its children cover. Children that run in parallel each count, so
    // the sum can exceed the run's wall-clock time.
    std::array<std::int64_t, 12> selfNsByKind {};
    // Self time of the steps under each agent (the nearest agent step above them), largest first; "" collects the
    // steps outside any agent.
    std::vector<std::pair<std::string, std::int64_t>> selfNsByAgent;
    std::vector<LlmCall> llmCalls; // in start order
    std::vector<ToolCall> toolCalls; // in start order
    std::int64_t wallNs = 0;

    static RunStats compute(const TraceSnapshot& snapshot);
    // A step's self time in the snapshot.
    static std::int64_t selfNs(const TraceSnapshot& snapshot, int step);
};

static_assert(StepKindCount == 12, "RunStats::selfNsByKind has one slot per step kind");

} // namespace Tracelight
