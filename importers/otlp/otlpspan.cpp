#include "otlpspan.h"

#include "attributeview.h"
#include "conventions.h"
#include "messages.h"
#include "tracelightattributes.h"

#include <jsonfield.h>

#include <QByteArray>

#include <algorithm>
#include <initializer_list>

namespace Tracelight::Otlp {

using JsonField::member;
using nlohmann::json;

namespace {

bool isHex(const std::string& text)
{
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

int spanKindFrom(const json& value)
{
    if (auto number = jsonInteger(value); number && *number >= 0 && *number <= 5)
        return static_cast<int>(*number);
    if (value.is_string()) {
        static const char* names[] = { "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER" };
        for (int i = 0; i < 6; ++i) {
            if (value == names[i])
                return i;
        }
    }
    return 0;
}

StepStatus statusFrom(const json& value)
{
    if (auto number = jsonInteger(value))
        return *number == 2 ? StepStatus::Error : *number == 1 ? StepStatus::Ok : StepStatus::Unset;
    if (value == "STATUS_CODE_ERROR" || value == "ERROR")
        return StepStatus::Error;
    if (value == "STATUS_CODE_OK" || value == "OK")
        return StepStatus::Ok;
    return StepStatus::Unset;
}

std::string dumpOr(const json* value, const char* fallback)
{
    return value && (value->is_array() || value->is_object()) ? Messages::dump(*value) : std::string(fallback);
}

} // namespace

std::optional<std::string> normalizeId(const json& value, std::size_t bytes)
{
    if (!value.is_string())
        return std::nullopt;
    std::string text = value.get<std::string>();
    if (text.size() == bytes * 2 && isHex(text)) {
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    } else {
        const QByteArray decoded
            = QByteArray::fromBase64Encoding(QByteArray::fromStdString(text), QByteArray::AbortOnBase64DecodingErrors)
                  .decoded;
        if (text.empty() || static_cast<std::size_t>(decoded.size()) != bytes)
            return std::nullopt;
        text = decoded.toHex().toStdString();
    }
    if (std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; }))
        return std::nullopt;
    return text;
}

Resource resourceFrom(const json& resource)
{
    Resource result;
    const json* attributes = member(resource, { "attributes" });
    result.attributesJson = dumpOr(attributes, "[]");
    if (attributes) {
        const AttributeView view = AttributeView::fromKeyValueList(*attributes);
        result.serviceName = view.string("service.name").value_or(std::string());
        result.serviceVersion = view.string("service.version").value_or(std::string());
        if (TracelightAttributes::mayHaveKeys(result.attributesJson))
            TracelightAttributes::applyToResource(*attributes, result);
    }
    return result;
}

Scope scopeFrom(const json& scope)
{
    Scope result;
    result.name = JsonField::text(scope, { "name" });
    result.version = JsonField::text(scope, { "version" });
    const json* attributes = member(scope, { "attributes" });
    result.attributesJson = dumpOr(attributes, "[]");
    if (attributes && TracelightAttributes::mayHaveKeys(result.attributesJson))
        TracelightAttributes::applyToScope(*attributes, result);
    return result;
}

std::string exceptionMessage(const json& events)
{
    if (!events.is_array())
        return {};
    for (const json& event : events) {
        if (JsonField::text(event, { "name" }) != "exception")
            continue;
        if (const json* eventAttributes = member(event, { "attributes" })) {
            const AttributeView view = AttributeView::fromKeyValueList(*eventAttributes);
            const std::string type = view.string("exception.type").value_or(std::string());
            const std::string message = view.string("exception.message").value_or(std::string());
            return type.empty() ? message : message.empty() ? type : type + ": " + message;
        }
        break;
    }
    return {};
}

bool stepFrom(const json& span, Step& s, std::string& reason, std::vector<std::string>& warnings)
{
    if (!span.is_object()) {
        reason = "a span must be a JSON object";
        return false;
    }
    const json* traceId = member(span, { "traceId", "trace_id" });
    const json* spanId = member(span, { "spanId", "span_id" });
    const auto trace = traceId ? normalizeId(*traceId, 16) : std::nullopt;
    const auto id = spanId ? normalizeId(*spanId, 8) : std::nullopt;
    if (!trace || !id) {
        const std::string name = JsonField::text(span, { "name" });
        reason = std::string(!trace ? "missing or invalid traceId" : "missing or invalid spanId")
            + (name.empty() ? std::string() : " (span \"" + name + "\")") + "; the span was skipped";
        return false;
    }
    s.traceId = *trace;
    s.spanId = *id;
    if (const json* parent = member(span, { "parentSpanId", "parent_span_id" });
        parent && !(parent->is_string() && parent->get_ref<const std::string&>().empty())) {
        if (auto parentId = normalizeId(*parent, 8))
            s.parentId = *parentId;
        else
            warnings.push_back("span " + s.spanId + ": invalid parentSpanId; shown as a root");
    }
    if (s.parentId == s.spanId) {
        warnings.push_back("span " + s.spanId + " is its own parent; shown as a root");
        s.parentId.clear();
    }
    s.name = JsonField::text(span, { "name" });
    if (const json* kind = member(span, { "kind" }))
        s.otelKind = spanKindFrom(*kind);
    if (const json* start = member(span, { "startTimeUnixNano", "start_time_unix_nano" }))
        s.startNs = jsonInteger(*start).value_or(0);
    if (const json* end = member(span, { "endTimeUnixNano", "end_time_unix_nano" }))
        s.endNs = jsonInteger(*end).value_or(0);
    if (s.endNs != 0 && s.endNs < s.startNs) {
        warnings.push_back("span " + s.spanId + " ends before it starts; its end is treated as unknown");
        s.endNs = 0;
    }
    s.traceState = JsonField::text(span, { "traceState", "trace_state" });
    if (const json* flags = member(span, { "flags" }))
        s.flags = static_cast<std::uint32_t>(jsonInteger(*flags).value_or(0));
    if (const json* status = member(span, { "status" }); status && status->is_object()) {
        if (const json* code = member(*status, { "code" }))
            s.status = statusFrom(*code);
        s.statusMessage = JsonField::text(*status, { "message" });
    }

    const json* attributes = member(span, { "attributes" });
    const json* events = member(span, { "events" });
    s.attributesJson = dumpOr(attributes, "[]");
    s.eventsJson = dumpOr(events, "[]");
    s.linksJson = dumpOr(member(span, { "links" }), "[]");

    static const json none;
    Conventions::apply(AttributeView::fromKeyValueList(attributes ? *attributes : none), events ? *events : none, s);

    // Plain OTel errors carry the exception as a span event.
    if (s.status == StepStatus::Error && s.statusMessage.empty() && events)
        s.statusMessage = exceptionMessage(*events);
    if (s.kind == StepKind::Other && s.endNs != 0 && s.endNs == s.startNs)
        s.kind = StepKind::Event;
    // Last, so that they override every convention: what `tracelight export` wrote for the fields no convention
    // carries.
    if (attributes && TracelightAttributes::mayHaveKeys(s.attributesJson))
        TracelightAttributes::applyToStep(*attributes, s);
    return true;
}

} // namespace Tracelight::Otlp
