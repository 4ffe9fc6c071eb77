#include "openaiagentsimporter.h"

#include "attributeview.h"
#include "chatpayload.h"
#include "isotime.h"
#include "jsonrecordreader.h"
#include "stepbuilder.h"
#include "stepmerge.h"

#include <jsonfield.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace Tracelight {

using JsonField::text;
using nlohmann::json;

namespace {

enum Role
{
    Root = 1,
    ItemList,
    RootMember,
    Item,
};

// Usage as the SDK records it (agents/usage.py); the details are objects, or lists of objects in some versions.
void setUsage(Step& s, const json& usage)
{
    if (!usage.is_object())
        return;
    const auto detail = [&](const char* group, const char* key) {
        const json& details = JsonField::field(usage, group);
        return jsonInteger(JsonField::field(details.is_array() && !details.empty() ? details[0] : details, key));
    };
    s.tokens.input = jsonInteger(JsonField::field(usage, "input_tokens"));
    if (!s.tokens.input)
        s.tokens.input = jsonInteger(JsonField::field(usage, "prompt_tokens"));
    s.tokens.output = jsonInteger(JsonField::field(usage, "output_tokens"));
    if (!s.tokens.output)
        s.tokens.output = jsonInteger(JsonField::field(usage, "completion_tokens"));
    s.tokens.cacheRead = detail("input_tokens_details", "cached_tokens");
    s.tokens.cacheWrite = detail("input_tokens_details", "cache_write_tokens");
    s.tokens.reasoning = detail("output_tokens_details", "reasoning_tokens");
}

// span_data → the step's kind, name and fields; returns the span_data members it used.
std::vector<std::string_view> setSpanData(StepBuilder& b, const json& data)
{
    Step& s = b.step;
    const std::string type = text(data, "type");
    s.operation = type;
    s.name = text(data, "name");
    if (type == "agent") {
        s.kind = StepKind::Agent;
        s.agentName = s.name;
        return { "type", "name" };
    }
    if (type == "generation" || type == "response") {
        s.kind = StepKind::Llm;
        s.model = text(data, "model");
        if (s.model.empty())
            s.model = text(JsonField::field(data, "response"), "model");
        s.provider = "openai";
        setUsage(s, JsonField::field(data, "usage"));
        if (!s.tokens.input)
            setUsage(s, JsonField::field(JsonField::field(data, "response"), "usage"));
        b.setInputMessages(ChatPayload::input(JsonField::field(data, "input")));
        // OpenAI's own processor exports only the response id; other processors may keep the response itself.
        const json& output
            = data.contains("output") ? JsonField::field(data, "output") : JsonField::field(data, "response");
        b.setOutputMessages(ChatPayload::output(output));
        b.setSystemInstructions(ChatPayload::instructions(JsonField::field(data, "response")));
        return { "type", "name", "model", "usage", "input", "output", "response" };
    }
    if (type == "function" || type == "mcp_tools") {
        s.kind = StepKind::Tool;
        if (type == "mcp_tools")
            s.name = "list tools " + text(data, "server");
        s.toolName = type == "mcp_tools" ? std::string("mcp_tools") : s.name;
        s.toolArguments = StepBuilder::rawText(JsonField::field(data, "input"));
        s.toolResult = StepBuilder::rawText(
            type == "mcp_tools" ? JsonField::field(data, "result") : JsonField::field(data, "output"));
        return { "type", "name", "input", "output", "result" };
    }
    if (type == "handoff") {
        s.kind = StepKind::Handoff;
        s.agentName = text(data, "from_agent");
        const std::string to = text(data, "to_agent");
        s.name = to.empty() ? std::string("handoff") : "handoff to " + to;
        return { "type" };
    }
    if (type == "guardrail") {
        s.kind = StepKind::Guardrail;
        return { "type", "name" };
    }
    if (type == "custom") {
        s.kind = StepKind::Chain;
        // Task and turn spans of newer SDKs are custom spans that repeat the usage of their model calls; a chain
        // step's usage is shown but never summed.
        const json& custom = JsonField::field(data, "data");
        const std::string sdkType = text(custom, "sdk_span_type");
        if (sdkType == "turn")
            s.name = "turn " + StepBuilder::rawText(JsonField::field(custom, "turn"));
        s.agentName = text(custom, "agent_name");
        setUsage(s, JsonField::field(custom, "usage"));
        return { "type", "name" };
    }
    if (type == "transcription" || type == "speech") {
        s.kind = StepKind::Llm;
        s.model = text(data, "model");
        s.provider = "openai";
        // The text is the conversation; the audio stays in the attributes.
        const json& spoken = JsonField::field(data, type == "speech" ? "input" : "output");
        if (spoken.is_string()) {
            const json message = json::array({ json { { "role", type == "speech" ? "user" : "assistant" },
                { "parts", json::array({ json { { "type", "text" }, { "content", spoken } } }) } } });
            if (type == "speech")
                b.setInputMessages(message);
            else
                b.setOutputMessages(message);
        }
        return { "type", "name", "model", type == "speech" ? "input" : "output" };
    }
    if (type == "speech_group") {
        s.kind = StepKind::Chain;
        b.setInputData("span_data.input", JsonField::field(data, "input"));
        return { "type", "name", "input" };
    }
    s.kind = StepKind::Other;
    return { "type", "name" };
}

std::optional<Step> spanStep(const json& item, ImportJob& job, std::int64_t offset)
{
    std::string id = StepBuilder::rawText(JsonField::field(item, "id"));
    if (id.empty())
        id = StepBuilder::rawText(JsonField::field(item, "span_id")); // processors that rename it
    const std::string traceId = StepBuilder::rawText(JsonField::field(item, "trace_id"));
    if (id.empty() || traceId.empty()) {
        job.warn("byte " + std::to_string(offset),
            std::string(id.empty() ? "a span without an id" : "span " + id + " has no trace_id") + "; skipped");
        return std::nullopt;
    }
    const std::string where = "span " + id + " (byte " + std::to_string(offset) + ")";
    StepBuilder b;
    Step& s = b.step;
    s.spanId = id;
    s.traceId = traceId;
    // A top-level span's parent is the trace, which is the root step.
    s.parentId = text(item, "parent_id");
    if (s.parentId.empty() || s.parentId == id)
        s.parentId = traceId;
    s.startNs = IsoTime::fromJson(JsonField::field(item, "started_at")).value_or(0);
    s.endNs = IsoTime::fromJson(JsonField::field(item, "ended_at")).value_or(0);
    if (s.endNs != 0 && s.endNs < s.startNs) {
        job.warn(where, "the span ends before it starts; its end is treated as unknown");
        s.endNs = 0;
    }
    const json& data = JsonField::field(item, "span_data");
    const std::vector<std::string_view> used = setSpanData(b, data);
    if (s.name.empty())
        s.name = s.operation.empty() ? std::string("span") : s.operation;

    if (const json& error = JsonField::field(item, "error"); !error.is_null()) {
        s.status = StepStatus::Error;
        s.statusMessage = error.is_object() ? StepBuilder::rawText(JsonField::field(error, "message"))
                                            : StepBuilder::rawText(error);
        if (s.statusMessage.empty())
            s.statusMessage = "error";
        if (error.is_object())
            b.attributes.add("error.data", JsonField::field(error, "data"));
    } else if (s.endNs != 0) {
        s.status = StepStatus::Ok;
    }
    if (data.is_object()) {
        for (auto it = data.begin(); it != data.end(); ++it) {
            if (std::find(used.begin(), used.end(), it.key()) == used.end())
                b.attributes.add("span_data." + it.key(), it.value());
        }
    }
    b.attributes.addExcept(
        {}, item, { "id", "span_id", "trace_id", "parent_id", "started_at", "ended_at", "span_data", "error" });
    return b.finish(job, where);
}

Step traceStep(const json& item, ImportJob& job, std::int64_t offset)
{
    StepBuilder b;
    Step& s = b.step;
    s.spanId = s.traceId = StepBuilder::rawText(JsonField::field(item, "id"));
    s.name = text(item, "workflow_name");
    if (s.name.empty())
        s.name = "Agent workflow";
    s.kind = StepKind::Chain;
    s.operation = "trace";
    s.sessionId = StepBuilder::rawText(JsonField::field(item, "group_id"));
    const json& metadata = JsonField::field(item, "metadata");
    for (const char* key : { "user_id", "userId", "user" }) {
        if (s.userId.empty())
            s.userId = StepBuilder::rawText(JsonField::field(metadata, key));
    }
    b.attributes.addExcept({}, item, { "id", "workflow_name", "group_id" });
    return b.finish(job, "trace " + s.traceId + " (byte " + std::to_string(offset) + ")");
}

bool isRunStateKey(const std::string& key)
{
    for (const char* name :
        { "current_agent", "generated_items", "model_responses", "original_input", "current_turn" }) {
        if (key == name)
            return true;
    }
    return false;
}

class Reader final : public JsonRecordReader::Client
{
public:
    explicit Reader(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        switch (parent) {
        case JsonRecordReader::DocumentRole:
            if (isArray)
                return { Action::Walk, ItemList };
            m_root = json::object();
            m_rootHasList = false;
            m_rootOffset = m_job.reader().offset() - 1;
            return { Action::Walk, Root };
        case Root:
            if (key == "data" && !isArray)
                throw ImportFailure(m_job.reader().location(), "\"data\" must be an array of trace and span items");
            // {"data": […]}, {"traces": […], "spans": […]}, a trace with its spans[]: any array member holds items.
            if (isArray) {
                m_rootHasList = true;
                return { Action::Walk, ItemList };
            }
            return { Action::Capture, RootMember };
        case ItemList:
            if (isArray) {
                m_job.warn(m_job.reader().location(), "an item must be a JSON object; skipped");
                return { Action::Skip, 0 };
            }
            return { Action::Capture, Item };
        default:
            return { Action::Skip, 0 };
        }
    }

    void scalar(int parent, const std::string& key, json&& value) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(m_job.reader().location(),
                "expected OpenAI Agents SDK trace items ({\"data\": […]} or trace and span objects), found a bare "
                "value");
        if (parent == Root) {
            if (key == "$schemaVersion")
                refuseRunState(StepBuilder::rawText(value));
            if (key == "data" && !value.is_null())
                throw ImportFailure(m_job.reader().location(), "\"data\" must be an array of trace and span items");
            m_root[key] = std::move(value);
        } else if (parent == ItemList && !value.is_null()) { // a JS no-op span serializes to null
            m_job.warn(m_job.reader().location(), "an item must be a JSON object; skipped");
        }
    }

    void record(int role, const std::string& key, json&& value, std::int64_t offset) override
    {
        if (role == RootMember)
            m_root[key] = std::move(value);
        else if (role == Item)
            item(std::move(value), offset);
    }

    void close(int role) override
    {
        if (role != Root)
            return;
        // A top-level object: one exported item per document (JSON Lines, a trace whose spans[] were walked), a
        // wrapper of one ({"event": "span_end", "payload": {…}}), a list holder, or not a trace at all.
        for (auto it = m_root.begin(); it != m_root.end(); ++it) {
            if (isRunStateKey(it.key()))
                refuseRunState({});
        }
        if (isItem(m_root) || wrapped(m_root))
            item(std::move(m_root), m_rootOffset);
        else if (!m_rootHasList)
            m_job.warn("byte " + std::to_string(m_rootOffset), "an object that is neither a trace nor a span; skipped");
        m_root = json::object();
    }

    // Trace roots last: their times come from their spans.
    void finish()
    {
        // Spans whose trace record is not in the file hang under a trace root made for them.
        for (const auto& [traceId, range] : m_ranges) {
            if (m_roots.count(traceId))
                continue;
            Step root;
            root.traceId = root.spanId = traceId;
            const auto agent = m_firstAgent.find(traceId);
            root.name = agent != m_firstAgent.end() ? agent->second : "Agent workflow";
            root.kind = StepKind::Agent;
            root.operation = "trace";
            m_roots.emplace(traceId, std::move(root));
        }
        for (auto& [traceId, root] : m_roots) {
            if (const auto range = m_ranges.find(traceId); range != m_ranges.end()) {
                if (root.startNs == 0)
                    root.startNs = range->second.first;
                if (root.endNs == 0)
                    root.endNs = range->second.second;
            }
            m_job.addStep(std::move(root));
        }
        m_roots.clear();
        if (m_items == 0)
            throw ImportFailure({}, "no OpenAI Agents SDK traces or spans in the file");
    }

private:
    [[noreturn]] void refuseRunState(const std::string& schema)
    {
        throw ImportFailure(m_job.reader().location(),
            "an OpenAI Agents SDK RunState" + (schema.empty() ? std::string() : " (schema " + schema + ")")
                + ", not a trace: it is a paused run saved for resuming and holds no spans. Export the run's trace "
                  "with a tracing processor instead");
    }

    static bool isItem(const json& value)
    {
        return value.is_object()
            && (value.contains("object") || value.contains("span_data") || value.contains("workflow_name"));
    }

    // The one member of a wrapper that is an item ({"event": "span_end", "payload": {…}}), or null.
    static const json* wrapped(const json& value)
    {
        if (!value.is_object() || isItem(value))
            return nullptr;
        for (const auto& [key, member] : value.items()) {
            if (isItem(member))
                return &member;
        }
        return nullptr;
    }

    void item(json&& value, std::int64_t offset)
    {
        if (const json* inner = wrapped(value)) {
            json unwrapped = *inner;
            return item(std::move(unwrapped), offset);
        }
        // A trace with its spans nested.
        if (auto spans = value.find("spans"); spans != value.end() && spans->is_array() && isItem(value)) {
            json list = std::move(*spans);
            value.erase("spans");
            for (json& span : list) {
                if (span.is_object())
                    item(std::move(span), offset);
            }
        }
        std::string object = text(value, "object");
        if (object.empty())
            object = value.contains("span_data") ? "trace.span" : value.contains("workflow_name") ? "trace" : "";
        if (object == "trace") {
            Step root = traceStep(value, m_job, offset);
            if (root.traceId.empty()) {
                m_job.warn("byte " + std::to_string(offset), "a trace without an id; skipped");
                return;
            }
            ++m_items;
            const auto [it, inserted] = m_roots.try_emplace(root.traceId, std::move(root));
            if (!inserted)
                mergeStep(it->second, std::move(root));
            return;
        }
        if (object != "trace.span") {
            m_job.warn("byte " + std::to_string(offset),
                "an item that is neither a trace nor a span"
                    + (object.empty() ? std::string() : " (\"" + object + "\")") + "; skipped");
            return;
        }
        auto step = spanStep(value, m_job, offset);
        if (!step)
            return;
        ++m_items;
        // A processor that writes a record when a span starts and another when it ends sends each span twice: only
        // a second ended copy is news.
        const auto [seen, first] = m_seen.try_emplace(step->traceId + '\n' + step->spanId, step->endNs != 0);
        if (!first) {
            if (seen->second && step->endNs != 0)
                m_job.warn("span " + step->spanId + " (byte " + std::to_string(offset) + ")",
                    "the span appears twice (re-sent batch?); the more complete copy is kept");
            seen->second = seen->second || step->endNs != 0;
        }
        if (step->kind == StepKind::Agent && !m_firstAgent.count(step->traceId))
            m_firstAgent.emplace(step->traceId, step->name);
        auto [range, inserted] = m_ranges.try_emplace(step->traceId, step->startNs, step->endNs);
        if (!inserted) {
            if (step->startNs != 0 && (range->second.first == 0 || step->startNs < range->second.first))
                range->second.first = step->startNs;
            range->second.second = std::max(range->second.second, step->endNs);
        }
        m_job.addStep(std::move(*step));
    }

    ImportJob& m_job;
    json m_root = json::object();
    bool m_rootHasList = false;
    std::int64_t m_rootOffset = 0;
    std::map<std::string, Step> m_roots;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> m_ranges;
    std::unordered_map<std::string, bool> m_seen; // trace and span id → a copy with an end was seen
    std::map<std::string, std::string> m_firstAgent; // the name of each trace's first agent span
    std::int64_t m_items = 0;
};

} // namespace

int OpenAiAgentsImporter::probe(std::string_view head) const
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (head[first] != '{' && head[first] != '['))
        return 0;
    const auto contains = [&](const char* marker) { return head.find(marker) != std::string_view::npos; };
    if (contains("\"object\":\"trace.span\"") || contains("\"object\": \"trace.span\""))
        return 92;
    if (contains("\"span_data\""))
        return 88;
    if (contains("\"workflow_name\"") && contains("\"object\""))
        return 70;
    // A RunState is not a trace, but it is claimed here so that the user learns what the file is.
    if (contains("\"$schemaVersion\"")
        && (contains("\"current_agent\"") || contains("\"generated_items\"") || contains("\"model_responses\"")))
        return 60;
    return 0;
}

void OpenAiAgentsImporter::read(ImportJob& job)
{
    Reader reader(job);
    const std::int64_t values = JsonRecordReader::read(job, reader);
    if (job.context().cancelled())
        return;
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    reader.finish();
}

} // namespace Tracelight
