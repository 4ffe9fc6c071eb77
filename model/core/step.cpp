#include "step.h"

#include "tracesummary.h"

#include <algorithm>
#include <array>

namespace Tracelight {

namespace {
constexpr std::array<std::string_view, StepKindCount> kindNames = {
    "agent",
    "llm",
    "tool",
    "retriever",
    "embedding",
    "chain",
    "guardrail",
    "handoff",
    "human",
    "evaluator",
    "event",
    "other",
};
}

std::string_view stepKindName(StepKind kind)
{
    const auto index = static_cast<std::size_t>(kind);
    return index < kindNames.size() ? kindNames[index] : std::string_view("other");
}

std::optional<StepKind> stepKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kindNames.size(); ++i) {
        if (kindNames[i] == name)
            return static_cast<StepKind>(i);
    }
    return std::nullopt;
}

std::string_view stepStatusName(StepStatus status)
{
    switch (status) {
    case StepStatus::Ok:
        return "ok";
    case StepStatus::Error:
        return "error";
    case StepStatus::Unset:
        break;
    }
    return "unset";
}

StepDetail::StepDetail()
{
    static const auto noResource = std::make_shared<const Resource>();
    static const auto noScope = std::make_shared<const Scope>();
    step.resource = noResource;
    step.scope = noScope;
}

std::int64_t Step::completeness() const
{
    // Revision above end time above size; each band fits under the next (sizes stay far below 2^40 bytes).
    const std::int64_t clampedRevision = std::clamp<std::int64_t>(revision, 0, (std::int64_t(1) << 20) - 1);
    std::int64_t score = clampedRevision << 42;
    score += endNs > 0 ? (std::int64_t(1) << 40) : 0;
    score += static_cast<std::int64_t>(attributesJson.size() + eventsJson.size() + linksJson.size());
    score += static_cast<std::int64_t>(inputMessages.size() + outputMessages.size());
    return score;
}

} // namespace Tracelight
