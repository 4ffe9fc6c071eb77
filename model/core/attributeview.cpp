#include "attributeview.h"

#include "jsonfield.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

namespace Tracelight {

using nlohmann::json;

std::optional<std::int64_t> jsonInteger(const json& value)
{
    if (value.is_number_integer())
        return value.get<std::int64_t>();
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        return u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && std::abs(d) < 9.2e18)
            return static_cast<std::int64_t>(std::llround(d));
        return std::nullopt;
    }
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        std::int64_t result = 0;
        const char* begin = text.data();
        const char* end = begin + text.size();
        if (begin != end && *begin == '+')
            ++begin;
        const auto [ptr, ec] = std::from_chars(begin, end, result);
        if (ec == std::errc() && ptr == end && begin != end)
            return result;
        // Unsigned values above INT64_MAX (fixed64 timestamps written by a careless exporter).
        std::uint64_t unsignedResult = 0;
        const auto [uptr, uec] = std::from_chars(begin, end, unsignedResult);
        if (uec == std::errc() && uptr == end && begin != end)
            return INT64_MAX;
    }
    return std::nullopt;
}

AttributeView AttributeView::fromKeyValueList(const json& list)
{
    AttributeView view;
    view.m_anyValues = true;
    if (!list.is_array())
        return view;
    for (const json& entry : list) {
        if (!entry.is_object())
            continue;
        const auto key = entry.find("key");
        if (key == entry.end() || !key->is_string())
            continue;
        static const json emptyValue = json::object();
        const auto value = entry.find("value");
        view.m_values[key->get_ref<const std::string&>()] = value != entry.end() ? &*value : &emptyValue;
    }
    return view;
}

AttributeView AttributeView::fromObject(const json& object)
{
    AttributeView view;
    if (!object.is_object())
        return view;
    for (auto it = object.begin(); it != object.end(); ++it)
        view.m_values[it.key()] = &it.value();
    return view;
}

const json* AttributeView::find(std::string_view key) const
{
    const auto it = m_values.find(key);
    return it == m_values.end() ? nullptr : it->second;
}

json AttributeView::fromAnyValue(const json& anyValue)
{
    if (!anyValue.is_object())
        return anyValue; // tolerate producers that put plain values in "value"
    for (auto it = anyValue.begin(); it != anyValue.end(); ++it) {
        const std::string& type = it.key();
        const json& v = it.value();
        if (type == "stringValue" || type == "string_value")
            return v;
        if (type == "intValue" || type == "int_value") {
            if (auto i = jsonInteger(v))
                return *i;
            return v;
        }
        if (type == "doubleValue" || type == "double_value") {
            if (v.is_string()) {
                const auto& s = v.get_ref<const std::string&>();
                if (s == "NaN" || s == "Infinity" || s == "-Infinity")
                    return s;
                try {
                    return std::stod(s);
                } catch (...) {
                    return v;
                }
            }
            return v;
        }
        if (type == "boolValue" || type == "bool_value")
            return v;
        if (type == "bytesValue" || type == "bytes_value")
            return v;
        if (type == "arrayValue" || type == "array_value") {
            json array = json::array();
            if (v.is_object()) {
                if (const auto values = v.find("values"); values != v.end() && values->is_array()) {
                    for (const json& element : *values)
                        array.push_back(fromAnyValue(element));
                }
            }
            return array;
        }
        if (type == "kvlistValue" || type == "kvlist_value") {
            json object = json::object();
            if (v.is_object()) {
                if (const auto values = v.find("values"); values != v.end() && values->is_array()) {
                    for (const json& entry : *values) {
                        if (entry.is_object() && entry.contains("key") && entry["key"].is_string())
                            object[entry["key"].get<std::string>()]
                                = entry.contains("value") ? fromAnyValue(entry["value"]) : json();
                    }
                }
            }
            return object;
        }
    }
    return nullptr; // {} is an empty AnyValue
}

json AttributeView::fromAnyValueOrPlain(const json& value)
{
    static constexpr std::string_view types[]
        = { "stringValue", "string_value", "intValue", "int_value", "doubleValue", "double_value", "boolValue",
              "bool_value", "bytesValue", "bytes_value", "arrayValue", "array_value", "kvlistValue", "kvlist_value" };
    if (!value.is_object() || value.empty())
        return fromAnyValue(value);
    for (const std::string_view type : types) {
        if (value.contains(type))
            return fromAnyValue(value);
    }
    return value;
}

std::optional<json> AttributeView::parseJsonText(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        ++i;
    if (i == text.size() || (text[i] != '{' && text[i] != '['))
        return std::nullopt;
    json parsed = JsonField::parse(text);
    if (parsed.is_discarded())
        return std::nullopt;
    return parsed;
}

json AttributeView::plain(std::string_view key) const
{
    const json* value = find(key);
    return value ? plainOf(*value) : json();
}

json AttributeView::structured(std::string_view key) const
{
    json value = plain(key);
    if (value.is_string()) {
        if (auto parsed = parseJsonText(value.get_ref<const std::string&>()))
            return std::move(*parsed);
    }
    return value;
}

std::optional<std::string> AttributeView::string(std::string_view key) const
{
    const json value = plain(key);
    if (value.is_null())
        return std::nullopt;
    if (value.is_string())
        return value.get<std::string>();
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::int64_t> AttributeView::integer(std::string_view key) const
{
    const json value = plain(key);
    if (value.is_array() && value.size() == 1)
        return jsonInteger(value.front());
    return jsonInteger(value);
}

std::optional<double> AttributeView::real(std::string_view key) const
{
    const json value = plain(key);
    if (value.is_number())
        return value.get<double>();
    if (value.is_string()) {
        try {
            std::size_t used = 0;
            const auto& s = value.get_ref<const std::string&>();
            const double d = std::stod(s, &used);
            if (used == s.size())
                return d;
        } catch (...) { }
    }
    return std::nullopt;
}

std::optional<bool> AttributeView::boolean(std::string_view key) const
{
    const json value = plain(key);
    if (value.is_boolean())
        return value.get<bool>();
    if (value.is_string()) {
        if (value == "true")
            return true;
        if (value == "false")
            return false;
    }
    return std::nullopt;
}

namespace {

struct FlatNode
{
    const json* value = nullptr;
    std::map<std::string_view, FlatNode, std::less<>> children;
};

std::optional<std::size_t> indexOf(std::string_view segment)
{
    std::size_t index = 0;
    const auto [ptr, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
    if (ec != std::errc() || ptr != segment.data() + segment.size() || segment.empty())
        return std::nullopt;
    return index;
}

} // namespace

bool AttributeView::hasPrefix(std::string_view prefix) const
{
    return std::any_of(m_values.begin(), m_values.end(),
        [&](const auto& entry) { return entry.first.substr(0, prefix.size()) == prefix; });
}

json AttributeView::unflatten(std::string_view prefix) const
{
    FlatNode root;
    bool any = false;
    for (const auto& [key, value] : m_values) {
        if (key.size() <= prefix.size() + 1 || key.substr(0, prefix.size()) != prefix || key[prefix.size()] != '.')
            continue;
        any = true;
        FlatNode* node = &root;
        std::string_view rest = key.substr(prefix.size() + 1);
        while (true) {
            const auto dot = rest.find('.');
            node = &node->children[rest.substr(0, dot)];
            if (dot == std::string_view::npos)
                break;
            rest = rest.substr(dot + 1);
        }
        node->value = value;
    }
    if (!any)
        return nullptr;
    // Depth-first conversion; a leaf that also has children (a malformed mix) keeps its own value.
    auto convert = [this](const FlatNode& node, auto& self) -> json {
        if (node.value)
            return plainOf(*node.value);
        std::vector<std::pair<std::size_t, const FlatNode*>> indexed;
        for (const auto& [segment, child] : node.children) {
            if (const auto index = indexOf(segment))
                indexed.emplace_back(*index, &child);
        }
        if (!node.children.empty() && indexed.size() == node.children.size()) {
            std::sort(indexed.begin(), indexed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            json array = json::array();
            for (const auto& [index, child] : indexed)
                array.push_back(self(*child, self));
            return array;
        }
        json object = json::object();
        for (const auto& [segment, child] : node.children)
            object[std::string(segment)] = self(child, self);
        return object;
    };
    return convert(root, convert);
}

} // namespace Tracelight
