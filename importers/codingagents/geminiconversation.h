#pragma once

#include "agentlog.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

// A Gemini CLI conversation, held whole (see geminicliimporter.cpp for why), and the steps made from it.

namespace Tracelight::Gemini {

using AgentLog::json;

struct Conversation
{
    json meta = json::object();
    std::vector<json> messages;
    std::vector<std::int64_t> revisions; // the line (or position) each message was last written at
    std::int64_t lines = 0;

    // A message written again replaces its earlier copy, in place.
    void upsert(json message, std::int64_t revision);
    // Drops the message and every later one; all of them when the id is unknown.
    void rewindTo(const std::string& id);

private:
    std::unordered_map<std::string, std::size_t> m_index; // message id → position
};

// The append-only .jsonl form: metadata line, messages (the last copy of an id wins), $set and $rewindTo lines.
Conversation readJsonl(ImportJob& job, ChunkReader& reader, const std::string& file);
// The .json form: one ConversationRecord, read from the job's reader.
Conversation readJson(ImportJob& job);

// Makes the steps of one conversation: the session's own, or a sub-agent's under its agent step.
class ConversationWriter
{
public:
    ConversationWriter(AgentLog::SessionOutput& out, std::string topParent, std::string idPrefix, bool isSubagent);

    void write(const Conversation& conversation);
    int turns() const { return m_turns.count(); }

    std::map<std::string, std::string> promptIds; // message id → prompt-<messageId> of logs.json
    std::string firstPrompt;
    std::string lastText;
    std::string model;
    std::int64_t firstNs = 0;
    std::int64_t lastNs = 0;
    std::map<std::string, std::string> agentCalls; // sub-agent session id → the tool call that ran it

private:
    void writeUser(const std::string& id, const std::string& body, std::int64_t ts, std::int64_t revision);

    // Returns the time the next request goes out: after this response's last tool call.
    std::int64_t writeResponse(const json& message, const std::string& id, const std::string& body,
        std::int64_t lastInput, std::int64_t ts, std::int64_t revision);

    std::int64_t writeTool(const json& call, std::int64_t responseNs, std::int64_t revision);

    AgentLog::SessionOutput& m_out;
    AgentLog::Turns m_turns;
    std::string m_topParent;
    std::string m_prefix;
    bool m_isSubagent;
};

} // namespace Tracelight::Gemini
