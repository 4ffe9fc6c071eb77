#include "sessionfiles.h"

#include "agentlog.h"
#include "codexrollout.h"

#include <isotime.h>
#include <jsonfield.h>

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>

#include <fstream>
#include <map>
#include <mutex>

namespace Tracelight::SessionFiles {

using nlohmann::json;
using namespace AgentLog;

namespace {

constexpr int maxHeadLines = 400;

// The complete lines of a head, each parsed; a cut last line is left out.
std::vector<json> headLines(std::string_view head, bool complete)
{
    std::vector<json> lines;
    std::size_t start = 0;
    while (start < head.size() && static_cast<int>(lines.size()) < maxHeadLines) {
        const std::size_t end = head.find('\n', start);
        if (end == std::string_view::npos && !complete)
            break;
        const std::string_view line
            = head.substr(start, end == std::string_view::npos ? head.size() - start : end - start);
        start = end == std::string_view::npos ? head.size() : end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        json value = JsonField::parse(line);
        lines.push_back(value.is_discarded() ? json() : std::move(value));
    }
    return lines;
}

// The first prompt of a Claude Code user line, or "" when the line is no prompt.
std::string claudePrompt(const json& line)
{
    if (line.value("isMeta", false) || line.value("isCompactSummary", false))
        return {};
    const json* message = member(line, "message");
    if (!message)
        return {};
    const json content = message->value("content", json());
    if (content.is_array()) {
        for (const json& block : content) {
            if (text(block, "type") == "tool_result")
                return {};
        }
    }
    std::string prompt = contentText(content);
    if (prompt.rfind("[Request interrupted", 0) == 0 || prompt.find("<task-notification>") != std::string::npos)
        return {};
    return cleanPrompt(prompt);
}

HeadInfo classifyClaude(const std::vector<json>& lines)
{
    HeadInfo info;
    bool sawClaude = false;
    for (const json& line : lines) {
        const std::string type = text(line, "type");
        if (type == "summary" || type == "file-history-snapshot") {
            sawClaude = true;
            continue;
        }
        if (!member(line, "uuid") || !member(line, "sessionId"))
            continue;
        if (type != "user" && type != "assistant" && type != "system" && type != "progress" && type != "attachment"
            && type != "queue-operation")
            continue;
        if (!sawClaude || info.sessionId.empty()) {
            info.sessionId = text(line, "sessionId");
            info.project = text(line, "cwd");
            info.version = text(line, "version");
            if (line.value("isSidechain", false) && member(line, "agentId")) {
                info.kind = Kind::ClaudeSubagent;
                info.agentId = text(line, "agentId");
                info.parentId = info.sessionId;
            }
        }
        sawClaude = true;
        if (info.startNs == 0)
            info.startNs = timestampOf(line);
        if (info.firstPrompt.empty() && type == "user")
            info.firstPrompt = claudePrompt(line);
        if (!info.firstPrompt.empty())
            break;
    }
    if (sawClaude && info.kind == Kind::Unknown)
        info.kind = Kind::ClaudeSession;
    return info;
}

HeadInfo classifyCodex(const std::vector<json>& lines)
{
    HeadInfo info;
    const json& first = lines.front();
    json meta;
    if (text(first, "type") == "session_meta" && member(first, "payload"))
        meta = first["payload"];
    else if (!first.contains("type") && member(first, "id") && member(first, "timestamp")
        && (first.contains("instructions") || first.contains("cli_version") || first.contains("originator")
            || first.contains("git")))
        meta = first; // the bare SessionMeta line of rollouts from before September 2025
    if (!meta.is_object() || text(meta, "id").empty())
        return info;
    info.kind = Kind::CodexRollout;
    info.sessionId = text(meta, "id");
    info.project = text(meta, "cwd");
    info.version = text(meta, "cli_version");
    info.startNs = timestampOf(meta);
    if (const json* source = member(meta, "source"); source && source->is_object()) {
        const json spawn = source->value("subagent", json::object()).value("thread_spawn", json::object());
        info.parentId = text(spawn, "parent_thread_id");
    }
    if (info.parentId.empty())
        info.parentId = text(meta, "parent_thread_id");
    if (!info.parentId.empty())
        info.kind = Kind::CodexSubagent;
    for (std::size_t i = 1; i < lines.size() && info.firstPrompt.empty(); ++i) {
        const json& line = lines[i];
        const json payload = line.value("payload", line);
        if (text(payload, "type") == "user_message") {
            info.firstPrompt = text(payload, "message");
        } else if (text(payload, "type") == "message" && text(payload, "role") == "user") {
            const std::string prompt = contentText(payload.value("content", json()));
            if (!CodexDetail::isInjectedText(prompt))
                info.firstPrompt = prompt;
        }
    }
    return info;
}

HeadInfo classifyGeminiJsonl(const std::vector<json>& lines)
{
    HeadInfo info;
    const json& meta = lines.front();
    if (!member(meta, "sessionId") || !member(meta, "projectHash") || member(meta, "messages"))
        return info;
    info.kind = text(meta, "kind") == "subagent" ? Kind::GeminiSubagent : Kind::GeminiSession;
    info.sessionId = text(meta, "sessionId");
    info.startNs = timestampOf(meta, "startTime");
    if (const json* directories = member(meta, "directories");
        directories && directories->is_array() && !directories->empty() && directories->front().is_string())
        info.project = directories->front().get<std::string>();
    for (std::size_t i = 1; i < lines.size() && info.firstPrompt.empty(); ++i) {
        if (text(lines[i], "type") == "user")
            info.firstPrompt = contentText(lines[i].value("content", json()));
    }
    return info;
}

// Reads the top of a Gemini CLI ConversationRecord (one JSON object) until its first user message.
class GeminiHeadScanner
{
public:
    HeadInfo info;
    bool isSession = false;

    bool null() { return value(json()); }
    bool boolean(bool v) { return value(json(v)); }
    bool number_integer(json::number_integer_t v) { return value(json(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return value(json(v)); }
    bool number_float(json::number_float_t v, const std::string&) { return value(json(v)); }
    bool string(std::string& v) { return value(json(std::move(v))); }
    bool binary(json::binary_t&) { return value(json()); }
    bool key(std::string& k)
    {
        if (m_depth == 1)
            m_topKey = k;
        if (m_depth == 3)
            m_messageKey = k;
        return true;
    }
    bool start_object(std::size_t)
    {
        ++m_depth;
        if (m_depth == 3 && m_inMessages)
            m_message = json::object();
        return m_depth != 1 || m_first++ == 0;
    }
    bool end_object()
    {
        if (m_depth == 3 && m_inMessages && m_message.is_object()) {
            if (text(m_message, "type") == "user" && info.firstPrompt.empty())
                info.firstPrompt = contentText(m_message.value("content", json()));
            if (!info.firstPrompt.empty() && isSession && !info.sessionId.empty()) {
                --m_depth;
                return false; // enough
            }
        }
        --m_depth;
        return true;
    }
    bool start_array(std::size_t)
    {
        ++m_depth;
        if (m_depth == 2 && m_topKey == "messages")
            m_inMessages = true;
        return m_depth != 1; // a top-level array is no ConversationRecord
    }
    bool end_array()
    {
        if (m_depth == 2)
            m_inMessages = false;
        --m_depth;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

private:
    bool value(json&& v)
    {
        if (m_depth == 1) {
            if (m_topKey == "sessionId" && v.is_string())
                info.sessionId = v.get<std::string>();
            else if (m_topKey == "projectHash")
                isSession = true;
            else if (m_topKey == "startTime" && v.is_string())
                info.startNs = IsoTime::parse(v.get<std::string>()).value_or(0);
            else if (m_topKey == "kind" && v == "subagent")
                info.kind = Kind::GeminiSubagent;
        } else if (m_depth == 3 && m_inMessages && m_message.is_object()) {
            // Only the scalar members of a message; its structured ones (tool calls, thoughts) are not needed.
            m_message[m_messageKey] = std::move(v);
        }
        return true;
    }

    int m_depth = 0;
    int m_first = 0;
    bool m_inMessages = false;
    std::string m_topKey;
    std::string m_messageKey;
    json m_message;
};

HeadInfo classifyGeminiJson(std::string_view head)
{
    GeminiHeadScanner scanner;
    json::sax_parse(head.begin(), head.end(), &scanner, json::input_format_t::json, false);
    HeadInfo info = scanner.info;
    if (!scanner.isSession || info.sessionId.empty())
        return {};
    if (info.kind == Kind::Unknown)
        info.kind = Kind::GeminiSession;
    return info;
}

HeadInfo classifyGeminiLogs(std::string_view head)
{
    // [{"sessionId": …, "messageId": 0, "type": "user", "message": …, "timestamp": …}, …]: the first entry is enough.
    const std::size_t open = head.find('{');
    const std::size_t close = head.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos)
        return {};
    const json entry = json::parse(head.substr(open, close - open + 1), nullptr, false);
    if (!member(entry, "sessionId") || !member(entry, "messageId") || !member(entry, "type"))
        return {};
    HeadInfo info;
    info.kind = Kind::GeminiLogs;
    info.sessionId = text(entry, "sessionId");
    info.startNs = timestampOf(entry);
    info.firstPrompt = text(entry, "message");
    return info;
}

std::string readHead(const std::string& path, std::size_t maxBytes, bool& complete)
{
    std::ifstream file(path, std::ios::binary);
    std::string head(maxBytes, '\0');
    file.read(head.data(), static_cast<std::streamsize>(maxBytes));
    head.resize(static_cast<std::size_t>(file.gcount()));
    complete = head.size() < maxBytes;
    if (head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0)
        head.erase(0, 3);
    return head;
}

// Sessions named by sub-agent transcripts, by path, size and time, so that a folder of many sessions does not
// read every agent file once per session.
std::string cachedSessionOf(const QFileInfo& file)
{
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::string, std::string>> cache; // path → (size:mtime, session)
    const std::string path = file.absoluteFilePath().toStdString();
    const std::string stamp
        = std::to_string(file.size()) + ':' + std::to_string(file.lastModified().toMSecsSinceEpoch());
    {
        const std::lock_guard lock(mutex);
        if (const auto it = cache.find(path); it != cache.end() && it->second.first == stamp)
            return it->second.second;
    }
    const HeadInfo info = inspect(path, 64 * 1024);
    const std::string session = info.kind == Kind::ClaudeSubagent ? info.sessionId : std::string();
    const std::lock_guard lock(mutex);
    cache[path] = { stamp, session };
    return session;
}

} // namespace

HeadInfo classify(std::string_view head, bool complete)
{
    std::size_t start = head.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return {};
    head = head.substr(start);
    if (head.front() == '[')
        return classifyGeminiLogs(head);
    if (head.front() != '{')
        return {};
    const std::vector<json> lines = headLines(head, complete);
    if (!lines.empty() && lines.front().is_object()) {
        if (HeadInfo info = classifyCodex(lines); info.kind != Kind::Unknown)
            return info;
        if (HeadInfo info = classifyGeminiJsonl(lines); info.kind != Kind::Unknown)
            return info;
        if (HeadInfo info = classifyClaude(lines); info.kind != Kind::Unknown)
            return info;
    }
    // One JSON document over many lines: a Gemini CLI ConversationRecord?
    return classifyGeminiJson(head);
}

HeadInfo inspect(const std::string& path, std::size_t maxBytes)
{
    bool complete = false;
    const std::string head = readHead(path, maxBytes, complete);
    return classify(head, complete);
}

std::string agentProduct(Kind kind)
{
    switch (kind) {
    case Kind::ClaudeSession:
    case Kind::ClaudeSubagent:
        return "Claude Code";
    case Kind::CodexRollout:
    case Kind::CodexSubagent:
        return "Codex CLI";
    case Kind::GeminiSession:
    case Kind::GeminiSubagent:
    case Kind::GeminiLogs:
        return "Gemini CLI";
    case Kind::Unknown:
        break;
    }
    return {};
}

std::vector<std::string> claudeSubagentFiles(const std::string& sessionPath, const std::string& sessionId)
{
    std::vector<std::string> files;
    if (sessionId.empty())
        return files;
    const QFileInfo session(QString::fromStdString(sessionPath));
    const QDir folder = session.absoluteDir();
    QStringList candidates;
    for (const QFileInfo& file : folder.entryInfoList({ QStringLiteral("*agent-*.jsonl") }, QDir::Files, QDir::Name))
        candidates << file.absoluteFilePath();
    for (const QString& name : { QString::fromStdString(sessionId), session.completeBaseName() }) {
        QDirIterator it(folder.filePath(name + QStringLiteral("/subagents")), { QStringLiteral("agent-*.jsonl") },
            QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            candidates << it.next();
    }
    candidates.removeDuplicates();
    candidates.sort();
    for (const QString& candidate : candidates) {
        if (candidate == session.absoluteFilePath())
            continue;
        if (cachedSessionOf(QFileInfo(candidate)) == sessionId)
            files.push_back(candidate.toStdString());
    }
    return files;
}

std::string findCodexRollout(const std::string& nearPath, const std::string& threadId)
{
    if (threadId.empty())
        return {};
    const QString pattern = QStringLiteral("*") + QString::fromStdString(threadId) + QStringLiteral(".jsonl");
    QDir folder = QFileInfo(QString::fromStdString(nearPath)).absoluteDir();
    for (const QFileInfo& file : folder.entryInfoList({ pattern }, QDir::Files))
        return file.absoluteFilePath().toStdString();
    // sessions/YYYY/MM/DD: a child can start on another day than its parent.
    QDir root = folder;
    const QRegularExpression number(QStringLiteral("^\\d+$"));
    for (int level = 0; level < 3 && number.match(root.dirName()).hasMatch(); ++level)
        root.cdUp();
    if (root == folder)
        return {};
    QDirIterator it(root.absolutePath(), { pattern }, QDir::Files, QDirIterator::Subdirectories);
    return it.hasNext() ? it.next().toStdString() : std::string();
}

std::vector<std::string> geminiSubagentFiles(const std::string& sessionPath, const std::string& sessionId)
{
    std::vector<std::string> files;
    if (sessionId.empty())
        return files;
    const QDir folder(
        QFileInfo(QString::fromStdString(sessionPath)).absoluteDir().filePath(QString::fromStdString(sessionId)));
    for (const QFileInfo& file : folder.entryInfoList({ QStringLiteral("*.jsonl") }, QDir::Files, QDir::Name))
        files.push_back(file.absoluteFilePath().toStdString());
    return files;
}

} // namespace Tracelight::SessionFiles
