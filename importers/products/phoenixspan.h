#pragma once

#include <step.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace Tracelight::Phoenix {

// Converts one Arize Phoenix span record into a step:
//   {"name", "context": {"trace_id", "span_id"}, "parent_id", "span_kind", "start_time", "end_time" (ISO 8601),
//    "status_code" ("OK"/"ERROR"/"UNSET"), "status_message", "attributes", "events": [{name, timestamp,
//    attributes}], "conversation"}
// as Phoenix's span JSON encoder writes it. Attributes may be nested objects (Phoenix unflattens the dotted keys,
// lists of objects becoming arrays) or flat dotted keys, and the spans-dataframe form with "context.span_id" and
// "attributes.<key>" columns is read too. Attributes and events are stored in OTLP JSON form and mapped through
// the same conventions as OTLP spans.
// The record is consumed: attribute values are moved out of it. Returns false, with a reason, for a record that
// cannot be a step (no usable ids or start time); problems that still allow the import are added to warnings.
bool stepFrom(nlohmann::json& record, Step& step, std::string& reason, std::vector<std::string>& warnings);

} // namespace Tracelight::Phoenix
