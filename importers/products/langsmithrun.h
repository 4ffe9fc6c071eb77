#pragma once

#include <step.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace Tracelight {

class ImportJob;

// Conversion of one LangSmith run (a merged post and patches) into a step.
namespace LangSmithRun {

struct Segment
{
    std::int64_t startNs = 0;
    std::string runId;
};

// The segments of a run's dotted_order, root first; empty when it has none or it does not parse.
std::vector<Segment> dottedOrder(const nlohmann::json& run);

// The run's id, else the last segment of its dotted_order; empty when it has neither.
std::string idOf(const nlohmann::json& run);

// Folds a later record of the same run (a patch) into run: later values win, except nulls and empty inputs or
// outputs, and extra.metadata is merged key by key.
void merge(nlohmann::json& run, nlohmann::json&& later);

Step toStep(const nlohmann::json& run, const std::string& id, ImportJob& job, std::int64_t offset);

} // namespace LangSmithRun
} // namespace Tracelight
