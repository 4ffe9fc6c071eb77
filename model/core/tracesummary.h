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
    std::int64_t inputTokens = 0; // summed over llm steps only
    std::int64_t outputTokens = 0;
    std::int64_t cacheReadTokens = 0;
    std::int64_t reasoningTokens = 0;
    // Cost of the llm steps whose cost is known (see CostModel); unknown when none is. Filled when the store has a
    // cost model; otherwise what the sources recorded.
    std::optional<double> costUsd;
    std::int64_t errors = 0;
    std::int64_t cacheWriteTokens = 0;
    CostSource costSource = CostSource::None;
    std::int64_t unknownCostCalls = 0; // llm calls whose cost is unknown (not in costUsd)
    std::vector<std::string> unpricedModels; // models of those calls that have no price

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
    std::optional<std::int64_t> inputTokens;
    std::optional<std::int64_t> outputTokens;
    std::optional<std::int64_t> cacheReadTokens;
    std::optional<std::int64_t> reasoningTokens;
    std::optional<double> costUsd; // recorded by the source, or computed by the store's cost model
    std::optional<std::int64_t> cacheWriteTokens;
    CostSource costSource = CostSource::None;

    std::int64_t durationNs() const { return endNs > startNs ? endNs - startNs : 0; }
};

// Everything the cache holds about one step: every field of the Step it was imported from, plus where it came from.
struct StepDetail
{
    StepRecord record;
    std::string traceId;
    int otelKind = 0;
    std::string toolCallId;
    std::string toolArguments;
    std::string toolResult;
    std::string sessionId;
    std::string userId;
    std::string agentVersion;
    std::optional<std::int64_t> cacheWriteTokens;
    std::string systemInstructions;
    std::string inputMessages;
    std::string outputMessages;
    std::string inputText;
    std::string outputText;
    std::string attributesJson;
    std::string eventsJson;
    std::string linksJson;
    std::string traceState;
    std::uint32_t flags = 0;
    std::string resourceJson = "[]"; // a step without a resource reads as one without attributes
    std::string resourceVersion; // record.service is the resource's service name
    std::string scopeName;
    std::string scopeVersion;
    std::string scopeAttributesJson = "[]";
    std::string sourcePath;
    std::string sourceFormat; // the importer that wrote this copy of the step ("otlp-json", …)
};

} // namespace Tracelight
