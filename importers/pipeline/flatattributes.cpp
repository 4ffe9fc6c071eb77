#include "flatattributes.h"

#include "messages.h"

#include <utf8.h>

#include <charconv>
#include <cstdio>

namespace Tracelight {

using nlohmann::json;

void FlatAttributes::appendJsonString(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

void FlatAttributes::open(std::string_view key)
{
    m_out += m_count++ == 0 ? "[{\"key\":" : ",{\"key\":";
    appendJsonString(m_out, key);
    m_out += ",\"value\":{";
}

void FlatAttributes::addText(std::string_view key, std::string_view value)
{
    std::size_t length = value.size();
    const bool tooLong = length > m_maxValueBytes;
    if (tooLong) {
        length = Utf8::boundary(value, m_maxValueBytes); // the stored text stays valid
    }
    open(key);
    m_out += "\"stringValue\":";
    appendJsonString(m_out, value.substr(0, length));
    m_out += "}}";
    if (tooLong) {
        m_cut.push_back({ std::string(key), value.size() });
        addInt(std::string(key) + ".original_bytes", static_cast<std::int64_t>(value.size()));
    }
}

void FlatAttributes::addString(std::string_view key, std::string_view value)
{
    addText(key, value);
}

void FlatAttributes::addInt(std::string_view key, std::int64_t value)
{
    open(key);
    // OTLP JSON writes 64-bit integers as strings.
    m_out += "\"intValue\":\"" + std::to_string(value) + "\"}}";
}

void FlatAttributes::flatten(std::string& key, const json& value, int depth)
{
    switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
        return;
    case json::value_t::string:
        addText(key, value.get_ref<const std::string&>());
        return;
    case json::value_t::boolean:
        open(key);
        m_out += value.get<bool>() ? "\"boolValue\":true}}" : "\"boolValue\":false}}";
        return;
    case json::value_t::number_integer:
        addInt(key, value.get<std::int64_t>());
        return;
    case json::value_t::number_unsigned: {
        const auto u = value.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX))
            addInt(key, static_cast<std::int64_t>(u));
        else
            addText(key, std::to_string(u));
        return;
    }
    case json::value_t::number_float: {
        char buffer[32];
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get<double>());
        open(key);
        m_out += "\"doubleValue\":";
        m_out.append(buffer, ec == std::errc() ? static_cast<std::size_t>(end - buffer) : 0);
        if (ec != std::errc())
            m_out += '0';
        m_out += "}}";
        return;
    }
    case json::value_t::array:
    case json::value_t::binary:
        if (!value.empty())
            addText(key, Messages::dump(value));
        return;
    case json::value_t::object:
        break;
    }
    if (value.empty())
        return;
    // Deep or wide objects stay one JSON value: thousands of keys help nobody in an attributes table.
    if (depth >= maxDepth || m_count + value.size() > maxKeys) {
        addText(key.empty() ? std::string_view("value") : std::string_view(key), Messages::dump(value));
        return;
    }
    const std::size_t base = key.size();
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (base > 0)
            key += '.';
        key += it.key();
        flatten(key, it.value(), depth + 1);
        key.resize(base);
    }
}

void FlatAttributes::add(std::string_view key, const json& value)
{
    std::string path(key);
    flatten(path, value, 0);
}

void FlatAttributes::addExcept(
    std::string_view key, const json& value, std::initializer_list<std::string_view> leaveOut)
{
    if (!value.is_object()) {
        add(key, value);
        return;
    }
    std::string path(key);
    const std::size_t base = path.size();
    for (auto it = value.begin(); it != value.end(); ++it) {
        bool skip = false;
        for (const std::string_view name : leaveOut)
            skip = skip || it.key() == name;
        if (skip)
            continue;
        if (base > 0)
            path += '.';
        path += it.key();
        flatten(path, it.value(), 1);
        path.resize(base);
    }
}

std::string FlatAttributes::take()
{
    std::string result = m_count == 0 ? std::string("[]") : std::move(m_out) + "]";
    m_out.clear();
    m_count = 0;
    return result;
}

} // namespace Tracelight
