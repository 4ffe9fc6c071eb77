#include "langfuseobservation.h"

#include "attributeview.h"
#include "chatpayload.h"
#include "conventions.h"
#include "importer.h"
#include "isotime.h"

#include <jsonfield.h>

#include <algorithm>
#include <cctype>

namespace Tracelight::LangfuseRecord {

using JsonField::text;
using nlohmann::json;

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

bool emptyValue(const json& value)
{
    return value.is_null() || ((value.is_object() || value.is_array() || value.is_string()) && value.empty());
}

std::optional<StepKind> kindOfType(const std::string& type)
{
    static const std::pair<const char*, StepKind> kinds[] = { { "GENERATION", StepKind::Llm },
        { "AGENT", StepKind::Agent }, { "TOOL", StepKind::Tool }, { "CHAIN", StepKind::Chain },
        { "RETRIEVER", StepKind::Retriever }, { "EVALUATOR", StepKind::Evaluator },
        { "EMBEDDING", StepKind::Embedding }, { "GUARDRAIL", StepKind::Guardrail }, { "EVENT", StepKind::Event } };
    for (const auto& [name, kind] : kinds) {
        if (type == name)
            return kind;
    }
    return std::nullopt;
}

// OpenInference and LangSmith span kinds that Langfuse keeps in the metadata of a plain SPAN.
std::optional<StepKind> kindOfSpanKind(const std::string& value)
{
    const std::string kind = upper(value);
    if (kind == "LLM")
        return StepKind::Llm;
    if (kind == "RERANKER")
        return StepKind::Retriever;
    if (kind == "PROMPT" || kind == "PARSER")
        return StepKind::Chain;
    return kindOfType(kind);
}

// Metadata arrives as an object, a JSON string, or a JSON string of a JSON string.
json decodeMetadata(const json& value)
{
    json decoded = ChatPayload::decodeJsonString(value);
    if (decoded.is_string())
        decoded = ChatPayload::decodeJsonString(decoded);
    return decoded;
}

std::optional<std::int64_t> firstOf(const json& usage, std::initializer_list<std::string_view> keys)
{
    for (const std::string_view key : keys) {
        if (auto value = jsonInteger(JsonField::field(usage, key)))
            return value;
    }
    return std::nullopt;
}

json textMessage(const char* role, const json& value)
{
    return json::array({ json { { "role", role },
        { "parts", json::array({ json { { "type", "text" }, { "content", StepBuilder::rawText(value) } } }) } } });
}

// Stores input and output by kind: a tool's as raw arguments and result, anything else as messages when they are a
// conversation and as data when not. A model call's input is messages whatever its shape.
void setInputOutput(
    StepBuilder& b, const json& input, const json& output, std::vector<std::string>* calledTools = nullptr)
{
    Step& s = b.step;
    if (s.kind == StepKind::Tool) {
        if (s.toolArguments.empty())
            s.toolArguments = StepBuilder::rawText(input);
        if (s.toolResult.empty())
            s.toolResult = StepBuilder::rawText(ChatPayload::toolOutput(output, s.toolCallId));
        return;
    }
    const bool model = s.kind == StepKind::Llm || s.kind == StepKind::Embedding;
    json in = ChatPayload::input(input);
    json out = ChatPayload::output(output);
    if (model && in.is_null() && !emptyValue(input))
        in = textMessage("user", input);
    if (model && out.is_null() && !emptyValue(output))
        out = textMessage("assistant", output);
    if (calledTools && s.kind == StepKind::Llm) {
        ChatPayload::toolCallNames(in, *calledTools);
        ChatPayload::toolCallNames(out, *calledTools);
    }
    // Messages the OTel attributes already gave (filled first) stay.
    if (!in.is_null()) {
        if (s.inputMessages.empty())
            b.setInputMessages(in);
    } else if (!emptyValue(input)) {
        b.setInputData("input", input);
    }
    if (!out.is_null()) {
        if (s.outputMessages.empty())
            b.setOutputMessages(out);
    } else if (!emptyValue(output)) {
        b.setOutputData("output", output);
    }
    if (s.systemInstructions.empty()) {
        json system = ChatPayload::instructions(input);
        if (system.is_null())
            system = ChatPayload::instructions(output);
        b.setSystemInstructions(system);
    }
}

std::int64_t checkedEnd(Step& s, ImportJob& job, const std::string& where)
{
    if (s.endNs != 0 && s.endNs < s.startNs) {
        job.warn(where, "ends before it starts; its end is treated as unknown");
        return 0;
    }
    return s.endNs;
}

} // namespace

void setUsage(Step& s, const json& record)
{
    const json& details = JsonField::field(record, "usageDetails");
    if (details.is_object() && !details.empty()) {
        std::optional<std::int64_t> input, output;
        for (auto it = details.begin(); it != details.end(); ++it) {
            const auto value = jsonInteger(it.value());
            if (!value)
                continue;
            const std::string key = lower(it.key());
            if (key.find("input") != std::string::npos)
                input = input.value_or(0) + *value;
            else if (key.find("output") != std::string::npos)
                output = output.value_or(0) + *value;
        }
        s.tokens.input = input;
        s.tokens.output = output;
        s.tokens.cacheRead = firstOf(details,
            { "input_cache_read", "cache_read_input_tokens", "input_cached_tokens", "prompt_details.cache_read",
                "cached_tokens" });
        s.tokens.cacheWrite = firstOf(details,
            { "input_cache_creation", "input_cache_write", "cache_creation_input_tokens", "prompt_details.cache_write",
                "prompt_details.cache_creation" });
        s.tokens.reasoning = firstOf(details,
            { "output_reasoning", "output_reasoning_tokens", "completion_details.reasoning", "reasoning_tokens" });
    } else if (const json& usage = JsonField::field(record, "usage"); usage.is_object()) {
        // The legacy usage object; "unit" may be CHARACTERS, MILLISECONDS, … and only TOKENS are tokens.
        const std::string unit = upper(text(usage, "unit"));
        if (unit.empty() || unit == "TOKENS") {
            s.tokens.input = firstOf(usage, { "input", "promptTokens" });
            s.tokens.output = firstOf(usage, { "output", "completionTokens" });
        }
    }
    const json& costs = JsonField::field(record, "costDetails");
    if (const json& total = JsonField::field(costs, "total"); total.is_number()) {
        s.costUsd = total.get<double>();
    } else if (costs.is_object() && !costs.empty()) {
        double sum = 0;
        for (const json& value : costs)
            sum += value.is_number() ? value.get<double>() : 0.0;
        s.costUsd = sum;
    } else if (s.tokens.input || s.tokens.output) {
        for (const char* key : { "calculatedTotalCost", "totalCost" }) {
            if (const json& cost = JsonField::field(record, key);
                !s.costUsd && cost.is_number() && cost.get<double>() > 0)
                s.costUsd = cost.get<double>();
        }
    }
}

std::optional<Observation> observation(json&& record, ResourceInterner& interner, ImportJob& job, std::int64_t offset)
{
    const std::string id = StepBuilder::rawText(JsonField::field(record, "id"));
    if (id.empty()) {
        job.warn("byte " + std::to_string(offset), "an observation without an id; skipped");
        return std::nullopt;
    }
    Observation result;
    result.where = "observation " + id + " (byte " + std::to_string(offset) + ")";
    StepBuilder b;
    Step& s = b.step;
    s.spanId = id;
    s.traceId = text(record, "traceId");
    s.parentId = text(record, "parentObservationId");
    if (s.parentId == id) {
        job.warn(result.where, "the observation is its own parent; shown as a root");
        s.parentId.clear();
    }
    s.name = text(record, "name");
    const std::string type = upper(text(record, "type"));
    s.operation = type;
    s.kind = kindOfType(type).value_or(StepKind::Other);
    s.startNs = IsoTime::fromJson(JsonField::field(record, "startTime")).value_or(0);
    s.endNs = IsoTime::fromJson(JsonField::field(record, "endTime")).value_or(0);
    if (s.kind == StepKind::Event && s.endNs == 0)
        s.endNs = s.startNs; // an EVENT is a point in time
    s.endNs = checkedEnd(s, job, result.where);
    if (upper(text(record, "level")) == "ERROR") {
        s.status = StepStatus::Error;
        s.statusMessage = text(record, "statusMessage");
        if (s.statusMessage.empty())
            s.statusMessage = "level ERROR";
    }
    s.model = text(record, "model");
    if (s.model.empty())
        s.model = text(record, "providedModelName");
    setUsage(s, record);

    const json metadata = decodeMetadata(JsonField::field(record, "metadata"));
    const json& otel = JsonField::field(metadata, "attributes");
    s.resource = interner.resource(JsonField::field(metadata, "resourceAttributes"));
    s.scope = interner.scope(JsonField::field(metadata, "scope"));
    if (s.kind == StepKind::Other) {
        for (const char* key : { "openinference.span.kind", "langsmith.span.kind" }) {
            if (s.kind == StepKind::Other)
                s.kind = kindOfSpanKind(text(otel, key)).value_or(StepKind::Other);
        }
    }
    // An agent run span that also carries its run's total usage is the agent, not a model call.
    if (s.kind == StepKind::Other && !JsonField::field(otel, "gen_ai.agent.name").is_null()
        && JsonField::field(otel, "gen_ai.operation.name").is_null())
        s.kind = StepKind::Agent;
    // The OTel attributes the SDK sent fill whatever the observation left empty (GenAI first, section 8).
    if (otel.is_object())
        Conventions::apply(AttributeView::fromObject(otel), s);
    // LangChain and LangGraph metadata through Langfuse's callback handler: a thread is the conversation.
    for (const char* key : { "session_id", "thread_id", "conversation_id" }) {
        if (s.sessionId.empty())
            s.sessionId = text(metadata, key);
    }
    for (const char* key : { "llm.provider", "llm.system" }) {
        if (s.provider.empty())
            s.provider = text(otel, key);
    }
    if (s.provider.empty())
        s.provider = text(metadata, "ls_provider");
    if (s.model.empty())
        s.model = text(metadata, "ls_model_name");
    if (s.kind == StepKind::Tool) {
        if (s.toolName.empty())
            s.toolName = text(otel, "tool.name");
        if (s.toolName.empty())
            s.toolName = s.name;
    }
    if (s.kind == StepKind::Agent && s.agentName.empty())
        s.agentName = s.name;

    json input = ChatPayload::decodeJsonString(JsonField::field(record, "input"));
    json output = ChatPayload::decodeJsonString(JsonField::field(record, "output"));
    if (s.kind == StepKind::Other) {
        result.pending = true;
        result.input = std::move(input);
        result.output = std::move(output);
    } else {
        setInputOutput(b, input, output, &result.calledTools);
    }
    if (metadata.is_object())
        b.attributes.addExcept("metadata", metadata, { "resourceAttributes", "scope" });
    else
        b.attributes.add("metadata", metadata);
    b.attributes.addExcept({}, record,
        { "id", "traceId", "parentObservationId", "name", "type", "startTime", "endTime", "input", "output", "metadata",
            "model" });
    result.step = b.finish(job, result.where);
    return result;
}

void resolve(Observation& o, StepKind kind, ImportJob& job)
{
    if (!o.pending)
        return;
    o.pending = false;
    StepBuilder b;
    b.step = std::move(o.step);
    b.step.kind = kind;
    if (kind == StepKind::Tool && b.step.toolName.empty())
        b.step.toolName = b.step.name;
    setInputOutput(b, o.input, o.output);
    o.input = nullptr;
    o.output = nullptr;
    std::string attributes = std::move(b.step.attributesJson);
    Step step = b.finish(job, o.where);
    // Only the input and output went through the builder here; they follow the attributes the step already had.
    StepBuilder::appendToList(attributes, step.attributesJson);
    step.attributesJson = std::move(attributes);
    o.step = std::move(step);
}

Step trace(const json& record, ResourceInterner& interner, ImportJob& job, std::int64_t offset)
{
    StepBuilder b;
    Step& s = b.step;
    s.spanId = s.traceId = StepBuilder::rawText(JsonField::field(record, "id"));
    const std::string where = "trace " + s.traceId + " (byte " + std::to_string(offset) + ")";
    s.name = text(record, "name");
    if (s.name.empty())
        s.name = "trace";
    s.kind = StepKind::Chain;
    s.operation = "TRACE";
    s.startNs = IsoTime::fromJson(JsonField::field(record, "timestamp")).value_or(0);
    if (const json& latency = JsonField::field(record, "latency"); latency.is_number() && s.startNs != 0)
        s.endNs = s.startNs + static_cast<std::int64_t>(latency.get<double>() * 1e9);
    s.sessionId = StepBuilder::rawText(JsonField::field(record, "sessionId"));
    s.userId = StepBuilder::rawText(JsonField::field(record, "userId"));
    const json metadata = decodeMetadata(JsonField::field(record, "metadata"));
    s.resource = interner.resource(JsonField::field(metadata, "resourceAttributes"));
    s.scope = interner.scope(JsonField::field(metadata, "scope"));
    setInputOutput(b, ChatPayload::decodeJsonString(JsonField::field(record, "input")),
        ChatPayload::decodeJsonString(JsonField::field(record, "output")));
    if (metadata.is_object())
        b.attributes.addExcept("metadata", metadata, { "resourceAttributes", "scope" });
    else
        b.attributes.add("metadata", metadata);
    b.attributes.addExcept({}, record,
        { "id", "name", "timestamp", "input", "output", "metadata", "sessionId", "userId", "observations", "scores" });
    return b.finish(job, where);
}

void addScore(Step& step, const json& score)
{
    json attributes = json::object();
    attributes["gen_ai.evaluation.name"] = JsonField::field(score, "name");
    if (const json& value = JsonField::field(score, "value"); value.is_number())
        attributes["gen_ai.evaluation.score.value"] = value;
    if (const json& label = JsonField::field(score, "stringValue"); label.is_string())
        attributes["gen_ai.evaluation.score.label"] = label;
    attributes["gen_ai.evaluation.explanation"] = JsonField::field(score, "comment");
    for (const char* key : { "id", "source", "dataType", "configId", "executionTraceId", "authorUserId" })
        attributes[std::string("langfuse.score.") + key] = JsonField::field(score, key);
    std::string event(1, '[');
    event += StepBuilder::event(
        IsoTime::fromJson(JsonField::field(score, "timestamp")).value_or(0), "gen_ai.evaluation.result", attributes);
    event += ']';
    StepBuilder::appendToList(step.eventsJson, event);
}

} // namespace Tracelight::LangfuseRecord
