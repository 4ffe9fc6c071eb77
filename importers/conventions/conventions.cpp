#include "conventions.h"
#include "conventionutil.h"

namespace Tracelight::Conventions {

using nlohmann::json;
using namespace Detail;

namespace {

bool hasGenAiEvaluation(const json& events)
{
    if (!events.is_array())
        return false;
    for (const json& event : events) {
        if (event.is_object() && event.value("name", json()) == "gen_ai.evaluation.result")
            return true;
    }
    return false;
}

// Kinds from evidence, for spans that carry no convention's explicit kind marker.
void applyHeuristics(const AttributeView& a, const json& events, Step& s)
{
    if (s.kind != StepKind::Other)
        return;
    if (a.contains("gen_ai.tool.name") || !s.toolArguments.empty() || !s.toolName.empty())
        s.kind = StepKind::Tool;
    else if (a.contains("gen_ai.request.model") || a.contains("gen_ai.usage.input_tokens")
        || a.contains("llm.model_name") || a.contains("llm.token_count.prompt"))
        s.kind = StepKind::Llm;
    else if (a.contains("gen_ai.agent.name"))
        s.kind = StepKind::Agent;
    else if (hasGenAiEvaluation(events))
        s.kind = StepKind::Evaluator;
}

} // namespace

void apply(const AttributeView& attributes, const json& events, Step& step)
{
    // Priority order of trace-formats.md section 8 (see conventions.h).
    applyGenAi(attributes, step);
    applyGenAiEvents(events, step);
    applyOpenInference(attributes, step);
    applyOpenLlmetry(attributes, step);
    applyVercel(attributes, step);
    applyMcp(attributes, step);
    applyHeuristics(attributes, events, step);

    // Some sources give only the total: the output is what the input does not account for.
    if (step.tokens.input && !step.tokens.output) {
        if (auto total = firstInteger(attributes,
                { "gen_ai.usage.total_tokens", "llm.usage.total_tokens", "llm.token_count.total",
                    "ai.usage.totalTokens" });
            total && *total >= *step.tokens.input)
            step.tokens.output = *total - *step.tokens.input;
    }
}

void apply(const AttributeView& attributes, Step& step)
{
    apply(attributes, json(), step);
}

} // namespace Tracelight::Conventions
