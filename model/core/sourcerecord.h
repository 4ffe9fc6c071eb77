#pragma once

#include <cstdint>
#include <string>

namespace Tracelight {

// A file the cache was imported from: its path, SHA-256 and size when imported, and what it added.
struct SourceRecord
{
    std::string path;
    std::string sha256;
    std::int64_t size = 0;
    std::string format;
    std::int64_t importedAtMs = 0;
    std::int64_t spans = 0;
    std::int64_t newSpans = 0;
};

} // namespace Tracelight
