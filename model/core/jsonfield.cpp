#include "jsonfield.h"

#include "attributeview.h"

namespace Tracelight::JsonField {

using nlohmann::json;

namespace {
const json null;
}

const json* member(const json& object, const char* key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const json* member(const json& object, std::string_view key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const json* member(const json& object, std::initializer_list<const char*> keys)
{
    for (const char* key : keys) {
        if (const json* value = member(object, key))
            return value;
    }
    return nullptr;
}

const json& field(const json& object, const char* key)
{
    const json* value = member(object, key);
    return value ? *value : null;
}

const json& field(const json& object, std::string_view key)
{
    const json* value = member(object, key);
    return value ? *value : null;
}

const json& field(const json& object, std::initializer_list<const char*> keys)
{
    const json* value = member(object, keys);
    return value ? *value : null;
}

std::string text(const json& object, const char* key)
{
    return stringOf(field(object, key));
}

std::string text(const json& object, std::string_view key)
{
    return stringOf(field(object, key));
}

std::string text(const json& object, std::initializer_list<const char*> keys)
{
    return stringOf(field(object, keys));
}

std::string stringOf(const json& value)
{
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string displayText(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return {};
    return value.dump(2, ' ', false, json::error_handler_t::replace);
}

std::optional<std::int64_t> integer(const json& object, const char* key)
{
    const json* value = member(object, key);
    return value ? jsonInteger(*value) : std::nullopt;
}

const json& array(const json& object, const char* key)
{
    static const json empty = json::array();
    const json* value = member(object, key);
    return value && value->is_array() ? *value : empty;
}

bool nestedDeeperThan(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

nlohmann::json parse(std::string_view text)
{
    if (nestedDeeperThan(text))
        return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

} // namespace Tracelight::JsonField
