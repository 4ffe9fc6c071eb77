#pragma once

#include <tracesummary.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// Writes steps as one OTLP JSON ExportTraceServiceRequest, resourceSpans grouped by resource and scope, one span in
// memory at a time.
//
// A step that came from OTLP is written as it arrived: its attributes, events, links, resource and scope verbatim, so
// that another OTLP tool reads the original span. A step from any other format gets its normalized fields as the
// standard attributes (gen_ai.*, user.id, service.name, …). Either way, the writer then converts each span back the
// way the OTLP importers will, and for every field that would not come back identical it adds a tracelight.*
// attribute (tracelightattributes.h): export then import gives back every step exactly.
class OtlpJsonWriter
{
public:
    explicit OtlpJsonWriter(std::function<void(std::string_view)> write);

    // Steps come grouped by resource, then scope (TraceStore::forEachStepDetail's order): a new resourceSpans or
    // scopeSpans starts whenever the resource or the scope changes.
    void add(const StepDetail& step);
    // Closes the request; call once, after the last step.
    void finish();

    std::int64_t spans() const { return m_spans; }
    std::int64_t resources() const { return m_resources; }
    // Spans that needed tracelight.* attributes to come back exactly.
    std::int64_t extendedSpans() const { return m_extendedSpans; }
    // Steps that will not come back exactly even so; empty unless something is wrong.
    const std::vector<std::string>& warnings() const { return m_warnings; }

    // The OTLP ids a step is written with: its own when they are OTLP hex, else derived from them (a UUID's bytes for a
    // trace id, the start of a SHA-256 otherwise), the same way for a span's id and for its children's parent id.
    static std::string otlpTraceId(const std::string& traceId);
    static std::string otlpSpanId(const std::string& traceId, const std::string& spanId);

private:
    void put(std::string_view text);
    void openResource(const StepDetail& step);
    void openScope(const StepDetail& step);
    void closeScope();
    void closeResource();
    std::string spanJson(const StepDetail& step);

    std::function<void(std::string_view)> m_write;
    std::string m_buffer;
    bool m_started = false;
    bool m_inResource = false;
    bool m_inScope = false;
    bool m_firstInList = true;
    std::string m_resourceKey;
    std::string m_scopeKey;
    std::int64_t m_spans = 0;
    std::int64_t m_resources = 0;
    std::int64_t m_extendedSpans = 0;
    std::vector<std::string> m_warnings;
};

} // namespace Tracelight
