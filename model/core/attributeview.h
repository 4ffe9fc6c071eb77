#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace Tracelight {

// Read access to a span's attributes, whether they come as OTLP KeyValue lists ({"key", "value": AnyValue})
// or as a plain JSON object. Values are coerced leniently: the same key arrives as a string, an intValue
// string, a number or a structured value depending on the producer (trace-formats.md section 9).
class AttributeView
{
public:
    // The OTLP form: an array of {"key": …, "value": {"stringValue": …}}. Later duplicates win.
    static AttributeView fromKeyValueList(const nlohmann::json& list);
    // A plain object {"gen_ai.request.model": "gpt-4o", …}.
    static AttributeView fromObject(const nlohmann::json& object);
    // The view points into the JSON it was made from: never make one from a temporary.
    static AttributeView fromKeyValueList(nlohmann::json&&) = delete;
    static AttributeView fromObject(nlohmann::json&&) = delete;

    bool contains(std::string_view key) const { return m_values.count(key) != 0; }
    bool empty() const { return m_values.empty(); }
    std::size_t size() const { return m_values.size(); }

    // Text of a scalar value; structured values are serialized as JSON.
    std::optional<std::string> string(std::string_view key) const;
    std::optional<std::int64_t> integer(std::string_view key) const;
    std::optional<double> real(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;
    // The value as plain JSON; a string holding JSON ({…} or […]) is parsed, a string that is not JSON stays a
    // string. Returns null when the key is absent.
    nlohmann::json structured(std::string_view key) const;
    // The value as plain JSON without parsing strings.
    nlohmann::json plain(std::string_view key) const;

    // Rebuilds what a flattening convention spread over "<prefix>.<i>.<suffix>" keys (OpenInference, OpenLLMetry):
    // segments become nested objects, and an object whose keys are all indices becomes an array in index order
    // (gaps dropped). Returns null when no key starts with "<prefix>.".
    nlohmann::json unflatten(std::string_view prefix) const;
    // Whether any key starts with prefix.
    bool hasPrefix(std::string_view prefix) const;

    // Iterates keys that start with prefix.
    template <typename Fn> void forEachWithPrefix(std::string_view prefix, Fn&& fn) const
    {
        for (const auto& [key, value] : m_values) {
            if (key.substr(0, prefix.size()) == prefix)
                fn(key, plainOf(*value));
        }
    }

    // OTLP AnyValue → plain JSON (bytesValue stays its base64 text).
    static nlohmann::json fromAnyValue(const nlohmann::json& anyValue);
    // The same, for views that show whatever a producer put in "value": an object that is no AnyValue (no
    // stringValue, kvlistValue, … key in either spelling) is kept as it is instead of becoming null.
    static nlohmann::json fromAnyValueOrPlain(const nlohmann::json& value);
    // Parses text that looks like JSON; nullopt when it does not parse.
    static std::optional<nlohmann::json> parseJsonText(std::string_view text);

private:
    nlohmann::json plainOf(const nlohmann::json& value) const { return m_anyValues ? fromAnyValue(value) : value; }
    const nlohmann::json* find(std::string_view key) const;

    std::unordered_map<std::string_view, const nlohmann::json*> m_values;
    bool m_anyValues = false;
};

// Lenient 64-bit integer from a JSON number or decimal string.
std::optional<std::int64_t> jsonInteger(const nlohmann::json& value);

} // namespace Tracelight
