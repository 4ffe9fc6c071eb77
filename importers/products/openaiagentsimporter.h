#pragma once

#include "importer.h"

namespace Tracelight {

// OpenAI Agents SDK traces in the SDK's own JSON (trace-formats.md section 7): the items its tracing processors
// export, {"object": "trace", …} and {"object": "trace.span", …}, in any of these shapes: the ingest payload
// {"data": [item, …]} that BatchTraceProcessor POSTs (one per file, or one per line), a JSON array of items, JSON
// Lines with one item per line, or a single item. A trace item becomes the trace's root step, held until the end
// of the file to take its times from its spans; spans stream through one at a time. A RunState snapshot (a paused
// run saved for resuming) is refused by name: it is not a trace.
class OpenAiAgentsImporter final : public Importer
{
public:
    std::string_view name() const override { return "openai-agents"; }
    std::string_view description() const override
    {
        return "OpenAI Agents SDK traces ({data: [trace and span items]}, a JSON array or JSON Lines of items)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
