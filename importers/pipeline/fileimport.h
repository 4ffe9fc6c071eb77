#pragma once

#include "importcontext.h"
#include "importissue.h"

#include <string>
#include <vector>

namespace Tracelight {

class StepSink;

// Imports one file into sink as one unit: the format is recognized by content (or forced by the context),
// the steps stream through in batches, and a failed or cancelled file is rolled back whole.
ImportOutcome importFile(const std::string& path, StepSink& sink, const ImportContext& context = {});

// Names of the formats Tracelight reads, for --help and error messages.
std::vector<std::string> formatNames();

} // namespace Tracelight
