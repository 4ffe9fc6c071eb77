#pragma once

#include <cachestats.h>
#include <tracestore.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

// The JSON of `show`, `compare` and `stats`, built in one place so that the command line and the MCP server give
// the same figures (the fields are the command line's contract: never renamed, only added to).
namespace Tracelight::CommandJson {

// `show --json`: the run's steps and the findings the cache holds for it.
nlohmann::json show(TraceStore& store, const TraceSummary& trace);
// `compare --json A B`: the aligned comparison, and the findings of each run and those new in b.
nlohmann::json compare(TraceStore& store, const TraceSummary& a, const TraceSummary& b);
// `stats --json`: the figures of the runs a filter selects and the stored findings by kind and version.
nlohmann::json stats(TraceStore& store, const StatsFilter& filter, const StatsOptions& options);

// An ISO 8601 date or date-time (UTC unless it names a zone), or an age before now: 30m, 24h, 7d, 2w; as Unix ns.
std::optional<std::int64_t> parseTime(std::string_view text);

} // namespace Tracelight::CommandJson
