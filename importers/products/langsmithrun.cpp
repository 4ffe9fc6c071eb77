#include "langsmithrun.h"

#include "attributeview.h"
#include "chatpayload.h"
#include "importer.h"
#include "isotime.h"
#include "stepbuilder.h"

#include <jsonfield.h>

#include <algorithm>
#include <cctype>

namespace Tracelight::LangSmithRun {

using JsonField::text;
using nlohmann::json;

namespace {

// A path of members, null when any is missing.
const json& path(const json& object, std::initializer_list<std::string_view> keys)
{
    const json* current = &object;
    for (const std::string_view key : keys)
        current = &JsonField::field(*current, key);
    return *current;
}

std::optional<double> number(const json& value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string()) {
        try {
            std::size_t used = 0;
            const double d = std::stod(value.get_ref<const std::string&>(), &used);
            if (used == value.get_ref<const std::string&>().size())
                return d;
        } catch (...) { }
    }
    return std::nullopt;
}

std::optional<std::int64_t> firstInteger(const json& object, std::initializer_list<std::string_view> keys)
{
    for (const std::string_view key : keys) {
        if (auto value = jsonInteger(JsonField::field(object, key)))
            return value;
    }
    return std::nullopt;
}

bool containsWord(std::string name, std::string_view word)
{
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return name.find(word) != std::string::npos;
}

bool emptyValue(const json& value)
{
    return value.is_null() || ((value.is_object() || value.is_array() || value.is_string()) && value.empty());
}

struct Usage
{
    std::optional<std::int64_t> input, output, cacheRead, cacheWrite, reasoning;
    std::optional<double> cost;
    bool found() const { return input || output; }
};

// LangChain usage_metadata: input includes cache reads, output includes reasoning (the GenAI semantics).
Usage fromUsageMetadata(const json& u)
{
    Usage usage;
    usage.input = jsonInteger(JsonField::field(u, "input_tokens"));
    usage.output = jsonInteger(JsonField::field(u, "output_tokens"));
    usage.cacheRead = jsonInteger(path(u, { "input_token_details", "cache_read" }));
    usage.cacheWrite = jsonInteger(path(u, { "input_token_details", "cache_creation" }));
    usage.reasoning = jsonInteger(path(u, { "output_token_details", "reasoning" }));
    usage.cost = number(JsonField::field(u, "total_cost"));
    return usage;
}

// OpenAI usage objects (Chat Completions or Responses): prompt tokens include the cached ones.
Usage fromOpenAiUsage(const json& u)
{
    Usage usage;
    usage.input = firstInteger(u, { "prompt_tokens", "input_tokens" });
    usage.output = firstInteger(u, { "completion_tokens", "output_tokens" });
    usage.cacheRead = jsonInteger(path(u, { "prompt_tokens_details", "cached_tokens" }));
    if (!usage.cacheRead)
        usage.cacheRead = jsonInteger(path(u, { "input_tokens_details", "cached_tokens" }));
    usage.reasoning = jsonInteger(path(u, { "completion_tokens_details", "reasoning_tokens" }));
    if (!usage.reasoning)
        usage.reasoning = jsonInteger(path(u, { "output_tokens_details", "reasoning_tokens" }));
    return usage;
}

Usage usageOf(const json& run)
{
    // Run-level counts, as the LangSmith API returns runs (section 6a).
    Usage usage;
    usage.input = jsonInteger(JsonField::field(run, "prompt_tokens"));
    usage.output = jsonInteger(JsonField::field(run, "completion_tokens"));
    if (usage.found()) {
        usage.cacheRead = jsonInteger(path(run, { "prompt_token_details", "cache_read" }));
        usage.cacheWrite = jsonInteger(path(run, { "prompt_token_details", "cache_creation" }));
        usage.reasoning = jsonInteger(path(run, { "completion_token_details", "reasoning" }));
    } else {
        const json& outputs = JsonField::field(run, "outputs");
        for (const json* u :
            { &JsonField::field(run, "usage_metadata"), &path(run, { "extra", "metadata", "usage_metadata" }),
                &JsonField::field(outputs, "usage_metadata") }) {
            if (u->is_object() && (usage = fromUsageMetadata(*u)).found())
                break;
        }
        if (!usage.found()) {
            // LangChain LLMResult: the message's usage_metadata, else llm_output.token_usage.
            const json& generation = path(outputs, { "generations" });
            if (generation.is_array() && !generation.empty()) {
                const json& first
                    = generation[0].is_array() && !generation[0].empty() ? generation[0][0] : generation[0];
                const json& message = JsonField::field(first, "message");
                const json& u = JsonField::field(message, "kwargs").is_object()
                    ? path(message, { "kwargs", "usage_metadata" })
                    : JsonField::field(message, "usage_metadata");
                if (u.is_object())
                    usage = fromUsageMetadata(u);
            }
        }
        for (const json* u : { &path(outputs, { "llm_output", "token_usage" }), &JsonField::field(outputs, "usage") }) {
            if (!usage.found() && u->is_object())
                usage = fromOpenAiUsage(*u);
        }
    }
    if (auto cost = number(JsonField::field(run, "total_cost")))
        usage.cost = cost;
    return usage;
}

StepKind kindOf(const std::string& runType, const json& run)
{
    if (runType == "llm")
        return StepKind::Llm;
    if (runType == "tool")
        return StepKind::Tool;
    if (runType == "retriever")
        return StepKind::Retriever;
    if (runType == "embedding")
        return StepKind::Embedding;
    if (runType == "chain") {
        // Agents are chains in LangSmith: the name or LangChain's agent metadata gives them away (section 8).
        if (containsWord(text(run, "name"), "agent") || !path(run, { "extra", "metadata", "lc_agent_name" }).is_null())
            return StepKind::Agent;
        return StepKind::Chain;
    }
    if (runType == "prompt" || runType == "parser")
        return StepKind::Chain;
    return StepKind::Other;
}

void setTool(StepBuilder& b, const json& run)
{
    Step& s = b.step;
    s.toolName = s.name;
    const json& inputs = JsonField::field(run, "inputs");
    const json& outputs = JsonField::field(run, "outputs");
    // LangChain tools record {"input": "…"}; structured tools the arguments themselves.
    if (inputs.is_object() && inputs.size() == 1 && inputs.contains("input"))
        s.toolArguments = StepBuilder::rawText(inputs["input"]);
    else if (!emptyValue(inputs))
        s.toolArguments = StepBuilder::rawText(inputs);
    s.toolCallId = text(inputs, "tool_call_id");
    const json& output = outputs.is_object() && outputs.contains("output") ? outputs["output"] : outputs;
    if (!emptyValue(output))
        s.toolResult = StepBuilder::rawText(ChatPayload::toolOutput(output, s.toolCallId));
}

void setConversation(StepBuilder& b, const json& run)
{
    const json& inputs = JsonField::field(run, "inputs");
    const json& outputs = JsonField::field(run, "outputs");
    const bool model = b.step.kind == StepKind::Llm || b.step.kind == StepKind::Embedding;
    json in = ChatPayload::input(inputs);
    json out = ChatPayload::output(outputs);
    // What a model was sent is its input whatever its shape; other runs keep unknown shapes as data.
    if (model && in.is_null() && !emptyValue(inputs))
        in = json::array({ json { { "role", "user" },
            { "parts", json::array({ json { { "type", "text" }, { "content", StepBuilder::rawText(inputs) } } }) } } });
    if (!in.is_null()) {
        b.setInputMessages(in);
        b.attributes.addExcept("inputs", inputs, { "messages", "prompts", "contents", "input", "prompt" });
    } else if (!emptyValue(inputs)) {
        b.setInputData("inputs", inputs);
    }
    if (!out.is_null()) {
        b.setOutputMessages(out);
        b.attributes.addExcept("outputs", outputs, { "choices", "generations", "candidates", "output", "messages" });
    } else if (!emptyValue(outputs)) {
        b.setOutputData("outputs", outputs);
    }
    b.setSystemInstructions(ChatPayload::instructions(inputs));
}

} // namespace

std::vector<Segment> dottedOrder(const json& run)
{
    std::vector<Segment> segments;
    const std::string order = text(run, "dotted_order");
    std::size_t start = 0;
    while (start < order.size()) {
        std::size_t end = order.find('.', start);
        if (end == std::string::npos)
            end = order.size();
        const std::string_view segment(order.data() + start, end - start);
        const auto z = segment.find('Z');
        const auto time = z == std::string_view::npos ? std::nullopt : IsoTime::parseCompact(segment.substr(0, z + 1));
        if (!time || z + 1 >= segment.size())
            return {};
        segments.push_back({ *time, std::string(segment.substr(z + 1)) });
        start = end + 1;
    }
    return segments;
}

std::string idOf(const json& run)
{
    std::string id = text(run, "id");
    if (id.empty()) {
        const auto segments = dottedOrder(run);
        if (!segments.empty())
            id = segments.back().runId;
    }
    return id;
}

void merge(json& run, json&& later)
{
    if (!later.is_object())
        return;
    for (auto it = later.begin(); it != later.end(); ++it) {
        json& value = it.value();
        if (value.is_null())
            continue;
        const std::string& key = it.key();
        json& current = run[key];
        if (key == "extra" && current.is_object() && value.is_object()) {
            for (auto e = value.begin(); e != value.end(); ++e) {
                if (e.key() == "metadata" && current["metadata"].is_object() && e.value().is_object())
                    current["metadata"].update(e.value());
                else
                    current[e.key()] = std::move(e.value());
            }
        } else if ((key == "inputs" || key == "outputs" || key == "events") && emptyValue(value)) {
            continue;
        } else {
            current = std::move(value);
        }
    }
}

Step toStep(const json& run, const std::string& id, ImportJob& job, std::int64_t offset)
{
    const std::string where = "run " + id + " (byte " + std::to_string(offset) + ")";
    StepBuilder b;
    Step& s = b.step;
    s.spanId = id;
    const auto segments = dottedOrder(run);
    s.traceId = text(run, "trace_id");
    if (s.traceId.empty() && !segments.empty())
        s.traceId = segments.front().runId;
    s.parentId = text(run, "parent_run_id");
    if (s.parentId.empty()) {
        const json& parents = JsonField::field(run, "parent_run_ids");
        if (parents.is_array() && !parents.empty() && parents.back().is_string())
            s.parentId = parents.back().get<std::string>();
    }
    if (s.parentId.empty() && segments.size() >= 2 && segments.back().runId == id)
        s.parentId = segments[segments.size() - 2].runId;
    if (s.parentId == id) {
        job.warn(where, "the run is its own parent; shown as a root");
        s.parentId.clear();
    }
    if (s.traceId.empty()) {
        if (!s.parentId.empty())
            job.warn(where, "no trace_id or dotted_order; the run is filed under a trace of its own");
        s.traceId = id;
    }

    s.name = text(run, "name");
    const std::string runType = text(run, "run_type");
    s.operation = runType;
    s.kind = kindOf(runType, run);
    s.startNs = IsoTime::fromJson(JsonField::field(run, "start_time")).value_or(0);
    if (s.startNs == 0 && !segments.empty() && segments.back().runId == id)
        s.startNs = segments.back().startNs;
    s.endNs = IsoTime::fromJson(JsonField::field(run, "end_time")).value_or(0);
    if (s.endNs != 0 && s.endNs < s.startNs) {
        job.warn(where, "the run ends before it starts; its end is treated as unknown");
        s.endNs = 0;
    }
    const std::string status = text(run, "status");
    if (const json& error = JsonField::field(run, "error"); !emptyValue(error)) {
        s.status = StepStatus::Error;
        s.statusMessage = StepBuilder::rawText(error);
    } else if (status == "error") {
        s.status = StepStatus::Error;
    } else if (status == "success" || s.endNs != 0) {
        s.status = StepStatus::Ok;
    }

    const json& extra = JsonField::field(run, "extra");
    const json& metadata = JsonField::field(extra, "metadata");
    s.model = text(metadata, "ls_model_name");
    for (const char* key : { "model", "model_name" }) {
        if (s.model.empty())
            s.model = text(JsonField::field(extra, "invocation_params"), key);
    }
    if (s.model.empty() && (s.kind == StepKind::Llm || s.kind == StepKind::Embedding))
        s.model = text(JsonField::field(run, "inputs"), "model");
    s.provider = text(metadata, "ls_provider");
    for (const char* key : { "session_id", "thread_id", "conversation_id" }) {
        if (s.sessionId.empty())
            s.sessionId = StepBuilder::rawText(JsonField::field(metadata, key));
    }
    s.userId = StepBuilder::rawText(JsonField::field(metadata, "user_id"));
    if (s.kind == StepKind::Agent) {
        s.agentName = text(metadata, "lc_agent_name");
        if (s.agentName.empty())
            s.agentName = s.name;
    }

    const Usage usage = usageOf(run);
    s.tokens.input = usage.input;
    s.tokens.output = usage.output;
    s.tokens.cacheRead = usage.cacheRead;
    s.tokens.cacheWrite = usage.cacheWrite;
    s.tokens.reasoning = usage.reasoning;
    s.costUsd = usage.cost;

    if (s.kind == StepKind::Tool)
        setTool(b, run);
    else
        setConversation(b, run);

    if (const json& events = JsonField::field(run, "events"); events.is_array()) {
        for (const json& event : events) {
            const std::int64_t time = IsoTime::fromJson(JsonField::field(event, "time")).value_or(0);
            const json& kwargs = JsonField::field(event, "kwargs");
            b.addEvent(time, text(event, "name"), kwargs.is_null() ? event : kwargs);
        }
    }
    b.attributes.addExcept({}, run,
        { "id", "trace_id", "parent_run_id", "parent_run_ids", "name", "run_type", "start_time", "end_time", "error",
            "inputs", "outputs", "events", "child_runs" });
    return b.finish(job, where);
}

} // namespace Tracelight::LangSmithRun
