#include "claudecodesession.h"
#include "claudecodesessionparts.h"

#include "messages.h"

#include <algorithm>

// What ClaudeCodeSession emits once lines are read: merged model responses, sub-agents, summaries, the root.

namespace Tracelight {

using namespace AgentLog;

namespace {

std::string providerFor(const std::string& messageId, const std::string& model)
{
    if (messageId.rfind("msg_bdrk_", 0) == 0 || model.find("anthropic.") != std::string::npos)
        return "aws.bedrock";
    if (messageId.rfind("msg_vrtx_", 0) == 0)
        return "gcp.vertex_ai";
    return "anthropic";
}

} // namespace

void ClaudeCodeSession::flushLlms(const Context& context)
{
    for (auto& [key, llm] : m_llms) {
        if (llm.emitted || llm.context != &context)
            continue;
        llm.emitted = true;
        Step step = m_out.make(
            StepKind::Llm, llm.spanId, llm.parent, llmStepName(llm.text, llm.toolNames), llm.startNs, llm.lastLine);
        step.endNs = std::max(llm.endNs, llm.startNs);
        step.operation = "chat";
        step.model = llm.model;
        step.provider = providerFor(llm.messageId, llm.model);
        if (llm.usage.is_object()) {
            // Anthropic reports the uncached part of the prompt; our input tokens include the cached parts.
            const std::int64_t uncached = integer(llm.usage, "input_tokens").value_or(0);
            const std::int64_t cacheRead = integer(llm.usage, "cache_read_input_tokens").value_or(0);
            const std::int64_t cacheWrite = integer(llm.usage, "cache_creation_input_tokens").value_or(0);
            step.tokens.input = uncached + cacheRead + cacheWrite;
            step.tokens.output = integer(llm.usage, "output_tokens").value_or(0);
            step.tokens.cacheRead = cacheRead;
            step.tokens.cacheWrite = cacheWrite;
        }
        json output = message("assistant", llm.parts);
        if (!llm.stopReason.empty())
            output["finish_reason"] = llm.stopReason;
        setOutputMessages(step, json::array({ std::move(output) }));
        Attributes attributes;
        attributes.add("gen_ai.operation.name", "chat")
            .add("gen_ai.response.id", llm.messageId)
            .add("gen_ai.response.model", llm.model)
            .add("claude_code.request_id", llm.requestId)
            .add("gen_ai.response.finish_reasons", llm.stopReason)
            .addJson("claude_code.usage", llm.usage);
        if (llm.signatures > 0)
            attributes.add("claude_code.thinking.signed_blocks", llm.signatures);
        if (llm.redacted > 0)
            attributes.add("claude_code.thinking.redacted_blocks", llm.redacted);
        step.attributesJson = attributes.dump();
        m_out.addStep(std::move(step));
    }
}

void ClaudeCodeSession::emitAgents()
{
    std::set<std::string> ids;
    for (const auto& [id, context] : m_agents)
        ids.insert(id);
    for (const auto& [id, tool] : m_spawnedAgents)
        ids.insert(id);
    for (const std::string& id : ids) {
        const auto contextIt = m_agents.find(id);
        const Context* context = contextIt == m_agents.end() ? nullptr : contextIt->second.get();
        std::string toolId;
        if (const auto spawned = m_spawnedAgents.find(id); spawned != m_spawnedAgents.end())
            toolId = spawned->second;
        else if (context)
            toolId = text(context->meta, "toolUseId");
        const auto spawnIt = m_spawnsByTool.find(toolId);
        const Spawn* spawn = spawnIt == m_spawnsByTool.end() ? nullptr : &spawnIt->second;
        std::string type = spawn ? spawn->subagentType : std::string();
        if (type.empty() && context)
            type = text(context->meta, "agentType");
        std::string description = spawn ? spawn->description : std::string();
        if (description.empty() && context)
            description = text(context->meta, "description");
        const std::string prompt = context && !context->prompt.empty() ? context->prompt : spawn ? spawn->prompt : "";
        std::string name = type.empty() ? "sub-agent " + id : type;
        if (!description.empty())
            name += ": " + excerpt(description, 70);
        else if (prompt == "Warmup")
            name += " (warm-up)";
        const std::int64_t start = context && context->firstNs ? context->firstNs : spawn ? spawn->startNs : 0;
        std::int64_t end = context ? context->lastNs : 0;
        if (!context && spawn)
            end = spawn->endNs;
        // Without a spawning call (warm-up agents, asides), the agent hangs under the session itself.
        Step agent
            = m_out.make(StepKind::Agent, "agent-" + id, toolId.empty() ? std::string(rootId) : toolId, name, start,
                context     ? context->lines
                    : spawn ? spawn->resultLine
                            : 0);
        agent.endNs = std::max(end, start);
        agent.operation = "invoke_agent";
        agent.agentName = type.empty() ? "sub-agent" : type;
        agent.model = context ? context->model : std::string();
        if (!prompt.empty())
            setInputMessages(
                agent, json::array({ message("user", json::array({ Messages::textPart(prompt) })) }), prompt);
        const std::string output = context && !context->lastText.empty() ? context->lastText
            : spawn                                                      ? spawn->resultText
                                                                         : std::string();
        if (!output.empty())
            setOutputMessages(
                agent, json::array({ message("assistant", json::array({ Messages::textPart(output) })) }));
        Attributes attributes;
        attributes.add("gen_ai.agent.id", id).add("gen_ai.agent.name", agent.agentName);
        attributes.add("claude_code.agent.transcript",
            context && context->hasTranscript ? context->file : std::string("not found next to the session"));
        if (!toolId.empty())
            attributes.add("claude_code.agent.spawned_by", toolId);
        if (spawn && spawn->result.is_object()) {
            for (const char* key : { "status", "totalDurationMs", "totalTokens", "totalToolUseCount" })
                attributes.addJson(std::string("claude_code.agent.") + key, spawn->result.value(key, json()));
        }
        agent.attributesJson = attributes.dump();
        if (spawn && spawn->result.is_object() && text(spawn->result, "status") == "failed")
            agent.status = StepStatus::Error;
        m_out.addStep(std::move(agent));
    }
}

void ClaudeCodeSession::finish()
{
    m_turns.close();
    for (auto& [id, agent] : m_agents)
        flushLlms(*agent);
    flushLlms(*m_main);
    // Calls without a result: the session is still running, or it stopped there. They stay open.
    for (auto& [id, tool] : m_openTools) {
        tool.step.attributesJson = tool.attributes.dump();
        m_out.addStep(std::move(tool.step));
    }
    m_openTools.clear();
    emitAgents();
    for (const Summary& summary : m_summaries) {
        const auto leaf = m_uuidTimes.find(summary.leafUuid);
        const std::int64_t ts = leaf != m_uuidTimes.end() && leaf->second > 0 ? leaf->second : m_out.firstNs();
        Step event = m_out.make(StepKind::Event, "summary-L" + std::to_string(summary.lineNo), std::string(rootId),
            "summary: " + excerpt(summary.text, 70), ts, summary.lineNo);
        event.endNs = ts;
        event.operation = "summary";
        setOutputMessages(event, json::array({ message("system", json::array({ Messages::textPart(summary.text) })) }));
        event.attributesJson = Attributes()
                                   .add("claude_code.summary.leaf_uuid", summary.leafUuid)
                                   .addBool("claude_code.summary.leaf_in_session", leaf != m_uuidTimes.end())
                                   .dump();
        m_out.addStep(std::move(event));
    }
    // A sub-agent transcript imported on its own: its agent step waits under the session's root, which the
    // session's own import brings.
    if ((m_out.emitted() == 0 && m_sessionId.empty()) || isSubagentFile())
        return;
    std::string name = !m_title.empty() ? m_title : !m_firstPrompt.empty() ? m_firstPrompt : std::string();
    name = name.empty() ? "Claude Code session " + m_sessionId.substr(0, 8) : excerpt(name, 100);
    Step root = m_out.make(StepKind::Agent, std::string(rootId), {}, name, m_out.firstNs(), m_totalLines);
    root.endNs = std::max(m_out.lastNs(), m_out.firstNs());
    root.operation = "invoke_agent";
    root.agentName = "Claude Code";
    root.agentVersion = m_version;
    if (!m_firstPrompt.empty())
        setInputMessages(
            root, json::array({ message("user", json::array({ Messages::textPart(m_firstPrompt) })) }), m_firstPrompt);
    Attributes attributes;
    attributes.add("gen_ai.agent.name", "Claude Code")
        .add("gen_ai.conversation.id", m_sessionId)
        .add("claude_code.version", m_version)
        .add("claude_code.cwd", m_cwd)
        .add("claude_code.git_branch", m_gitBranch)
        .add("claude_code.slug", m_slug)
        .add("claude_code.turns", m_turns.count())
        .add("claude_code.records", m_records);
    for (const auto& [type, count] : m_skippedTypes)
        attributes.add("claude_code.skipped." + type, count);
    root.attributesJson = attributes.dump();
    m_out.addStep(std::move(root));
}

} // namespace Tracelight
