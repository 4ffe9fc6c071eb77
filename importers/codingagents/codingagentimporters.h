#pragma once

#include "importer.h"

namespace Tracelight {

// The session logs coding agents write on the user's machine, each session one trace
// (coding-agent-logs.md). Recognized by content: the first lines of the file say which CLI wrote it.

// Claude Code: ~/.claude/projects/<project>/<session>.jsonl, with the session's sub-agent transcripts (agent-*.jsonl
// beside it, or <session>/subagents/) read along with it.
class ClaudeCodeImporter final : public Importer
{
public:
    std::string_view name() const override { return "claude-code"; }
    std::string_view description() const override { return "Claude Code session (JSON Lines) with its sub-agents"; }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

// Codex CLI: ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl, both the {timestamp, type, payload} lines and the bare
// lines of older builds, with the rollouts of the sub-agent threads it spawned.
class CodexImporter final : public Importer
{
public:
    std::string_view name() const override { return "codex"; }
    std::string_view description() const override { return "Codex CLI rollout (JSON Lines) with its sub-agents"; }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

// Gemini CLI: ~/.gemini/tmp/<project>/chats/session-*.json (one JSON document) or .jsonl (append-only), and the
// project's logs.json of typed prompts.
class GeminiCliImporter final : public Importer
{
public:
    std::string_view name() const override { return "gemini-cli"; }
    std::string_view description() const override { return "Gemini CLI session (JSON or JSON Lines) or logs.json"; }
    int probe(std::string_view head) const override;
    void read(ImportJob& job) override;
};

} // namespace Tracelight
