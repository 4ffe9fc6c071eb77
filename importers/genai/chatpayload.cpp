#include "chatpayload.h"

#include <jsonfield.h>

#include "attributeview.h"
#include "messages.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace Tracelight::ChatPayload {

using JsonField::field;
using JsonField::member;
using JsonField::text;
using Messages::part;
using Messages::textPart;
using nlohmann::json;

namespace {

// Role of a message-like object, or nullopt when it is not one.
std::optional<std::string> roleOf(const json& m)
{
    if (const json* role = member(m, "role"); role && role->is_string())
        return Messages::normalizeRole(role->get<std::string>());
    const std::string type = text(m, "type");
    if (type == "human" || type == "user" || type == "HumanMessageChunk")
        return "user";
    if (type == "ai" || type == "assistant" || type == "AIMessageChunk")
        return "assistant";
    if (type == "system" || type == "developer")
        return "system";
    if (type == "tool" || type == "function" || type == "function_call_output" || type == "ToolMessageChunk")
        return "tool";
    if (type == "function_call" || type == "reasoning" || type == "custom_tool_call" || type == "message")
        return "assistant";
    return std::nullopt;
}

std::optional<std::string> roleOfLangChainClass(const json& id)
{
    if (!id.is_array() || id.empty() || !id.back().is_string())
        return std::nullopt;
    const std::string cls = id.back().get<std::string>();
    if (cls.rfind("Human", 0) == 0)
        return "user";
    if (cls.rfind("AI", 0) == 0)
        return "assistant";
    if (cls.rfind("System", 0) == 0)
        return "system";
    if (cls.rfind("Tool", 0) == 0 || cls.rfind("Function", 0) == 0)
        return "tool";
    if (cls.rfind("Chat", 0) == 0)
        return "user";
    return std::nullopt;
}

void appendToolCalls(json& parts, const json& calls)
{
    if (!calls.is_array())
        return;
    for (const json& call : calls) {
        if (!call.is_object())
            continue;
        if (const json* function = member(call, "function")) // OpenAI
            parts.push_back(Messages::toolCallPart(
                field(call, { "id" }), field(*function, { "name" }), field(*function, { "arguments" })));
        else // LangChain {name, args, id}, or already GenAI-like
            parts.push_back(Messages::toolCallPart(
                field(call, { "id" }), field(call, { "name" }), field(call, { "args", "arguments", "input" })));
    }
}

// A message-like object → a normalized message; nullopt when it is not one.
std::optional<json> message(const json& source)
{
    if (!source.is_object())
        return std::nullopt;
    const json* m = &source;
    std::optional<std::string> role;
    if (source.value("lc", 0) == 1 && source.contains("kwargs")) {
        role = roleOfLangChainClass(source.value("id", json()));
        m = &source["kwargs"];
        if (role == "user" && member(*m, "role")) // ChatMessage keeps its own role
            role = Messages::normalizeRole(text(*m, "role"));
    } else {
        role = roleOf(source);
    }
    if (!role || !m->is_object())
        return std::nullopt;

    json parts = json::array();
    const std::string type = text(*m, "type");
    if (type == "function_call" || type == "custom_tool_call") {
        parts.push_back(Messages::toolCallPart(
            field(*m, { "call_id", "id" }), field(*m, { "name" }), field(*m, { "arguments", "input" })));
    } else if (type == "function_call_output" || type == "custom_tool_call_output") {
        parts.push_back(Messages::toolResponsePart(field(*m, { "call_id" }), field(*m, { "output" })));
    } else if (type == "reasoning") {
        std::string summary;
        if (const json* items = member(*m, "summary"); items && items->is_array()) {
            for (const json& item : *items)
                summary += (summary.empty() ? "" : "\n") + text(item, "text");
        }
        parts.push_back(json { { "type", "reasoning" }, { "content", summary } });
    } else {
        const json* content = member(*m, "content");
        const std::string toolCallId = text(*m, "tool_call_id");
        if (*role == "tool" && !toolCallId.empty() && content) {
            parts.push_back(Messages::toolResponsePart(toolCallId, *content));
        } else if (content && content->is_array()) {
            for (const json& p : *content)
                parts.push_back(part(p));
        } else if (content && content->is_object() && content->contains("parts")) {
            return message(json { { "role", *role }, { "parts", (*content)["parts"] } });
        } else if (content && !(content->is_string() && content->get_ref<const std::string&>().empty())) {
            parts.push_back(textPart(*content));
        }
        if (const json* genAiParts = member(*m, "parts"); genAiParts && genAiParts->is_array()) {
            for (const json& p : *genAiParts)
                parts.push_back(part(p));
        }
        if (const json* calls = member(*m, "tool_calls"); calls && calls->is_array() && !calls->empty())
            appendToolCalls(parts, *calls);
        else if (const json* extra = member(*m, "additional_kwargs"))
            appendToolCalls(parts, field(*extra, { "tool_calls" }));
        if (const json* call = member(*m, "function_call"); call && call->is_object())
            parts.push_back(Messages::toolCallPart(nullptr, field(*call, { "name" }), field(*call, { "arguments" })));
    }

    json result { { "role", *role }, { "parts", std::move(parts) } };
    // A Responses function_call item's name is the tool's, already in its part.
    if (const json* name = member(*m, "name");
        name && name->is_string() && type != "function_call" && type != "custom_tool_call")
        result["name"] = *name;
    json finish = field(*m, { "finish_reason", "stop_reason" });
    if (finish.is_null()) {
        if (const json* metadata = member(*m, "response_metadata"))
            finish = field(*metadata, { "finish_reason", "stop_reason" });
    }
    if (finish.is_string())
        result["finish_reason"] = finish;
    return result;
}

// Every element a message (nested arrays, as LangChain batches them, are flattened): the messages; else null.
json messageArray(const json& array)
{
    json result = json::array();
    for (const json& element : array) {
        if (element.is_null())
            continue;
        if (element.is_array()) {
            json inner = messageArray(element);
            if (inner.is_null())
                return nullptr;
            for (json& m : inner)
                result.push_back(std::move(m));
            continue;
        }
        auto m = message(element);
        if (!m)
            return nullptr;
        result.push_back(std::move(*m));
    }
    return result.empty() ? json() : result;
}

bool isRoleWord(std::string_view word)
{
    for (const char* role : { "system", "developer", "user", "human", "assistant", "ai", "tool", "function" }) {
        if (word == role)
            return true;
    }
    return false;
}

// "system: …\nuser: …" as some instrumentations flatten a conversation: one message per "role: " line start.
json transcript(const std::string& value)
{
    const auto roleAt = [&](std::size_t lineStart) -> std::string {
        const auto colon = value.find(": ", lineStart);
        if (colon == std::string::npos || colon - lineStart > 12)
            return {};
        const std::string word = value.substr(lineStart, colon - lineStart);
        return isRoleWord(word) ? word : std::string();
    };
    if (roleAt(0).empty())
        return nullptr;
    json messages = json::array();
    std::size_t start = 0;
    while (start < value.size()) {
        const std::string role = roleAt(start);
        std::size_t next = value.find('\n', start);
        while (next != std::string::npos && roleAt(next + 1).empty())
            next = value.find('\n', next + 1);
        const std::size_t end = next == std::string::npos ? value.size() : next;
        const std::size_t body = start + role.size() + 2;
        messages.push_back(json { { "role", Messages::normalizeRole(role) },
            { "parts", json::array({ textPart(value.substr(body, end > body ? end - body : 0)) }) } });
        start = next == std::string::npos ? value.size() : next + 1;
    }
    return messages;
}

json fromString(const json& value, const char* role)
{
    const auto& s = value.get_ref<const std::string&>();
    if (s.empty())
        return nullptr;
    if (json messages = transcript(s); !messages.is_null())
        return messages;
    return json::array({ json { { "role", role }, { "parts", json::array({ textPart(value) }) } } });
}

json prompts(const json& list)
{
    json result = json::array();
    for (const json& prompt : list)
        result.push_back(json { { "role", "user" }, { "parts", json::array({ textPart(prompt) }) } });
    return result.empty() ? json() : result;
}

// Vercel AI SDK tool call lists: [{toolCallId, toolName, input | args}].
json vercelToolCalls(const json& array)
{
    json parts = json::array();
    for (const json& call : array) {
        if (!call.is_object() || !call.contains("toolName"))
            return nullptr;
        parts.push_back(
            Messages::toolCallPart(field(call, { "toolCallId" }), call["toolName"], field(call, { "input", "args" })));
    }
    if (parts.empty())
        return nullptr;
    return json::array({ json { { "role", "assistant" }, { "parts", std::move(parts) } } });
}

void withFinish(json& messages, const json& finish)
{
    if (finish.is_string() && messages.is_array() && !messages.empty() && !messages.back().contains("finish_reason"))
        messages.back()["finish_reason"] = finish;
}

} // namespace

json decodeJsonString(const json& value)
{
    if (!value.is_string())
        return value;
    const auto& s = value.get_ref<const std::string&>();
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return value;
    if (s[first] == '{' || s[first] == '[')
        return AttributeView::parseJsonText(s).value_or(value);
    if (s[first] == '"') {
        json parsed = JsonField::parse(s);
        if (!parsed.is_discarded())
            return parsed;
    }
    return value;
}

json input(const json& value)
{
    if (value.is_string())
        return fromString(value, "user");
    if (value.is_array()) {
        json messages = messageArray(value);
        if (messages.is_null() && !value.empty()
            && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }))
            return prompts(value);
        return messages;
    }
    if (!value.is_object() || value.empty())
        return nullptr;
    if (auto m = message(value))
        return json::array({ std::move(*m) });
    for (const char* key : { "messages", "contents", "input", "prompt" }) {
        if (const json* inner = member(value, key)) {
            if (inner->is_array() || inner->is_string())
                return input(*inner);
        }
    }
    if (const json* list = member(value, "prompts"); list && list->is_array())
        return prompts(*list);
    return nullptr;
}

json output(const json& value)
{
    if (value.is_string())
        return fromString(value, "assistant");
    if (value.is_array()) {
        if (json calls = vercelToolCalls(value); !calls.is_null())
            return calls;
        json messages = messageArray(value);
        if (messages.is_null() && !value.empty()
            && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }))
            return fromString(value.front(), "assistant");
        return messages;
    }
    if (!value.is_object() || value.empty())
        return nullptr;
    if (const json* choices = member(value, "choices"); choices && choices->is_array()) {
        json messages = json::array();
        for (const json& choice : *choices) {
            json one;
            if (const json* m = member(choice, "message"))
                one = output(*m);
            else if (const json* t = member(choice, "text"))
                one = fromString(t->is_string() ? *t : json(Messages::dump(*t)), "assistant");
            json finish = field(choice, { "finish_reason" });
            if (finish.is_object()) // a streamed chunk recorded whole
                finish = field(finish, { "finish_reason" });
            withFinish(one, finish);
            if (one.is_array())
                messages.insert(messages.end(), one.begin(), one.end());
        }
        return messages.empty() ? json() : messages;
    }
    if (const json* generations = member(value, "generations"); generations && generations->is_array()) {
        json messages = json::array();
        for (const json& batch : *generations) {
            for (const json& generation : batch.is_array() ? batch : json::array({ batch })) {
                json one;
                if (const json* m = member(generation, "message"))
                    one = output(*m);
                else if (const json* t = member(generation, "text"))
                    one = output(*t);
                if (const json* info = member(generation, "generation_info"))
                    withFinish(one, field(*info, { "finish_reason" }));
                if (one.is_array())
                    messages.insert(messages.end(), one.begin(), one.end());
            }
        }
        return messages.empty() ? json() : messages;
    }
    if (const json* candidates = member(value, "candidates"); candidates && candidates->is_array()) {
        json messages = json::array();
        for (const json& candidate : *candidates) {
            if (const json* content = member(candidate, "content")) {
                json one = output(*content);
                withFinish(one, field(candidate, { "finish_reason", "finishReason" }));
                if (one.is_array())
                    messages.insert(messages.end(), one.begin(), one.end());
            }
        }
        return messages.empty() ? json() : messages;
    }
    if (value.value("object", std::string()) == "response" || member(value, "output_text")) {
        if (const json* items = member(value, "output"); items && items->is_array())
            return messageArray(*items);
    }
    if (auto m = message(value))
        return json::array({ std::move(*m) });
    // A response wrapper whose content is a message body ({content: {parts, role}, finish_reason}).
    if (const json* content = member(value, "content"); content && content->is_object() && content->contains("parts")) {
        json messages = output(*content);
        withFinish(messages, field(value, { "finish_reason", "finishReason" }));
        return messages;
    }
    for (const char* key : { "messages", "output", "generation" }) {
        if (const json* inner = member(value, key)) {
            json messages = output(*inner);
            if (!messages.is_null())
                return messages;
        }
    }
    if (const json* t = member(value, "text"); t && t->is_string()) {
        json messages = fromString(*t, "assistant");
        if (const json* calls = member(value, "toolCalls"); calls && calls->is_array()) {
            const json callMessages = vercelToolCalls(*calls);
            if (callMessages.is_array() && messages.is_array())
                for (const json& p : callMessages[0]["parts"])
                    messages.back()["parts"].push_back(p);
        }
        return messages;
    }
    return nullptr;
}

json instructions(const json& value)
{
    if (!value.is_object())
        return nullptr;
    json found = field(value, { "instructions", "system", "system_instruction", "systemInstruction" });
    if (found.is_null()) {
        if (const json* config = member(value, "config"))
            found = field(*config, { "system_instruction", "systemInstruction" });
    }
    if (found.is_null() || (found.is_string() && found.get_ref<const std::string&>().empty()))
        return nullptr;
    if (found.is_object() && found.contains("parts")) // Gemini Content
        found = found["parts"];
    json parts = json::array();
    for (const json& p : found.is_array() ? found : json::array({ found }))
        parts.push_back(part(p));
    return json::array({ json { { "role", "system" }, { "parts", std::move(parts) } } });
}

json toolOutput(const json& value, std::string& callId)
{
    // A LangChain ToolMessage, serialized or as a dict: its content is the result.
    const bool serialized = value.is_object() && value.value("lc", 0) == 1 && value.contains("kwargs");
    const json& body = serialized ? value["kwargs"] : value;
    const bool toolMessage = serialized ? roleOfLangChainClass(value.value("id", json())) == "tool"
                                        : (text(body, "type") == "tool" || text(body, "role") == "tool");
    if (!toolMessage || !member(body, "content"))
        return value;
    if (callId.empty())
        callId = text(body, "tool_call_id");
    return body["content"];
}

void toolCallNames(const json& messages, std::vector<std::string>& names)
{
    if (!messages.is_array())
        return;
    for (const json& m : messages) {
        const json* parts = member(m, "parts");
        if (!parts || !parts->is_array())
            continue;
        for (const json& p : *parts) {
            if (text(p, "type") == "tool_call") {
                std::string name = text(p, "name");
                if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
                    names.push_back(std::move(name));
            }
        }
    }
}

} // namespace Tracelight::ChatPayload
