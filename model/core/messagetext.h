#pragma once

#include <string>
#include <string_view>

// Normalized messages (Step::inputMessages: [{role, parts: [{type, …}], name?, finish_reason?}]) as plain text, for
// diffs, outlines and the MCP server.
namespace Tracelight::MessageText {

// "ROLE: text" paragraphs, tool calls as "[tool call NAME ARGS]" and their results as "[tool result RESULT]". Text
// that is not a message array comes back as it is.
std::string plain(std::string_view messagesJson);

// The text of the last message of the list alone (what a call added to its conversation), without its role.
std::string last(std::string_view messagesJson);

} // namespace Tracelight::MessageText
