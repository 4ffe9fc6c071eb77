#pragma once

#include "testutils.h"

#include <step.h>

#include <QDir>
#include <QFile>
#include <QMap>
#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

// Helpers of the coding-agent session tests: counting what an import produced, and laying out copies of the
// corpus the way the CLIs keep their sessions (made at test run time in a temporary folder).
namespace CodingAgentFixtures {

using nlohmann::json;

inline QString corpus(const char* name)
{
    return TestUtils::corpusDir() + QStringLiteral("/coding-agents/") + QString::fromUtf8(name);
}

// What a trace holds, counted from the steps an import produced.
struct Counts
{
    int humans = 0;
    int turns = 0; // "turn" chain steps
    int llm = 0;
    int tools = 0;
    int agents = 0; // sub-agents (the session root is not counted)
    qint64 input = 0;
    qint64 output = 0;
    qint64 cacheRead = 0;
    qint64 cacheWrite = 0;
    qint64 reasoning = 0;
    QMap<QString, int> toolNames;
    QStringList agentParents; // "agent-id<-parent id", sorted
    int duplicateIds = 0;
};

inline Counts count(const std::vector<Tracelight::Step>& steps)
{
    using Tracelight::StepKind;
    Counts c;
    QSet<QString> ids;
    for (const Tracelight::Step& s : steps) {
        const QString key = QString::fromStdString(s.traceId + "/" + s.spanId);
        if (ids.contains(key))
            ++c.duplicateIds;
        ids.insert(key);
        switch (s.kind) {
        case StepKind::Human:
            ++c.humans;
            break;
        case StepKind::Chain:
            c.turns += s.operation == "turn";
            break;
        case StepKind::Llm:
            ++c.llm;
            c.input += s.tokens.input.value_or(0);
            c.output += s.tokens.output.value_or(0);
            c.cacheRead += s.tokens.cacheRead.value_or(0);
            c.cacheWrite += s.tokens.cacheWrite.value_or(0);
            c.reasoning += s.tokens.reasoning.value_or(0);
            break;
        case StepKind::Tool:
            ++c.tools;
            ++c.toolNames[QString::fromStdString(s.toolName)];
            break;
        case StepKind::Agent:
            if (s.spanId != "session") {
                ++c.agents;
                c.agentParents << QString::fromStdString(s.spanId + "<-" + s.parentId);
            }
            break;
        default:
            break;
        }
    }
    c.agentParents.sort();
    return c;
}

// "Bash:9,Glob:5" from the counts, names in order.
inline QString names(const QMap<QString, int>& counts)
{
    QStringList parts;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        parts << it.key() + QLatin1Char(':') + QString::number(it.value());
    return parts.join(QLatin1Char(','));
}

inline void copy(const QString& from, const QString& to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    QFile::remove(to);
    if (!QFile::copy(from, to))
        qFatal("cannot copy %s to %s", qPrintable(from), qPrintable(to));
    // The corpus is read-only; the copies are ours to grow and cut.
    QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
}

inline void writeLines(const QString& path, const std::vector<json>& lines, const QByteArray& tail = {})
{
    QByteArray bytes;
    for (const json& line : lines)
        bytes += QByteArray::fromStdString(line.dump()) + '\n';
    QDir().mkpath(QFileInfo(path).absolutePath());
    TestUtils::writeFile(path, bytes + tail);
}

// A home folder laid out as the three CLIs lay out their sessions, filled with copies of the corpus.
struct Home
{
    QString root;
    QString claude2064; // 2.0.x: agent-*.jsonl beside the session
    QString claude217; // 2.1.x: <session>/subagents/agent-*.jsonl
    QString claude214;
    QString codex;
    QString gemini2025;
    QString geminiLogs;
    QString gemini2026;
};

inline Home makeHome(const QString& root)
{
    Home h;
    h.root = root;
    const QString projects = root + QStringLiteral("/.claude/projects");
    h.claude2064 = projects + QStringLiteral("/-tmp-private/4c2ddfdc-b619-4525-8d03-1950fb1b0257.jsonl");
    copy(corpus("claude-code-2.0.64-bedrock-legacy-layout.session.jsonl"), h.claude2064);
    copy(corpus("claude-code-2.0.64-bedrock-legacy-layout.agent-36541525.jsonl"),
        projects + QStringLiteral("/-tmp-private/agent-36541525.jsonl"));
    copy(corpus("claude-code-2.0.64-bedrock-legacy-layout.agent-50243ee8.jsonl"),
        projects + QStringLiteral("/-tmp-private/agent-50243ee8.jsonl"));
    const QString repo = projects + QStringLiteral("/-Users-User-repo-codemie-ai-codemie-code/");
    h.claude217 = repo + QStringLiteral("e9fb405b-169f-40eb-9396-7e75076f045d.jsonl");
    copy(corpus("claude-code-2.1.7-task-subagent.session.jsonl"), h.claude217);
    copy(corpus("claude-code-2.1.7-task-subagent.agent-a485154.jsonl"),
        repo + QStringLiteral("e9fb405b-169f-40eb-9396-7e75076f045d/subagents/agent-a485154.jsonl"));
    h.claude214 = projects + QStringLiteral("/-Users-user-repo/9eda1058-9706-484a-b992-d03f9cfa2546.jsonl");
    copy(corpus("claude-code-2.1.4-summary-records.jsonl"), h.claude214);
    h.codex = root
        + QStringLiteral(
            "/.codex/sessions/2026/05/11/rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl");
    copy(corpus("codex-0.125.0-tui-rollout.jsonl"), h.codex);
    const QString gemini = root + QStringLiteral("/.gemini/tmp/");
    h.gemini2025 = gemini + QStringLiteral("fb8e242a6fbbb5c4/chats/session-2025-12-01T21-45-5b959dae.json");
    copy(corpus("gemini-cli-2025-12-session-legacy.json"), h.gemini2025);
    h.geminiLogs = gemini + QStringLiteral("fb8e242a6fbbb5c4/logs.json");
    copy(corpus("gemini-cli-2025-12-logs.json"), h.geminiLogs);
    h.gemini2026 = gemini + QStringLiteral("907f20644716c92a/chats/session-2026-01-16T11-01-37b7abef.json");
    copy(corpus("gemini-cli-2026-01-session-delegate-agent.json"), h.gemini2026);
    // Not a session: settings beside the projects folder.
    TestUtils::writeFile(root + QStringLiteral("/.claude/settings.json"), "{\"theme\": \"dark\"}\n");
    return h;
}

} // namespace CodingAgentFixtures
