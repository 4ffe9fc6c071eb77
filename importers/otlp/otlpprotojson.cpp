#include "otlpprotojson.h"

#include <utf8.h>

#include "opentelemetry/proto/trace/v1/trace.pb.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>

namespace Tracelight::OtlpProto {

using nlohmann::json;
namespace common = opentelemetry::proto::common::v1;
namespace resource = opentelemetry::proto::resource::v1;
namespace trace = opentelemetry::proto::trace::v1;
using google::protobuf::RepeatedPtrField;

namespace {

std::string hex(const std::string& bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string text(bytes.size() * 2, '0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        text[2 * i] = digits[byte >> 4];
        text[2 * i + 1] = digits[byte & 0xf];
    }
    return text;
}

std::string base64(const std::string& bytes)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16
            | std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8 | static_cast<unsigned char>(bytes[i + 2]);
        text += alphabet[n >> 18];
        text += alphabet[(n >> 12) & 63];
        text += alphabet[(n >> 6) & 63];
        text += alphabet[n & 63];
    }
    if (i < bytes.size()) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            n |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
        text += alphabet[n >> 18];
        text += alphabet[(n >> 12) & 63];
        text += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
        text += '=';
    }
    return text;
}

json keyValues(const RepeatedPtrField<common::KeyValue>& list)
{
    json array = json::array();
    for (const common::KeyValue& entry : list) {
        json object = json::object();
        if (!entry.key().empty())
            object["key"] = entry.key();
        if (entry.has_value())
            object["value"] = toJson(entry.value());
        array.push_back(std::move(object));
    }
    return array;
}

bool readVarint(std::string_view bytes, std::size_t& pos, std::uint64_t& value)
{
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.size())
            return false;
        const auto byte = static_cast<unsigned char>(bytes[pos++]);
        value |= std::uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return true;
    }
    return false;
}

void writeVarint(std::string& out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

struct RewriteError
{
    std::string message;
    std::size_t offset = 0;
};

// Copies a message's wire bytes to out, field by field, repairing the UTF-8 of string fields (recursing into message
// fields by their descriptors). Unknown fields are copied as they are.
bool rewrite(std::string_view bytes, const google::protobuf::Descriptor& type, std::size_t base, int depth,
    std::string& out, std::vector<std::string>& repaired, RewriteError& error)
{
    if (depth > 100) {
        error = { "messages nested more than 100 deep", base };
        return false;
    }
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const std::size_t fieldStart = pos;
        std::uint64_t tag = 0;
        if (!readVarint(bytes, pos, tag) || (tag >> 3) == 0) {
            error = { "a field tag is malformed or cut off", base + fieldStart };
            return false;
        }
        const auto number = static_cast<int>(tag >> 3);
        const auto wireType = static_cast<int>(tag & 7);
        std::uint64_t length = 0;
        switch (wireType) {
        case 0:
            if (!readVarint(bytes, pos, length)) {
                error
                    = { "field " + std::to_string(number) + ": an integer is malformed or cut off", base + fieldStart };
                return false;
            }
            out.append(bytes.substr(fieldStart, pos - fieldStart));
            continue;
        case 1:
        case 5: {
            const std::size_t size = wireType == 1 ? 8 : 4;
            if (bytes.size() - pos < size) {
                error = { "field " + std::to_string(number) + " is cut off", base + fieldStart };
                return false;
            }
            pos += size;
            out.append(bytes.substr(fieldStart, pos - fieldStart));
            continue;
        }
        case 2:
            break;
        default:
            error = { "field " + std::to_string(number) + " has wire type " + std::to_string(wireType)
                    + ", which OTLP never uses",
                base + fieldStart };
            return false;
        }
        const std::size_t tagEnd = pos;
        if (!readVarint(bytes, pos, length) || length > bytes.size() - pos) {
            error = { "field " + std::to_string(number) + " is longer than the message that holds it",
                base + fieldStart };
            return false;
        }
        std::string_view content = bytes.substr(pos, static_cast<std::size_t>(length));
        const std::size_t contentStart = pos;
        pos += static_cast<std::size_t>(length);
        const google::protobuf::FieldDescriptor* field = type.FindFieldByNumber(number);
        std::string replaced;
        if (field && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING && !Utf8::isValid(content)) {
            replaced = Utf8::repaired(content);
            repaired.push_back(field->full_name());
        } else if (field && field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
            if (!rewrite(content, *field->message_type(), base + contentStart, depth + 1, replaced, repaired, error))
                return false;
        } else {
            out.append(bytes.substr(fieldStart, pos - fieldStart));
            continue;
        }
        out.append(bytes.substr(fieldStart, tagEnd - fieldStart));
        writeVarint(out, replaced.size());
        out += replaced;
    }
    return true;
}

// protobuf logs every string field with invalid UTF-8 it meets while parsing; parseLenient repairs and reports those
// itself, with the file and the place, so that one message is dropped. Everything else goes to stderr as before.
void quietUtf8Log(google::protobuf::LogLevel level, const char* filename, int line, const std::string& message)
{
    if (message.find("invalid UTF-8") != std::string::npos)
        return;
    static const char* const levels[] = { "INFO", "WARNING", "ERROR", "FATAL" };
    std::fprintf(
        stderr, "[libprotobuf %s %s:%d] %s\n", levels[std::clamp(int(level), 0, 3)], filename, line, message.c_str());
}

} // namespace

json toJson(const common::AnyValue& value)
{
    switch (value.value_case()) {
    case common::AnyValue::kStringValue:
        return json { { "stringValue", value.string_value() } };
    case common::AnyValue::kBoolValue:
        return json { { "boolValue", value.bool_value() } };
    case common::AnyValue::kIntValue:
        return json { { "intValue", std::to_string(value.int_value()) } };
    case common::AnyValue::kDoubleValue: {
        const double d = value.double_value();
        if (std::isnan(d))
            return json { { "doubleValue", "NaN" } };
        if (std::isinf(d))
            return json { { "doubleValue", d > 0 ? "Infinity" : "-Infinity" } };
        return json { { "doubleValue", d } };
    }
    case common::AnyValue::kArrayValue: {
        json array = json::object();
        if (value.array_value().values_size() > 0) {
            json values = json::array();
            for (const common::AnyValue& element : value.array_value().values())
                values.push_back(toJson(element));
            array["values"] = std::move(values);
        }
        return json { { "arrayValue", std::move(array) } };
    }
    case common::AnyValue::kKvlistValue: {
        json list = json::object();
        if (value.kvlist_value().values_size() > 0)
            list["values"] = keyValues(value.kvlist_value().values());
        return json { { "kvlistValue", std::move(list) } };
    }
    case common::AnyValue::kBytesValue:
        return json { { "bytesValue", base64(value.bytes_value()) } };
    case common::AnyValue::kStringValueStrindex: // profiles only
    case common::AnyValue::VALUE_NOT_SET:
        break;
    }
    return json::object();
}

json toJson(const trace::Span& span)
{
    json j = json::object();
    if (!span.trace_id().empty())
        j["traceId"] = hex(span.trace_id());
    if (!span.span_id().empty())
        j["spanId"] = hex(span.span_id());
    if (!span.trace_state().empty())
        j["traceState"] = span.trace_state();
    if (!span.parent_span_id().empty())
        j["parentSpanId"] = hex(span.parent_span_id());
    if (span.flags() != 0)
        j["flags"] = span.flags();
    if (!span.name().empty())
        j["name"] = span.name();
    if (span.kind() != 0)
        j["kind"] = static_cast<int>(span.kind());
    if (span.start_time_unix_nano() != 0)
        j["startTimeUnixNano"] = std::to_string(span.start_time_unix_nano());
    if (span.end_time_unix_nano() != 0)
        j["endTimeUnixNano"] = std::to_string(span.end_time_unix_nano());
    if (span.attributes_size() > 0)
        j["attributes"] = keyValues(span.attributes());
    if (span.dropped_attributes_count() != 0)
        j["droppedAttributesCount"] = span.dropped_attributes_count();
    if (span.events_size() > 0) {
        json events = json::array();
        for (const trace::Span::Event& event : span.events()) {
            json e = json::object();
            if (event.time_unix_nano() != 0)
                e["timeUnixNano"] = std::to_string(event.time_unix_nano());
            if (!event.name().empty())
                e["name"] = event.name();
            if (event.attributes_size() > 0)
                e["attributes"] = keyValues(event.attributes());
            if (event.dropped_attributes_count() != 0)
                e["droppedAttributesCount"] = event.dropped_attributes_count();
            events.push_back(std::move(e));
        }
        j["events"] = std::move(events);
    }
    if (span.dropped_events_count() != 0)
        j["droppedEventsCount"] = span.dropped_events_count();
    if (span.links_size() > 0) {
        json links = json::array();
        for (const trace::Span::Link& link : span.links()) {
            json l = json::object();
            if (!link.trace_id().empty())
                l["traceId"] = hex(link.trace_id());
            if (!link.span_id().empty())
                l["spanId"] = hex(link.span_id());
            if (!link.trace_state().empty())
                l["traceState"] = link.trace_state();
            if (link.attributes_size() > 0)
                l["attributes"] = keyValues(link.attributes());
            if (link.dropped_attributes_count() != 0)
                l["droppedAttributesCount"] = link.dropped_attributes_count();
            if (link.flags() != 0)
                l["flags"] = link.flags();
            links.push_back(std::move(l));
        }
        j["links"] = std::move(links);
    }
    if (span.dropped_links_count() != 0)
        j["droppedLinksCount"] = span.dropped_links_count();
    if (span.has_status()) {
        json status = json::object();
        if (!span.status().message().empty())
            status["message"] = span.status().message();
        if (span.status().code() != 0)
            status["code"] = static_cast<int>(span.status().code());
        j["status"] = std::move(status);
    }
    return j;
}

json toJson(const resource::Resource& r)
{
    json j = json::object();
    if (r.attributes_size() > 0)
        j["attributes"] = keyValues(r.attributes());
    if (r.dropped_attributes_count() != 0)
        j["droppedAttributesCount"] = r.dropped_attributes_count();
    return j;
}

json toJson(const common::InstrumentationScope& scope)
{
    json j = json::object();
    if (!scope.name().empty())
        j["name"] = scope.name();
    if (!scope.version().empty())
        j["version"] = scope.version();
    if (scope.attributes_size() > 0)
        j["attributes"] = keyValues(scope.attributes());
    if (scope.dropped_attributes_count() != 0)
        j["droppedAttributesCount"] = scope.dropped_attributes_count();
    return j;
}

bool parseLenient(google::protobuf::Message& message, std::string_view bytes, std::vector<std::string>& repaired,
    std::string& error, std::size_t& errorOffset)
{
    static std::once_flag logHandler;
    std::call_once(logHandler, [] { google::protobuf::SetLogHandler(&quietUtf8Log); });
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) {
        error = "a message of " + std::to_string(bytes.size()) + " bytes is larger than protobuf allows (2 GiB)";
        errorOffset = 0;
        return false;
    }
    if (message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return true;
    std::string fixed;
    RewriteError failure;
    if (!rewrite(bytes, *message.GetDescriptor(), 0, 0, fixed, repaired, failure)) {
        error = failure.message;
        errorOffset = failure.offset;
        return false;
    }
    if (message.ParseFromString(fixed))
        return true;
    error = "not a valid " + message.GetDescriptor()->name() + " message";
    errorOffset = 0;
    return false;
}

} // namespace Tracelight::OtlpProto
