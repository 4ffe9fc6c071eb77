#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace Tracelight::Messages {

// Our normalized message form is the GenAI one: [{role, parts:[{type, …}], name?, finish_reason?}] with roles
// system/user/assistant/tool (trace-formats.md section 8). Part types are the GenAI ones (text, reasoning,
// tool_call, tool_call_response, blob, uri, file, …) plus "document" for a retrieved document
// ({type:"document", id?, score?, content?, metadata?}).
std::string normalizeRole(std::string role);

// Normalizes chat messages of any of the common shapes into our form. Accepts the array form, a single message
// object, GenAI messages with parts, and chat-API messages ({role, content, tool_calls?, tool_call_id?}) whose
// content is a string or a list of content blocks (OpenAI, Anthropic, Vercel AI SDK block types). Returns null
// when value holds none.
nlohmann::json fromGenAi(const nlohmann::json& value);
// One message in our form from a chat-API or GenAI message object.
nlohmann::json normalizeMessage(const nlohmann::json& message);
// A completion as older conventions record it: a string, {text, finish_reason}, or message(s). The result is
// one or more assistant messages.
nlohmann::json fromCompletion(const nlohmann::json& value);
// gen_ai.system_instructions: an array of parts (or a plain string) → one system message.
nlohmann::json systemFromParts(const nlohmann::json& value);

// Content of a chat-API message (a string, one block or a list of blocks) → our parts.
nlohmann::json partsFromContent(const nlohmann::json& content);
// The one content-block recognizer: a block of any known family → a GenAI part. OpenAI Chat Completions and
// Responses (text, input_text, output_text, summary_text, refusal, image_url, input_image, function_call,
// function_call_output, custom_tool_call), Anthropic (text, thinking, redacted_thinking, tool_use, server_tool_use,
// tool_result, web_search_tool_result, image), Vercel AI SDK (tool-call, tool-result, file), LangChain tool calls,
// Gemini parts (keyed by member: text, thought, functionCall, functionResponse, inlineData). GenAI parts and unknown
// blocks are kept as they are.
nlohmann::json part(const nlohmann::json& block);
nlohmann::json textPart(const nlohmann::json& content);
nlohmann::json reasoningPart(const nlohmann::json& content);
// An image or document that stays out of the cache: only its kind and size are kept.
nlohmann::json omittedMediaPart(const std::string& modality, const std::string& mimeType, std::int64_t bytes);
// Arguments and results are kept as the source gave them, except that a string holding a JSON object or array
// is parsed (the form GenAI parts use).
nlohmann::json toolCallPart(const nlohmann::json& id, const nlohmann::json& name, const nlohmann::json& arguments);
nlohmann::json toolResponsePart(const nlohmann::json& id, const nlohmann::json& response);
// [{role, parts:[text]}], or null for an empty text.
nlohmann::json textMessages(std::string_view role, const nlohmann::json& text);
// A string holding a JSON object or array → the parsed value; anything else unchanged.
nlohmann::json parsedIfJson(const nlohmann::json& value);

// Plain text of the messages for search: text and reasoning parts, tool call names and arguments, tool
// responses, document contents. Capped at maxBytes.
std::string plainText(const nlohmann::json& messages, std::size_t maxBytes = 1 << 20);

// Compact JSON that never throws on invalid UTF-8 (bad bytes become U+FFFD).
std::string dump(const nlohmann::json& value);

} // namespace Tracelight::Messages
