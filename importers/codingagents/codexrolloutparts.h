#pragma once

// Internal to the Codex importer: the state CodexRollout keeps per rollout while it reads one.

#include "codexrollout.h"

namespace Tracelight {

using AgentLog::Attributes;
using AgentLog::json;
using AgentLog::rootId;
using AgentLog::Turns;

struct CodexRollout::Tool
{
    Step step;
    Attributes attributes;
};

// One rollout: the main one, or a child thread's.
struct CodexRollout::File
{
    std::string path;
    std::string threadId;
    std::string idPrefix; // keeps the line-based ids of different rollouts apart
    std::string topParent = std::string(rootId); // where the turns hang: the session, or the sub-agent step
    std::unique_ptr<Turns> turns;
    json meta = json::object();
    std::int64_t createdNs = 0;
    bool metaSeen = false;
    bool isChild = false;
    bool replaying = false;
    std::int64_t replayedLines = 0;
    bool sawTaskStarted = false;
    bool sawTokenCount = false;
    std::string model;
    std::string effort;
    std::int64_t lastInputNs = 0;
    std::int64_t firstNs = 0;
    std::int64_t lastNs = 0;
    std::int64_t lines = 0;

    // The model response being read: output items until its token_count.
    bool groupOpen = false;
    std::int64_t groupFirstLine = 0;
    std::int64_t groupStartNs = 0;
    std::int64_t groupEndNs = 0;
    json groupParts = json::array();
    std::string groupText;
    std::vector<std::string> groupTools;
    int groupEncrypted = 0;
    json previousTotal;

    std::map<std::string, Tool> tools; // calls of the current turn, emitted when it ends
    std::string lastHumanText;
    std::int64_t lastHumanLine = -100;
    std::string webSearchCallId;
    std::string prompt; // a child's first message, from its parent
    std::string firstPrompt;
    std::string lastAgentText;
    std::map<std::string, std::string> spawnedThreads; // spawn_agent call id → child thread id
    std::map<std::string, std::string> spawnMessages;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> spawnTimes;
    int depth = 0;

    std::string lineId(std::int64_t lineNo) const { return idPrefix + "L" + std::to_string(lineNo); }
};

namespace CodexDetail {
// The parts of a message's content (input_text, output_text, input_image), and its text joined.
json messageParts(const json& content, std::string& joined);
} // namespace CodexDetail

} // namespace Tracelight
