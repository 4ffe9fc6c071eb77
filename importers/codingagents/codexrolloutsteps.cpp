#include "codexrollout.h"
#include "codexrolloutparts.h"

#include "attributeview.h"
#include "messages.h"

#include <algorithm>

// The steps CodexRollout makes: prompts, turns, tool calls, model responses, events, sub-agents and the session.

namespace Tracelight {

using namespace AgentLog;
using CodexDetail::messageParts;

namespace {

// "Process exited with code 2" in a unified exec result.
std::optional<std::int64_t> exitCodeIn(const std::string& output)
{
    const std::string marker = "Process exited with code ";
    const auto at = output.find(marker);
    if (at == std::string::npos || at > 400)
        return std::nullopt;
    std::int64_t code = 0;
    std::size_t i = at + marker.size();
    if (i >= output.size() || !std::isdigit(static_cast<unsigned char>(output[i])))
        return std::nullopt;
    for (; i < output.size() && std::isdigit(static_cast<unsigned char>(output[i])); ++i)
        code = code * 10 + (output[i] - '0');
    return code;
}

} // namespace

json CodexDetail::messageParts(const json& content, std::string& joined)
{
    json parts = json::array();
    for (const json& item : content.is_array() ? content : json::array()) {
        const std::string type = text(item, "type");
        if (type == "input_text" || type == "output_text" || type == "text") {
            const std::string piece = text(item, "text");
            parts.push_back(Messages::textPart(piece));
            joined += (joined.empty() ? "" : "\n") + piece;
        } else if (type == "input_image") {
            parts.push_back(
                Messages::omittedMediaPart("image", {}, static_cast<std::int64_t>(text(item, "image_url").size())));
        }
    }
    return parts;
}

void CodexRollout::addHuman(File& file, const std::string& message, json parts, std::int64_t ts, std::int64_t lineNo)
{
    // The prompt is written twice, as a response item and as a user_message event, a line apart.
    if (message == file.lastHumanText && lineNo - file.lastHumanLine <= 4)
        return;
    file.lastHumanText = message;
    file.lastHumanLine = lineNo;
    if (file.groupOpen && !file.sawTokenCount)
        closeGroup(file, json(), ts, lineNo);
    file.lastInputNs = ts;
    if (file.isChild) {
        // In a sub-agent's thread, user messages come from the parent agent.
        if (file.prompt.empty())
            file.prompt = message;
        else
            emitEvent(file, lineNo, "message to the sub-agent", ts, message, false);
        return;
    }
    if (!file.sawTaskStarted)
        beginTurn(file, {}, ts, lineNo); // rollouts without task events: a prompt starts a turn
    if (file.firstPrompt.empty())
        file.firstPrompt = message;
    Step human
        = m_out.make(StepKind::Human, file.lineId(lineNo), file.turns->parent(), excerpt(message, 80), ts, lineNo);
    human.endNs = ts;
    human.operation = "user_prompt";
    setInputMessages(human, json::array({ AgentLog::message("user", std::move(parts)) }), message);
    m_out.addStep(std::move(human));
}

void CodexRollout::beginTurn(File& file, const std::string& turnId, std::int64_t ts, std::int64_t lineNo)
{
    endTurn(file);
    file.turns->begin(turnId.empty() ? file.idPrefix + "turn-L" + std::to_string(lineNo) : turnId, ts, lineNo);
}

void CodexRollout::endTurn(File& file)
{
    if (file.groupOpen)
        closeGroup(file, json(), 0, 0);
    flushTools(file);
    file.turns->close();
}

void CodexRollout::openTool(File& file, const std::string& id, const std::string& name, const json& arguments,
    std::string rawArguments, std::int64_t ts, std::int64_t lineNo)
{
    if (file.tools.count(id))
        return;
    Tool tool;
    tool.step = m_out.make(StepKind::Tool, id, file.turns->parent(), toolStepName(name, arguments), ts, lineNo);
    tool.step.operation = "execute_tool";
    tool.step.toolName = name;
    tool.step.toolCallId = id;
    tool.step.toolArguments = capText(std::move(rawArguments));
    tool.attributes.add("gen_ai.tool.name", name).add("gen_ai.tool.call.id", id);
    file.tools.emplace(id, std::move(tool));
}

void CodexRollout::completeTool(File& file, const json& item, std::int64_t ts, std::int64_t lineNo)
{
    std::string id = text(item, "call_id");
    if (id.empty())
        id = "call-" + file.lineId(lineNo);
    auto it = file.tools.find(id);
    if (it == file.tools.end()) {
        openTool(file, id, {}, json(), {}, ts, lineNo);
        it = file.tools.find(id);
        it->second.step.name = "tool result (call not in this log)";
    }
    Tool& tool = it->second;
    const json& output = field(item, "output");
    std::string result;
    std::optional<std::int64_t> exitCode;
    if (output.is_string()) {
        result = output.get<std::string>();
        // Some tools answer with JSON text: {"output": …, "metadata": {"exit_code": 0, "duration_seconds": 0.9}}.
        if (const auto parsed = AttributeView::parseJsonText(result);
            parsed && parsed->is_object() && member(*parsed, "output")) {
            const json metadata = parsed->value("metadata", json::object());
            exitCode = integer(metadata, "exit_code");
            if (const json* seconds = member(metadata, "duration_seconds"); seconds && seconds->is_number())
                tool.attributes.add("codex.tool.duration_ms", std::int64_t(seconds->get<double>() * 1000));
            result = (*parsed)["output"].is_string() ? (*parsed)["output"].get<std::string>()
                                                     : Messages::dump((*parsed)["output"]);
        } else {
            exitCode = exitCodeIn(result);
        }
    } else if (output.is_array()) {
        std::string joined;
        messageParts(output, joined);
        result = joined;
    } else if (output.is_object()) {
        result = member(output, "content") ? contentText(output["content"]) : Messages::dump(output);
        if (output.value("success", true) == false)
            exitCode = 1;
    }
    tool.step.toolResult = capText(result);
    if (tool.step.toolResult.size() != result.size())
        tool.attributes.add("tracelight.tool_result.bytes", static_cast<std::int64_t>(result.size()));
    tool.step.endNs = std::max(ts, tool.step.startNs);
    tool.step.revision = std::max(tool.step.revision, lineNo);
    if (exitCode)
        tool.attributes.add("codex.tool.exit_code", *exitCode);
    if (exitCode && *exitCode != 0) {
        tool.step.status = StepStatus::Error;
        tool.step.statusMessage = "exit code " + std::to_string(*exitCode);
    } else if (tool.step.status != StepStatus::Error) {
        tool.step.status = StepStatus::Ok;
    }
    if (tool.step.toolName == "spawn_agent") {
        const json answer = parseArguments(result);
        for (const char* key : { "agent_id", "thread_id", "id" }) {
            if (const std::string thread = text(answer, key); !thread.empty()) {
                file.spawnedThreads[id] = thread;
                break;
            }
        }
    }
}

void CodexRollout::groupItem(File& file, std::int64_t ts, std::int64_t lineNo)
{
    if (!file.groupOpen) {
        file.groupOpen = true;
        file.groupFirstLine = lineNo;
        file.groupStartNs = file.lastInputNs > 0 && file.lastInputNs <= ts ? file.lastInputNs : ts;
        file.groupEndNs = ts;
        file.groupParts = json::array();
        file.groupText.clear();
        file.groupTools.clear();
        file.groupEncrypted = 0;
    }
    file.groupEndNs = std::max(file.groupEndNs, ts);
}

void CodexRollout::closeGroup(File& file, const json& usage, std::int64_t ts, std::int64_t lineNo)
{
    if (!file.groupOpen && !usage.is_object())
        return;
    if (!file.groupOpen)
        groupItem(file, ts, lineNo); // usage without output items: still a model call
    file.groupOpen = false;
    const std::int64_t revision = std::max(lineNo, file.groupFirstLine);
    Step llm = m_out.make(StepKind::Llm, file.lineId(file.groupFirstLine), file.turns->parent(),
        llmStepName(file.groupText, file.groupTools), file.groupStartNs, revision);
    llm.endNs = std::max({ file.groupEndNs, ts, file.groupStartNs });
    llm.operation = "chat";
    llm.model = file.model;
    llm.provider
        = text(file.meta, "model_provider").empty() ? std::string("openai") : text(file.meta, "model_provider");
    if (usage.is_object()) {
        // Codex already counts like our model: input includes the cached part, output includes reasoning.
        llm.tokens.input = integer(usage, "input_tokens").value_or(0);
        llm.tokens.output = integer(usage, "output_tokens").value_or(0);
        llm.tokens.cacheRead = integer(usage, "cached_input_tokens").value_or(0);
        llm.tokens.reasoning = integer(usage, "reasoning_output_tokens").value_or(0);
    }
    setOutputMessages(llm, json::array({ message("assistant", std::move(file.groupParts)) }));
    file.groupParts = json::array();
    Attributes attributes;
    attributes.add("gen_ai.operation.name", "chat")
        .add("gen_ai.request.model", file.model)
        .add("codex.reasoning_effort", file.effort)
        .addJson("codex.usage", usage);
    if (file.groupEncrypted > 0)
        attributes.add("codex.reasoning.encrypted_items", file.groupEncrypted);
    llm.attributesJson = attributes.dump();
    m_out.addStep(std::move(llm));
}

void CodexRollout::flushTools(File& file)
{
    for (auto& [id, tool] : file.tools) {
        if (tool.step.toolName == "spawn_agent")
            file.spawnTimes[id] = { tool.step.startNs, tool.step.endNs };
        if (const auto thread = file.spawnedThreads.find(id); thread != file.spawnedThreads.end())
            tool.attributes.add("codex.agent.thread_id", thread->second);
        tool.step.attributesJson = tool.attributes.dump();
        m_out.addStep(std::move(tool.step));
    }
    file.tools.clear();
}

void CodexRollout::emitEvent(File& file, std::int64_t lineNo, std::string name, std::int64_t ts,
    const std::string& body, bool error, Attributes attributes)
{
    Step event = m_out.make(StepKind::Event, file.lineId(lineNo), file.turns->parent(), std::move(name), ts, lineNo);
    event.endNs = ts;
    event.operation = "event";
    if (!body.empty())
        setOutputMessages(
            event, json::array({ message("system", json::array({ Messages::textPart(capText(body)) })) }));
    if (error) {
        event.status = StepStatus::Error;
        event.statusMessage = body.empty() ? event.name : excerpt(body, 200);
    }
    event.attributesJson = attributes.dump();
    m_out.addStep(std::move(event));
}

void CodexRollout::emitAgent(const File& child, const std::string& spawnCallId)
{
    const json spawn = child.meta.value("source", json::object()).is_object()
        ? child.meta.value("source", json::object())
              .value("subagent", json::object())
              .value("thread_spawn", json::object())
        : json::object();
    std::string role = text(child.meta, "agent_role");
    if (role.empty())
        role = text(spawn, "agent_role");
    std::string nickname = text(child.meta, "agent_nickname");
    if (nickname.empty())
        nickname = text(spawn, "agent_nickname");
    const std::string agentName = !nickname.empty() ? nickname : !role.empty() ? role : std::string("sub-agent");
    const std::string prompt = !child.prompt.empty() ? child.prompt : child.firstPrompt;
    std::string name = agentName == "sub-agent" ? "sub-agent " + child.threadId.substr(0, 8) : agentName;
    if (!prompt.empty())
        name += ": " + excerpt(prompt, 70);
    Step agent = m_out.make(StepKind::Agent, "agent-" + child.threadId,
        spawnCallId.empty() ? std::string(rootId) : spawnCallId, name, child.firstNs, child.lines);
    agent.endNs = std::max(child.lastNs, child.firstNs);
    agent.operation = "invoke_agent";
    agent.agentName = agentName;
    agent.model = child.model;
    if (!prompt.empty())
        setInputMessages(agent, json::array({ message("user", json::array({ Messages::textPart(prompt) })) }), prompt);
    if (!child.lastAgentText.empty())
        setOutputMessages(
            agent, json::array({ message("assistant", json::array({ Messages::textPart(child.lastAgentText) })) }));
    Attributes attributes;
    attributes.add("gen_ai.agent.id", child.threadId)
        .add("gen_ai.agent.name", agentName)
        .add("codex.agent.role", role)
        .add("codex.agent.rollout", child.path.empty() ? std::string("not found near the session") : child.path)
        .add("codex.agent.spawned_by", spawnCallId)
        .add("codex.agent.depth", integer(spawn, "depth").value_or(child.depth));
    if (child.replayedLines > 0)
        attributes.add("codex.agent.replayed_parent_lines", child.replayedLines);
    agent.attributesJson = attributes.dump();
    m_out.addStep(std::move(agent));
}

void CodexRollout::finish()
{
    if (m_main->isChild) {
        emitAgent(*m_main, {}); // joins its session's root once that is imported
        return;
    }
    const std::string prompt = m_main->firstPrompt;
    const std::string name = prompt.empty() ? "Codex session " + m_main->threadId.substr(0, 8) : excerpt(prompt, 100);
    Step root = m_out.make(StepKind::Agent, std::string(rootId), {}, name, m_out.firstNs(), m_totalLines);
    root.endNs = std::max(m_out.lastNs(), m_out.firstNs());
    root.operation = "invoke_agent";
    root.agentName = "Codex CLI";
    root.agentVersion = text(m_main->meta, "cli_version");
    if (!prompt.empty())
        setInputMessages(root, json::array({ message("user", json::array({ Messages::textPart(prompt) })) }), prompt);
    const json& meta = m_main->meta;
    Attributes attributes;
    attributes.add("gen_ai.agent.name", "Codex CLI")
        .add("gen_ai.conversation.id", m_main->threadId)
        .add("codex.cli_version", text(meta, "cli_version"))
        .add("codex.originator", text(meta, "originator"))
        .add("codex.cwd", text(meta, "cwd"))
        .add("codex.model_provider", text(meta, "model_provider"))
        .add("codex.forked_from_id", text(meta, "forked_from_id"))
        .addJson("codex.source", meta.value("source", json()))
        .addJson("codex.git", meta.value("git", json()))
        .add("codex.turns", m_main->turns->count());
    if (m_main->replayedLines > 0)
        attributes.add("codex.replayed_lines", m_main->replayedLines);
    root.attributesJson = attributes.dump();
    m_out.addStep(std::move(root));
}

} // namespace Tracelight
