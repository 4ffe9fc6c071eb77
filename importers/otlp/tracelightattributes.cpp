#include "tracelightattributes.h"

#include "attributeview.h"
#include "messages.h"

#include <cmath>
#include <limits>
#include <unordered_set>

namespace Tracelight::TracelightAttributes {

using nlohmann::json;

namespace {

bool isOurs(const json& entry)
{
    if (!entry.is_object())
        return false;
    const auto key = entry.find("key");
    return key != entry.end() && key->is_string()
        && std::string_view(key->get_ref<const std::string&>()).substr(0, prefix.size()) == prefix;
}

// A KeyValue list split into our entries (as a view) and the source's own entries.
struct Split
{
    AttributeView ours;
    json stripped = json::array();
};

std::optional<Split> split(const json& list)
{
    if (!list.is_array() || std::none_of(list.begin(), list.end(), isOurs))
        return std::nullopt;
    Split result;
    result.ours = AttributeView::fromKeyValueList(list);
    std::unordered_set<std::string> synthesized;
    if (const json keys = result.ours.plain(synthesizedKey); keys.is_array()) {
        for (const json& key : keys) {
            if (key.is_string())
                synthesized.insert(key.get<std::string>());
        }
    }
    for (const json& entry : list) {
        if (isOurs(entry))
            continue;
        if (entry.is_object() && entry.contains("key") && entry["key"].is_string()
            && synthesized.count(entry["key"].get<std::string>()) != 0)
            continue;
        result.stripped.push_back(entry);
    }
    return result;
}

void set(std::string& field, const json& value)
{
    field = value.is_null() ? std::string() : value.is_string() ? value.get<std::string>() : Messages::dump(value);
}

void set(StepKind& field, const json& value)
{
    if (value.is_string()) {
        if (const auto kind = stepKindFromName(value.get_ref<const std::string&>()))
            field = *kind;
    }
}

void set(StepStatus& field, const json& value)
{
    for (const StepStatus status : { StepStatus::Unset, StepStatus::Ok, StepStatus::Error }) {
        if (value.is_string() && value.get_ref<const std::string&>() == stepStatusName(status))
            field = status;
    }
}

void set(std::int64_t& field, const json& value)
{
    if (const auto number = jsonInteger(value))
        field = *number;
}

void set(int& field, const json& value)
{
    if (const auto number = jsonInteger(value); number && *number >= 0 && *number <= 5)
        field = static_cast<int>(*number);
}

void set(std::uint32_t& field, const json& value)
{
    if (const auto number = jsonInteger(value); number && *number >= 0 && *number <= 0xffffffffLL)
        field = static_cast<std::uint32_t>(*number);
}

void set(std::optional<std::int64_t>& field, const json& value)
{
    field = value.is_null() ? std::nullopt : jsonInteger(value);
}

void set(std::optional<double>& field, const json& value)
{
    if (value.is_number())
        field = value.get<double>();
    else if (value == "NaN")
        field = std::numeric_limits<double>::quiet_NaN();
    else if (value == "Infinity" || value == "-Infinity")
        field = value == "Infinity" ? HUGE_VAL : -HUGE_VAL;
    else
        field = std::nullopt;
}

template <typename... Fields> void applyFields(const Split& split, std::pair<const char*, Fields*>... fields)
{
    (
        [&](const char* key, auto* field) {
            const std::string full = std::string(prefix) + key;
            if (split.ours.contains(full))
                set(*field, split.ours.plain(full));
        }(fields.first, fields.second),
        ...);
}

} // namespace

void applyToStep(const json& attributes, Step& step)
{
    const auto parts = split(attributes);
    if (!parts)
        return;
    step.attributesJson = Messages::dump(parts->stripped);
    forEachField(
        [&](const char* key, auto& field) {
            const std::string full = std::string(prefix) + key;
            if (parts->ours.contains(full))
                set(field, parts->ours.plain(full));
        },
        step);
}

void applyToResource(const json& attributes, Resource& resource)
{
    const auto parts = split(attributes);
    if (!parts)
        return;
    resource.attributesJson = Messages::dump(parts->stripped);
    applyFields(*parts, std::pair { "service_name", &resource.serviceName },
        std::pair { "service_version", &resource.serviceVersion },
        std::pair { "attributes", &resource.attributesJson });
}

void applyToScope(const json& attributes, Scope& scope)
{
    const auto parts = split(attributes);
    if (!parts)
        return;
    scope.attributesJson = Messages::dump(parts->stripped);
    applyFields(*parts, std::pair { "attributes", &scope.attributesJson });
}

json anyValue(const std::string& value)
{
    return json { { "stringValue", value } };
}

json anyValue(std::int64_t value)
{
    return json { { "intValue", std::to_string(value) } };
}

json anyValue(int value)
{
    return anyValue(static_cast<std::int64_t>(value));
}

json anyValue(std::uint32_t value)
{
    return anyValue(static_cast<std::int64_t>(value));
}

json anyValue(StepKind value)
{
    return anyValue(std::string(stepKindName(value)));
}

json anyValue(StepStatus value)
{
    return anyValue(std::string(stepStatusName(value)));
}

json anyValue(const std::optional<std::int64_t>& value)
{
    return value ? anyValue(*value) : json::object();
}

json anyValue(const std::optional<double>& value)
{
    if (!value)
        return json::object();
    if (std::isnan(*value))
        return json { { "doubleValue", "NaN" } };
    if (std::isinf(*value))
        return json { { "doubleValue", *value > 0 ? "Infinity" : "-Infinity" } };
    return json { { "doubleValue", *value } };
}

json keyValue(std::string key, json anyValue)
{
    return json { { "key", std::move(key) }, { "value", std::move(anyValue) } };
}

} // namespace Tracelight::TracelightAttributes
