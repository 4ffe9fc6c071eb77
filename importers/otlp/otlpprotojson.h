#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace google::protobuf {
class Message;
}
namespace opentelemetry::proto {
namespace common::v1 {
class AnyValue;
class InstrumentationScope;
} // namespace common::v1
namespace resource::v1 {
class Resource;
}
namespace trace::v1 {
class Span;
}
} // namespace opentelemetry::proto

// Internal to the OTLP protobuf importer: from protobuf messages to the OTLP JSON the JSON importer reads.
namespace Tracelight::OtlpProto {

// The OTLP JSON form of a message, exactly as protobuf's own JSON printer writes it except for the two OTLP rules
// (ids as lowercase hex, enums as integers): 64-bit integers as decimal strings, fields at their default value left
// out. Spans, resources and scopes then go through the same conversion as OTLP JSON (otlpspan.h), so a span gives the
// same step whichever encoding it came in.
nlohmann::json toJson(const opentelemetry::proto::trace::v1::Span& span);
nlohmann::json toJson(const opentelemetry::proto::resource::v1::Resource& resource);
nlohmann::json toJson(const opentelemetry::proto::common::v1::InstrumentationScope& scope);
nlohmann::json toJson(const opentelemetry::proto::common::v1::AnyValue& value);

// Parses bytes into message. proto3 parsing rejects invalid UTF-8 in a string field; some SDKs send it anyway, so
// such bytes are replaced by U+FFFD (trace-formats.md section 9: never reject data for it) and the repaired fields'
// names are added to repaired. When the bytes are no valid message, returns false with the reason and the offset of
// the problem within bytes.
bool parseLenient(google::protobuf::Message& message, std::string_view bytes, std::vector<std::string>& repaired,
    std::string& error, std::size_t& errorOffset);

} // namespace Tracelight::OtlpProto
