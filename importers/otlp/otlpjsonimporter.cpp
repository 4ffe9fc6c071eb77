#include "otlpjsonimporter.h"

#include "jsonrecordreader.h"
#include "orderedpool.h"
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
//
// Converting a span's DOM into a step (conventions, messages) costs more than reading it: with workers, spans are
// converted on other threads in chunks and come back in file order, so the steps, their warnings and the duplicate
// checks are exactly those of a sequential read.
class OtlpRequests final : public JsonRecordReader::Client
{
public:
    OtlpRequests(ImportJob& job, int workers)
        : m_job(job)
        , m_pool(workers, convert, std::size_t(4 * std::max(1, workers)))
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
            addSpan(std::move(value), offset);
            return;
        default:
            return;
        }
    }

    void close(int role) override
    {
        switch (Role(role)) {
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

    // Converts the spans read so far and hands their steps to the job.
    void finish()
    {
        submitChunk();
        m_pool.drain([this](Converted&& converted) { take(std::move(converted)); });
    }

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
        return { JsonRecordReader::Action::Walk, int(Role::Request) };
    }

    [[noreturn]] JsonRecordReader::Node expectArray(const std::string& key)
    {
        throw ImportFailure(m_job.reader().location(), "\"" + key + "\" must be an array");
    }

    struct Captured
    {
        json dom;
        std::int64_t offset = 0;
        std::shared_ptr<const Resource> resource;
        std::shared_ptr<const Scope> scope;
    };
    struct Outcome
    {
        bool ok = false;
        Step step;
        std::string reason;
        std::vector<std::string> warnings;
        std::int64_t offset = 0;
    };
    using Chunk = std::vector<Captured>;
    using Converted = std::vector<Outcome>;
    static constexpr std::size_t ChunkSpans = 64;

    // On a worker (or inline): the steps of a chunk of spans.
    static Converted convert(Chunk& chunk)
    {
        Converted out(chunk.size());
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            Outcome& o = out[i];
            o.offset = chunk[i].offset;
            o.ok = Otlp::stepFrom(chunk[i].dom, o.step, o.reason, o.warnings);
            o.step.resource = std::move(chunk[i].resource);
            o.step.scope = std::move(chunk[i].scope);
            chunk[i].dom = json(); // free the DOM on the thread that used it
        }
        return out;
    }

    void addSpan(json&& dom, std::int64_t offset)
    {
        m_chunk.push_back({ std::move(dom), offset, m_resource, m_scope });
        if (m_chunk.size() >= ChunkSpans)
            submitChunk();
    }

    void submitChunk()
    {
        if (m_chunk.empty())
            return;
        Chunk chunk;
        chunk.reserve(ChunkSpans);
        std::swap(chunk, m_chunk);
        m_pool.submit(std::move(chunk), [this](Converted&& converted) { take(std::move(converted)); });
    }

    // Back on the reading thread, in file order.
    void take(Converted&& converted)
    {
        for (Outcome& o : converted) {
            const std::string where = "byte " + std::to_string(o.offset);
            if (!o.ok) {
                ++m_rejected;
                m_job.warn(where, std::move(o.reason));
                continue;
            }
            for (auto& warning : o.warnings)
                m_job.warn(where, std::move(warning));
            if (!m_links.add(o.step.traceId, o.step.spanId, o.step.parentId)) {
                m_job.warn("span " + o.step.spanId + " (" + where + ")",
                    "duplicate span id in trace " + o.step.traceId + "; the more complete copy is kept");
            }
            m_job.addStep(std::move(o.step));
        }
    }

    ImportJob& m_job;
    std::shared_ptr<Resource> m_resource = std::make_shared<Resource>();
    std::shared_ptr<Scope> m_scope = std::make_shared<Scope>();
    bool m_resourceKnown = false;
    bool m_scopeKnown = false;
    std::int64_t m_requests = 0;
    std::int64_t m_otherSignals = 0;
    std::int64_t m_rejected = 0; // spans that could not become steps (no valid ids)
    SpanLinks m_links; // for duplicate and cycle checks over the whole file
    Chunk m_chunk;
    OrderedPool<Chunk, Converted> m_pool;
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
    // The reading thread keeps one core; the others convert spans (the writer thread mostly waits on SQLite).
    OtlpRequests handler(job, std::min(8, OrderedPool<int, int>::availableCores() - 1));
    const std::int64_t values = JsonRecordReader::read(job, handler);
    if (job.context().cancelled())
        return;
    handler.finish();
    job.holdBatches(false);
    job.flush();
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    if (job.spans() == 0) {
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
    OtlpRequests handler(job, 0); // a request body: converted inline, on the receiver's thread
    const std::int64_t values = JsonRecordReader::read(job, handler);
    handler.finish();
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
