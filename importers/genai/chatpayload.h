#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace Tracelight::ChatPayload {

// Recognizes the shapes in which SDKs and frameworks record what a model was sent and what it answered, and
// turns them into our normalized messages ([{role, parts:[…]}], trace-formats.md section 8):
// - OpenAI Chat Completions messages and responses ({choices: […]}), tool_calls and function_call;
// - OpenAI Responses input items and response objects ({object: "response", output: […]});
// - LangChain message dicts ({type: "human", …}), serialized messages ({lc: 1, id: […, "AIMessage"], kwargs}),
//   additional_kwargs.tool_calls, LLMResult ({generations: [[…]]}) and prompt lists;
// - Anthropic content blocks (text, tool_use, tool_result, thinking);
// - Gemini contents / candidates with parts (text, function_call, function_response);
// - Vercel AI SDK prompts, content parts (tool-call, tool-result) and tool call lists;
// - GenAI parts messages, which pass through;
// - "role: text" transcripts as some instrumentations flatten a conversation into one string.
// Each returns null when the value is not recognizably a conversation, so the caller can keep it as data.
nlohmann::json input(const nlohmann::json& value);
nlohmann::json output(const nlohmann::json& value);

// Instructions recorded apart from the messages (Responses "instructions", Gemini system_instruction,
// Anthropic/Vercel "system") as a GenAI system-instructions array, or null.
nlohmann::json instructions(const nlohmann::json& value);

// What a tool returned, as tools record it: a LangChain ToolMessage (serialized or as a dict) gives its content,
// and its tool_call_id when callId is still empty; anything else is the result itself.
nlohmann::json toolOutput(const nlohmann::json& value, std::string& callId);

// Names of the tools that tool_call parts of normalized messages call.
void toolCallNames(const nlohmann::json& messages, std::vector<std::string>& names);

// A string that holds JSON ({…}, […] or a quoted string, as Langfuse and some SDKs double-encode values) → the
// parsed value; any other value is returned as it is.
nlohmann::json decodeJsonString(const nlohmann::json& value);

} // namespace Tracelight::ChatPayload
