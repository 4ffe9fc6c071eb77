#include "sessiondiscovery.h"

#include "importer.h"
#include "sessionfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace Tracelight {

using SessionFiles::Kind;

namespace {

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

std::string readHead(const std::string& path, bool& complete)
{
    constexpr std::size_t headBytes = 1 << 20; // what importFile() probes with
    std::ifstream file(path, std::ios::binary);
    std::string head(headBytes, '\0');
    file.read(head.data(), static_cast<std::streamsize>(headBytes));
    head.resize(static_cast<std::size_t>(file.gcount()));
    complete = head.size() < headBytes;
    return head;
}

struct Candidate
{
    std::string path;
    SessionFiles::HeadInfo info;
    bool recognized = false;
    bool explicitFile = false;
    std::string note;
};

// The session a sub-agent log belongs to is in the plan: the log is imported with it.
std::string owningSession(
    const Candidate& candidate, const std::map<std::pair<Kind, std::string>, std::string>& sessions)
{
    const SessionFiles::HeadInfo& info = candidate.info;
    std::vector<std::pair<Kind, std::string>> owners;
    if (info.kind == Kind::ClaudeSubagent)
        owners = { { Kind::ClaudeSession, info.parentId } };
    else if (info.kind == Kind::CodexSubagent)
        owners = { { Kind::CodexRollout, info.parentId }, { Kind::CodexSubagent, info.parentId } };
    else if (info.kind == Kind::GeminiSubagent)
        owners = { { Kind::GeminiSession,
            QFileInfo(QString::fromStdString(candidate.path)).dir().dirName().toStdString() } };
    for (const auto& owner : owners) {
        if (const auto it = sessions.find(owner); it != sessions.end() && it->second != candidate.path)
            return it->second;
    }
    return {};
}

} // namespace

ImportPlan planImport(const std::vector<std::string>& paths, const std::atomic<bool>* cancel)
{
    std::vector<Candidate> candidates;
    std::set<std::string> seen;
    auto consider = [&](const QString& file, bool explicitFile) {
        const std::string path = QFileInfo(file).absoluteFilePath().toStdString();
        if (!seen.insert(path).second)
            return;
        Candidate candidate;
        candidate.path = path;
        candidate.explicitFile = explicitFile;
        bool complete = false;
        const std::string head = readHead(path, complete);
        if (head.find_first_not_of(" \t\r\n") == std::string::npos) {
            candidate.note = "skipped: the file is empty";
        } else {
            for (const auto& importer : importers())
                candidate.recognized = candidate.recognized || importer->probe(head) > 0;
            if (!candidate.recognized)
                candidate.note = "skipped: not a trace or session format Tracelight reads";
            candidate.info = SessionFiles::classify(head, complete);
        }
        candidates.push_back(std::move(candidate));
    };
    for (const std::string& path : paths) {
        const QFileInfo info(QString::fromStdString(path));
        if (!info.isDir()) {
            consider(info.filePath(), true);
            continue;
        }
        QStringList files;
        QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext() && !cancelled(cancel))
            files << it.next();
        files.sort();
        for (const QString& file : files) {
            if (cancelled(cancel))
                break;
            consider(file, false);
        }
    }
    std::map<std::pair<Kind, std::string>, std::string> sessions;
    for (const Candidate& candidate : candidates) {
        if (candidate.recognized && !candidate.info.sessionId.empty())
            sessions.emplace(std::pair { candidate.info.kind, candidate.info.sessionId }, candidate.path);
    }
    ImportPlan plan;
    for (const Candidate& candidate : candidates) {
        std::string note = candidate.note;
        if (note.empty() && candidate.info.isSubagent()) {
            if (const std::string owner = owningSession(candidate, sessions); !owner.empty())
                note = "skipped: a sub-agent log, imported with its session " + owner;
        }
        // A file named on the command line is always tried, so that its error says why it cannot be read.
        if (note.empty() || (candidate.explicitFile && !candidate.recognized))
            plan.files.push_back(candidate.path);
        else
            plan.notes.push_back({ ImportIssue::Severity::Warning, candidate.path, {}, note });
    }
    return plan;
}

std::vector<SessionLocation> defaultSessionLocations()
{
    std::vector<SessionLocation> locations;
    std::set<std::string> seen;
    auto add = [&](const char* agent, const QString& folder) {
        const QFileInfo info(folder);
        if (!info.isDir())
            return;
        const std::string path = info.canonicalFilePath().toStdString();
        if (seen.insert(path).second)
            locations.push_back({ agent, path });
    };
    const QString home = QDir::homePath();
    const QString claudeConfig = qEnvironmentVariable("CLAUDE_CONFIG_DIR");
    for (const QString& root : claudeConfig.split(QLatin1Char(','), Qt::SkipEmptyParts))
        add("Claude Code", QDir(root.trimmed()).filePath(QStringLiteral("projects")));
    add("Claude Code", home + QStringLiteral("/.claude/projects"));
    add("Claude Code", home + QStringLiteral("/.config/claude/projects"));
    const QString codexHome = qEnvironmentVariable("CODEX_HOME", home + QStringLiteral("/.codex"));
    add("Codex CLI", codexHome + QStringLiteral("/sessions"));
    add("Gemini CLI", home + QStringLiteral("/.gemini/tmp"));
    return locations;
}

std::vector<CodingSession> discoverSessions(
    const std::vector<SessionLocation>& locations, const std::atomic<bool>* cancel)
{
    std::vector<CodingSession> sessions;
    for (const SessionLocation& location : locations) {
        const QString root = QString::fromStdString(location.path);
        QStringList files;
        QDirIterator it(
            root, { QStringLiteral("*.jsonl"), QStringLiteral("*.json") }, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext() && !cancelled(cancel))
            files << it.next();
        files.sort();
        std::map<std::string, int> childrenOf; // Codex and Gemini: sub-agent logs per parent session
        std::map<std::string, std::int64_t> childBytesOf;
        std::vector<std::pair<CodingSession, Kind>> found;
        for (const QString& file : files) {
            if (cancelled(cancel))
                return {};
            const std::string path = file.toStdString();
            const SessionFiles::HeadInfo info = SessionFiles::inspect(path, 256 * 1024);
            const QFileInfo fileInfo(file);
            if (info.kind == Kind::CodexSubagent || info.kind == Kind::GeminiSubagent) {
                const std::string parent
                    = info.kind == Kind::GeminiSubagent ? fileInfo.dir().dirName().toStdString() : info.parentId;
                ++childrenOf[parent];
                childBytesOf[parent] += fileInfo.size();
                continue;
            }
            if (info.kind != Kind::ClaudeSession && info.kind != Kind::CodexRollout && info.kind != Kind::GeminiSession)
                continue; // sub-agent transcripts, logs.json, settings and other JSON
            CodingSession session;
            session.agent = SessionFiles::agentProduct(info.kind);
            session.path = fileInfo.absoluteFilePath().toStdString();
            session.sessionId = info.sessionId;
            session.project = info.project;
            if (session.project.empty()) {
                // The folder names the project: after the working directory (Claude Code), or after a hash of it
                // (Gemini CLI: tmp/<project>/chats/).
                QDir folder = fileInfo.dir();
                if (folder.dirName() == QLatin1String("chats"))
                    folder.cdUp();
                session.project = folder.dirName().left(40).toStdString();
            }
            session.startNs = info.startNs > 0 ? info.startNs : fileInfo.birthTime().toMSecsSinceEpoch() * 1'000'000;
            session.firstPrompt = info.firstPrompt;
            session.fileBytes = fileInfo.size();
            session.bytes = session.fileBytes;
            if (info.kind == Kind::ClaudeSession) {
                for (const std::string& agentFile : SessionFiles::claudeSubagentFiles(path, info.sessionId)) {
                    ++session.subagents;
                    session.bytes += QFileInfo(QString::fromStdString(agentFile)).size();
                }
            }
            found.emplace_back(std::move(session), info.kind);
        }
        for (auto& [session, kind] : found) {
            if (kind != Kind::ClaudeSession) {
                session.subagents = childrenOf[session.sessionId];
                session.bytes += childBytesOf[session.sessionId];
            }
            sessions.push_back(std::move(session));
        }
    }
    std::stable_sort(sessions.begin(), sessions.end(),
        [](const CodingSession& a, const CodingSession& b) { return a.startNs > b.startNs; });
    return sessions;
}

} // namespace Tracelight
