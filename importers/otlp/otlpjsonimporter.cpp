#include "otlpjsonimporter.h"

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

// Walks the structure of ExportTraceServiceRequest values; spans, resources and scopes are each captured as a
// small DOM and converted when they close, so memory never holds more than one span's worth of DOM.
class OtlpSaxHandler
{
public:
    explicit OtlpSaxHandler(ImportJob& job)
        : m_job(job)
    { }

    bool null() { return scalar(json()); }
    bool boolean(bool value) { return scalar(json(value)); }
    bool number_integer(json::number_integer_t value) { return scalar(json(value)); }
    bool number_unsigned(json::number_unsigned_t value) { return scalar(json(value)); }
    bool number_float(json::number_float_t value, const std::string&) { return scalar(json(value)); }
    bool string(std::string& value) { return scalar(json(std::move(value))); }
    bool binary(json::binary_t&) { return scalar(json()); }
    bool key(std::string& key)
    {
        if (m_skipDepth == 0)
            m_key = std::move(key);
        return true;
    }
    bool start_object(std::size_t) { return open(false); }
    bool start_array(std::size_t) { return open(true); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error)
    {
        if (!m_failure) {
            std::string message = jsonParseErrorText(error.what());
            // nlohmann quotes what it last read, which can be a whole prompt: keep the start of it.
            if (message.size() > 240)
                message = message.substr(0, 240) + "…'";
            if (m_job.reader().atEnd() && !m_job.context().cancelled())
                message = "the file ends in the middle of its JSON (truncated?): " + message;
            m_failure = ImportFailure(m_job.reader().location(), message);
        }
        return false;
    }

    const std::optional<ImportFailure>& failure() const { return m_failure; }
    std::int64_t requests() const { return m_requests; }
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
        Capture,
    };
    enum class Capture
    {
        Resource,
        Scope,
        Span
    };
    struct Frame
    {
        Role role;
        bool isArray;
    };

    bool fail(const std::string& message)
    {
        m_failure = ImportFailure(m_job.reader().location(), message);
        return false;
    }

    bool checkCancel()
    {
        if ((++m_events & 0xfff) == 0 && m_job.context().cancelled())
            return false;
        return true;
    }

    // Where a new container sits in the request structure.
    std::optional<Role> roleFor(bool isArray, bool& skip)
    {
        skip = false;
        if (m_frames.empty())
            return isArray ? Role::RequestList : Role::Request;
        const Frame& parent = m_frames.back();
        if (parent.isArray) {
            switch (parent.role) {
            case Role::RequestList:
                if (!isArray)
                    return Role::Request;
                break;
            case Role::ResourceSpansList:
                if (!isArray)
                    return Role::ResourceSpans;
                break;
            case Role::ScopeSpansList:
                if (!isArray)
                    return Role::ScopeSpans;
                break;
            case Role::SpanList:
                if (!isArray) {
                    m_capture = Capture::Span;
                    m_captureOffset = m_job.reader().offset();
                    return Role::Capture;
                }
                m_job.warn(m_job.reader().location(), "a span must be a JSON object; skipped");
                skip = true;
                return std::nullopt;
            default:
                break;
            }
            skip = true;
            return std::nullopt;
        }
        const std::string& key = m_key;
        switch (parent.role) {
        case Role::Request:
        case Role::Wrapper:
            if (isOneOf(key, { "resourceSpans", "resource_spans" })) {
                if (!isArray)
                    return expectArray(key);
                return Role::ResourceSpansList;
            }
            if (key == "result" && !isArray)
                return Role::Wrapper;
            if (isOneOf(key,
                    { "resourceMetrics", "resource_metrics", "resourceLogs", "resource_logs", "resourceProfiles",
                        "resource_profiles" }))
                ++m_otherSignals;
            break;
        case Role::ResourceSpans:
            if (key == "resource" && !isArray) {
                m_capture = Capture::Resource;
                return Role::Capture;
            }
            if (isOneOf(key,
                    { "scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans" })) {
                if (!isArray)
                    return expectArray(key);
                return Role::ScopeSpansList;
            }
            break;
        case Role::ScopeSpans:
            if (isOneOf(key, { "scope", "instrumentationLibrary", "instrumentation_library" }) && !isArray) {
                m_capture = Capture::Scope;
                return Role::Capture;
            }
            if (key == "spans") {
                if (!isArray)
                    return expectArray(key);
                return Role::SpanList;
            }
            break;
        default:
            break;
        }
        skip = true;
        return std::nullopt;
    }

    std::optional<Role> expectArray(const std::string& key)
    {
        m_failure = ImportFailure(m_job.reader().location(), "\"" + key + "\" must be an array");
        return std::nullopt;
    }

    bool open(bool isArray)
    {
        if (m_skipDepth > 0) {
            ++m_skipDepth;
            return checkCancel();
        }
        if (!m_domStack.empty())
            return domOpen(isArray ? json::array() : json::object());
        bool skip = false;
        const std::optional<Role> role = roleFor(isArray, skip);
        if (m_failure)
            return false;
        if (skip) {
            m_skipDepth = 1;
            return true;
        }
        m_frames.push_back({ *role, isArray });
        switch (*role) {
        case Role::Request:
            ++m_requests;
            m_requestHasSpans = false;
            break;
        case Role::ResourceSpans:
            m_resource = std::make_shared<Resource>();
            m_resourceKnown = false;
            m_job.holdBatches(true);
            break;
        case Role::ScopeSpans:
            m_scope = std::make_shared<Scope>();
            m_scopeKnown = false;
            m_job.holdBatches(true);
            break;
        case Role::Capture:
            m_dom = isArray ? json::array() : json::object();
            m_domStack.push_back(&m_dom);
            break;
        default:
            break;
        }
        return checkCancel();
    }

    bool close()
    {
        if (m_skipDepth > 0) {
            --m_skipDepth;
            return true;
        }
        if (m_domStack.size() > 1) {
            m_domStack.pop_back();
            return true;
        }
        if (m_domStack.size() == 1) {
            m_domStack.clear();
            m_frames.pop_back();
            captured();
            return checkCancel();
        }
        const Role role = m_frames.back().role;
        m_frames.pop_back();
        switch (role) {
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
        return true;
    }

    bool scalar(json&& value)
    {
        if (m_skipDepth > 0)
            return true;
        if (!m_domStack.empty())
            return domAdd(std::move(value));
        if (!m_frames.empty() && m_frames.back().role == Role::SpanList) {
            m_job.warn(m_job.reader().location(), "a span must be a JSON object; skipped");
            return true;
        }
        if (!m_frames.empty() && !m_frames.back().isArray && !value.is_null()) {
            const Role role = m_frames.back().role;
            const bool container = ((role == Role::Request || role == Role::Wrapper)
                                       && isOneOf(m_key, { "resourceSpans", "resource_spans" }))
                || (role == Role::ResourceSpans && isOneOf(m_key, { "scopeSpans", "scope_spans" }))
                || (role == Role::ScopeSpans && m_key == "spans");
            if (container)
                return static_cast<bool>(expectArray(m_key));
        }
        if (m_frames.empty())
            return fail("expected an OTLP request object ({\"resourceSpans\": […]}), found a bare value");
        return true;
    }

    bool domOpen(json&& container)
    {
        json& parent = *m_domStack.back();
        json* child = nullptr;
        if (parent.is_array()) {
            parent.push_back(std::move(container));
            child = &parent.back();
        } else {
            child = &(parent[m_key] = std::move(container));
        }
        m_domStack.push_back(child);
        return true;
    }

    bool domAdd(json&& value)
    {
        json& parent = *m_domStack.back();
        if (parent.is_array())
            parent.push_back(std::move(value));
        else
            parent[m_key] = std::move(value);
        return true;
    }

    void captured();

    ImportJob& m_job;
    std::vector<Frame> m_frames;
    std::string m_key;
    int m_skipDepth = 0;
    json m_dom;
    std::vector<json*> m_domStack;
    Capture m_capture = Capture::Span;
    std::int64_t m_captureOffset = 0;
    std::shared_ptr<Resource> m_resource = std::make_shared<Resource>();
    std::shared_ptr<Scope> m_scope = std::make_shared<Scope>();
    bool m_resourceKnown = false;
    bool m_scopeKnown = false;
    std::optional<ImportFailure> m_failure;
    std::uint64_t m_events = 0;
    std::int64_t m_requests = 0;
    std::int64_t m_requestsWithSpans = 0;
    bool m_requestHasSpans = false;
    std::int64_t m_otherSignals = 0;
    std::int64_t m_rejected = 0; // spans that could not become steps (no valid ids)

    SpanLinks m_links; // for duplicate and cycle checks over the whole file
};

void OtlpSaxHandler::captured()
{
    json dom = std::move(m_dom);
    m_dom = json();
    switch (m_capture) {
    case Capture::Resource:
        *m_resource = Otlp::resourceFrom(dom);
        m_resourceKnown = true;
        return;
    case Capture::Scope:
        *m_scope = Otlp::scopeFrom(dom);
        m_scopeKnown = true;
        m_job.holdBatches(!m_resourceKnown);
        return;
    case Capture::Span:
        break;
    }
    Step step;
    std::string reason;
    std::vector<std::string> warnings;
    const std::string where = "byte " + std::to_string(m_captureOffset);
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
    ChunkReader& reader = job.reader();
    OtlpSaxHandler handler(job);
    std::int64_t values = 0;
    while (true) {
        reader.skipWhitespace();
        if (reader.atEnd())
            break;
        ++values;
        const bool parsed = json::sax_parse(reader.begin(), reader.end(), &handler, json::input_format_t::json,
            /*strict=*/false);
        if (job.context().cancelled())
            return;
        if (handler.failure())
            throw *handler.failure();
        if (!parsed)
            throw ImportFailure(reader.location(), "the JSON could not be read");
    }
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
    OtlpSaxHandler handler(job);
    std::int64_t values = 0;
    while (true) {
        reader.skipWhitespace();
        if (reader.atEnd())
            break;
        ++values;
        const bool parsed = json::sax_parse(reader.begin(), reader.end(), &handler, json::input_format_t::json,
            /*strict=*/false);
        if (handler.failure())
            throw *handler.failure();
        if (!parsed)
            throw ImportFailure(reader.location(), "the JSON could not be read");
    }
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
