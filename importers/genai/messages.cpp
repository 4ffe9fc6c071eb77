#include "messages.h"

#include "attributeview.h"

#include <jsonfield.h>
#include <utf8.h>

#include <algorithm>

namespace Tracelight::Messages {

using JsonField::field;
using JsonField::member;
using JsonField::stringOf;
using JsonField::text;
using nlohmann::json;

std::string normalizeRole(std::string role)
{
    std::transform(role.begin(), role.end(), role.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (role == "human")
        return "user";
    if (role == "ai" || role == "model")
        return "assistant";
    if (role == "developer")
        return "system";
    if (role == "function")
        return "tool";
    return role;
}

namespace {

// An image, file or audio given as a URL, a data: URL or bare base64.
json mediaPart(const std::string& modality, const json& source, const json& mimeType)
{
    json part;
    const std::string text = stringOf(source);
    if (text.rfind("data:", 0) == 0) {
        const auto comma = text.find(',');
        const auto semicolon = text.find(';');
        part = { { "type", "blob" }, { "modality", modality } };
        if (semicolon != std::string::npos && semicolon < comma)
            part["mime_type"] = text.substr(5, semicolon - 5);
        part["content"] = comma == std::string::npos ? text : text.substr(comma + 1);
    } else if (text.find("://") != std::string::npos) {
        part = { { "type", "uri" }, { "modality", modality }, { "uri", text } };
    } else {
        part = { { "type", "blob" }, { "modality", modality }, { "content", source } };
    }
    if (mimeType.is_string() && !part.contains("mime_type"))
        part["mime_type"] = mimeType;
    return part;
}

std::string modalityOf(const json& mimeType, const char* fallback)
{
    const std::string mime = stringOf(mimeType);
    for (const char* modality : { "image", "audio", "video" }) {
        if (mime.rfind(modality, 0) == 0)
            return modality;
    }
    return fallback;
}

} // namespace

json part(const json& block)
{
    if (!block.is_object())
        return textPart(block);
    const std::string type = text(block, "type");
    if (type.empty()) {
        // Gemini parts carry their kind as the member name.
        if (const json* t = member(block, "text"))
            return block.value("thought", false) ? reasoningPart(*t) : textPart(*t);
        if (const json* call = member(block, { "function_call", "functionCall" }))
            return toolCallPart(field(*call, "id"), field(*call, "name"), field(*call, "args"));
        if (const json* response = member(block, { "function_response", "functionResponse" }))
            return toolResponsePart(field(*response, { "id", "name" }), field(*response, "response"));
        if (const json* blob = member(block, { "inline_data", "inlineData" })) {
            const json& mime = field(*blob, { "mime_type", "mimeType" });
            return mediaPart(modalityOf(mime, "document"), field(*blob, "data"), mime);
        }
        return block;
    }
    if (type == "text" || type == "input_text" || type == "output_text" || type == "summary_text") {
        if (!block.contains("text") && block.contains("content"))
            return block; // already a GenAI text part
        return textPart(field(block, "text"));
    }
    if (type == "refusal")
        return textPart(field(block, { "refusal", "text" }));
    if (type == "thinking" || type == "redacted_thinking")
        return reasoningPart(field(block, { "thinking", "text", "data" }));
    if (type == "reasoning") {
        if (block.contains("content") && !block.contains("text") && !block.contains("reasoning"))
            return block; // already a GenAI reasoning part
        return reasoningPart(field(block, { "text", "reasoning", "content" }));
    }
    if (type == "tool_use" || type == "server_tool_use" || type == "tool-call" || type == "function_call"
        || type == "custom_tool_call")
        return toolCallPart(field(block, { "toolCallId", "call_id", "id" }), field(block, { "toolName", "name" }),
            field(block, { "input", "args", "arguments" }));
    if (type == "tool_call" && block.contains("args") && !block.contains("arguments")) // LangChain ToolCall
        return toolCallPart(field(block, "id"), field(block, "name"), block["args"]);
    if (type == "tool_result" || type == "tool-result" || type == "function_call_output"
        || type == "custom_tool_call_output" || type == "web_search_tool_result")
        return toolResponsePart(
            field(block, { "toolCallId", "tool_use_id", "call_id" }), field(block, { "output", "result", "content" }));
    if (type == "image_url" || type == "input_image") {
        const json& image = field(block, "image_url");
        return mediaPart("image", image.is_object() ? field(image, "url") : image, json());
    }
    if (type == "image") {
        const json& source = field(block, "source");
        if (source.is_object()) // Anthropic: {type: base64|url, media_type, data|url}
            return mediaPart("image", field(source, { "url", "data" }), field(source, { "media_type", "mediaType" }));
        return mediaPart("image", field(block, { "image", "url", "data" }), field(block, { "mimeType", "mediaType" }));
    }
    if (type == "file" && !block.contains("file_id") && !block.contains("modality")) {
        const json& mime = field(block, { "mediaType", "mimeType", "media_type" });
        return mediaPart(modalityOf(mime, "document"), field(block, { "data", "url" }), mime);
    }
    return block; // GenAI parts (tool_call, tool_call_response, blob, uri, file, …) and anything unknown
}

json reasoningPart(const json& content)
{
    return json { { "type", "reasoning" }, { "content", content.is_string() ? content : json(dump(content)) } };
}

json omittedMediaPart(const std::string& modality, const std::string& mimeType, std::int64_t bytes)
{
    return { { "type", "blob" }, { "modality", modality }, { "mime_type", mimeType },
        { "content", "[" + modality + ", " + std::to_string(bytes) + " bytes, not stored]" } };
}

json textPart(const json& content)
{
    return json { { "type", "text" }, { "content", content.is_string() ? content : json(dump(content)) } };
}

json parsedIfJson(const json& value)
{
    if (value.is_string()) {
        if (auto parsed = AttributeView::parseJsonText(value.get_ref<const std::string&>()))
            return std::move(*parsed);
    }
    return value;
}

json toolCallPart(const json& id, const json& name, const json& arguments)
{
    json part { { "type", "tool_call" } };
    if (!id.is_null())
        part["id"] = id;
    part["name"] = name.is_null() ? json("") : name;
    if (!arguments.is_null())
        part["arguments"] = parsedIfJson(arguments);
    return part;
}

json toolResponsePart(const json& id, const json& response)
{
    json part { { "type", "tool_call_response" } };
    if (!id.is_null())
        part["id"] = id;
    part["response"] = parsedIfJson(response);
    return part;
}

json partsFromContent(const json& content)
{
    json parts = json::array();
    if (content.is_null())
        return parts;
    if (content.is_array()) {
        for (const json& block : content)
            parts.push_back(part(block));
    } else if (content.is_object() && content.contains("type")) {
        parts.push_back(part(content));
    } else {
        parts.push_back(textPart(content));
    }
    return parts;
}

json textMessages(std::string_view role, const json& text)
{
    if (text.is_null() || (text.is_string() && text.get_ref<const std::string&>().empty()))
        return nullptr;
    return json::array({ json { { "role", role }, { "parts", json::array({ textPart(text) }) } } });
}

json normalizeMessage(const json& message)
{
    if (!message.is_object())
        return json { { "role", "user" }, { "parts", json::array({ textPart(message) }) } };
    json result = json::object();
    const json& roleValue = field(message, { "role" });
    const std::string role = normalizeRole(roleValue.is_string() ? roleValue.get<std::string>() : "user");
    result["role"] = role;
    json parts = json::array();
    if (const auto p = message.find("parts"); p != message.end() && p->is_array()) {
        for (const json& part : *p)
            parts.push_back(part.is_object() ? part : textPart(part));
    } else if (const json& content = field(message, { "content" }); !content.is_null()) {
        const json& callId = field(message, { "tool_call_id", "toolCallId", "id" });
        if (role == "tool" && !content.is_array())
            parts.push_back(toolResponsePart(callId, content));
        else
            parts = partsFromContent(content);
    }
    // Chat-API tool calls: [{id, type, function:{name, arguments}}] or the flat {id, name, arguments}.
    if (const json& calls = field(message, { "tool_calls", "toolCalls" }); calls.is_array()) {
        for (const json& call : calls) {
            const json& function = field(call, { "function" });
            const json& source = function.is_object() ? function : call;
            parts.push_back(toolCallPart(field(call, { "id", "toolCallId" }), field(source, { "name", "toolName" }),
                field(source, { "arguments", "args", "input" })));
        }
    }
    if (const json& call = field(message, { "function_call" }); call.is_object())
        parts.push_back(toolCallPart(json(), field(call, { "name" }), field(call, { "arguments" })));
    result["parts"] = std::move(parts);
    for (const char* extra : { "name", "finish_reason" }) {
        if (const json& value = field(message, { extra }); !value.is_null())
            result[extra] = value;
    }
    return result;
}

json fromGenAi(const json& value)
{
    if (value.is_array()) {
        json result = json::array();
        for (const json& message : value)
            result.push_back(normalizeMessage(message));
        return result;
    }
    if (value.is_object())
        return json::array({ normalizeMessage(value) });
    if (value.is_string() && !value.get_ref<const std::string&>().empty())
        return json::array({ json { { "role", "user" }, { "parts", json::array({ textPart(value) }) } } });
    return nullptr;
}

json fromCompletion(const json& value)
{
    if (value.is_null())
        return nullptr;
    if (value.is_object() && !value.contains("role") && !value.contains("parts")) {
        json message { { "role", "assistant" } };
        const json text = value.contains("text") ? value["text"] : value.value("content", json());
        message["parts"] = text.is_null() ? json::array() : json::array({ textPart(text) });
        if (const auto finish = value.find("finish_reason"); finish != value.end() && !finish->is_null())
            message["finish_reason"] = *finish;
        return json::array({ std::move(message) });
    }
    json messages = fromGenAi(value);
    if (value.is_string() && messages.is_array())
        messages[0]["role"] = "assistant";
    return messages;
}

json systemFromParts(const json& value)
{
    if (value.is_null())
        return nullptr;
    json parts = json::array();
    if (value.is_array()) {
        for (const json& part : value)
            parts.push_back(part.is_object() ? part : textPart(part));
    } else {
        parts.push_back(textPart(value));
    }
    return json::array({ json { { "role", "system" }, { "parts", std::move(parts) } } });
}

namespace {

void appendText(std::string& out, const json& value, std::size_t maxBytes)
{
    if (out.size() >= maxBytes || value.is_null())
        return;
    if (!out.empty())
        out += '\n';
    if (value.is_string())
        out += value.get_ref<const std::string&>();
    else
        out += dump(value);
    if (out.size() > maxBytes)
        out.resize(Utf8::boundary(out, maxBytes));
}

} // namespace

std::string plainText(const json& messages, std::size_t maxBytes)
{
    std::string out;
    if (!messages.is_array())
        return out;
    for (const json& message : messages) {
        const auto parts = message.find("parts");
        if (parts == message.end() || !parts->is_array())
            continue;
        for (const json& part : *parts) {
            const std::string type = part.value("type", std::string());
            if (type == "text" || type == "reasoning" || type == "document") {
                appendText(out, part.value("content", json()), maxBytes);
            } else if (type == "tool_call") {
                appendText(out, part.value("name", json()), maxBytes);
                appendText(out, part.value("arguments", json()), maxBytes);
            } else if (type == "tool_call_response") {
                appendText(out, part.contains("response") ? part["response"] : part.value("result", json()), maxBytes);
            }
        }
    }
    return out;
}

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace Tracelight::Messages
