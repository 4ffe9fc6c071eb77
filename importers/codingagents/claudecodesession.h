#pragma once

#include "agentlog.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace Tracelight {

// Turns the lines of one Claude Code session, and of its sub-agent transcripts, into steps
// (coding-agent-logs.md sections 1 and 7):
//   session (agent) → turn N (chain) → prompt (human), model responses (llm), tool calls (tool), events
//   Task/Agent tool call → sub-agent (agent) → its model responses and tool calls
// Step ids come from the log itself (line uuids, message ids, tool_use ids), so importing a session again after it
// grew adds only what is new. One API response is written as one line per content block, each repeating the
// message id and the usage: the lines are merged into one llm step whose usage is counted once.
class ClaudeCodeSession
{
public:
    explicit ClaudeCodeSession(ImportJob& job);
    ~ClaudeCodeSession();

    // The session file itself (the job's reader).
    void readSession();
    // A sub-agent transcript (agent-<id>.jsonl) with its optional agent-<id>.meta.json sidecar.
    void readAgentFile(const std::string& path);
    // Emits what waited for the end: open tool calls, the sub-agent steps, summaries, the session root.
    void finish();

    const std::string& sessionId() const { return m_sessionId; }
    // The file read by readSession() held only a sub-agent's lines (imported on its own).
    bool isSubagentFile() const;
    std::int64_t records() const { return m_records; }

private:
    struct Context;
    struct PendingLlm;
    struct OpenTool;
    struct Spawn;

    void readLines(Context& context, ChunkReader& reader, const std::string& file);
    void handleLine(Context& context, const AgentLog::json& line, std::int64_t lineNo);
    void handleUser(Context& context, const AgentLog::json& line, std::int64_t ts, std::int64_t lineNo);
    void handleAssistant(Context& context, const AgentLog::json& line, std::int64_t ts, std::int64_t lineNo);
    void handleSystem(Context& context, const AgentLog::json& line, std::int64_t ts, std::int64_t lineNo);
    void dispatch(Context& context, const AgentLog::json& line, const std::string& type, const std::string& uuid,
        std::int64_t ts, std::int64_t lineNo);
    void openTool(const AgentLog::json& block, const std::string& parent, std::int64_t ts, std::int64_t lineNo);
    void completeTool(Context& context, const AgentLog::json& block, const AgentLog::json& line, std::int64_t ts,
        std::int64_t lineNo);
    void emitEvent(Context& context, const std::string& uuid, std::int64_t lineNo, std::string name, std::int64_t ts,
        const std::string& body, bool error, AgentLog::Attributes attributes = {});
    void flushLlms(const Context& context);
    void emitAgents();
    Context& agentContext(const std::string& agentId);
    std::string parentFor(const Context& context) const;
    std::string lineId(const Context& context, std::int64_t lineNo) const;
    void noteIdentity(const AgentLog::json& line);

    ImportJob& m_job;
    AgentLog::SessionOutput m_out;
    AgentLog::Turns m_turns;
    std::unique_ptr<Context> m_main;
    std::map<std::string, std::unique_ptr<Context>> m_agents;
    std::map<std::string, PendingLlm> m_llms; // by message id (+ request id)
    std::unordered_set<std::string> m_llmSpanIds;
    std::unordered_map<std::string, OpenTool> m_openTools;
    std::unordered_set<std::string> m_doneTools;
    std::unordered_map<std::string, Spawn> m_spawnsByTool; // Task/Agent calls by tool_use id
    std::map<std::string, std::string> m_spawnedAgents; // agent id → tool_use id that spawned it
    std::unordered_map<std::string, std::int64_t> m_uuidTimes;
    struct Summary
    {
        std::string text;
        std::string leafUuid;
        std::int64_t lineNo = 0;
    };
    std::vector<Summary> m_summaries;

    std::string m_sessionId;
    std::string m_version;
    std::string m_cwd;
    std::string m_gitBranch;
    std::string m_slug;
    std::string m_title;
    std::string m_firstPrompt;
    std::int64_t m_records = 0;
    std::int64_t m_totalLines = 0;
    std::map<std::string, int> m_skippedTypes;
    bool m_resourceSet = false;
};

} // namespace Tracelight
