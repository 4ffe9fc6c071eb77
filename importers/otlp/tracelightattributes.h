#pragma once

#include <step.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace Tracelight {

// The tracelight.* attribute namespace. `tracelight export --format otlp-json` writes a step of any format as an OTLP
// span whose standard attributes (gen_ai.*, service.name, …) carry what the conventions can carry. Whatever the
// normalized model holds beyond that — a kind the conventions have no word for, a LangSmith UUID as the span id, a
// cost, search text that differs from the messages — travels in tracelight.* attributes, written only for the fields
// that would otherwise come back different. The OTLP importers apply them last, after every convention, and strip
// them from the stored attributes, so export → import gives back the step exactly.
//
// On a span (one key per normalized field; the key is the cache column, the value the field):
//   tracelight.trace_id, span_id, parent_id          string  the source's own ids when they are not OTLP hex (the
//                                                            span's OTLP ids are then derived from them)
//   tracelight.name, operation, model, provider, status_message, tool_name, tool_call_id, tool_arguments,
//     tool_result, agent_name, agent_version, session_id, user_id, system_instructions, input_messages,
//     output_messages, input_text, output_text, trace_state                                         string
//   tracelight.kind                                  string  agent, llm, tool, … (stepKindName)
//   tracelight.status                                string  unset, ok, error
//   tracelight.otel_kind, start_ns, end_ns, flags    int
//   tracelight.input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens
//                                                    int, or an empty value for "not recorded"
//   tracelight.cost_usd                              double, or an empty value for "not recorded"
//   tracelight.attributes, events, links             string  the stored JSON text, when it is not what the importer
//                                                            would store from the span's own lists
// On a resource: tracelight.service_name, tracelight.service_version (string), tracelight.attributes (string).
// On a scope: tracelight.attributes (string).
// Anywhere: tracelight.synthesized, an array of the attribute keys the exporter added (gen_ai.*, service.name, …) that
// the source did not have; the importer removes them (and every tracelight.* key) from the stored attributes.
namespace TracelightAttributes {

inline constexpr std::string_view prefix = "tracelight.";
inline constexpr std::string_view synthesizedKey = "tracelight.synthesized";

// Calls fn(key, field…) for every normalized field of one or more steps, key without the prefix. Adding a field to
// Step means adding it here; the exporter and the importers then carry it.
template <typename Fn, typename... S> void forEachField(Fn&& fn, S&... s)
{
    fn("trace_id", s.traceId...);
    fn("span_id", s.spanId...);
    fn("parent_id", s.parentId...);
    fn("name", s.name...);
    fn("kind", s.kind...);
    fn("otel_kind", s.otelKind...);
    fn("start_ns", s.startNs...);
    fn("end_ns", s.endNs...);
    fn("status", s.status...);
    fn("status_message", s.statusMessage...);
    fn("operation", s.operation...);
    fn("model", s.model...);
    fn("provider", s.provider...);
    fn("input_tokens", s.tokens.input...);
    fn("output_tokens", s.tokens.output...);
    fn("cache_read_tokens", s.tokens.cacheRead...);
    fn("cache_write_tokens", s.tokens.cacheWrite...);
    fn("reasoning_tokens", s.tokens.reasoning...);
    fn("cost_usd", s.costUsd...);
    fn("tool_name", s.toolName...);
    fn("tool_call_id", s.toolCallId...);
    fn("tool_arguments", s.toolArguments...);
    fn("tool_result", s.toolResult...);
    fn("agent_name", s.agentName...);
    fn("agent_version", s.agentVersion...);
    fn("session_id", s.sessionId...);
    fn("user_id", s.userId...);
    fn("system_instructions", s.systemInstructions...);
    fn("input_messages", s.inputMessages...);
    fn("output_messages", s.outputMessages...);
    fn("input_text", s.inputText...);
    fn("output_text", s.outputText...);
    fn("attributes", s.attributesJson...);
    fn("events", s.eventsJson...);
    fn("links", s.linksJson...);
    fn("trace_state", s.traceState...);
    fn("flags", s.flags...);
}

// True when a KeyValue list (the JSON text as stored) may hold a tracelight.* key: a cheap test before the real one.
inline bool mayHaveKeys(std::string_view attributesJson)
{
    return attributesJson.find("\"tracelight.") != std::string_view::npos;
}

// Import side. Each applies the tracelight.* keys of the KeyValue list onto its target and stores the list without
// them (and without the synthesized keys) as the target's attributesJson. Lists without such keys are left alone.
void applyToStep(const nlohmann::json& attributes, Step& step);
void applyToResource(const nlohmann::json& attributes, Resource& resource);
void applyToScope(const nlohmann::json& attributes, Scope& scope);

// Export side: the OTLP JSON AnyValue of a field ({} for an unrecorded optional), and a KeyValue entry.
nlohmann::json anyValue(const std::string& value);
nlohmann::json anyValue(std::int64_t value);
nlohmann::json anyValue(int value);
nlohmann::json anyValue(std::uint32_t value);
nlohmann::json anyValue(StepKind value);
nlohmann::json anyValue(StepStatus value);
nlohmann::json anyValue(const std::optional<std::int64_t>& value);
nlohmann::json anyValue(const std::optional<double>& value);
nlohmann::json keyValue(std::string key, nlohmann::json anyValue);

} // namespace TracelightAttributes
} // namespace Tracelight
