#include "geminiconversation.h"

#include <jsonfield.h>

#include "messages.h"

#include <algorithm>

namespace Tracelight::Gemini {

using namespace AgentLog;

namespace {

std::string resultText(const json& toolCall)
{
    std::string out;
    for (const json& part : array(toolCall, "result")) {
        const json response = part.value("functionResponse", json::object()).value("response", json());
        const json value = member(response, "output") ? response["output"]
            : member(response, "error")               ? response["error"]
                                                      : response;
        if (value.is_null())
            continue;
        if (!out.empty())
            out += '\n';
        out += value.is_string() ? value.get<std::string>() : Messages::dump(value);
    }
    if (out.empty() && member(toolCall, "resultDisplay") && toolCall["resultDisplay"].is_string())
        out = toolCall["resultDisplay"].get<std::string>();
    return out;
}

} // namespace

void Conversation::upsert(json message, std::int64_t revision)
{
    const std::string id = text(message, "id");
    if (const auto it = m_index.find(id); !id.empty() && it != m_index.end()) {
        messages[it->second] = std::move(message);
        revisions[it->second] = revision;
        return;
    }
    if (!id.empty())
        m_index.emplace(id, messages.size());
    messages.push_back(std::move(message));
    revisions.push_back(revision);
}

void Conversation::rewindTo(const std::string& id)
{
    const auto it = m_index.find(id);
    const std::size_t keep = it == m_index.end() ? 0 : it->second;
    messages.resize(keep);
    revisions.resize(keep);
    for (auto entry = m_index.begin(); entry != m_index.end();)
        entry = entry->second >= keep ? m_index.erase(entry) : std::next(entry);
}

Conversation readJsonl(ImportJob& job, ChunkReader& reader, const std::string& file)
{
    Conversation conversation;
    JsonLineReader lines(job, reader, file);
    json line;
    bool first = true;
    while (lines.next(line)) {
        if (first && member(line, "sessionId") && !member(line, "type")) {
            conversation.meta = line;
        } else if (const json* set = member(line, "$set"); set && set->is_object()) {
            for (auto it = set->begin(); it != set->end(); ++it) {
                if (it.key() == "messages" && it.value().is_array()) {
                    conversation.rewindTo({}); // the whole list, replaced
                    for (const json& message : it.value())
                        conversation.upsert(message, lines.line());
                } else {
                    conversation.meta[it.key()] = it.value();
                }
            }
        } else if (const json* rewind = member(line, "$rewindTo")) {
            conversation.rewindTo(rewind->is_string() ? rewind->get<std::string>() : std::string());
        } else if (member(line, "type")) {
            conversation.upsert(std::move(line), lines.line());
        }
        first = false;
    }
    conversation.lines = lines.lines();
    return conversation;
}

Conversation readJson(ImportJob& job)
{
    ChunkReader& reader = job.reader();
    std::string all;
    std::string line;
    while (reader.readLine(line)) {
        all += line;
        all += '\n';
        if (job.context().cancelled())
            return {};
    }
    Conversation conversation;
    try {
        if (JsonField::nestedDeeperThan(all))
            throw ImportFailure(
                "byte 0", "the JSON nests deeper than " + std::to_string(JsonField::MaxNesting) + " levels");
        json document = json::parse(all);
        if (!document.is_object())
            throw ImportFailure("byte 0", "a Gemini CLI session is one JSON object");
        if (document.contains("messages") && document["messages"].is_array()) {
            for (json& message : document["messages"])
                conversation.upsert(std::move(message), static_cast<std::int64_t>(conversation.messages.size()) + 1);
        }
        document.erase("messages");
        conversation.meta = std::move(document);
        conversation.lines = static_cast<std::int64_t>(conversation.messages.size());
    } catch (const json::parse_error& error) {
        const auto byte = static_cast<std::int64_t>(error.byte);
        const std::int64_t lineNo
            = std::count(all.begin(), all.begin() + std::min<std::int64_t>(byte, all.size()), '\n') + 1;
        std::string message = error.what();
        if (const auto colon = message.find(": ", message.find("column ")); colon != std::string::npos)
            message = message.substr(colon + 2);
        if (byte >= static_cast<std::int64_t>(all.size()))
            message = "the file ends in the middle of its JSON (truncated?): " + message;
        throw ImportFailure("line " + std::to_string(lineNo) + " (byte " + std::to_string(byte) + ")", message);
    }
    return conversation;
}

ConversationWriter::ConversationWriter(SessionOutput& out, std::string topParent, std::string idPrefix, bool isSubagent)
    : m_out(out)
    , m_turns(out, topParent)
    , m_topParent(std::move(topParent))
    , m_prefix(std::move(idPrefix))
    , m_isSubagent(isSubagent)
{ }

void ConversationWriter::write(const Conversation& conversation)
{
    std::int64_t lastInput = 0;
    for (std::size_t i = 0; i < conversation.messages.size(); ++i) {
        const json& message = conversation.messages[i];
        const std::int64_t revision = conversation.revisions[i];
        const std::int64_t ts = timestampOf(message);
        if (ts > 0) {
            firstNs = firstNs == 0 ? ts : std::min(firstNs, ts);
            lastNs = std::max(lastNs, ts);
        }
        const std::string type = text(message, "type");
        const std::string id = text(message, "id").empty() ? m_prefix + "M" + std::to_string(i) : text(message, "id");
        const std::string body = contentText(message.value("content", json()));
        if (type == "user") {
            writeUser(id, body, ts, revision);
            lastInput = ts;
        } else if (type == "gemini") {
            lastInput = writeResponse(message, id, body, lastInput, ts, revision);
        } else {
            Step event
                = m_out.make(StepKind::Event, id, m_turns.parent(), type + ": " + excerpt(body, 60), ts, revision);
            event.endNs = ts;
            event.operation = "event";
            setOutputMessages(
                event, json::array({ AgentLog::message("system", json::array({ Messages::textPart(body) })) }));
            if (type == "error") {
                event.status = StepStatus::Error;
                event.statusMessage = excerpt(body, 200);
            }
            m_out.addStep(std::move(event));
        }
        m_turns.touch(std::max(ts, lastInput), revision);
    }
    m_turns.close();
}

void ConversationWriter::writeUser(
    const std::string& id, const std::string& body, std::int64_t ts, std::int64_t revision)
{
    if (m_isSubagent) {
        if (firstPrompt.empty())
            firstPrompt = body; // written by the parent agent
        return;
    }
    if (firstPrompt.empty())
        firstPrompt = body;
    m_turns.begin("turn-" + id, ts, revision);
    const auto logged = promptIds.find(id);
    Step human = m_out.make(StepKind::Human, logged == promptIds.end() ? id : logged->second, m_turns.parent(),
        excerpt(body, 80), ts, revision);
    human.endNs = ts;
    human.operation = "user_prompt";
    setInputMessages(
        human, json::array({ AgentLog::message("user", json::array({ Messages::textPart(body) })) }), body);
    human.attributesJson = Attributes().add("gemini_cli.message_id", id).dump();
    m_out.addStep(std::move(human));
}

std::int64_t ConversationWriter::writeResponse(const json& message, const std::string& id, const std::string& body,
    std::int64_t lastInput, std::int64_t ts, std::int64_t revision)
{
    json parts = json::array();
    for (const json& thought : array(message, "thoughts")) {
        const std::string subject = text(thought, "subject");
        const std::string description = text(thought, "description");
        parts.push_back(Messages::reasoningPart(subject.empty() ? description : subject + ": " + description));
    }
    if (!body.empty())
        parts.push_back(Messages::textPart(body));
    std::vector<std::string> toolNames;
    std::int64_t next = ts;
    const json calls = message.value("toolCalls", json::array());
    for (const json& call : calls.is_array() ? calls : json::array()) {
        const std::string name = text(call, "name");
        parts.push_back(Messages::toolCallPart(text(call, "id"), name, call.value("args", json::object())));
        toolNames.push_back(name);
        next = std::max(next, writeTool(call, ts, revision));
    }
    Step llm = m_out.make(StepKind::Llm, id, m_turns.parent(), llmStepName(body, toolNames),
        lastInput > 0 && lastInput <= ts ? lastInput : ts, revision);
    llm.endNs = ts;
    llm.operation = "chat";
    llm.model = text(message, "model");
    llm.provider = "gcp.gemini";
    if (const json* tokens = member(message, "tokens"); tokens && tokens->is_object()) {
        // Gemini's prompt count includes the cached part; thoughts are counted apart from the output.
        const std::int64_t thoughts = integer(*tokens, "thoughts").value_or(0);
        llm.tokens.input = integer(*tokens, "input").value_or(0) + integer(*tokens, "tool").value_or(0);
        llm.tokens.output = integer(*tokens, "output").value_or(0) + thoughts;
        llm.tokens.cacheRead = integer(*tokens, "cached").value_or(0);
        llm.tokens.reasoning = thoughts;
    }
    setOutputMessages(llm, json::array({ AgentLog::message("assistant", std::move(parts)) }));
    llm.attributesJson = Attributes()
                             .add("gen_ai.operation.name", "chat")
                             .add("gen_ai.response.model", llm.model)
                             .addJson("gemini_cli.tokens", message.value("tokens", json()))
                             .dump();
    if (!llm.model.empty())
        model = llm.model;
    if (!body.empty())
        lastText = body;
    m_out.addStep(std::move(llm));
    return next;
}

std::int64_t ConversationWriter::writeTool(const json& call, std::int64_t responseNs, std::int64_t revision)
{
    const std::string id = text(call, "id");
    const std::string name = text(call, "name");
    const json args = call.value("args", json::object());
    std::int64_t ts = timestampOf(call);
    if (ts == 0)
        ts = responseNs;
    // The log keeps one time per call and no duration.
    Step tool = m_out.make(StepKind::Tool, id, m_turns.parent(), toolStepName(name, args), ts, revision);
    tool.endNs = ts;
    tool.operation = "execute_tool";
    tool.toolName = name;
    tool.toolCallId = id;
    tool.toolArguments = capText(Messages::dump(args));
    const std::string result = resultText(call);
    tool.toolResult = capText(result);
    const std::string status = text(call, "status");
    tool.status = status == "success"                ? StepStatus::Ok
        : status == "error" || status == "cancelled" ? StepStatus::Error
                                                     : StepStatus::Unset;
    if (tool.status == StepStatus::Error)
        tool.statusMessage = status + (result.empty() ? "" : ": " + excerpt(result, 200));
    if (status != "success" && status != "error" && status != "cancelled")
        tool.endNs = 0; // still running when the log was written
    tool.attributesJson = Attributes()
                              .add("gen_ai.tool.name", name)
                              .add("gen_ai.tool.call.id", id)
                              .add("gemini_cli.tool.status", status)
                              .add("gemini_cli.tool.display_name", text(call, "displayName"))
                              .add("gemini_cli.agent_id", text(call, "agentId"))
                              .dump();
    if (!text(call, "agentId").empty())
        agentCalls[text(call, "agentId")] = id;
    if (name == "delegate_to_agent") {
        // Builds of early 2026 keep only the sub-agent's final answer, inside the call.
        const std::string agentName = text(args, "agent_name").empty() ? "sub-agent" : text(args, "agent_name");
        const std::string objective = text(args, "objective");
        Step agent = m_out.make(StepKind::Agent, "agent-" + id, id,
            agentName + (objective.empty() ? "" : ": " + excerpt(objective, 70)), ts, revision);
        agent.endNs = tool.endNs;
        agent.operation = "invoke_agent";
        agent.agentName = agentName;
        agent.status = tool.status;
        if (!objective.empty())
            setInputMessages(agent,
                json::array({ AgentLog::message("user", json::array({ Messages::textPart(objective) })) }), objective);
        setOutputMessages(agent,
            json::array({ AgentLog::message("assistant", json::array({ Messages::textPart(capText(result)) })) }));
        agent.attributesJson = Attributes()
                                   .add("gen_ai.agent.name", agentName)
                                   .add("gemini_cli.agent.transcript", "not recorded (final answer only)")
                                   .dump();
        m_out.addStep(std::move(agent));
    }
    const std::int64_t end = tool.endNs;
    m_out.addStep(std::move(tool));
    return end;
}

} // namespace Tracelight::Gemini
