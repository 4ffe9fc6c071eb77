#pragma once

#include "importer.h"
#include "otlpprotodecoder.h"

#include <string_view>

namespace Tracelight {

// OTLP JSON: one ExportTraceServiceRequest per file, the collector file exporter's JSON Lines (one request per
// line, metrics and logs lines skipped), and the {"result": …} wrapper of query APIs. Streams with a SAX parser:
// only one span at a time is held as a DOM, so a file of any size imports in bounded memory.
class OtlpJsonImporter final : public Importer
{
public:
    std::string_view name() const override { return "otlp-json"; }
    std::string_view description() const override
    {
        return "OTLP JSON (ExportTraceServiceRequest, collector file exporter JSON Lines)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

namespace OtlpJson {

// Decodes an ExportTraceServiceRequest in OTLP JSON held in memory (the body of POST /v1/traces with Content-Type
// application/json, or one line of a collector file exporter's output) with the same conversion as a file import.
// Throws ImportFailure ("line N (byte B)") when the body is not valid JSON or not a request; that is a 400.
OtlpProto::DecodedRequest decodeTraceRequest(std::string_view body);

} // namespace OtlpJson

} // namespace Tracelight
