#include "sweagentimporter.h"

#include "chatpayload.h"
#include "jsonrecordreader.h"
#include "stepbuilder.h"

#include <jsonfield.h>

#include <QFileInfo>
#include <QString>

#include <cmath>
#include <cstdio>

namespace Tracelight {

using nlohmann::json;

namespace {

// Seconds as a number or a numeric string ("0.11605553800109192").
std::int64_t secondsToNs(const json& value)
{
    double seconds = 0;
    if (value.is_number())
        seconds = value.get<double>();
    else if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        char* end = nullptr;
        seconds = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size())
            seconds = 0;
    }
    return std::isfinite(seconds) && seconds > 0 ? static_cast<std::int64_t>(std::llround(seconds * 1e9)) : 0;
}

std::string firstWord(std::string_view text)
{
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return {};
    const auto end = text.find_first_of(" \t\r\n", start);
    return std::string(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

class Document final : public JsonRecordReader::Client
{
public:
    explicit Document(ImportJob& job)
        : m_job(job)
    { }

    JsonRecordReader::Node open(int parent, const std::string&, bool isArray) override
    {
        using Action = JsonRecordReader::Action;
        if (parent == JsonRecordReader::DocumentRole) {
            // Early mini-swe-agent files are the bare message list.
            if (isArray)
                return { Action::Capture, BareMessages };
            return { Action::Walk, Root };
        }
        if (parent == Root)
            return { Action::Capture, Member };
        return {};
    }

    void scalar(int parent, const std::string& key, json&& value) override
    {
        if (parent == JsonRecordReader::DocumentRole)
            throw ImportFailure(
                m_job.reader().location(), "expected a SWE-agent trajectory object, found a bare value");
        if (parent == Root)
            m_file[key] = std::move(value);
    }

    void record(int role, const std::string& key, json&& value, std::int64_t) override
    {
        m_file[role == BareMessages ? std::string("messages") : key] = std::move(value);
    }

    void close(int) override { }

    void finish(const std::string& traceId, const std::string& instance);

private:
    enum Role
    {
        Root,
        Member,
        BareMessages,
    };

    void finishMini(const std::string& traceId, const std::string& instance);
    // A step of the run with its ids, kind, operation and name.
    static StepBuilder stepOf(const std::string& traceId, std::string spanId, std::string parentId, StepKind kind,
        const char* operation, std::string name);
    // The run's root, finished and added, on a resource named after the agent.
    void addRun(StepBuilder& run, const std::string& agent);

    std::string newId()
    {
        char buffer[17];
        std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(m_nextId++));
        return buffer;
    }

    ImportJob& m_job;
    json m_file = json::object();
    std::int64_t m_nextId = 1;
};

StepBuilder Document::stepOf(const std::string& traceId, std::string spanId, std::string parentId, StepKind kind,
    const char* operation, std::string name)
{
    StepBuilder b;
    b.step.traceId = traceId;
    b.step.spanId = std::move(spanId);
    b.step.parentId = std::move(parentId);
    b.step.kind = kind;
    b.step.operation = operation;
    b.step.name = std::move(name);
    return b;
}

void Document::addRun(StepBuilder& run, const std::string& agent)
{
    run.step.agentName = agent;
    auto resource = std::make_shared<Resource>();
    resource->serviceName = agent == "SWE-agent" ? "swe-agent" : agent;
    resource->attributesJson = R"([{"key":"service.name","value":{"stringValue":")" + resource->serviceName + R"("}}])";
    Step root = run.finish(m_job, "the run");
    root.resource = std::move(resource);
    m_job.addStep(std::move(root));
}

// mini-swe-agent (v1, v2 and the early bare lists): the model's messages as it saw them, each assistant message an
// llm step at extra.timestamp with extra.cost, each of its actions a tool step whose result is the next message.
void Document::finishMini(const std::string& traceId, const std::string& instance)
{
    const json& messages = m_file["messages"];
    const json& info = JsonField::field(m_file, "info");
    const std::string rootId = newId();
    const auto timeOf = [](const json& message) -> std::int64_t {
        const json& t = JsonField::field(JsonField::field(message, "extra"), "timestamp");
        return t.is_number() && t.get<double>() > 0 ? static_cast<std::int64_t>(std::llround(t.get<double>() * 1e9))
                                                    : 0;
    };
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::int64_t previous = 0;
    std::string exitStatus = JsonField::text(info, "exit_status");
    json sent = json::array();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const json& m = messages[i];
        const std::string role = JsonField::text(m, "role");
        const std::int64_t at = timeOf(m);
        if (at) {
            first = first ? std::min(first, at) : at;
            last = std::max(last, at);
        }
        if (role == "exit") {
            if (exitStatus.empty())
                exitStatus = StepBuilder::rawText(JsonField::field(m, "content"));
            continue;
        }
        if (role != "assistant") {
            sent.push_back(m);
            previous = at ? at : previous;
            continue;
        }
        const json& extra = JsonField::field(m, "extra");
        const std::string where = "message " + std::to_string(i + 1);
        StepBuilder llm = stepOf(traceId, newId(), rootId, StepKind::Llm, "chat", "turn");
        Step& l = llm.step;
        l.model = JsonField::text(JsonField::field(JsonField::field(info, "config"), "model"), "model_name");
        l.startNs = previous ? previous : at;
        l.endNs = at ? at : l.startNs;
        if (const json& cost = JsonField::field(extra, "cost"); cost.is_number() && cost.get<double>() > 0)
            l.costUsd = cost.get<double>();
        llm.setInputMessages(ChatPayload::input(sent));
        llm.setOutputMessages(ChatPayload::output(m));
        m_job.addStep(llm.finish(m_job, where));
        sent.push_back(m);
        // Its actions, each answered by the next message that is not the model's.
        const json* answer = nullptr;
        for (std::size_t j = i + 1; j < messages.size(); ++j) {
            if (JsonField::text(messages[j], "role") != "assistant") {
                answer = &messages[j];
                break;
            }
        }
        const json& actions = JsonField::field(extra, "actions");
        if (!actions.is_array())
            continue;
        for (const json& action : actions) {
            const std::string command = JsonField::text(action, "command");
            const std::string tool = firstWord(command).empty() ? std::string("bash") : firstWord(command);
            StepBuilder call = stepOf(traceId, newId(), rootId, StepKind::Tool, "execute_tool", tool);
            Step& t = call.step;
            t.toolName = tool;
            t.toolArguments = command;
            t.startNs = l.endNs;
            t.endNs = answer && timeOf(*answer) ? timeOf(*answer) : t.startNs;
            if (answer) {
                t.toolResult = StepBuilder::rawText(JsonField::field(*answer, "content"));
                const json& code = JsonField::field(JsonField::field(*answer, "extra"), "returncode");
                if (code.is_number_integer() && code.get<std::int64_t>() == 0)
                    t.status = StepStatus::Ok;
                if (code.is_number_integer() && code.get<std::int64_t>() != 0) {
                    t.status = StepStatus::Error;
                    t.statusMessage = std::to_string(code.get<std::int64_t>());
                    call.attributes.add("error.type", json(std::to_string(code.get<std::int64_t>())));
                }
            }
            m_job.addStep(call.finish(m_job, where));
        }
    }
    StepBuilder run = stepOf(traceId, rootId, {}, StepKind::Agent, "invoke_agent", instance);
    Step& r = run.step;
    r.startNs = first;
    r.endNs = last;
    if (exitStatus == "Submitted" || exitStatus == "submitted") {
        r.status = StepStatus::Ok;
    } else if (!exitStatus.empty()) {
        r.status = StepStatus::Error;
        r.statusMessage = "exit status: " + exitStatus;
    }
    const json& stats = JsonField::field(info, "model_stats");
    if (const json& cost = JsonField::field(stats, "instance_cost"); cost.is_number() && cost.get<double>() > 0)
        r.costUsd = cost.get<double>();
    run.setOutputData("swe_agent.submission", JsonField::field(info, "submission"));
    for (const char* key : { "exit_status", "model_stats", "mini_version", "config" }) {
        if (const json& value = JsonField::field(info, key); !value.is_null())
            run.attributes.add(std::string("mini_swe_agent.") + key, value);
    }
    addRun(run, "mini-swe-agent");
}

void Document::finish(const std::string& traceId, const std::string& instance)
{
    if (JsonField::field(m_file, "messages").is_array()
        && (JsonField::text(m_file, "trajectory_format").rfind("mini-swe-agent", 0) == 0
            || !JsonField::field(m_file, "trajectory").is_array()))
        return finishMini(traceId, instance);
    const json& trajectory = JsonField::field(m_file, "trajectory");
    const json& history = JsonField::field(m_file, "history");
    const json& info = JsonField::field(m_file, "info");
    if (!trajectory.is_array() && !history.is_array())
        throw ImportFailure({}, "a SWE-agent trajectory needs \"trajectory\" or \"history\"");

    // The model's turns: the history's own assistant messages (demonstrations left out), each with what was sent
    // before it; the trajectory's steps are the same turns with their observation and execution time.
    struct Turn
    {
        json input = json::array();
        const json* message = nullptr;
        const json* step = nullptr;
        std::string observation;
    };
    std::vector<Turn> turns;
    json sent = json::array();
    if (history.is_array()) {
        for (std::size_t i = 0; i < history.size(); ++i) {
            const json& m = history[i];
            if (!m.is_object())
                continue;
            const bool demo = JsonField::field(m, "is_demo").is_boolean() && m["is_demo"].get<bool>();
            if (JsonField::text(m, "role") == "assistant" && !demo) {
                Turn turn;
                turn.input = sent;
                turn.message = &m;
                // Its observation: the next message that is not the model's.
                for (std::size_t j = i + 1; j < history.size(); ++j) {
                    if (JsonField::text(history[j], "role") != "assistant") {
                        turn.observation = StepBuilder::rawText(JsonField::field(history[j], "content"));
                        break;
                    }
                }
                turns.push_back(std::move(turn));
            }
            json plain = json::object();
            for (const char* key : { "role", "content", "tool_calls", "tool_call_id", "name" }) {
                if (m.contains(key) && !m[key].is_null())
                    plain[key] = m[key];
            }
            sent.push_back(std::move(plain));
        }
    }
    if (trajectory.is_array()) {
        if (!turns.empty() && turns.size() != trajectory.size())
            m_job.warn({},
                "the history has " + std::to_string(turns.size()) + " model turns and the trajectory "
                    + std::to_string(trajectory.size()) + " steps; the steps are shown without their prompts");
        if (turns.size() != trajectory.size())
            turns.assign(trajectory.size(), Turn {});
        for (std::size_t i = 0; i < trajectory.size(); ++i)
            turns[i].step = &trajectory[i];
    }
    if (turns.empty())
        throw ImportFailure({}, "the trajectory has no steps and its history no model turn");

    // No timestamps: steps end to end from the start (1 ms in, so that the run's start is a time), said once.
    constexpr std::int64_t Origin = 1'000'000;
    m_job.warn({}, "SWE-agent trajectories have no timestamps: steps are laid end to end (synthetic timing)");
    const std::string rootId = newId();
    std::int64_t clock = Origin;
    for (std::size_t i = 0; i < turns.size(); ++i) {
        const Turn& turn = turns[i];
        const json& step = turn.step ? *turn.step : json::object();
        const json& message = turn.message ? *turn.message : json::object();
        const std::string where = "step " + std::to_string(i + 1);
        std::string response = StepBuilder::rawText(JsonField::field(step, "response"));
        if (response.empty())
            response = StepBuilder::rawText(JsonField::field(message, "content"));
        std::string action = StepBuilder::rawText(JsonField::field(step, "action"));
        if (action.empty())
            action = StepBuilder::rawText(JsonField::field(message, "action"));
        // The command's own output; a history-only file has only what the model was told next.
        const std::string observation
            = turn.step ? StepBuilder::rawText(JsonField::field(step, "observation")) : turn.observation;
        std::string tool = firstWord(action);
        if (const json& calls = JsonField::field(message, "tool_calls"); calls.is_array() && !calls.empty())
            if (const std::string name = JsonField::text(JsonField::field(calls[0], "function"), "name"); !name.empty())
                tool = name;

        StepBuilder llm = stepOf(traceId, newId(), rootId, StepKind::Llm, "chat", "turn " + std::to_string(i + 1));
        llm.step.startNs = llm.step.endNs = clock;
        if (!turn.input.empty())
            llm.setInputMessages(ChatPayload::input(turn.input));
        llm.setOutputMessages(ChatPayload::output(json { { "role", "assistant" }, { "content", response } }));
        if (const std::string thought = StepBuilder::rawText(JsonField::field(step, "thought")); !thought.empty())
            llm.attributes.add("swe_agent.thought", json(thought));
        m_job.addStep(llm.finish(m_job, where));
        if (action.empty() && observation.empty())
            continue;

        if (tool.empty())
            tool = "action";
        StepBuilder call = stepOf(traceId, newId(), rootId, StepKind::Tool, "execute_tool", tool);
        Step& t = call.step;
        t.toolName = tool;
        t.toolArguments = action;
        t.toolResult = observation;
        t.startNs = clock;
        clock += std::max<std::int64_t>(1000, secondsToNs(JsonField::field(step, "execution_time")));
        t.endNs = clock;
        if (const json& state = JsonField::field(step, "state"); !state.is_null())
            call.attributes.add("swe_agent.state", state.is_string() ? ChatPayload::decodeJsonString(state) : state);
        m_job.addStep(call.finish(m_job, where));
    }

    // The run: its exit status and the model's totals (the trajectory has no per-call usage).
    StepBuilder run = stepOf(traceId, rootId, {}, StepKind::Agent, "invoke_agent", instance);
    Step& r = run.step;
    r.startNs = Origin;
    r.endNs = std::max(clock, Origin);
    const std::string exitStatus = JsonField::text(info, "exit_status");
    if (exitStatus == "submitted") {
        r.status = StepStatus::Ok;
    } else if (!exitStatus.empty()) {
        r.status = StepStatus::Error;
        r.statusMessage = "exit status: " + exitStatus;
    }
    const json& stats = JsonField::field(info, "model_stats");
    for (const char* key : { "instance_cost", "total_cost" }) {
        if (const json& cost = JsonField::field(stats, key); cost.is_number() && !r.costUsd && cost.get<double>() > 0)
            r.costUsd = cost.get<double>();
    }
    if (const json& sent = JsonField::field(stats, "tokens_sent");
        sent.is_number_integer() && sent.get<std::int64_t>() > 0)
        r.tokens.input = sent.get<std::int64_t>();
    if (const json& received = JsonField::field(stats, "tokens_received");
        received.is_number_integer() && received.get<std::int64_t>() > 0)
        r.tokens.output = received.get<std::int64_t>();
    run.setOutputData("swe_agent.submission", JsonField::field(info, "submission"));
    for (const char* key : { "exit_status", "model_stats", "swe_agent_version", "swe_rex_version" }) {
        if (const json& value = JsonField::field(info, key); !value.is_null())
            run.attributes.add(std::string("swe_agent.") + key, value);
    }
    run.attributes.add("swe_agent.synthetic_timing", json(true));
    addRun(run, "SWE-agent");
}

} // namespace

int SweAgentImporter::probe(std::string_view head) const
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (head[first] != '{' && head[first] != '['))
        return 0;
    const auto has = [&](const char* marker) { return head.find(marker) != std::string_view::npos; };
    if (has("\"trajectory_format\"") && has("mini-swe-agent"))
        return 85;
    if (head[first] == '[')
        return has("\"role\"") && has("\"extra\"") && has("\"returncode\"") ? 60 : 0; // an early mini list
    if (has("\"trajectory\"") && (has("\"observation\"") || has("\"history\"") || has("\"thought\"")))
        return 80;
    if (has("\"history\"") && has("\"message_type\"") && has("\"agent\""))
        return 70; // a demonstration: the history alone
    if (has("\"environment\"") && has("\"history\"") && has("\"is_demo\""))
        return 70;
    return 0;
}

void SweAgentImporter::read(ImportJob& job)
{
    Document document(job);
    const std::int64_t values = JsonRecordReader::read(job, document);
    if (job.context().cancelled())
        return;
    if (values == 0)
        throw ImportFailure({}, "the file is empty");
    QString instance = QFileInfo(QString::fromStdString(job.file())).fileName();
    for (const QLatin1String suffix : { QLatin1String(".traj.json"), QLatin1String(".traj") }) {
        if (instance.endsWith(suffix)) {
            instance.chop(suffix.size());
            break;
        }
    }
    document.finish(job.reader().sha256Hex().substr(0, 32), instance.toStdString());
}

} // namespace Tracelight
