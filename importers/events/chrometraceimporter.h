#pragma once

#include "importer.h"

#include <string_view>

namespace Tracelight {

// Chrome Trace Event files (trace-formats-2026.md section 2): what Chrome's DevTools, Perfetto's JSON export,
// framework profilers and Tracelight's own `export --format chrome` write. A JSON array of events (also one Chrome
// accepts truncated: a trailing comma, a missing "]", a last event cut short) or {"traceEvents": […], "metadata":
// …}. The file is one trace; each (process, thread) a lane step named "process / thread"; complete (X) events,
// B/E pairs, instants and async pairs (b/e, S/F) become steps nested by time on their lane. Events whose category
// says llm, tool or agent, or whose args carry gen_ai.* keys, get the OpenTelemetry attribute mapping of their args.
class ChromeTraceImporter final : public Importer
{
public:
    std::string_view name() const override { return "chrome-trace"; }
    std::string_view description() const override
    {
        return "Chrome Trace Event JSON (DevTools, Perfetto JSON, profilers; arrays, truncated arrays, traceEvents)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
