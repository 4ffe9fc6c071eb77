#pragma once

#include "tokenusage.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// What a step is, whatever convention or format it came from (trace-formats.md section 8).
enum class StepKind : std::uint8_t
{
    Agent,
    Llm,
    Tool,
    Retriever,
    Embedding,
    Chain,
    Guardrail,
    Handoff,
    Human,
    Evaluator,
    Event,
    Other,
};
inline constexpr int StepKindCount = 12;

std::string_view stepKindName(StepKind kind);
std::optional<StepKind> stepKindFromName(std::string_view name);

enum class StepStatus : std::uint8_t
{
    Unset,
    Ok,
    Error,
};

std::string_view stepStatusName(StepStatus status);

// Shared by every span of one resourceSpans entry: stored once in the cache, referenced by id.
struct Resource
{
    std::string attributesJson = "[]"; // the source's KeyValue list, verbatim in OTLP JSON form
    std::string serviceName;
    std::string serviceVersion;
};

struct Scope
{
    std::string name;
    std::string version;
    std::string attributesJson = "[]";
};

// One normalized step as an importer produces it. Strings are UTF-8; ids are normalized (lowercase hex for
// OTLP, the source's own id otherwise). Every attribute, event and link of the source is kept in the *Json
// fields so that nothing from the file is lost.
struct Step
{
    std::string traceId;
    std::string spanId;
    std::string parentId; // empty for a root
    std::string name;
    StepKind kind = StepKind::Other;
    int otelKind = 0; // SpanKind enum value
    std::int64_t startNs = 0;
    std::int64_t endNs = 0; // 0 when unknown (a span that never ended)
    StepStatus status = StepStatus::Unset;
    std::string statusMessage;

    std::string operation; // gen_ai.operation.name or the source's own type
    std::string model;
    std::string provider;
    TokenUsage tokens;
    std::optional<double> costUsd; // only when the source recorded it

    std::string toolName;
    std::string toolCallId;
    std::string toolArguments; // raw text as the source gave it
    std::string toolResult;

    std::string agentName;
    std::string agentVersion;
    std::string sessionId;
    std::string userId;

    // Normalized messages: JSON arrays of {role, parts:[{type, ...}], name?, finish_reason?}.
    std::string systemInstructions;
    std::string inputMessages;
    std::string outputMessages;
    // Plain text extracted from the messages, for full-text search.
    std::string inputText;
    std::string outputText;

    std::string attributesJson = "[]";
    std::string eventsJson = "[]";
    std::string linksJson = "[]";
    std::string traceState;
    std::uint32_t flags = 0;

    std::shared_ptr<const Resource> resource;
    std::shared_ptr<const Scope> scope;

    // How much of a growing source this copy reflects, for importers of logs that are appended to (a coding
    // agent's session): the last source line the step was built from. A session re-imported after it grew
    // yields later revisions of the steps that changed (the session, the open turn, a tool that got its
    // result), and those replace the earlier copies. 0 for formats whose spans never change.
    std::int64_t revision = 0;

    // Which copy of a span wins when the same span arrives twice: the later revision, then the one with an
    // end time, then the one with more data.
    std::int64_t completeness() const;
};

using StepBatch = std::vector<Step>;

} // namespace Tracelight
