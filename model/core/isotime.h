#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace Tracelight::IsoTime {

// Unix nanoseconds of an ISO 8601 / RFC 3339 date-time: "2024-10-11T20:58:23.298773+00:00",
// "2025-06-06T11:31:33.965Z", a naive "2025-06-06 11:31:33" (UTC, trace-formats.md section 9), up to nine
// fraction digits, any zone offset. nullopt for anything else.
std::optional<std::int64_t> parse(std::string_view text);

// A time as JSON: an ISO string, or a number of Unix seconds, milliseconds, microseconds or nanoseconds (told
// apart by magnitude; LangSmith's JS SDK writes milliseconds). nullopt for null and anything unreadable.
std::optional<std::int64_t> fromJson(const nlohmann::json& value);

// Unix nanoseconds as "2025-06-06T11:31:33.965Z" (UTC, milliseconds).
std::string format(std::int64_t unixNs);

// "YYYYMMDDTHHMMSSffffffZ", the time of one segment of a LangSmith dotted_order.
std::optional<std::int64_t> parseCompact(std::string_view text);

} // namespace Tracelight::IsoTime

namespace Tracelight {

// The name the Phoenix importer knew it by.
inline std::optional<std::int64_t> parseIsoTimeNs(std::string_view text)
{
    return IsoTime::parse(text);
}

} // namespace Tracelight
