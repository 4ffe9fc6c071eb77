#pragma once

#include "stepbuilder.h"

#include <step.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace Tracelight {

class ImportJob;

// Conversion of Langfuse records (trace-formats.md section 6b) into steps: observations, the trace itself (shown
// as the root step, as Langfuse shows it) and scores (gen_ai.evaluation.result events).
namespace LangfuseRecord {

struct Observation
{
    Step step;
    // A SPAN whose kind the record alone does not tell (it may be a tool the model called, which only the rest of
    // the trace shows): its input and output wait here until resolve().
    bool pending = false;
    nlohmann::json input;
    nlohmann::json output;
    std::string where;
    // Tools that the messages of a model call ask for.
    std::vector<std::string> calledTools;
};

// nullopt (with a warning) for an observation that cannot be imported.
std::optional<Observation> observation(
    nlohmann::json&& record, ResourceInterner& interner, ImportJob& job, std::int64_t offset);

// Settles a pending observation as kind (tool or chain) and stores its input and output accordingly.
void resolve(Observation& observation, StepKind kind, ImportJob& job);

// The trace as the root step: its name, time, session, user, input, output and metadata.
Step trace(const nlohmann::json& trace, ResourceInterner& interner, ImportJob& job, std::int64_t offset);

// Adds a score to a step's events.
void addScore(Step& step, const nlohmann::json& score);

// Usage as Langfuse records it: usageDetails keys are disjoint buckets (input, input_cache_read, output,
// output_reasoning, …) that Langfuse itself sums by name into inputUsage and outputUsage; the GenAI input is the
// sum of the keys that name "input", the output the sum of those that name "output".
void setUsage(Step& step, const nlohmann::json& record);

} // namespace LangfuseRecord
} // namespace Tracelight
