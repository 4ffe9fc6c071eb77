#include "inspectaiimporter.h"

#include "chatpayload.h"
#include "jsonrecordreader.h"
#include "stepbuilder.h"

#include <isotime.h>
#include <jsonfield.h>
#include <utf8.h>

#include <zip.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace Tracelight {

using nlohmann::json;

namespace {

constexpr std::string_view AttachmentPrefix = "attachment://";

// Replaces every "attachment://<hash>" string by the attachment's text.
void resolveAttachments(json& value, const json& attachments)
{
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (text.rfind(AttachmentPrefix, 0) == 0) {
            const json& found = JsonField::field(attachments, text.substr(AttachmentPrefix.size()));
            if (found.is_string())
                value = found;
        }
    } else if (value.is_structured()) {
        for (json& child : value)
            resolveAttachments(child, attachments);
    }
}

std::optional<std::int64_t> timeOf(const json& event, const char* key)
{
    return IsoTime::fromJson(JsonField::field(event, key));
}

std::int64_t secondsNs(const json& value)
{
    return value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() > 0
        ? static_cast<std::int64_t>(std::llround(value.get<double>() * 1e9))
        : 0;
}

std::optional<std::int64_t> positive(const json& value)
{
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
        return value.get<std::int64_t>();
    return std::nullopt;
}

// The text of a tool result or message content: a string, or the text parts of a content list.
std::string contentText(const json& content)
{
    if (content.is_string())
        return content.get<std::string>();
    if (content.is_array()) {
        std::string out;
        for (const json& part : content) {
            const std::string text = JsonField::text(part, "text");
            if (!text.empty())
                out += (out.empty() ? "" : "\n") + text;
        }
        if (!out.empty())
            return out;
    }
    return StepBuilder::rawText(content);
}

class Sample
{
public:
    // place names where the sample is in the file ("byte 1200", "samples/3_epoch_1.json").
    Sample(ImportJob& job, const json& header, json sample, const std::string& place)
        : m_job(job)
        , m_header(header)
        , m_sample(std::move(sample))
    {
        resolveAttachments(m_sample, JsonField::field(m_sample, "attachments"));
        const json& eval = JsonField::field(m_header, "eval");
        const std::string evalId = JsonField::text(eval, { "eval_id", "run_id", "task_id" });
        m_traceId = (evalId.empty() ? std::string("inspect") : evalId) + ':'
            + StepBuilder::rawText(JsonField::field(m_sample, "id")) + ':'
            + StepBuilder::rawText(JsonField::field(m_sample, "epoch"));
        m_rootId = "sample";
        m_where = "sample " + StepBuilder::rawText(JsonField::field(m_sample, "id")) + " (" + place + ")";
    }

    void convert()
    {
        const json& events = JsonField::field(m_sample, "events");
        if (events.is_array() && !events.empty()) {
            for (const json& event : events)
                addEvent(event);
            closeSpans();
        } else {
            fromMessages();
        }
        addRoot();
    }

private:
    std::string newId(const char* prefix) { return std::string(prefix) + std::to_string(++m_counter); }

    std::string parentOf(const json& event) const
    {
        const std::string span = JsonField::text(event, "span_id");
        if (const auto it = m_spanSteps.find(span); it != m_spanSteps.end())
            return it->second;
        return m_rootId;
    }

    void see(std::int64_t ns)
    {
        if (ns <= 0)
            return;
        m_first = m_first ? std::min(*m_first, ns) : ns;
        m_last = std::max(m_last, ns);
    }

    StepBuilder begin(StepKind kind, const std::string& id, const std::string& parent, const std::string& name)
    {
        StepBuilder b;
        b.step.traceId = m_traceId;
        b.step.spanId = id;
        b.step.parentId = parent;
        b.step.kind = kind;
        b.step.name = name;
        return b;
    }

    void add(StepBuilder& b)
    {
        see(b.step.startNs);
        see(b.step.endNs);
        m_job.addStep(b.finish(m_job, m_where));
    }

    void addEvent(const json& event)
    {
        const std::string type = JsonField::text(event, "event");
        const std::string uuid = JsonField::text(event, "uuid");
        const auto start = timeOf(event, "timestamp");
        if (type == "span_begin") {
            const std::string spanId = JsonField::text(event, "id");
            const std::string spanType = JsonField::text(event, "type");
            const StepKind kind = spanType == "agent" ? StepKind::Agent
                : spanType == "handoff"               ? StepKind::Handoff
                                                      : StepKind::Chain;
            std::string parent = m_rootId;
            if (const auto it = m_spanSteps.find(JsonField::text(event, "parent_id")); it != m_spanSteps.end())
                parent = it->second;
            // A tool's own span (its sandbox calls, nested model calls) folds into the tool step of the call: the
            // tool event of the same function in the calling span, before or after this one.
            if (spanType == "tool") {
                const std::string key = parent + '\n' + JsonField::text(event, "name");
                if (const auto tool = m_unfoldedTools.find(key); tool != m_unfoldedTools.end()) {
                    m_spanSteps[spanId] = tool->second;
                    m_unfoldedTools.erase(tool);
                    return;
                }
                m_unfoldedSpans[key] = spanId;
            }
            const std::string id = spanId.empty() ? newId("span-") : "span-" + spanId;
            m_spanSteps[spanId] = id;
            OpenSpan open { begin(kind, id, parent, JsonField::text(event, "name")) };
            open.builder.step.operation = spanType.empty() ? "span" : spanType;
            open.builder.step.startNs = start.value_or(0);
            if (kind == StepKind::Agent)
                open.builder.step.agentName = open.builder.step.name;
            m_open.emplace(spanId, std::move(open));
            return;
        }
        if (type == "span_end") {
            const auto it = m_open.find(JsonField::text(event, "id"));
            if (it == m_open.end())
                return; // never begun, or folded into its tool step
            it->second.builder.step.endNs = start.value_or(0);
            add(it->second.builder);
            m_open.erase(it);
            return;
        }
        if (type == "model") {
            StepBuilder b = begin(StepKind::Llm, uuid.empty() ? newId("model-") : uuid, parentOf(event),
                "model " + JsonField::text(event, "model"));
            Step& s = b.step;
            s.operation = "chat";
            s.model = JsonField::text(event, "model");
            s.startNs = start.value_or(0);
            const json& output = JsonField::field(event, "output");
            s.endNs = timeOf(event, "completed").value_or(s.startNs + secondsNs(JsonField::field(output, "time")));
            json input = JsonField::field(event, "input");
            if ((!input.is_array() || input.empty()) && JsonField::field(event, "input_refs").is_array())
                input = pooled(JsonField::field(event, "input_refs"));
            b.setInputMessages(ChatPayload::input(input));
            const json& choices = JsonField::field(output, "choices");
            if (choices.is_array() && !choices.empty())
                b.setOutputMessages(ChatPayload::output(JsonField::field(choices[0], "message")));
            usage(s, JsonField::field(output, "usage"));
            if (const json& error = JsonField::field(event, "error"); !error.is_null()) {
                s.status = StepStatus::Error;
                s.statusMessage = contentText(error);
            }
            add(b);
            return;
        }
        if (type == "tool") {
            const std::string function = JsonField::text(event, "function");
            StepBuilder b = begin(StepKind::Tool, uuid.empty() ? newId("tool-") : uuid, parentOf(event), function);
            Step& s = b.step;
            s.operation = "execute_tool";
            s.toolName = function;
            s.toolCallId = JsonField::text(event, "id");
            s.toolArguments = StepBuilder::rawText(JsonField::field(event, "arguments"));
            const std::string key = s.parentId + '\n' + function;
            if (const auto span = m_unfoldedSpans.find(key); span != m_unfoldedSpans.end()) {
                // Its span began first: the tool step takes its place, and what ran inside it hangs under the step.
                m_spanSteps[span->second] = s.spanId;
                m_open.erase(span->second);
                m_unfoldedSpans.erase(span);
            } else {
                m_unfoldedTools[key] = s.spanId;
            }
            s.toolResult = contentText(JsonField::field(event, "result"));
            s.startNs = start.value_or(0);
            s.endNs
                = timeOf(event, "completed").value_or(s.startNs + secondsNs(JsonField::field(event, "working_time")));
            if (const json& error = JsonField::field(event, "error"); error.is_object()) {
                s.status = StepStatus::Error;
                const std::string kind = JsonField::text(error, "type");
                const std::string message = JsonField::text(error, "message");
                s.statusMessage = kind.empty() ? message : kind + ": " + message;
            } else if (JsonField::field(event, "failed").is_boolean() && event["failed"].get<bool>()) {
                s.status = StepStatus::Error;
            }
            add(b);
            return;
        }
        if (type == "score") {
            const json& score = JsonField::field(event, "score");
            const std::string scorer = JsonField::text(event, "scorer");
            StepBuilder b = begin(StepKind::Evaluator, uuid.empty() ? newId("score-") : uuid, parentOf(event),
                scorer.empty() ? std::string("score") : "score " + scorer);
            b.step.operation = "score";
            b.step.startNs = b.step.endNs = start.value_or(0);
            b.attributes.add("inspect.score.value", JsonField::field(score, "value"));
            b.attributes.add("inspect.score.answer", JsonField::field(score, "answer"));
            b.setOutputData("inspect.score.explanation", JsonField::field(score, "explanation"));
            if (const json& target = JsonField::field(event, "target"); !target.is_null())
                b.attributes.add("inspect.score.target", target);
            add(b);
            return;
        }
        if (type == "error" || type == "approval") {
            StepBuilder b = begin(type == "error" ? StepKind::Event : StepKind::Human,
                uuid.empty() ? newId("event-") : uuid, parentOf(event), type);
            b.step.startNs = b.step.endNs = start.value_or(0);
            if (type == "error") {
                b.step.status = StepStatus::Error;
                b.step.statusMessage = JsonField::text(JsonField::field(event, "error"), "message");
            } else {
                b.step.operation = "approval";
                b.attributes.add("inspect.approval.decision", JsonField::field(event, "decision"));
                b.attributes.add("inspect.approval.approver", JsonField::field(event, "approver"));
                b.setInputData("inspect.approval.call", JsonField::field(event, "call"));
            }
            add(b);
            return;
        }
        // Bookkeeping events (sample_init, state, store, sandbox, logger, info, step, …) only place the run in time.
        if (start)
            see(*start);
    }

    // Messages [start, end) of the sample's pool (events_data.messages; a 0.3.135 build called it message_pool).
    json pooled(const json& refs) const
    {
        const json& data = JsonField::field(m_sample, "events_data");
        const json* pool = &JsonField::field(data, "messages");
        if (!pool->is_array())
            pool = &JsonField::field(m_sample, "message_pool");
        json out = json::array();
        if (!pool->is_array())
            return out;
        for (const json& range : refs) {
            if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer()
                || !range[1].is_number_integer())
                continue;
            for (std::int64_t i = std::max<std::int64_t>(0, range[0].get<std::int64_t>());
                 i < range[1].get<std::int64_t>() && i < std::int64_t(pool->size()); ++i)
                out.push_back((*pool)[std::size_t(i)]);
        }
        return out;
    }

    static void usage(Step& s, const json& usage)
    {
        s.tokens.input = positive(JsonField::field(usage, "input_tokens"));
        s.tokens.output = positive(JsonField::field(usage, "output_tokens"));
        s.tokens.cacheRead = positive(JsonField::field(usage, "input_tokens_cache_read"));
        s.tokens.cacheWrite = positive(JsonField::field(usage, "input_tokens_cache_write"));
        s.tokens.reasoning = positive(JsonField::field(usage, "reasoning_tokens"));
        if (const json& cost = JsonField::field(usage, "total_cost"); cost.is_number())
            s.costUsd = cost.get<double>();
    }

    // Spans never ended (a cancelled run) end at the last time seen.
    void closeSpans()
    {
        for (auto& [id, open] : m_open) {
            open.builder.step.endNs = std::max(open.builder.step.startNs, m_last);
            add(open.builder);
        }
        m_open.clear();
    }

    // No events (older logs): the conversation alone, an llm step per assistant message and a tool step per tool
    // message, untimed.
    void fromMessages()
    {
        const json& messages = JsonField::field(m_sample, "messages");
        if (!messages.is_array())
            return;
        json sent = json::array();
        for (const json& m : messages) {
            const std::string role = JsonField::text(m, "role");
            if (role == "assistant") {
                StepBuilder b = begin(StepKind::Llm, newId("message-"), m_rootId, "model");
                b.step.operation = "chat";
                b.step.model = JsonField::text(m, "model");
                b.setInputMessages(ChatPayload::input(sent));
                b.setOutputMessages(ChatPayload::output(m));
                add(b);
            } else if (role == "tool") {
                const std::string function = JsonField::text(m, "function");
                StepBuilder b = begin(StepKind::Tool, newId("message-"), m_rootId, function);
                b.step.operation = "execute_tool";
                b.step.toolName = function;
                b.step.toolCallId = JsonField::text(m, "tool_call_id");
                b.step.toolResult = contentText(JsonField::field(m, "content"));
                if (const json& error = JsonField::field(m, "error"); error.is_object()) {
                    b.step.status = StepStatus::Error;
                    const std::string kind = JsonField::text(error, "type");
                    const std::string message = JsonField::text(error, "message");
                    b.step.statusMessage = kind.empty() ? message : kind + ": " + message;
                }
                add(b);
            }
            sent.push_back(m);
        }
    }

    void addRoot()
    {
        const json& eval = JsonField::field(m_header, "eval");
        const std::string task = JsonField::text(eval, { "task", "task_id" });
        StepBuilder b = begin(StepKind::Agent, m_rootId, {},
            (task.empty() ? std::string("sample") : task) + " #"
                + StepBuilder::rawText(JsonField::field(m_sample, "id")) + " (epoch "
                + StepBuilder::rawText(JsonField::field(m_sample, "epoch")) + ")");
        Step& s = b.step;
        s.operation = "invoke_agent";
        s.agentName = task;
        s.model = JsonField::text(eval, "model");
        s.sessionId = JsonField::text(eval, "run_id");
        s.startNs = timeOf(m_sample, "started_at").value_or(m_first.value_or(0));
        s.endNs = timeOf(m_sample, "completed_at").value_or(m_last);
        if (s.endNs == 0 && s.startNs != 0)
            s.endNs = s.startNs + secondsNs(JsonField::field(m_sample, "total_time"));
        if (const json& error = JsonField::field(m_sample, "error"); !error.is_null()) {
            s.status = StepStatus::Error;
            s.statusMessage = error.is_object() ? JsonField::text(error, "message") : contentText(error);
        }
        const json& input = JsonField::field(m_sample, "input");
        if (json messages = ChatPayload::input(
                input.is_string() ? json::array({ json { { "role", "user" }, { "content", input } } }) : input);
            !messages.is_null())
            b.setInputMessages(messages);
        const json& choices = JsonField::field(JsonField::field(m_sample, "output"), "choices");
        if (choices.is_array() && !choices.empty())
            b.setOutputMessages(ChatPayload::output(JsonField::field(choices[0], "message")));
        for (const char* key : { "target", "scores", "metadata", "limit" }) {
            if (const json& value = JsonField::field(m_sample, key); !value.is_null())
                b.attributes.add(std::string("inspect.sample.") + key, value);
        }
        for (const char* key : { "task", "task_version", "model", "eval_id", "run_id", "created", "dataset" }) {
            if (const json& value = JsonField::field(eval, key); !value.is_null())
                b.attributes.add(std::string("inspect.eval.") + key, value);
        }
        if (const json& status = JsonField::field(m_header, "status"); !status.is_null())
            b.attributes.add("inspect.status", status);
        m_job.addStep(b.finish(m_job, m_where));
    }

    struct OpenSpan
    {
        StepBuilder builder;
    };

    ImportJob& m_job;
    const json& m_header;
    json m_sample;
    std::string m_traceId;
    std::string m_rootId;
    std::string m_where;
    std::map<std::string, std::string> m_spanSteps; // Inspect span id → step id
    std::map<std::string, OpenSpan> m_open;
    // Tool spans and tool events not paired yet, by calling step and function name.
    std::map<std::string, std::string> m_unfoldedSpans; // → span id
    std::map<std::string, std::string> m_unfoldedTools; // → tool step id
    std::optional<std::int64_t> m_first;
    std::int64_t m_last = 0;
    std::int64_t m_counter = 0;
};

class EvalLog final : public JsonRecordReader::Client
{
public:
    explicit EvalLog(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string& key, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        if (parent == JsonRecordReader::DocumentRole) {
            if (isArray)
                throw ImportFailure(
                    m_job.reader().location(), "expected an Inspect AI eval log object, found an array");
            return { Action::Walk, Root };
        }
        if (parent == Root) {
            if (key == "samples" && isArray)
                return { Action::Walk, Samples };
            if (key == "events" && isArray)
                return { Action::Capture, BareEvents };
            return { Action::Capture, Header };
        }
        if (parent == Samples && !isArray)
            return { Action::Capture, SampleRecord };
        return {};
    }

    void scalar(int parent, const std::string& key, json&& value) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(
                m_job.reader().location(), "expected an Inspect AI eval log object, found a bare value");
        if (parent == Root)
            m_header[key] = std::move(value);
    }

    void record(int role, const std::string& key, json&& value, std::int64_t offset) override
    {
        if (role == Header) {
            m_header[key] = std::move(value);
        } else if (role == SampleRecord) {
            ++m_samples;
            Sample(m_job, m_header, std::move(value), "byte " + std::to_string(offset)).convert();
        } else if (role == BareEvents) {
            // A bare list of events (a fixture, a transcript dump): one sample.
            ++m_samples;
            Sample(m_job, m_header, json { { "id", "events" }, { "epoch", 1 }, { "events", std::move(value) } },
                "byte " + std::to_string(offset))
                .convert();
        }
    }

    void close(int) override { }
    std::int64_t samples() const { return m_samples; }

private:
    enum Role
    {
        Root,
        Samples,
        Header,
        SampleRecord,
        BareEvents,
    };
    ImportJob& m_job;
    json m_header = json::object();
    std::int64_t m_samples = 0;
};

// The entries of an .eval archive, through libzip.
class EvalArchive
{
public:
    explicit EvalArchive(const std::string& path)
    {
        int error = 0;
        m_zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
        if (!m_zip) {
            zip_error_t reason;
            zip_error_init_with_code(&reason, error);
            const std::string message = zip_error_strerror(&reason);
            zip_error_fini(&reason);
            throw ImportFailure({}, "not a readable .eval archive (ZIP): " + message);
        }
    }
    ~EvalArchive() { zip_discard(m_zip); }
    EvalArchive(const EvalArchive&) = delete;
    EvalArchive& operator=(const EvalArchive&) = delete;

    std::vector<std::string> names() const
    {
        std::vector<std::string> out;
        const zip_int64_t count = zip_get_num_entries(m_zip, 0);
        for (zip_int64_t i = 0; i < count; ++i) {
            if (const char* name = zip_get_name(m_zip, zip_uint64_t(i), 0))
                out.emplace_back(name);
        }
        return out;
    }

    bool has(const std::string& name) const { return zip_name_locate(m_zip, name.c_str(), 0) >= 0; }

    // An entry as JSON; what is not UTF-8 is repaired first, as for every other format.
    json read(const std::string& name) const
    {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat(m_zip, name.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
            throw ImportFailure(name, "the entry cannot be read");
        constexpr zip_uint64_t MaxEntry = zip_uint64_t(2) << 30;
        if (stat.size > MaxEntry)
            throw ImportFailure(name, "the entry is larger than 2 GB");
        zip_file_t* file = zip_fopen(m_zip, name.c_str(), 0);
        if (!file)
            throw ImportFailure(name, std::string("the entry cannot be opened: ") + zip_strerror(m_zip));
        std::string bytes(std::size_t(stat.size), '\0');
        const zip_int64_t got = zip_fread(file, bytes.data(), stat.size);
        zip_fclose(file);
        if (got < 0 || zip_uint64_t(got) != stat.size)
            throw ImportFailure(name, "the entry is truncated or corrupt");
        json value = JsonField::parse(Utf8::repaired(bytes));
        if (value.is_discarded())
            throw ImportFailure(name, "the entry is not valid JSON");
        return value;
    }

private:
    zip_t* m_zip = nullptr;
};

} // namespace

int InspectEvalImporter::probe(std::string_view head) const
{
    if (head.substr(0, 4) != std::string_view("PK\x03\x04", 4))
        return 0;
    for (const char* entry : { "_journal/start.json", "header.json", "samples/", "summaries.json" }) {
        if (head.find(entry) != std::string_view::npos)
            return 90;
    }
    return 0;
}

void InspectEvalImporter::read(ImportJob& job)
{
    const EvalArchive archive(job.file());
    // header.json is written last: while a run goes on, or after a crash, the journal's start holds the header.
    json header = archive.has("header.json") ? archive.read("header.json")
        : archive.has("_journal/start.json") ? archive.read("_journal/start.json")
                                             : json::object();
    if (!header.is_object())
        throw ImportFailure("header.json", "the header is not a JSON object");
    std::int64_t samples = 0;
    for (const std::string& name : archive.names()) {
        if (job.context().cancelled())
            return;
        if (name.rfind("samples/", 0) != 0 || name.size() <= 13 || name.compare(name.size() - 5, 5, ".json") != 0)
            continue;
        json sample = archive.read(name);
        if (!sample.is_object()) {
            job.warn(name, "a sample must be a JSON object; skipped");
            continue;
        }
        ++samples;
        Sample(job, header, std::move(sample), name).convert();
    }
    if (samples == 0)
        throw ImportFailure({}, "the .eval archive has no samples (a run that has not finished one yet)");
}

int InspectAiImporter::probe(std::string_view head) const
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || head[first] != '{')
        return 0;
    const auto has = [&](const char* marker) { return head.find(marker) != std::string_view::npos; };
    if (has("\"eval\"") && has("\"task\"") && (has("\"version\"") || has("\"samples\"")))
        return 85;
    if (has("\"events\"") && has("\"span_begin\""))
        return 60;
    return 0;
}

void InspectAiImporter::read(ImportJob& job)
{
    EvalLog log(job);
    const std::int64_t values = JsonRecordReader::read(job, log);
    if (job.context().cancelled())
        return;
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    if (log.samples() == 0)
        throw ImportFailure({}, "the eval log has no samples (a log written before its samples, or a header only)");
}

} // namespace Tracelight
