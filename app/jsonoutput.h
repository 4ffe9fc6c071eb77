#pragma once

#include <cachestats.h>
#include <tracesnapshot.h>
#include <tracesummary.h>

#include <runcomparison.h>
#include <tracesearch.h>
#include <versioncomparison.h>

#include <nlohmann/json.hpp>

#include <vector>

namespace Tracelight::JsonOutput {

// The command line's JSON contract: field names never change; new fields may be added.
nlohmann::json traceSummary(const TraceSummary& trace);
nlohmann::json traceSteps(const TraceSnapshot& snapshot);
// One step of traceSteps.
nlohmann::json step(const TraceSnapshot& snapshot, int index);
nlohmann::json cacheStats(const CacheStats& stats);
// [{trace_id, trace_name, span_id, step_name, kind, field, snippet, highlights: [[begin, end]…], rank}], best first;
// highlights are code point offsets into snippet.
nlohmann::json searchHits(const std::vector<SearchHit>& hits);
// {a, b, delta: {duration_ms, llm_calls, tool_calls, input_tokens, output_tokens, cost_usd, errors} (b − a),
//  first_divergence, alignment: [{op, a, b, kind, name}], counts, tool_calls, models}
nlohmann::json comparison(const RunComparison& comparison);
// {v1, v2, delta}: the figures of two agent versions and v2 − v1.
nlohmann::json versionComparison(const VersionStats& v1, const VersionStats& v2);

} // namespace Tracelight::JsonOutput
