#pragma once

#include "importer.h"

#include <string_view>

namespace Tracelight {

// Inspect AI eval logs in JSON (trace-formats-2026.md section 3): an EvalLog ({version, status, eval, plan, results,
// stats, samples[…]}) or a bare list of events. Each sample (id × epoch) is a trace "<eval_id>:<id>:<epoch>" whose
// root agent step spans the sample, with the task's input and the final output, its scores and error; spans
// (span_begin/span_end) become chain, agent and handoff steps; model events llm steps (input messages, also from
// the sample's message pool, output, usage, error); tool events tool steps (function, arguments, result, error);
// score events evaluator steps; approvals human steps; error events error events. "attachment://" references are
// resolved against the sample's attachments. A sample without events is rebuilt from its messages, untimed.
class InspectAiImporter final : public Importer
{
public:
    std::string_view name() const override { return "inspect-ai"; }
    std::string_view description() const override { return "Inspect AI eval log (JSON)"; }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

// Inspect AI's binary .eval logs: a ZIP (read through libzip) of header.json (or, while the run goes on or after a
// crash, _journal/start.json) and samples/<id>_epoch_<n>.json, each sample converted as in the JSON log.
class InspectEvalImporter final : public Importer
{
public:
    std::string_view name() const override { return "inspect-eval"; }
    std::string_view description() const override { return "Inspect AI eval log (.eval, ZIP)"; }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
    bool readsText() const override { return false; }
};

} // namespace Tracelight
