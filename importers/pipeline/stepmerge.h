#pragma once

#include <step.h>

namespace Tracelight {

// Merges two copies of one step field by field (trace-formats.md section 9, duplicates): into keeps what it has
// and takes from later what it lacks; later wins for what a later copy knows better (the end time, an error, the
// output, usage and cost); attributes are united key by key, later values winning.
void mergeStep(Step& into, Step&& later);

// The union of two OTLP JSON KeyValue lists, later keys replacing earlier ones in place.
std::string mergeKeyValueLists(const std::string& earlier, const std::string& later);

} // namespace Tracelight
