#include "messagetext.h"

#include "jsonfield.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace Tracelight::MessageText {

namespace {

using nlohmann::json;

std::string partsText(const json& message)
{
    std::string text;
    for (const json& part : message.value("parts", json::array())) {
        if (!part.is_object())
            continue;
        const std::string type = part.value("type", std::string());
        if (!text.empty())
            text += '\n';
        if (type == "tool_call")
            text += "[tool call " + part.value("name", std::string()) + ' '
                + JsonField::displayText(part.value("arguments", json())) + ']';
        else if (type == "tool_call_response")
            text += "[tool result "
                + JsonField::displayText(part.contains("response") ? part["response"] : part.value("result", json()))
                + ']';
        else
            text += JsonField::displayText(part.value("content", json()));
    }
    return text;
}

} // namespace

std::string plain(std::string_view messagesJson)
{
    if (messagesJson.empty())
        return {};
    const json list = JsonField::parse(messagesJson);
    if (!list.is_array())
        return std::string(messagesJson);
    std::string out;
    for (const json& message : list) {
        if (!message.is_object())
            continue;
        std::string role = message.value("role", std::string("?"));
        std::transform(role.begin(), role.end(), role.begin(), [](unsigned char c) { return char(std::toupper(c)); });
        if (!out.empty())
            out += "\n\n";
        out += role + ": " + partsText(message);
    }
    return out;
}

std::string last(std::string_view messagesJson)
{
    if (messagesJson.empty())
        return {};
    const json list = JsonField::parse(messagesJson);
    if (!list.is_array())
        return std::string(messagesJson);
    for (auto it = list.rbegin(); it != list.rend(); ++it)
        if (it->is_object())
            return partsText(*it);
    return {};
}

} // namespace Tracelight::MessageText
