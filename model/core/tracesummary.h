#pragma once

#include "atom.h"
#include "step.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Where a cost comes from: recorded by the source, computed from the tokens and the price table, both (a run that
// mixes the two), or unknown (no price for the model, or no usage). None: nothing to cost (not an llm call).
enum class CostSource : std::uint8_t
{
    None,
    Recorded,
    Computed,
    Mixed,
    Unknown,
};

// "recorded", "computed", "mixed", "unknown"; "" for None.
std::string_view costSourceName(CostSource source);

// One row of the trace list; the aggregates are kept by TraceWriter after every import.
struct TraceSummary
{
    std::string traceId;
    std::string name;
    std::string service;
    std::string version;
    std::string agent;
    std::string sessionId;
    std::string userId;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int64_t spans = 0;
    std::int64_t llmCalls = 0;
    std::int64_t toolCalls = 0;
    TokenTotals tokens; // summed over llm steps only
    // Cost of the llm steps whose cost is known (see CostModel); unknown when none is. Filled when the store has a
    // cost model; otherwise what the sources recorded.
    std::optional<double> costUsd;
    std::int64_t errors = 0;
    CostSource costSource = CostSource::None;
    std::int64_t unknownCostCalls = 0; // llm calls whose cost is unknown (not in costUsd)
    std::vector<std::string> unpricedModels; // models of those calls that have no price
    // The findings the cache holds for the run (FindingsIndex): how many, the most severe (a FindingSeverity, -1
    // for none) and their kinds ("loop,ungrounded_argument").
    std::int64_t findings = 0;
    int findingsSeverity = -1;
    std::string findingKinds;
    // The annotations people added to the run or its steps (annotation.h): how many, and their distinct labels.
    std::int64_t annotations = 0;
    std::vector<std::string> annotationLabels;

    double durationMs() const { return endNs > startNs ? double(endNs - startNs) / 1e6 : 0.0; }
};

// The light part of a step: what the tree, the timeline and `show` need. The long texts stay in the cache
// until the inspector asks for one step (StepDetail).
struct StepRecord
{
    std::int64_t rowId = 0;
    std::string spanId;
    std::string parentId;
    std::string name;
    StepKind kind = StepKind::Other;
    StepStatus status = StepStatus::Unset;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::string statusMessage;
    // Few distinct values per trace: interned (a pointer each instead of a string).
    Atom operation;
    Atom model;
    Atom provider;
    Atom toolName;
    Atom agentName;
    Atom service;
    TokenUsage tokens;
    std::optional<double> costUsd; // recorded by the source, or computed by the store's cost model
    CostSource costSource = CostSource::None;

    std::int64_t durationNs() const { return endNs > startNs ? endNs - startNs : 0; }
};

// Everything the cache holds about one step: the Step it was imported from, whole (its resource and scope
// included), the light record the views use (with the cost the store's cost model gives), and where it came from.
struct StepDetail
{
    // step.resource and step.scope are never null (empty ones when the step had none).
    StepDetail();
    StepRecord record;
    Step step;
    std::string sourcePath;
    std::string sourceFormat; // the importer that wrote this copy of the step ("otlp-json", …)
};

} // namespace Tracelight
