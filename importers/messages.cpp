#include "messages.h"

#include <algorithm>

namespace Tracelight::Messages {

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

json textPart(const json& content)
{
    return json { { "type", "text" }, { "content", content.is_string() ? content : json(dump(content)) } };
}

json normalizeMessage(const json& message)
{
    if (!message.is_object())
        return json { { "role", "user" }, { "parts", json::array({ textPart(message) }) } };
    json result = json::object();
    const auto role = message.find("role");
    result["role"] = normalizeRole(role != message.end() && role->is_string() ? role->get<std::string>() : "user");
    json parts = json::array();
    if (const auto p = message.find("parts"); p != message.end() && p->is_array()) {
        for (const json& part : *p)
            parts.push_back(part.is_object() ? part : textPart(part));
    } else if (const auto content = message.find("content"); content != message.end() && !content->is_null()) {
        parts.push_back(textPart(*content));
    }
    result["parts"] = std::move(parts);
    for (const char* extra : { "name", "finish_reason" }) {
        if (const auto it = message.find(extra); it != message.end() && !it->is_null())
            result[extra] = *it;
    }
    return result;
}

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
        out.resize(maxBytes);
}

} // namespace

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
            if (type == "text" || type == "reasoning") {
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
