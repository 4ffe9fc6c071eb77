#pragma once

#include "importer.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace Tracelight {

// Jaeger JSON (trace-formats-2026.md section 1), the trace viewer most teams already run:
//  A. the query API and the UI's "Trace JSON" / "Download Results": {"data": [trace, …]} or {"data": trace}, a trace
//     being {traceID, spans[], processes{p1: {serviceName, tags}}};
//  B. a bare array of spans with inline processes (anonymizer, Elasticsearch dumps), or of traces;
//  C. the internal model as protobuf-JSON: {"spans": […], "process": {…}} with base64 ids, RFC 3339 times and typed
//     tags (vType, vStr, …).
// Each span is rebuilt as the OTLP span Jaeger made it from (tags → attributes, process → resource, logs → events,
// CHILD_OF → parent, other references → links, span.kind and otel.status_code back to kind and status) and converted
// like any OTLP span, so GenAI and OpenInference tags get the same step mapping. Streams: one trace (A) or one span
// (B, C) at a time is held as a DOM.
class JaegerJsonImporter final : public Importer
{
public:
    std::string_view name() const override { return "jaeger-json"; }
    std::string_view description() const override
    {
        return "Jaeger JSON (UI download and query API, span arrays, internal model protobuf-JSON)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

namespace Jaeger {

// The OTLP JSON span a Jaeger span (any form) stands for. Throws nothing; what cannot be read is left out.
nlohmann::json otlpSpan(const nlohmann::json& span);
// The OTLP JSON resource of a Jaeger process ({serviceName, tags}).
nlohmann::json otlpResource(const nlohmann::json& process);

} // namespace Jaeger

} // namespace Tracelight
