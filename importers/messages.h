#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace Tracelight::Messages {

// Our normalized message form is the GenAI one: [{role, parts:[{type, …}], name?, finish_reason?}] with roles
// system/user/assistant/tool (trace-formats.md section 8).
std::string normalizeRole(std::string role);

// Normalizes GenAI input/output messages. Accepts the array form, a single message object, and messages
// whose content is a plain string ({role, content}) instead of parts. Returns null when value holds none.
nlohmann::json fromGenAi(const nlohmann::json& value);
// A completion as older conventions record it: a string, {text, finish_reason}, or message(s). The result is
// one or more assistant messages.
nlohmann::json fromCompletion(const nlohmann::json& value);
// gen_ai.system_instructions: an array of parts (or a plain string) → one system message.
nlohmann::json systemFromParts(const nlohmann::json& value);

// Plain text of the messages for search: text and reasoning parts, tool call names and arguments, tool
// responses. Capped at maxBytes.
std::string plainText(const nlohmann::json& messages, std::size_t maxBytes = 1 << 20);

// Compact JSON that never throws on invalid UTF-8 (bad bytes become U+FFFD).
std::string dump(const nlohmann::json& value);

} // namespace Tracelight::Messages
