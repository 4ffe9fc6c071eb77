#pragma once

#include "agentlog.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace Tracelight {

// Turns a Codex CLI rollout, and the rollouts of the sub-agent threads it spawned, into steps
// (coding-agent-logs.md sections 2 and 7):
//   session (agent) → turn N (chain, task_started … task_complete) → prompt (human), model responses (llm),
//   tool calls (tool), events;  spawn_agent call → sub-agent (agent) → the child thread's turns
// A model response is the output items between two inputs, closed by the token_count that follows it; its tokens
// are that event's last_token_usage (never the running total). A child rollout may start with a copy of its
// parent's history: that copy is skipped, so nothing is counted twice.
class CodexRollout
{
public:
    explicit CodexRollout(ImportJob& job);
    ~CodexRollout();

    void readMain();
    // Reads the rollouts of the threads spawned so far (and theirs), found near the main rollout.
    void readChildren();
    void finish();

    std::int64_t records() const { return m_records; }
    const std::string& threadId() const;
    bool isChildFile() const;
    bool sawSessionMeta() const;

private:
    struct File;
    struct Tool;

    void readFile(File& file, ChunkReader& reader);
    void handle(File& file, const AgentLog::json& line, std::int64_t lineNo);
    void handleMeta(File& file, const AgentLog::json& meta, std::int64_t ts);
    void handleResponseItem(File& file, const AgentLog::json& item, std::int64_t ts, std::int64_t lineNo);
    void handleEvent(File& file, const AgentLog::json& event, std::int64_t ts, std::int64_t lineNo);
    void addHuman(File& file, const std::string& text, AgentLog::json parts, std::int64_t ts, std::int64_t lineNo);
    void beginTurn(File& file, const std::string& turnId, std::int64_t ts, std::int64_t lineNo);
    void endTurn(File& file);
    void openTool(File& file, const std::string& id, const std::string& name, const AgentLog::json& arguments,
        std::string rawArguments, std::int64_t ts, std::int64_t lineNo);
    void completeTool(File& file, const AgentLog::json& item, std::int64_t ts, std::int64_t lineNo);
    void groupItem(File& file, std::int64_t ts, std::int64_t lineNo);
    void closeGroup(File& file, const AgentLog::json& usage, std::int64_t ts, std::int64_t lineNo);
    void flushTools(File& file);
    void emitEvent(File& file, std::int64_t lineNo, std::string name, std::int64_t ts, const std::string& body,
        bool error, AgentLog::Attributes attributes = {});
    void emitAgent(const File& child, const std::string& spawnCallId);

    ImportJob& m_job;
    AgentLog::SessionOutput m_out;
    std::unique_ptr<File> m_main;
    std::vector<std::unique_ptr<File>> m_children;
    std::set<std::string> m_readThreads;
    std::int64_t m_records = 0;
    std::int64_t m_totalLines = 0;
};

namespace CodexDetail {
// Whether a user message is text Codex injects (environment context, AGENTS.md, …) rather than a prompt: the
// importer and the session list (SessionFiles) both skip it.
bool isInjectedText(const std::string& text);
} // namespace CodexDetail

} // namespace Tracelight
