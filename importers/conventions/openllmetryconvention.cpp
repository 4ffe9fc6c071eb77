// OpenLLMetry / Traceloop (trace-formats.md section 3, "OpenLLMetry / Traceloop flattened attributes"): the
// traceloop.* decorator spans and llm.request.type. Its gen_ai.prompt.{i}.* / gen_ai.completion.{i}.* messages and
// gen_ai.usage.* counts are GenAI keys and are read by applyGenAi.

#include "conventions.h"
#include "conventionutil.h"

namespace Tracelight::Conventions {

using nlohmann::json;
using namespace Detail;

namespace {

std::optional<StepKind> kindForSpanKind(const std::string& kind)
{
    if (kind == "workflow" || kind == "task")
        return StepKind::Chain;
    if (kind == "agent")
        return StepKind::Agent;
    if (kind == "tool")
        return StepKind::Tool;
    return std::nullopt;
}

std::optional<StepKind> kindForRequestType(const std::string& type)
{
    if (type == "chat" || type == "completion")
        return StepKind::Llm;
    if (type == "embedding")
        return StepKind::Embedding;
    if (type == "rerank")
        return StepKind::Retriever;
    return std::nullopt;
}

} // namespace

void applyOpenLlmetry(const AttributeView& a, Step& s)
{
    const std::string spanKind = lowercase(a.string("traceloop.span.kind").value_or(std::string()));
    const std::string requestType = lowercase(a.string("llm.request.type").value_or(std::string()));
    const bool traceloop = !spanKind.empty() || a.hasPrefix("traceloop.");
    if (!traceloop && requestType.empty())
        return;
    if (s.operation.empty())
        s.operation = !spanKind.empty() ? spanKind : requestType;

    std::optional<StepKind> kind = kindForSpanKind(spanKind);
    if (!kind)
        kind = kindForRequestType(requestType);

    const auto entity = firstString(a, { "traceloop.entity.name" });
    if (kind == StepKind::Tool) {
        fill(s.toolName, entity);
        fillRaw(s.toolArguments, a, { "traceloop.entity.input" });
        fillRaw(s.toolResult, a, { "traceloop.entity.output" });
    } else {
        if (kind == StepKind::Agent) {
            fill(s.agentName, entity);
            fill(s.agentVersion, firstString(a, { "traceloop.entity.version" }));
        }
        // {"args": […], "kwargs": {…}} and the function's return value, as text for the inspector and search.
        setInput(s, Messages::textMessages("user", a.plain("traceloop.entity.input")));
        setOutput(s, Messages::textMessages("assistant", a.plain("traceloop.entity.output")));
    }
    fill(s.sessionId, firstString(a, { "traceloop.association.properties.session_id" }));
    fill(s.userId, firstString(a, { "traceloop.association.properties.user_id" }));
    // Older OpenLLMetry wrote capitalised vendor names in gen_ai.system ("Anthropic", "OpenAI").
    if (!s.provider.empty() && s.provider == a.string("gen_ai.system").value_or(std::string()))
        s.provider = lowercase(s.provider);

    setKind(s, kind);
}

} // namespace Tracelight::Conventions
