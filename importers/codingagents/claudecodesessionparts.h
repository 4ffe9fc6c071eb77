#pragma once

// Internal to the Claude Code importer: the state ClaudeCodeSession keeps while it reads a session.

#include "claudecodesession.h"

namespace Tracelight {

using AgentLog::Attributes;
using AgentLog::json;
using AgentLog::rootId;
using AgentLog::Turns;

// One stream of lines: the main session, or one sub-agent (its transcript file, or sidechain lines of old builds).
struct ClaudeCodeSession::Context
{
    std::string agentId; // empty for the main session
    std::string file;
    std::string idPrefix; // keeps line-based ids of different files apart
    std::int64_t lastInputNs = 0; // the latest user line: when the next request was sent
    std::int64_t firstNs = 0;
    std::int64_t lastNs = 0;
    std::int64_t lines = 0;
    std::string prompt;
    std::string lastText;
    std::string model;
    bool hasTranscript = false;
    json meta; // agent-<id>.meta.json
};

struct ClaudeCodeSession::PendingLlm
{
    std::string spanId;
    const Context* context = nullptr;
    std::string parent;
    std::string messageId;
    std::string requestId;
    std::string model;
    std::string stopReason;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int64_t lastLine = 0;
    std::int64_t maxOutput = -1;
    json usage;
    json parts = json::array();
    std::string text;
    std::vector<std::string> toolNames;
    int signatures = 0;
    int redacted = 0;
    bool emitted = false;
};

struct ClaudeCodeSession::OpenTool
{
    Step step;
    Attributes attributes;
};

struct ClaudeCodeSession::Spawn
{
    std::string toolId;
    std::string subagentType;
    std::string description;
    std::string prompt;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int64_t resultLine = 0;
    json result; // toolUseResult of the Task/Agent call
    std::string resultText;
};

} // namespace Tracelight
