#pragma once

#include "importer.h"

namespace Tracelight {

// OTLP protobuf files: one binary ExportTraceServiceRequest (TracesData), or the Collector file exporter's proto format
// (records of a 4-byte big-endian length and a request, as many as it wrote). Recognized by content, never by
// extension. Spans stream one at a time (otlpprotodecoder.h), and convert exactly as OTLP JSON spans do.
class OtlpProtoImporter final : public Importer
{
public:
    std::string_view name() const override { return "otlp-proto"; }
    bool readsText() const override { return false; }
    std::string_view description() const override
    {
        return "OTLP protobuf (binary ExportTraceServiceRequest, collector file exporter proto records)";
    }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;

    enum class Layout
    {
        None,
        Request, // the whole file is one request
        Records, // length-prefixed records
    };
    // What the first bytes of a file look like; None when they are not OTLP protobuf.
    static Layout layoutOf(std::string_view head);
};

} // namespace Tracelight
