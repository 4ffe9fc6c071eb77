#pragma once

// Private helpers of the convention mappings (genaiconvention.cpp, openinferenceconvention.cpp, …).

#include "attributeview.h"
#include "messages.h"

#include <step.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace Tracelight::Conventions::Detail {

template <typename T> void fill(std::optional<T>& field, std::optional<T> value)
{
    if (!field && value)
        field = value;
}

inline void fill(std::string& field, const std::optional<std::string>& value)
{
    if (field.empty() && value)
        field = *value;
}

inline std::optional<std::string> firstString(const AttributeView& a, std::initializer_list<std::string_view> keys)
{
    for (const auto key : keys) {
        if (auto value = a.string(key); value && !value->empty())
            return value;
    }
    return std::nullopt;
}

inline std::optional<std::int64_t> firstInteger(const AttributeView& a, std::initializer_list<std::string_view> keys)
{
    for (const auto key : keys) {
        if (auto value = a.integer(key))
            return value;
    }
    return std::nullopt;
}

inline std::optional<double> firstReal(const AttributeView& a, std::initializer_list<std::string_view> keys)
{
    for (const auto key : keys) {
        if (auto value = a.real(key))
            return value;
    }
    return std::nullopt;
}

// Raw text of a value that may be a string or structured JSON; empty when absent.
inline std::string rawText(const AttributeView& a, std::string_view key)
{
    const nlohmann::json value = a.plain(key);
    if (value.is_null())
        return {};
    return value.is_string() ? value.get<std::string>() : Messages::dump(value);
}

inline void fillRaw(std::string& field, const AttributeView& a, std::initializer_list<std::string_view> keys)
{
    for (const auto key : keys) {
        if (!field.empty())
            return;
        field = rawText(a, key);
    }
}

// Stores normalized messages and their search text, unless an earlier convention already did.
inline void setMessages(std::string& messagesField, std::string& textField, const nlohmann::json& messages)
{
    if (!messagesField.empty() || !messages.is_array() || messages.empty())
        return;
    messagesField = Messages::dump(messages);
    textField = Messages::plainText(messages);
}

inline void setInput(Step& s, const nlohmann::json& messages)
{
    setMessages(s.inputMessages, s.inputText, messages);
}

inline void setOutput(Step& s, const nlohmann::json& messages)
{
    setMessages(s.outputMessages, s.outputText, messages);
}

inline void setKind(Step& s, std::optional<StepKind> kind)
{
    if (s.kind == StepKind::Other && kind)
        s.kind = *kind;
}

inline std::string lowercase(std::string text)
{
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

} // namespace Tracelight::Conventions::Detail
