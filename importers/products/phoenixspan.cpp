#include "phoenixspan.h"

#include "attributeview.h"
#include "conventions.h"
#include "isotime.h"
#include "messages.h"
#include "otlpspan.h"

#include <jsonfield.h>

#include <algorithm>
#include <cmath>

namespace Tracelight::Phoenix {

using JsonField::member;
using JsonField::stringOf;
using nlohmann::json;

namespace {

// OpenInference attributes whose value is a JSON string; Phoenix stores them parsed, we keep them one value.
bool isJsonStringAttribute(const std::string& key)
{
    for (const std::string_view suffix :
        { "metadata", "tool.parameters", "llm.prompt_template.variables", "llm.invocation_parameters" }) {
        if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0
            && (key.size() == suffix.size() || key[key.size() - suffix.size() - 1] == '.'))
            return true;
    }
    return false;
}

constexpr int maxDepth = 64;

// Nested or flat attributes → one flat object {"llm.input_messages.0.message.role": "user", …}. Leaves are moved out
// of the record (prompts can be megabytes), not copied.
void flatten(json& value, const std::string& key, json& flat, int depth)
{
    if (value.is_null())
        return;
    if (depth > maxDepth || (value.is_object() && !key.empty() && isJsonStringAttribute(key))) {
        // JSON-string attributes stay one value, as does a pathological nesting (rather than a deep recursion).
        flat[key] = Messages::dump(value);
        return;
    }
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            flatten(it.value(), key.empty() ? it.key() : key + '.' + it.key(), flat, depth + 1);
        return;
    }
    if (value.is_array() && std::any_of(value.begin(), value.end(), [](const json& v) { return v.is_object(); })) {
        for (std::size_t i = 0; i < value.size(); ++i)
            flatten(value[i], key + '.' + std::to_string(i), flat, depth + 1);
        return;
    }
    if (!key.empty())
        flat[key] = std::move(value);
}

// A plain JSON value as OTLP AnyValue JSON text.
void appendAnyValue(std::string& out, const json& value)
{
    switch (value.type()) {
    case json::value_t::string:
        out += "{\"stringValue\":";
        out += Messages::dump(value);
        out += '}';
        return;
    case json::value_t::boolean:
        out += value.get<bool>() ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
        return;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        out += "{\"intValue\":\"";
        out += value.dump();
        out += "\"}";
        return;
    case json::value_t::number_float:
        out += "{\"doubleValue\":";
        out += value.dump();
        out += '}';
        return;
    case json::value_t::array: {
        out += "{\"arrayValue\":{\"values\":[";
        bool first = true;
        for (const json& element : value) {
            if (!first)
                out += ',';
            first = false;
            appendAnyValue(out, element);
        }
        out += "]}}";
        return;
    }
    case json::value_t::object: {
        out += "{\"kvlistValue\":{\"values\":[";
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first)
                out += ',';
            first = false;
            out += "{\"key\":";
            out += Messages::dump(it.key());
            out += ",\"value\":";
            appendAnyValue(out, it.value());
            out += '}';
        }
        out += "]}}";
        return;
    }
    default:
        out += "{}";
    }
}

// A flat attribute object → OTLP KeyValue list JSON text.
std::string keyValueText(const json& flat)
{
    std::string out = "[";
    bool first = true;
    for (auto it = flat.begin(); it != flat.end(); ++it) {
        if (!first)
            out += ',';
        first = false;
        out += "{\"key\":";
        out += Messages::dump(it.key());
        out += ",\"value\":";
        appendAnyValue(out, it.value());
        out += '}';
    }
    out += ']';
    return out;
}

bool isHex(const std::string& text)
{
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// Hex ids (OTel, optionally "0x"-prefixed) are lowercased; other ids (UUIDs of older Phoenix versions) are kept
// as the source wrote them, lowercased when they are UUIDs.
std::optional<std::string> normalizeId(const json* value, std::size_t bytes)
{
    if (!value || !value->is_string())
        return std::nullopt;
    std::string text = value->get<std::string>();
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && isHex(text.substr(2)))
        text = text.substr(2);
    if (text.empty() || text.size() > 256)
        return std::nullopt;
    const bool uuid = text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-';
    if ((text.size() == bytes * 2 && isHex(text)) || uuid) {
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (std::all_of(text.begin(), text.end(), [](char c) { return c == '0' || c == '-'; }))
            return std::nullopt;
    }
    return text;
}

// ISO 8601 text, or a number of seconds, milliseconds, microseconds or nanoseconds (told apart by size, as a
// dataframe export may write them).
std::optional<std::int64_t> timeFrom(const json& value)
{
    if (value.is_string())
        return parseIsoTimeNs(value.get_ref<const std::string&>());
    if (value.is_number() && !value.is_boolean()) {
        const double number = value.get<double>();
        if (!std::isfinite(number) || number < 0)
            return std::nullopt;
        if (number >= 1e17)
            return jsonInteger(value);
        const double scale = number >= 1e14 ? 1e3 : number >= 1e11 ? 1e6 : 1e9;
        return static_cast<std::int64_t>(std::llround(number * scale));
    }
    return std::nullopt;
}

StepStatus statusFrom(const json& value)
{
    std::string code = value.is_string() ? value.get<std::string>() : std::string();
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (code == "ERROR" || code == "STATUS_CODE_ERROR" || value == 2)
        return StepStatus::Error;
    if (code == "OK" || code == "STATUS_CODE_OK" || value == 1)
        return StepStatus::Ok;
    return StepStatus::Unset;
}

// A JSON-string field (the dataframe export writes nested values as strings) → its parsed value.
json parsedField(json value)
{
    if (value.is_string()) {
        if (auto parsed = AttributeView::parseJsonText(value.get_ref<const std::string&>()))
            return std::move(*parsed);
    }
    return value;
}

json* mutableMember(json& object, const char* name)
{
    const auto it = object.find(name);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

json eventsFrom(const json& value, const std::string& spanId, std::vector<std::string>& warnings)
{
    json events = json::array();
    const json list = parsedField(value);
    if (list.is_null())
        return events;
    if (!list.is_array()) {
        warnings.push_back("span " + spanId + ": \"events\" must be an array; ignored");
        return events;
    }
    for (const json& event : list) {
        if (!event.is_object())
            continue;
        json converted = json::object();
        if (const json* time = member(event, { "timestamp", "time" }))
            converted["timeUnixNano"] = std::to_string(timeFrom(*time).value_or(0));
        converted["name"] = stringOf(event.value("name", json()));
        json flat = json::object();
        if (const json* a = member(event, { "attributes" })) {
            json nested = parsedField(*a);
            flatten(nested, {}, flat, 0);
        }
        // Events are few and small: their KeyValue list is built as a DOM, which the GenAI event mapping reads.
        converted["attributes"] = json::parse(keyValueText(flat));
        events.push_back(std::move(converted));
    }
    return events;
}

} // namespace

bool stepFrom(json& record, Step& s, std::string& reason, std::vector<std::string>& warnings)
{
    const std::string name = stringOf(record.value("name", json()));
    // The ids sit in a "context" object, or in flat "context.trace_id" columns (dataframe form).
    const json* context = member(record, { "context" });
    const json contextObject = context ? parsedField(*context) : json();
    const auto idMember = [&](const char* inContext, std::initializer_list<const char*> flat) {
        const json* value = contextObject.is_object() ? member(contextObject, { inContext }) : nullptr;
        return value ? value : member(record, flat);
    };
    const auto trace = normalizeId(idMember("trace_id", { "context.trace_id", "trace_id" }), 16);
    const auto id = normalizeId(idMember("span_id", { "context.span_id", "span_id" }), 8);
    if (!trace || !id) {
        reason = std::string(!trace ? "missing or invalid context.trace_id" : "missing or invalid context.span_id")
            + (name.empty() ? std::string() : " (span \"" + name + "\")") + "; the span was skipped";
        return false;
    }
    s.traceId = *trace;
    s.spanId = *id;
    s.name = name;

    const json* start = member(record, { "start_time" });
    const auto startNs = start ? timeFrom(*start) : std::nullopt;
    if (!startNs) {
        // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on "literal" + std::string&&.
        reason = "span " + s.spanId + ": missing or invalid start_time";
        if (start) {
            reason += ' ';
            reason += Messages::dump(*start).substr(0, 80);
        }
        reason += "; the span was skipped";
        return false;
    }
    s.startNs = *startNs;
    if (const json* end = member(record, { "end_time" })) {
        if (const auto endNs = timeFrom(*end))
            s.endNs = *endNs;
        else
            warnings.push_back("span " + s.spanId + ": invalid end_time; its end is treated as unknown");
    }
    if (s.endNs != 0 && s.endNs < s.startNs) {
        warnings.push_back("span " + s.spanId + " ends before it starts; its end is treated as unknown");
        s.endNs = 0;
    }

    if (const json* parent = member(record, { "parent_id", "parent_span_id" });
        parent && !(parent->is_string() && parent->get_ref<const std::string&>().empty())) {
        if (auto parentId = normalizeId(parent, 8))
            s.parentId = *parentId;
        else
            warnings.push_back("span " + s.spanId + ": invalid parent_id; shown as a root");
    }
    if (s.parentId == s.spanId) {
        warnings.push_back("span " + s.spanId + " is its own parent; shown as a root");
        s.parentId.clear();
    }
    if (const json* status = member(record, { "status_code" }))
        s.status = statusFrom(*status);
    if (const json* message = member(record, { "status_message" }))
        s.statusMessage = stringOf(*message);

    json flat = json::object();
    if (json* a = mutableMember(record, "attributes")) {
        json nested = parsedField(std::move(*a));
        if (nested.is_object())
            flatten(nested, {}, flat, 0);
        else
            warnings.push_back("span " + s.spanId + ": \"attributes\" must be an object; ignored");
    }
    for (auto it = record.begin(); it != record.end(); ++it) { // the dataframe form's "attributes.<key>" columns
        if (it.key().rfind("attributes.", 0) == 0)
            flatten(it.value(), it.key().substr(11), flat, 0);
    }
    // Phoenix derives span_kind from openinference.span.kind; a record that has only the former gets the latter
    // back so that the OpenInference mapping sees it.
    const std::string spanKind = stringOf(record.value("span_kind", json()));
    if (!spanKind.empty() && !flat.contains("openinference.span.kind"))
        flat["openinference.span.kind"] = spanKind;

    const json events = record.contains("events") ? eventsFrom(record["events"], s.spanId, warnings) : json::array();
    s.attributesJson = keyValueText(flat);
    s.eventsJson = Messages::dump(events);
    Conventions::apply(AttributeView::fromObject(flat), events, s);

    if (s.sessionId.empty()) {
        if (const json* conversation = member(record, { "conversation" }); conversation && conversation->is_object())
            s.sessionId = stringOf(conversation->value("conversation_id", json()));
    }
    if (s.status == StepStatus::Error && s.statusMessage.empty())
        s.statusMessage = Otlp::exceptionMessage(events);
    if (s.kind == StepKind::Other && s.endNs != 0 && s.endNs == s.startNs)
        s.kind = StepKind::Event;
    return true;
}

} // namespace Tracelight::Phoenix
