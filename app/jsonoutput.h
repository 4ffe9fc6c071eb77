#pragma once

#include <tracesnapshot.h>
#include <tracesummary.h>

#include <tracesearch.h>

#include <nlohmann/json.hpp>

#include <vector>

namespace Tracelight::JsonOutput {

// The command line's JSON contract: field names never change; new fields may be added.
nlohmann::json traceSummary(const TraceSummary& trace);
nlohmann::json traceSteps(const TraceSnapshot& snapshot);
// [{trace_id, trace_name, span_id, step_name, kind, field, snippet, highlights: [[begin, end]…], rank}], best first;
// highlights are code point offsets into snippet.
nlohmann::json searchHits(const std::vector<SearchHit>& hits);

} // namespace Tracelight::JsonOutput
