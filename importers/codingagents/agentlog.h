#pragma once

#include "importer.h"

#include <jsonfield.h>
#include <step.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Shared machinery of the coding-agent session importers (Claude Code, Codex CLI, Gemini CLI): timestamps, text
// excerpts, OTLP-form attribute lists, normalized message parts, line-by-line JSON with warnings, and the steps
// every session has (the session root and its turns). See coding-agent-logs.md section 7 for the mapping.
namespace Tracelight::AgentLog {

using nlohmann::json;

// Tool results and other long texts are stored up to this size; the original length is kept as an attribute.
inline constexpr std::size_t maxStoredText = 256 * 1024;
// The id of the root step of every session trace.
inline constexpr std::string_view rootId = "session";

// The timestamp member of an object in ns (ISO 8601 as the CLIs write it, read by IsoTime::parse), 0 when absent or
// unreadable.
std::int64_t timestampOf(const json& object, const char* key = "timestamp");

// One line of at most maxChars characters (not bytes), white space collapsed, "…" when cut.
std::string excerpt(std::string_view text, std::size_t maxChars = 80);
// text cut to maxBytes at a UTF-8 boundary, with a note saying how much was left out.
std::string capText(std::string text, std::size_t maxBytes = maxStoredText);
// A prompt as the user typed it: slash-command tags (<command-name>/init</command-name>) become "/init".
std::string cleanPrompt(std::string_view text);

// Lenient member access (model/core/jsonfield.h).
using JsonField::array;
using JsonField::field;
using JsonField::integer;
using JsonField::member;
using JsonField::text;
// Text of message content: a string, or the "text" of each block of an array, joined by newlines.
std::string contentText(const json& content);

// An OTLP KeyValue list, as Step::attributesJson holds it.
class Attributes
{
public:
    Attributes& add(std::string_view key, std::string_view value); // empty values are left out
    Attributes& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
    Attributes& add(std::string_view key, const std::string& value) { return add(key, std::string_view(value)); }
    Attributes& add(std::string_view key, std::int64_t value);
    Attributes& add(std::string_view key, int value) { return add(key, std::int64_t(value)); }
    Attributes& addBool(std::string_view key, bool value);
    // Scalars keep their type; objects and arrays are stored as JSON text.
    Attributes& addJson(std::string_view key, const json& value);
    bool empty() const { return m_list.empty(); }
    std::string dump() const;

private:
    json m_list = json::array();
};

// Parts of our normalized messages (GenAI form).
json message(const char* role, json parts);

// The step's name for a tool call: the tool and its main argument ("Bash  git status", "Read  …/src/main.cpp").
std::string toolStepName(const std::string& tool, const json& arguments);
// The step's name for a model response: the start of its text, else the tools it calls.
std::string llmStepName(const std::string& text, const std::vector<std::string>& toolNames);
// Arguments given as JSON text are parsed; anything else stays a string.
json parseArguments(const std::string& raw);

// Reads JSON Lines from a reader. Malformed lines are skipped with a warning that names the file and the line;
// an incomplete last line (a session still being written) gets a warning of its own.
class JsonLineReader
{
public:
    JsonLineReader(ImportJob& job, ChunkReader& reader, std::string file);
    // The next line that parses as a JSON object; false at the end of the file or on cancel.
    bool next(json& value);
    std::int64_t line() const { return m_line; } // 1-based line of the last value returned
    std::int64_t lines() const { return m_line; }
    std::int64_t objects() const { return m_objects; }
    std::int64_t malformed() const { return m_malformed; }
    std::string location() const;

private:
    ImportJob& m_job;
    ChunkReader& m_reader;
    std::string m_file;
    std::string m_text;
    std::int64_t m_line = 0;
    std::int64_t m_lineOffset = 0;
    std::int64_t m_objects = 0;
    std::int64_t m_malformed = 0;
};

// Where the steps of one session trace go: fills the fields every step shares and tracks the session's bounds.
class SessionOutput
{
public:
    explicit SessionOutput(ImportJob& job);
    ImportJob& job() { return m_job; }

    void setTrace(std::string traceId, std::string sessionId);
    const std::string& traceId() const { return m_traceId; }
    // service.name and service.version of every step (the CLI and its version), plus extra resource attributes.
    void setResource(const std::string& service, const std::string& version, const Attributes& extra);

    Step make(StepKind kind, std::string spanId, std::string parentId, std::string name, std::int64_t startNs,
        std::int64_t revision) const;
    void addStep(Step&& step);
    std::int64_t firstNs() const { return m_firstNs; }
    std::int64_t lastNs() const { return m_lastNs; }
    std::int64_t emitted() const { return m_emitted; }

private:
    ImportJob& m_job;
    std::string m_traceId;
    std::string m_sessionId;
    std::shared_ptr<const Resource> m_resource;
    std::int64_t m_firstNs = 0;
    std::int64_t m_lastNs = 0;
    std::int64_t m_emitted = 0;
};

// The turns of a session (one per user prompt, "turn N" chain steps under the root). A turn ends where the next
// begins or at close(); its end is the last time seen while it was open.
class Turns
{
public:
    explicit Turns(SessionOutput& out, std::string parentId = std::string(rootId));
    // Closes the open turn and opens a new one.
    void begin(std::string id, std::int64_t startNs, std::int64_t revision);
    bool isOpen() const { return !m_id.empty(); }
    // Extends the open turn.
    void touch(std::int64_t ns, std::int64_t revision);
    // Emits the open turn, if any.
    void close();
    // Where a step of the current turn hangs: the open turn, else the parent of the turns.
    const std::string& parent() const { return m_id.empty() ? m_parentId : m_id; }
    Attributes& attributes() { return m_attributes; }
    void setError(const std::string& message);
    int count() const { return m_count; }

private:
    SessionOutput& m_out;
    std::string m_parentId;
    std::string m_id;
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
    std::int64_t m_revision = 0;
    std::string m_error;
    Attributes m_attributes;
    int m_count = 0;
};

// Messages and their search text on a step.
void setInputMessages(Step& step, const json& messages, std::string searchText);
void setOutputMessages(Step& step, const json& messages);

} // namespace Tracelight::AgentLog
