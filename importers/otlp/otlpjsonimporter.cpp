#include "otlpjsonimporter.h"

#include "jsonrecordreader.h"
#include "otlpspan.h"
#include "spanlinks.h"

#include <nlohmann/json.hpp>

namespace Tracelight {

using nlohmann::json;

namespace {

bool isOneOf(const std::string& key, std::initializer_list<const char*> names)
{
    for (const char* name : names) {
        if (key == name)
            return true;
    }
    return false;
}

// The structure of ExportTraceServiceRequest values, walked by JsonRecordReader: requests, resourceSpans and
// scopeSpans are walked; resources, scopes and spans are each captured as a small DOM and converted when they close,
// so memory never holds more than one span's worth of DOM.
class OtlpRequests final : public JsonRecordReader::Client
{
public:
    explicit OtlpRequests(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        const auto walk = [](Role role) { return JsonRecordReader::Node { Action::Walk, int(role) }; };
        const auto capture = [](Role role) { return JsonRecordReader::Node { Action::Capture, int(role) }; };
        const JsonRecordReader::Node skip;
        switch (parent) {
        case JsonRecordReader::DocumentRole:
            return isArray ? walk(Role::RequestList) : startRequest();
        case int(Role::RequestList):
            return isArray ? skip : startRequest();
        case int(Role::Request):
        case int(Role::Wrapper):
            if (isOneOf(key, { "resourceSpans", "resource_spans" }))
                return isArray ? walk(Role::ResourceSpansList) : expectArray(key);
            if (key == "result" && !isArray)
                return walk(Role::Wrapper);
            if (isOneOf(key,
                    { "resourceMetrics", "resource_metrics", "resourceLogs", "resource_logs", "resourceProfiles",
                        "resource_profiles" }))
                ++m_otherSignals;
            return skip;
        case int(Role::ResourceSpansList):
            if (isArray)
                return skip;
            m_resource = std::make_shared<Resource>();
            m_resourceKnown = false;
            m_job.holdBatches(true);
            return walk(Role::ResourceSpans);
        case int(Role::ResourceSpans):
            if (key == "resource" && !isArray)
                return capture(Role::Resource);
            if (isOneOf(key,
                    { "scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans" }))
                return isArray ? walk(Role::ScopeSpansList) : expectArray(key);
            return skip;
        case int(Role::ScopeSpansList):
            if (isArray)
                return skip;
            m_scope = std::make_shared<Scope>();
            m_scopeKnown = false;
            m_job.holdBatches(true);
            return walk(Role::ScopeSpans);
        case int(Role::ScopeSpans):
            if (isOneOf(key, { "scope", "instrumentationLibrary", "instrumentation_library" }) && !isArray)
                return capture(Role::Scope);
            if (key == "spans")
                return isArray ? walk(Role::SpanList) : expectArray(key);
            return skip;
        case int(Role::SpanList):
            if (!isArray)
                return capture(Role::Span);
            m_job.warn(m_job.reader().location(), "a span must be a JSON object; skipped");
            return skip;
        default:
            return skip;
        }
    }

    void scalar(int parent, const std::string& key, nlohmann::json&& value) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(m_job.reader().location(),
                "expected an OTLP request object ({\"resourceSpans\": […]}), found a bare value");
        if (parent == int(Role::SpanList)) {
            m_job.warn(m_job.reader().location(), "a span must be a JSON object; skipped");
            return;
        }
        if (value.is_null())
            return;
        const bool container = ((parent == int(Role::Request) || parent == int(Role::Wrapper))
                                   && isOneOf(key, { "resourceSpans", "resource_spans" }))
            || (parent == int(Role::ResourceSpans) && isOneOf(key, { "scopeSpans", "scope_spans" }))
            || (parent == int(Role::ScopeSpans) && key == "spans");
        if (container)
            expectArray(key);
    }

    void record(int role, const std::string&, nlohmann::json&& value, std::int64_t offset) override
    {
        switch (Role(role)) {
        case Role::Resource:
            *m_resource = Otlp::resourceFrom(value);
            m_resourceKnown = true;
            return;
        case Role::Scope:
            *m_scope = Otlp::scopeFrom(value);
            m_scopeKnown = true;
            m_job.holdBatches(!m_resourceKnown);
            return;
        case Role::Span:
            addSpan(value, offset);
            return;
        default:
            return;
        }
    }

    void close(int role) override
    {
        switch (Role(role)) {
        case Role::Request:
            if (m_requestHasSpans)
                ++m_requestsWithSpans;
            break;
        case Role::ScopeSpans:
            m_scopeKnown = true;
            m_job.holdBatches(!m_resourceKnown);
            break;
        case Role::ResourceSpans:
            m_resourceKnown = true;
            m_job.holdBatches(false);
            break;
        default:
            break;
        }
    }

    std::int64_t requestsWithSpans() const { return m_requestsWithSpans; }
    std::int64_t otherSignals() const { return m_otherSignals; }
    std::int64_t rejected() const { return m_rejected; }
    void checkCycles() { m_links.warnCycles(m_job); }

private:
    enum class Role
    {
        Request,
        Wrapper,
        RequestList,
        ResourceSpansList,
        ResourceSpans,
        ScopeSpansList,
        ScopeSpans,
        SpanList,
        Resource,
        Scope,
        Span,
    };

    JsonRecordReader::Node startRequest()
    {
        ++m_requests;
        m_requestHasSpans = false;
        return { JsonRecordReader::Action::Walk, int(Role::Request) };
    }

    [[noreturn]] JsonRecordReader::Node expectArray(const std::string& key)
    {
        throw ImportFailure(m_job.reader().location(), "\"" + key + "\" must be an array");
    }

    void addSpan(const json& dom, std::int64_t offset)
    {
        Step step;
        std::string reason;
        std::vector<std::string> warnings;
        const std::string where = "byte " + std::to_string(offset);
        if (!Otlp::stepFrom(dom, step, reason, warnings)) {
            ++m_rejected;
            m_job.warn(m_job.reader().location(), reason);
            return;
        }
        for (auto& warning : warnings)
            m_job.warn(where, std::move(warning));
        m_requestHasSpans = true;
        if (!m_links.add(step.traceId, step.spanId, step.parentId)) {
            m_job.warn("span " + step.spanId + " (" + where + ")",
                "duplicate span id in trace " + step.traceId + "; the more complete copy is kept");
        }
        step.resource = m_resource;
        step.scope = m_scope;
        m_job.addStep(std::move(step));
    }

    ImportJob& m_job;
    std::shared_ptr<Resource> m_resource = std::make_shared<Resource>();
    std::shared_ptr<Scope> m_scope = std::make_shared<Scope>();
    bool m_resourceKnown = false;
    bool m_scopeKnown = false;
    std::int64_t m_requests = 0;
    std::int64_t m_requestsWithSpans = 0;
    bool m_requestHasSpans = false;
    std::int64_t m_otherSignals = 0;
    std::int64_t m_rejected = 0; // spans that could not become steps (no valid ids)
    SpanLinks m_links; // for duplicate and cycle checks over the whole file
};

} // namespace

int OtlpJsonImporter::probe(std::string_view head) const
{
    std::size_t i = 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i])))
        ++i;
    if (i == head.size() || (head[i] != '{' && head[i] != '['))
        return 0;
    for (const char* marker : { "\"resourceSpans\"", "\"resource_spans\"" }) {
        if (head.find(marker) != std::string_view::npos)
            return 90;
    }
    for (const char* marker : { "\"resourceLogs\"", "\"resourceMetrics\"", "\"scopeSpans\"" }) {
        if (head.find(marker) != std::string_view::npos)
            return 60;
    }
    return 0;
}

void OtlpJsonImporter::read(ImportJob& job)
{
    OtlpRequests handler(job);
    const std::int64_t values = JsonRecordReader::read(job, handler);
    if (job.context().cancelled())
        return;
    job.holdBatches(false);
    job.flush();
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    if (handler.requestsWithSpans() == 0 && job.spans() == 0) {
        if (handler.otherSignals() == 0)
            throw ImportFailure({}, "no OTLP trace data: no \"resourceSpans\" with spans in the file");
        job.warn({}, "the file holds OTLP metrics or logs but no spans");
    }
    handler.checkCycles();
}

namespace {

// Keeps every batch in memory: a request body is at most the collector's body limit.
class CollectingSink final : public StepSink
{
public:
    void beginFile(const std::string&, const std::string&, std::int64_t) override { }
    void addSteps(StepBatch&& batch) override
    {
        if (steps.empty())
            steps = std::move(batch);
        else
            std::move(batch.begin(), batch.end(), std::back_inserter(steps));
    }
    FileImportStats commitFile(const std::string&) override { return {}; }
    void rollbackFile() override { }

    StepBatch steps;
};

} // namespace

OtlpProto::DecodedRequest OtlpJson::decodeTraceRequest(std::string_view body)
{
    ChunkReader reader;
    reader.openMemory(body);
    CollectingSink sink;
    const ImportContext context;
    ImportJob job("body", reader, sink, context);
    job.repairInvalidText();
    OtlpRequests handler(job);
    const std::int64_t values = JsonRecordReader::read(job, handler);
    job.holdBatches(false);
    job.flush();
    if (values == 0)
        throw ImportFailure("byte 0", "the body is empty");
    OtlpProto::DecodedRequest result;
    result.steps = std::move(sink.steps);
    result.rejectedSpans = handler.rejected();
    for (ImportIssue& issue : job.takeWarnings())
        result.warnings.push_back(issue.where.empty() ? issue.message : issue.where + ": " + issue.message);
    return result;
}

} // namespace Tracelight
