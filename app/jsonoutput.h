#pragma once

#include <cachestats.h>
#include <tracesnapshot.h>
#include <tracesummary.h>

#include <nlohmann/json.hpp>

namespace Tracelight::JsonOutput {

// The command line's JSON contract: field names never change; new fields may be added.
nlohmann::json traceSummary(const TraceSummary& trace);
nlohmann::json traceSteps(const TraceSnapshot& snapshot);
nlohmann::json cacheStats(const CacheStats& stats);

} // namespace Tracelight::JsonOutput
