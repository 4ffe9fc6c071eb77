#include "jaegerimporter.h"

#include "jsonrecordreader.h"
#include "otlpspan.h"

#include <isotime.h>
#include <jsonfield.h>

#include <QByteArray>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>

namespace Tracelight {

using nlohmann::json;

namespace {

std::string lower(std::string text)
{
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool isHex(std::string_view text)
{
    return !text.empty()
        && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// A trace id as OTLP wants it: hex ids of 64 bits (Jaeger drops the high half when it is zero) padded to 128;
// base64 ids (form C) are left to Otlp::normalizeId.
json traceIdOf(const json& value)
{
    if (!value.is_string())
        return value;
    const std::string& text = value.get_ref<const std::string&>();
    if (isHex(text) && text.size() < 32)
        return std::string(32 - text.size(), '0') + text;
    return value;
}

json spanIdOf(const json& value)
{
    if (!value.is_string())
        return value;
    const std::string& text = value.get_ref<const std::string&>();
    if (isHex(text) && text.size() < 16)
        return std::string(16 - text.size(), '0') + text;
    return value;
}

// A number that may come as a JSON number or as a decimal string (int64 beyond 2^53, Elasticsearch dumps).
std::optional<std::int64_t> integerOf(const json& value)
{
    if (value.is_number_integer())
        return value.get<std::int64_t>();
    if (value.is_number_float())
        return static_cast<std::int64_t>(std::llround(value.get<double>()));
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        std::int64_t out = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
        if (error == std::errc() && end == text.data() + text.size())
            return out;
        char* stop = nullptr;
        const double d = std::strtod(text.c_str(), &stop);
        if (!text.empty() && stop == text.c_str() + text.size() && std::isfinite(d))
            return static_cast<std::int64_t>(std::llround(d));
    }
    return std::nullopt;
}

std::string textOf(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return {};
    return value.dump();
}

// Binary values are base64 in the API and hex in anonymizer dumps; OTLP wants base64.
std::string base64Of(const std::string& text)
{
    if (isHex(text) && text.size() % 2 == 0
        && QByteArray::fromBase64Encoding(QByteArray::fromStdString(text), QByteArray::AbortOnBase64DecodingErrors)
                .decodingStatus
            != QByteArray::Base64DecodingStatus::Ok)
        return QByteArray::fromHex(QByteArray::fromStdString(text)).toBase64().toStdString();
    return text;
}

// One tag as an OTLP KeyValue, coerced by its declared type rather than its JSON kind.
json keyValue(const json& tag)
{
    const std::string key = JsonField::text(tag, { "key" });
    std::string type = lower(JsonField::text(tag, { "type", "vType" }));
    json value;
    if (const json* v = JsonField::member(tag, { "value" }))
        value = *v;
    // Form C: the value is in the member of its type; a missing vType is STRING (enum value 0).
    for (const auto& [member, implied] :
        { std::pair { "vStr", "string" }, std::pair { "vBool", "bool" }, std::pair { "vInt64", "int64" },
            std::pair { "vFloat64", "float64" }, std::pair { "vBinary", "binary" } }) {
        if (const json* v = JsonField::member(tag, { member })) {
            value = *v;
            if (type.empty())
                type = implied;
        }
    }
    if (type.empty())
        type = value.is_boolean()       ? "bool"
            : value.is_number_integer() ? "int64"
            : value.is_number_float()   ? "float64"
                                        : "string";
    json any;
    if (type == "bool") {
        const bool b = value.is_boolean() ? value.get<bool>() : lower(textOf(value)) == "true";
        any = { { "boolValue", b } };
    } else if (type == "int64") {
        if (const auto i = integerOf(value))
            any = { { "intValue", std::to_string(*i) } };
        else
            any = { { "stringValue", textOf(value) } };
    } else if (type == "float64") {
        if (value.is_number())
            any = { { "doubleValue", value.get<double>() } };
        else {
            char* stop = nullptr;
            const std::string text = textOf(value);
            const double d = std::strtod(text.c_str(), &stop);
            if (!text.empty() && stop == text.c_str() + text.size())
                any = { { "doubleValue", d } };
            else
                any = { { "stringValue", text } };
        }
    } else if (type == "binary") {
        any = { { "bytesValue", base64Of(textOf(value)) } };
    } else {
        any = { { "stringValue", textOf(value) } };
    }
    return { { "key", key }, { "value", std::move(any) } };
}

json keyValues(const json* tags)
{
    json list = json::array();
    if (tags && tags->is_array()) {
        for (const json& tag : *tags) {
            if (tag.is_object())
                list.push_back(keyValue(tag));
        }
    }
    return list;
}

const json* tagValue(const json& attributes, std::string_view key)
{
    for (const json& kv : attributes) {
        if (kv.value("key", std::string()) == key)
            return &kv["value"];
    }
    return nullptr;
}

std::string tagText(const json& attributes, std::string_view key)
{
    const json* value = tagValue(attributes, key);
    if (!value || !value->is_object() || value->empty())
        return {};
    const json& inner = value->begin().value();
    return inner.is_string() ? inner.get<std::string>() : inner.dump();
}

// Form A/B times are integers of microseconds; form C's are RFC 3339 and durations "22938000ns", "0.022938s".
std::optional<std::int64_t> timeNs(const json& value)
{
    if (value.is_string()) {
        if (const auto ns = IsoTime::parse(value.get_ref<const std::string&>()))
            return ns;
    }
    if (const auto us = integerOf(value))
        return *us * 1000;
    return std::nullopt;
}

std::optional<std::int64_t> durationNs(const json& value)
{
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        for (const auto& [unit, scale] : { std::pair { "ns", 1.0 }, std::pair { "us", 1e3 }, std::pair { "µs", 1e3 },
                 std::pair { "ms", 1e6 }, std::pair { "s", 1e9 } }) {
            const std::string_view u(unit);
            if (text.size() > u.size() && text.compare(text.size() - u.size(), u.size(), u) == 0) {
                const std::string number = text.substr(0, text.size() - u.size());
                char* stop = nullptr;
                const double d = std::strtod(number.c_str(), &stop);
                if (stop == number.c_str() + number.size() && std::isfinite(d))
                    return static_cast<std::int64_t>(std::llround(d * scale));
                return std::nullopt;
            }
        }
    }
    if (const auto us = integerOf(value))
        return *us * 1000;
    return std::nullopt;
}

int spanKind(const std::string& kind)
{
    const std::string k = lower(kind);
    return k == "internal" ? 1 : k == "server" ? 2 : k == "client" ? 3 : k == "producer" ? 4 : k == "consumer" ? 5 : 0;
}

} // namespace

namespace Jaeger {

json otlpResource(const json& process)
{
    json attributes = json::array();
    const std::string service = JsonField::text(process, { "serviceName", "service_name" });
    if (!service.empty())
        attributes.push_back({ { "key", "service.name" }, { "value", { { "stringValue", service } } } });
    for (json& kv : keyValues(JsonField::member(process, { "tags" }))) {
        if (kv["key"] != "service.name" || service.empty())
            attributes.push_back(std::move(kv));
    }
    return { { "attributes", std::move(attributes) } };
}

json otlpSpan(const json& span)
{
    json out = json::object();
    const json* trace = JsonField::member(span, { "traceID", "traceId", "trace_id" });
    const json* id = JsonField::member(span, { "spanID", "spanId", "span_id" });
    if (trace)
        out["traceId"] = traceIdOf(*trace);
    if (id)
        out["spanId"] = spanIdOf(*id);
    out["name"] = JsonField::text(span, { "operationName", "operation_name" });
    json attributes = keyValues(JsonField::member(span, { "tags" }));

    // References: the first CHILD_OF in the same trace is the parent, every other one a link.
    json links = json::array();
    std::string parent;
    std::string followsFrom;
    const std::string traceText = trace ? textOf(traceIdOf(*trace)) : std::string();
    if (const json* refs = JsonField::member(span, { "references" }); refs && refs->is_array()) {
        for (const json& ref : *refs) {
            if (!ref.is_object())
                continue;
            const json* refTrace = JsonField::member(ref, { "traceID", "traceId" });
            const json* refSpan = JsonField::member(ref, { "spanID", "spanId" });
            if (!refSpan)
                continue;
            const std::string type = JsonField::text(ref, { "refType", "ref_type" });
            const bool childOf = type.empty() || type == "CHILD_OF" || type == "child_of";
            const std::string refTraceText = refTrace ? textOf(traceIdOf(*refTrace)) : traceText;
            const std::string refSpanText = textOf(spanIdOf(*refSpan));
            if (childOf && parent.empty() && refTraceText == traceText) {
                parent = refSpanText;
                continue;
            }
            if (!childOf && followsFrom.empty() && refTraceText == traceText)
                followsFrom = refSpanText;
            links.push_back({ { "traceId", refTraceText }, { "spanId", refSpanText },
                { "attributes",
                    json::array({ { { "key", "opentracing.ref_type" },
                        { "value", { { "stringValue", childOf ? "child_of" : "follows_from" } } } } }) } });
        }
    }
    if (parent.empty()) {
        if (const json* p = JsonField::member(span, { "parentSpanID", "parentSpanId" }); p && p->is_string())
            parent = textOf(spanIdOf(*p));
    }
    if (parent.empty() && !followsFrom.empty()) {
        // Only FOLLOWS_FROM: drawn under the span it follows, and flagged as such.
        parent = followsFrom;
        attributes.push_back(
            { { "key", "jaeger.parent_ref_type" }, { "value", { { "stringValue", "FOLLOWS_FROM" } } } });
    }
    if (!parent.empty() && parent != "0000000000000000")
        out["parentSpanId"] = parent;

    const auto start = timeNs(JsonField::member(span, { "startTime", "start_time" })
            ? *JsonField::member(span, { "startTime", "start_time" })
            : json());
    const auto duration
        = durationNs(JsonField::member(span, { "duration" }) ? *JsonField::member(span, { "duration" }) : json());
    if (start) {
        out["startTimeUnixNano"] = std::to_string(*start);
        out["endTimeUnixNano"] = std::to_string(*start + std::max<std::int64_t>(0, duration.value_or(0)));
    }
    if (const auto flags = JsonField::member(span, { "flags" }); flags && integerOf(*flags))
        out["flags"] = *integerOf(*flags);

    // Kind and status back from the tags OpenTelemetry's Jaeger translator wrote them into.
    if (const int kind = spanKind(tagText(attributes, "span.kind")))
        out["kind"] = kind;
    const std::string statusCode = lower(tagText(attributes, "otel.status_code"));
    const std::string error = lower(tagText(attributes, "error"));
    if (statusCode == "error" || error == "true") {
        json status = { { "code", 2 } };
        const std::string message = tagText(attributes, "otel.status_description");
        if (!message.empty())
            status["message"] = message;
        out["status"] = std::move(status);
    } else if (statusCode == "ok") {
        out["status"] = { { "code", 1 } };
    }
    if (const std::string state = tagText(attributes, "w3c.tracestate"); !state.empty())
        out["traceState"] = state;

    // Logs are events: the field "event" names one.
    json events = json::array();
    if (const json* logs = JsonField::member(span, { "logs" }); logs && logs->is_array()) {
        for (const json& log : *logs) {
            if (!log.is_object())
                continue;
            json fields = keyValues(JsonField::member(log, { "fields" }));
            std::string name = "log";
            json rest = json::array();
            for (json& kv : fields) {
                if (kv["key"] == "event" && name == "log")
                    name = textOf(kv["value"].begin().value());
                else
                    rest.push_back(std::move(kv));
            }
            json event = { { "name", name }, { "attributes", std::move(rest) } };
            if (const json* t = JsonField::member(log, { "timestamp" }))
                if (const auto ns = timeNs(*t))
                    event["timeUnixNano"] = std::to_string(*ns);
            events.push_back(std::move(event));
        }
    }
    out["attributes"] = std::move(attributes);
    if (!events.empty())
        out["events"] = std::move(events);
    if (!links.empty())
        out["links"] = std::move(links);
    return out;
}

} // namespace Jaeger

namespace {

// The scope OpenTelemetry's translator wrote into otel.scope.* (or the older otel.library.*) tags.
Scope scopeOf(const json& otlpSpan)
{
    Scope scope;
    const json& attributes = otlpSpan["attributes"];
    scope.name = tagText(attributes, "otel.scope.name");
    scope.version = tagText(attributes, "otel.scope.version");
    if (scope.name.empty()) {
        scope.name = tagText(attributes, "otel.library.name");
        scope.version = tagText(attributes, "otel.library.version");
    }
    return scope;
}

class JaegerDocument final : public JsonRecordReader::Client
{
public:
    explicit JaegerDocument(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        const JsonRecordReader::Node skip;
        switch (parent) {
        case JsonRecordReader::DocumentRole:
            return { Action::Walk, isArray ? int(Role::ItemList) : int(Role::Top) };
        case int(Role::Top):
            if (key == "data")
                return isArray ? JsonRecordReader::Node { Action::Walk, int(Role::ItemList) }
                               : JsonRecordReader::Node { Action::Capture, int(Role::Item) };
            if (key == "spans" && isArray) {
                // Form C: the batch's process may come after its spans.
                if (!m_batchResourceKnown)
                    m_job.holdBatches(true);
                return { Action::Walk, int(Role::SpanList) };
            }
            if (key == "process" && !isArray)
                return { Action::Capture, int(Role::BatchProcess) };
            return skip;
        case int(Role::ItemList):
            if (isArray) {
                m_job.warn(m_job.reader().location(), "an array where a trace or span was expected; skipped");
                return skip;
            }
            return { Action::Capture, int(Role::Item) };
        case int(Role::SpanList):
            if (isArray) {
                m_job.warn(m_job.reader().location(), "a span must be a JSON object; skipped");
                return skip;
            }
            return { Action::Capture, int(Role::BatchSpan) };
        default:
            return skip;
        }
    }

    void scalar(int parent, const std::string&, nlohmann::json&&) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(
                m_job.reader().location(), "expected Jaeger JSON (an object or an array), found a bare value");
        if (parent == int(Role::ItemList) || parent == int(Role::SpanList))
            m_job.warn(m_job.reader().location(), "a trace or span must be a JSON object; skipped");
    }

    void record(int role, const std::string&, nlohmann::json&& value, std::int64_t offset) override
    {
        switch (Role(role)) {
        case Role::Item:
            if (const json* spans = JsonField::member(value, { "spans" }); spans && spans->is_array())
                addTrace(value, offset);
            else
                addSpan(value, offset, nullptr);
            return;
        case Role::BatchSpan:
            addSpan(value, offset, m_batchResource);
            return;
        case Role::BatchProcess:
            *m_batchResource = Otlp::resourceFrom(Jaeger::otlpResource(value));
            m_batchResourceKnown = true;
            m_job.holdBatches(false);
            return;
        default:
            return;
        }
    }

    void close(int) override { }

    void finish() { m_job.holdBatches(false); }
    std::int64_t rejected() const { return m_rejected; }

private:
    enum class Role
    {
        Top,
        ItemList,
        SpanList,
        Item,
        BatchSpan,
        BatchProcess,
    };

    std::shared_ptr<const Resource> resourceOf(const json& process)
    {
        const std::string key = process.dump();
        auto& shared = m_resources[key];
        if (!shared)
            shared = std::make_shared<const Resource>(Otlp::resourceFrom(Jaeger::otlpResource(process)));
        return shared;
    }

    std::shared_ptr<const Scope> scopeFor(const json& otlp)
    {
        Scope scope = scopeOf(otlp);
        const std::string key = scope.name + '\n' + scope.version;
        auto& shared = m_scopes[key];
        if (!shared)
            shared = std::make_shared<const Scope>(std::move(scope));
        return shared;
    }

    void addTrace(const json& trace, std::int64_t offset)
    {
        std::map<std::string, std::shared_ptr<const Resource>> processes;
        if (const json* list = JsonField::member(trace, { "processes" }); list && list->is_object()) {
            for (const auto& [id, process] : list->items()) {
                if (process.is_object())
                    processes[id] = resourceOf(process);
            }
        }
        for (const json& span : trace["spans"]) {
            if (!span.is_object()) {
                m_job.warn("byte " + std::to_string(offset), "a span must be a JSON object; skipped");
                continue;
            }
            std::shared_ptr<const Resource> resource;
            if (const auto it = processes.find(JsonField::text(span, { "processID", "processId" }));
                it != processes.end())
                resource = it->second;
            addSpan(span, offset, resource);
        }
    }

    void addSpan(const json& span, std::int64_t offset, std::shared_ptr<const Resource> resource)
    {
        const json otlp = Jaeger::otlpSpan(span);
        Step step;
        std::string reason;
        std::vector<std::string> warnings;
        const std::string where = "byte " + std::to_string(offset);
        if (!Otlp::stepFrom(otlp, step, reason, warnings)) {
            ++m_rejected;
            m_job.warn(where, reason);
            return;
        }
        for (auto& warning : warnings)
            m_job.warn(where, std::move(warning));
        if (const json* process = JsonField::member(span, { "process" }); process && process->is_object())
            resource = resourceOf(*process);
        step.resource = resource ? std::move(resource) : m_noResource;
        step.scope = scopeFor(otlp);
        m_job.addStep(std::move(step));
    }

    ImportJob& m_job;
    std::map<std::string, std::shared_ptr<const Resource>> m_resources;
    std::map<std::string, std::shared_ptr<const Scope>> m_scopes;
    std::shared_ptr<Resource> m_batchResource = std::make_shared<Resource>();
    bool m_batchResourceKnown = false;
    const std::shared_ptr<const Resource> m_noResource = std::make_shared<const Resource>();
    std::int64_t m_rejected = 0;
};

} // namespace

int JaegerJsonImporter::probe(std::string_view head) const
{
    std::size_t i = 0;
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i])))
        ++i;
    if (i == head.size() || (head[i] != '{' && head[i] != '['))
        return 0;
    if (head.find("\"resourceSpans\"") != std::string_view::npos)
        return 0; // OTLP, which Jaeger's own UI also opens
    const bool operationName = head.find("\"operationName\"") != std::string_view::npos;
    if (operationName && head.find("\"spanID\"") != std::string_view::npos)
        return 85; // forms A and B
    if (operationName && head.find("\"spanId\"") != std::string_view::npos)
        return 80; // form C
    return 0;
}

void JaegerJsonImporter::read(ImportJob& job)
{
    JaegerDocument document(job);
    const std::int64_t values = JsonRecordReader::read(job, document);
    if (job.context().cancelled())
        return;
    document.finish();
    job.flush();
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    if (job.spans() == 0)
        throw ImportFailure({}, "no Jaeger spans in the file");
}

} // namespace Tracelight
