#pragma once

#include "tracesnapshot.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace Tracelight {
class TraceStore;
}

namespace Tracelight::StepExport {

// Chrome trace event JSON (Perfetto UI, chrome://tracing): {traceEvents: [...], displayTimeUnit}. One complete
// ("X") event per step, timestamps in microseconds since the trace's start; a process per service and a thread
// (track) per agent, named by metadata ("M") events; args carry kind, status, model, tokens and ids. A step that
// never ended gets the time up to the trace's end and args.open = true.
nlohmann::json chromeTrace(const TraceSnapshot& snapshot);

// The trace's steps in causal order as CSV (RFC 4180, CRLF, formula-looking fields defused by Csv::field).
QString stepsCsv(const TraceSnapshot& snapshot);

// The trace's tool calls (steps with a tool name) in causal order as CSV, with their arguments and results in full.
QString toolCallsCsv(TraceStore& store, const TraceSnapshot& snapshot);

} // namespace Tracelight::StepExport
