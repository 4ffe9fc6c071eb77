#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace Tracelight {

// An ISO 8601 / RFC 3339 date and time ("2025-06-01T12:00:00.123456+02:00") → Unix time in nanoseconds.
// Accepts 'T' or a space between date and time, 0 to 9 fraction digits (more are cut), and a zone as 'Z',
// ±HH:MM, ±HHMM or ±HH. A time without a zone is UTC (trace-formats.md section 9). nullopt for anything else.
std::optional<std::int64_t> parseIsoTimeNs(std::string_view text);

} // namespace Tracelight
