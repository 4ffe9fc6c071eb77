#include "otlpjsonwriter.h"

#include <jsonfield.h>

#include "attributeview.h"
#include "messages.h"
#include "otlpspan.h"
#include "tracelightattributes.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

namespace Tracelight {

using nlohmann::json;
namespace TA = TracelightAttributes;

namespace {

constexpr std::size_t flushAt = 1 << 20;

bool isLowerHex(const std::string& text, std::size_t length)
{
    return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

std::string sha256Hex(const std::string& text, std::size_t bytes)
{
    return QCryptographicHash::hash(
        QByteArrayView(text.data(), static_cast<qsizetype>(text.size())), QCryptographicHash::Sha256)
        .left(static_cast<qsizetype>(bytes))
        .toHex()
        .toStdString();
}

json parseArray(const std::string& text)
{
    json value = JsonField::parse(text);
    return value.is_array() ? value : json::array();
}

// Whether a value is what the OTLP JSON schema allows there, so that other OTLP tools accept the export. Steps from
// other formats may keep lists in shapes of their own; those travel in tracelight.* attributes instead.
bool isUnsigned(const json& v)
{
    if (v.is_number_unsigned())
        return true;
    if (!v.is_string())
        return false;
    const auto& text = v.get_ref<const std::string&>();
    return !text.empty() && text.size() <= 20
        && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isKeyValueList(const json& list, int depth);

bool isAnyValue(const json& v, int depth)
{
    if (!v.is_object() || v.size() > 1 || depth > 50)
        return false;
    if (v.empty())
        return true;
    const std::string& type = v.begin().key();
    const json& x = v.begin().value();
    if (type == "stringValue")
        return x.is_string();
    if (type == "boolValue")
        return x.is_boolean();
    if (type == "intValue")
        return x.is_number_integer() || (x.is_string() && jsonInteger(x).has_value());
    if (type == "doubleValue")
        return x.is_number() || x == "NaN" || x == "Infinity" || x == "-Infinity";
    if (type == "bytesValue")
        return x.is_string()
            && QByteArray::fromBase64Encoding(
                   QByteArray::fromStdString(x.get<std::string>()), QByteArray::AbortOnBase64DecodingErrors)
                   .decodingStatus
            == QByteArray::Base64DecodingStatus::Ok;
    if (type == "arrayValue" || type == "kvlistValue") {
        if (!x.is_object() || x.size() > 1 || (x.size() == 1 && !x.contains("values")))
            return false;
        if (x.empty())
            return true;
        const json& values = x["values"];
        if (type == "kvlistValue")
            return isKeyValueList(values, depth + 1);
        return values.is_array()
            && std::all_of(values.begin(), values.end(), [&](const json& e) { return isAnyValue(e, depth + 1); });
    }
    return false;
}

bool isKeyValueList(const json& list, int depth)
{
    return list.is_array() && std::all_of(list.begin(), list.end(), [&](const json& entry) {
        if (!entry.is_object())
            return false;
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            const bool ok = it.key() == "key" ? it->is_string() : it.key() == "value" && isAnyValue(*it, depth);
            if (!ok)
                return false;
        }
        return true;
    });
}

bool isHexId(const json& v, std::size_t length)
{
    return v.is_string() && v.get_ref<const std::string&>().size() == length
        && std::all_of(v.get_ref<const std::string&>().begin(), v.get_ref<const std::string&>().end(),
            [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// Events (links when isLink) in the OTLP JSON schema.
bool isOtlpList(const json& list, bool isLink)
{
    return list.is_array() && std::all_of(list.begin(), list.end(), [&](const json& item) {
        if (!item.is_object())
            return false;
        for (auto it = item.begin(); it != item.end(); ++it) {
            const std::string& key = it.key();
            bool ok = false;
            if (key == "attributes")
                ok = isKeyValueList(*it, 0);
            else if (key == "droppedAttributesCount")
                ok = it->is_number_unsigned();
            else if (!isLink)
                ok = key == "timeUnixNano" ? isUnsigned(*it) : key == "name" && it->is_string();
            else if (key == "traceId" || key == "spanId")
                ok = isHexId(*it, key == "traceId" ? 32 : 16);
            else
                ok = key == "traceState" ? it->is_string() : key == "flags" && it->is_number_unsigned();
            if (!ok)
                return false;
        }
        return true;
    });
}

// A list kept as stored for a step from OTLP; for another format only when it is valid OTLP JSON, else empty (and the
// stored text then travels in a tracelight.* attribute).
json listFor(const std::string& text, bool fromOtlp, const std::function<bool(const json&)>& valid)
{
    json list = parseArray(text);
    return fromOtlp || valid(list) ? list : json::array();
}

bool hasKey(const json& attributes, std::string_view key)
{
    return std::any_of(attributes.begin(), attributes.end(), [&](const json& entry) {
        const auto it = entry.find("key");
        return it != entry.end() && it->is_string() && it->get_ref<const std::string&>() == key;
    });
}

// The GenAI operation names Conventions::applyGenAi turns into a kind.
bool isGenAiOperation(const std::string& operation)
{
    static const char* const names[] = { "chat", "text_completion", "generate_content", "execute_tool", "invoke_agent",
        "create_agent", "retrieval", "embeddings", "invoke_workflow" };
    return std::any_of(std::begin(names), std::end(names), [&](const char* name) { return operation == name; });
}

std::string operationForKind(StepKind kind)
{
    switch (kind) {
    case StepKind::Llm:
        return "chat";
    case StepKind::Tool:
        return "execute_tool";
    case StepKind::Agent:
        return "invoke_agent";
    case StepKind::Retriever:
        return "retrieval";
    case StepKind::Embedding:
        return "embeddings";
    case StepKind::Chain:
        return "invoke_workflow";
    default:
        return {};
    }
}

// The step as imported (the cost as recorded, not as the cost model prices it); its resource and scope are written
// from the detail apart.
Step stepOf(const StepDetail& d)
{
    Step s = d.step;
    s.resource = nullptr;
    s.scope = nullptr;
    return s;
}

template <typename T> bool same(const T& a, const T& b)
{
    return a == b;
}

bool same(const std::optional<double>& a, const std::optional<double>& b)
{
    if (a && b && std::isnan(*a) && std::isnan(*b))
        return true;
    return a == b;
}

// The fields (keys of TracelightAttributes) in which two steps differ.
std::vector<std::string> differences(const Step& expected, const Step& actual)
{
    std::vector<std::string> keys;
    TA::forEachField(
        [&](const char* key, const auto& a, const auto& b) {
            if (!same(a, b))
                keys.emplace_back(key);
        },
        expected, actual);
    return keys;
}

// The standard attributes for a step's normalized fields (a step from a format other than OTLP), where the source
// attributes do not already have the key. Returns the keys it added.
std::vector<std::string> addGenAiAttributes(const Step& s, json& attributes)
{
    std::vector<std::string> added;
    auto add = [&](const char* key, json value) {
        if (!hasKey(attributes, key)) {
            attributes.push_back(TA::keyValue(key, std::move(value)));
            added.emplace_back(key);
        }
    };
    auto addText = [&](const char* key, const std::string& value) {
        if (!value.empty())
            add(key, TA::anyValue(value));
    };
    auto addCount = [&](const char* key, const std::optional<std::int64_t>& value) {
        if (value)
            add(key, TA::anyValue(*value));
    };
    addText("gen_ai.operation.name", isGenAiOperation(s.operation) ? s.operation : operationForKind(s.kind));
    addText("gen_ai.request.model", s.model);
    addText("gen_ai.provider.name", s.provider);
    addCount("gen_ai.usage.input_tokens", s.tokens.input);
    addCount("gen_ai.usage.output_tokens", s.tokens.output);
    addCount("gen_ai.usage.cache_read.input_tokens", s.tokens.cacheRead);
    addCount("gen_ai.usage.cache_creation.input_tokens", s.tokens.cacheWrite);
    addCount("gen_ai.usage.reasoning.output_tokens", s.tokens.reasoning);
    addText("gen_ai.tool.name", s.toolName);
    addText("gen_ai.tool.call.id", s.toolCallId);
    addText("gen_ai.tool.call.arguments", s.toolArguments);
    addText("gen_ai.tool.call.result", s.toolResult);
    addText("gen_ai.agent.name", s.agentName);
    addText("gen_ai.agent.version", s.agentVersion);
    addText("gen_ai.conversation.id", s.sessionId);
    addText("user.id", s.userId);
    addText("gen_ai.input.messages", s.inputMessages);
    addText("gen_ai.output.messages", s.outputMessages);
    // Our system instructions are whole system messages; the attribute holds only their parts.
    if (const json system = JsonField::parse(s.systemInstructions); system.is_array()) {
        json parts = json::array();
        for (const json& message : system) {
            if (message.is_object() && message.contains("parts") && message["parts"].is_array()) {
                for (const json& part : message["parts"])
                    parts.push_back(part);
            }
        }
        if (!parts.empty())
            add("gen_ai.system_instructions", TA::anyValue(Messages::dump(parts)));
    }
    return added;
}

json stringArray(const std::vector<std::string>& values)
{
    json array = json::array();
    for (const std::string& value : values)
        array.push_back(TA::anyValue(value));
    return json { { "arrayValue", json { { "values", std::move(array) } } } };
}

// Converts a span as the OTLP importers will.
Step reimported(const json& span)
{
    Step step;
    std::string reason;
    std::vector<std::string> warnings;
    Otlp::stepFrom(span, step, reason, warnings);
    return step;
}

} // namespace

std::string OtlpJsonWriter::otlpTraceId(const std::string& traceId)
{
    if (isLowerHex(traceId, 32))
        return traceId;
    std::string compact;
    for (const char c : traceId) {
        if (c != '-')
            compact += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (traceId.size() == 36 && isLowerHex(compact, 32)) // a UUID: its 16 bytes
        return compact;
    return sha256Hex("trace\n" + traceId, 16);
}

std::string OtlpJsonWriter::otlpSpanId(const std::string& traceId, const std::string& spanId)
{
    return isLowerHex(spanId, 16) ? spanId : sha256Hex("span\n" + traceId + '\n' + spanId, 8);
}

OtlpJsonWriter::OtlpJsonWriter(std::function<void(std::string_view)> write)
    : m_write(std::move(write))
{ }

void OtlpJsonWriter::put(std::string_view text)
{
    m_buffer.append(text);
    if (m_buffer.size() >= flushAt) {
        m_write(m_buffer);
        m_buffer.clear();
    }
}

void OtlpJsonWriter::add(const StepDetail& step)
{
    if (!m_started) {
        put("{\"resourceSpans\":[");
        m_started = true;
    }
    std::string resourceKey = step.step.resource->attributesJson + '\x1f' + step.record.service + '\x1f'
        + step.step.resource->serviceVersion;
    if (!m_inResource || resourceKey != m_resourceKey) {
        closeResource();
        m_resourceKey = std::move(resourceKey);
        openResource(step);
    }
    std::string scopeKey
        = step.step.scope->name + '\x1f' + step.step.scope->version + '\x1f' + step.step.scope->attributesJson;
    if (!m_inScope || scopeKey != m_scopeKey) {
        closeScope();
        m_scopeKey = std::move(scopeKey);
        openScope(step);
    }
    if (!m_firstInList)
        put(",");
    m_firstInList = false;
    put(spanJson(step));
    ++m_spans;
}

void OtlpJsonWriter::finish()
{
    if (!m_started)
        put("{\"resourceSpans\":[");
    closeResource();
    put("]}\n");
    m_write(m_buffer);
    m_buffer.clear();
}

void OtlpJsonWriter::openResource(const StepDetail& step)
{
    Resource original;
    original.attributesJson = step.step.resource->attributesJson;
    original.serviceName = step.record.service;
    original.serviceVersion = step.step.resource->serviceVersion;
    const bool fromOtlp = step.sourceFormat.rfind("otlp-", 0) == 0;
    json attributes = listFor(
        step.step.resource->attributesJson, fromOtlp, [](const json& list) { return isKeyValueList(list, 0); });
    std::vector<std::string> added;
    for (const auto& [key, value] : { std::pair { "service.name", &original.serviceName },
             std::pair { "service.version", &original.serviceVersion } }) {
        if (!value->empty() && !hasKey(attributes, key)) {
            attributes.push_back(TA::keyValue(key, TA::anyValue(*value)));
            added.emplace_back(key);
        }
    }
    if (!added.empty())
        attributes.push_back(TA::keyValue(std::string(TA::synthesizedKey), stringArray(added)));
    const Resource back = Otlp::resourceFrom(json { { "attributes", attributes } });
    if (back.serviceName != original.serviceName)
        attributes.push_back(TA::keyValue("tracelight.service_name", TA::anyValue(original.serviceName)));
    if (back.serviceVersion != original.serviceVersion)
        attributes.push_back(TA::keyValue("tracelight.service_version", TA::anyValue(original.serviceVersion)));
    if (back.attributesJson != original.attributesJson)
        attributes.push_back(TA::keyValue("tracelight.attributes", TA::anyValue(original.attributesJson)));
    json resource = json::object();
    if (!attributes.empty())
        resource["attributes"] = std::move(attributes);
    if (m_resources > 0)
        put(",");
    put("{\"resource\":");
    put(Messages::dump(resource));
    put(",\"scopeSpans\":[");
    m_inResource = true;
    m_firstInList = true;
    ++m_resources;
}

void OtlpJsonWriter::openScope(const StepDetail& step)
{
    json scope = json::object();
    if (!step.step.scope->name.empty())
        scope["name"] = step.step.scope->name;
    if (!step.step.scope->version.empty())
        scope["version"] = step.step.scope->version;
    const bool fromOtlp = step.sourceFormat.rfind("otlp-", 0) == 0;
    json attributes
        = listFor(step.step.scope->attributesJson, fromOtlp, [](const json& list) { return isKeyValueList(list, 0); });
    if (Otlp::scopeFrom(json { { "attributes", attributes } }).attributesJson != step.step.scope->attributesJson)
        attributes.push_back(TA::keyValue("tracelight.attributes", TA::anyValue(step.step.scope->attributesJson)));
    if (!attributes.empty())
        scope["attributes"] = std::move(attributes);
    if (!m_firstInList)
        put(",");
    put("{\"scope\":");
    put(Messages::dump(scope));
    put(",\"spans\":[");
    m_inScope = true;
    m_firstInList = true;
}

void OtlpJsonWriter::closeScope()
{
    if (!m_inScope)
        return;
    put("]}");
    m_inScope = false;
    m_firstInList = false;
}

void OtlpJsonWriter::closeResource()
{
    closeScope();
    if (!m_inResource)
        return;
    put("]}");
    m_inResource = false;
}

std::string OtlpJsonWriter::spanJson(const StepDetail& detail)
{
    const Step original = stepOf(detail);
    const bool fromOtlp = detail.sourceFormat.rfind("otlp-", 0) == 0;

    json span = json::object();
    span["traceId"] = otlpTraceId(original.traceId);
    span["spanId"] = otlpSpanId(original.traceId, original.spanId);
    if (!original.parentId.empty())
        span["parentSpanId"] = otlpSpanId(original.traceId, original.parentId);
    if (!original.traceState.empty())
        span["traceState"] = original.traceState;
    if (original.flags != 0)
        span["flags"] = original.flags;
    if (!original.name.empty())
        span["name"] = original.name;
    if (original.otelKind != 0)
        span["kind"] = original.otelKind;
    span["startTimeUnixNano"] = std::to_string(original.startNs);
    if (original.endNs != 0)
        span["endTimeUnixNano"] = std::to_string(original.endNs);
    for (const bool isLink : { false, true }) {
        json list = listFor(isLink ? original.linksJson : original.eventsJson, fromOtlp,
            [&](const json& l) { return isOtlpList(l, isLink); });
        if (!list.empty())
            span[isLink ? "links" : "events"] = std::move(list);
    }
    if (original.status != StepStatus::Unset || !original.statusMessage.empty()) {
        json status = json::object();
        if (original.status != StepStatus::Unset)
            status["code"] = original.status == StepStatus::Error ? 2 : 1;
        if (!original.statusMessage.empty())
            status["message"] = original.statusMessage;
        span["status"] = std::move(status);
    }

    json attributes
        = listFor(original.attributesJson, fromOtlp, [](const json& list) { return isKeyValueList(list, 0); });
    if (!fromOtlp) {
        if (const auto added = addGenAiAttributes(original, attributes); !added.empty())
            attributes.push_back(TA::keyValue(std::string(TA::synthesizedKey), stringArray(added)));
    }
    if (!attributes.empty())
        span["attributes"] = attributes;

    // An OTLP span whose message was taken from its exception event or error.type had none: keep it that way.
    if (fromOtlp && span.contains("status") && span["status"].contains("message")) {
        json without = span;
        without["status"].erase("message");
        if (reimported(without).statusMessage == original.statusMessage)
            span = std::move(without);
    }

    const std::vector<std::string> differing = differences(original, reimported(span));
    if (!differing.empty()) {
        TA::forEachField(
            [&](const char* key, const auto& field) {
                if (std::find(differing.begin(), differing.end(), key) != differing.end())
                    attributes.push_back(TA::keyValue(std::string(TA::prefix) + key, TA::anyValue(field)));
            },
            original);
        span["attributes"] = attributes;
        ++m_extendedSpans;
        for (const std::string& key : differences(original, reimported(span))) {
            m_warnings.push_back("span " + original.spanId + " of trace " + original.traceId + ": " + key
                + " will not come back exactly");
        }
    }
    return Messages::dump(span);
}

} // namespace Tracelight
