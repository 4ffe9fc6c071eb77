#pragma once

#include "step.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace Tracelight::Format {

QString duration(std::int64_t ns); // "850 ms", "1.24 s", "2 min 05 s"
QString tokens(std::int64_t count); // "12,345"
// A count with its noun, grouped by thousands: "1 step", "1,000,002 steps".
QString count(std::int64_t n, const QString& singular, const QString& plural);
QString cost(const std::optional<double>& usd); // "$0.0123", "unknown"
QString timestamp(std::int64_t unixNs); // local time, "2025-11-17 14:03:22.123"
QString bytes(std::int64_t count); // "12.4 MB"
QString kindLabel(StepKind kind); // "LLM", "Tool", …
QString fromUtf8(const std::string& text);
// A tool tip that shows text from a trace as it is: escaped (a tool tip takes what looks like markup as HTML),
// invisible and direction-changing characters written as "[U+202E]", line breaks kept. Empty for empty text.
QString plainToolTip(const QString& text);

} // namespace Tracelight::Format
