#pragma once

#include "importer.h"

namespace Tracelight {

// Langfuse trace exports (trace-formats.md section 6b): {"trace": {…}, "observations": […]} as the UI and the
// public API export a trace, a full trace object with its observations and scores, the list endpoints'
// {"data": […]} of traces or observations, a JSON array of them, and JSON Lines of any of these. The trace becomes
// the root step, observations its steps and scores gen_ai.evaluation.result events. Observations are converted one
// at a time as they stream in; the steps of one JSON document (one trace export) wait until it ends, because a
// step's kind can depend on the rest of its trace (a wrapping GENERATION, a SPAN that runs a tool a model called).
class LangfuseImporter final : public Importer
{
public:
    std::string_view name() const override { return "langfuse"; }
    std::string_view description() const override
    {
        return "Langfuse trace exports (trace with observations and scores; {data: […]} lists; JSON Lines)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
