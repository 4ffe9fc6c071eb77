#pragma once

#include <nlohmann/json_fwd.hpp>

namespace Tracelight {

class AttributeView;
struct Step;

// Semantic-convention mapping: fills a normalized step from a span's attributes and events.
//
// Precedence (trace-formats.md section 8, "the first hit wins"): OpenTelemetry GenAI, then OpenInference, then
// OpenLLMetry, then the Vercel AI SDK's ai.* attributes. Each convention fills only fields still empty, so a
// span carrying several conventions (Vercel do* spans with gen_ai.*, OpenLLMetry with gen_ai.*, OpenInference
// with gen_ai.*) has every figure taken from one source and never added up. The step kind is decided the same
// way from each convention's explicit marker (gen_ai.operation.name, openinference.span.kind,
// traceloop.span.kind / llm.request.type, ai.operationId); only when none is present do heuristics on the
// attributes decide. Two rules override "first hit wins", both from section 8/9:
//   - Vercel's outer ai.generateText / streamText / generateObject / streamObject / embed / embedMany spans
//     repeat the usage of their inner do* spans: they become chain steps and keep no token counts or cost.
//   - A provider written as Vercel's "openai.chat" form is cut at the first dot.
namespace Conventions {

// events: the span's events as an OTLP JSON list ([{name, timeUnixNano, attributes:[KeyValue]}]) or null.
void apply(const AttributeView& attributes, const nlohmann::json& events, Step& step);
void apply(const AttributeView& attributes, Step& step);

// The individual conventions, in priority order. Each sets the kind only from its own explicit marker.
void applyGenAi(const AttributeView& attributes, Step& step);
// GenAI messages carried by span events (older SDKs): gen_ai.content.prompt/completion, the per-message
// gen_ai.{system,user,assistant,tool}.message and gen_ai.choice events, and
// gen_ai.client.inference.operation.details.
void applyGenAiEvents(const nlohmann::json& events, Step& step);
void applyOpenInference(const AttributeView& attributes, Step& step);
void applyOpenLlmetry(const AttributeView& attributes, Step& step);
void applyVercel(const AttributeView& attributes, Step& step);
// Model Context Protocol spans (trace-formats-2026.md section 7): tools/call a tool step named by its target,
// resources/read a retrieval, handshakes, lists and notifications events.
void applyMcp(const AttributeView& attributes, Step& step);

// The current name of a GenAI provider value the conventions renamed ("az.ai.openai" → "azure.ai.openai",
// "mistral_ai" → "mistral", …); any other value as it is.
std::string currentProviderName(const std::string& provider);

} // namespace Conventions
} // namespace Tracelight
