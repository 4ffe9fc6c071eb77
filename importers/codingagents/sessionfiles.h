#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Recognizing coding-agent session files by their first lines, and finding the files that belong with a session
// (Claude Code sub-agent transcripts, Codex child rollouts, Gemini CLI sub-agent chats). Only heads of files are
// read here, so listing a folder of large sessions stays cheap.
namespace Tracelight::SessionFiles {

enum class Kind
{
    Unknown,
    ClaudeSession,
    ClaudeSubagent, // agent-<id>.jsonl: imported with its session
    CodexRollout,
    CodexSubagent, // a child thread's rollout: imported with its parent
    GeminiSession,
    GeminiSubagent, // chats/<parent session>/<session>.jsonl
    GeminiLogs, // logs.json: the prompts typed in a project
};

struct HeadInfo
{
    Kind kind = Kind::Unknown;
    std::string sessionId; // Claude session, Codex thread, Gemini session
    std::string parentId; // for sub-agent files: the session (Claude), parent thread (Codex) or session (Gemini)
    std::string agentId; // Claude sub-agent id
    std::string project; // working directory, when the file says
    std::string version; // CLI version
    std::int64_t startNs = 0;
    std::string firstPrompt;

    bool isSubagent() const
    {
        return kind == Kind::ClaudeSubagent || kind == Kind::CodexSubagent || kind == Kind::GeminiSubagent;
    }
};

// Recognizes a file from its head; complete says whether head is the whole file (else its last line may be cut).
HeadInfo classify(std::string_view head, bool complete);
// Reads up to maxBytes of the file and classifies it.
HeadInfo inspect(const std::string& path, std::size_t maxBytes = 1 << 20);

// "Claude Code", "Codex CLI", "Gemini CLI", or "" for other files.
std::string agentProduct(Kind kind);

// Sub-agent transcripts of a Claude Code session: agent-*.jsonl beside the session file (2.0.x) and in
// <session id>/subagents/ (2.1.x), keeping those whose lines name the session.
std::vector<std::string> claudeSubagentFiles(const std::string& sessionPath, const std::string& sessionId);
// The rollout of a Codex thread: rollout-…-<thread id>.jsonl near the given rollout (its folder, else the whole
// sessions/YYYY/MM/DD tree it sits in). Empty when not found.
std::string findCodexRollout(const std::string& nearPath, const std::string& threadId);
// Sub-agent chats of a Gemini CLI session: chats/<session id>/*.jsonl beside the session file.
std::vector<std::string> geminiSubagentFiles(const std::string& sessionPath, const std::string& sessionId);

} // namespace Tracelight::SessionFiles
