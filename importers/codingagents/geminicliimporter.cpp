#include "agentlog.h"

#include "codingagentimporters.h"
#include "geminiconversation.h"
#include "messages.h"
#include "sessionfiles.h"
#include <jsonfield.h>

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <fstream>
#include <map>
#include <unordered_map>

// Gemini CLI sessions (coding-agent-logs.md sections 3 and 7). A session is held whole before its steps are made:
// the .json form is one document the CLI rewrites in place, and in the .jsonl form the last copy of a message
// wins and $rewindTo drops messages, so no message is final before the end of the file. Both are bounded by what
// the CLI itself keeps in memory for the conversation (tool outputs are capped at 50 KB by the CLI).

namespace Tracelight {

using namespace AgentLog;
using Gemini::Conversation;
using Gemini::ConversationWriter;

namespace {

std::string trimmed(const std::string& text)
{
    const auto begin = text.find_first_not_of(" \t\r\n");
    const auto end = text.find_last_not_of(" \t\r\n");
    return begin == std::string::npos ? std::string() : text.substr(begin, end - begin + 1);
}

// logs.json entries of one session by messageId: the prompts as typed, in order.
std::vector<json> loggedPrompts(const std::string& sessionPath, const std::string& sessionId)
{
    const QFileInfo session(QString::fromStdString(sessionPath));
    for (const QString& candidate : { session.dir().filePath(QStringLiteral("logs.json")),
             session.dir().filePath(QStringLiteral("../logs.json")) }) {
        std::ifstream file(candidate.toStdString());
        if (!file)
            continue;
        const json logs = json::parse(file, nullptr, false);
        std::vector<json> prompts;
        for (const json& entry : logs.is_array() ? logs : json::array()) {
            if (text(entry, "sessionId") == sessionId && text(entry, "type") == "user" && integer(entry, "messageId"))
                prompts.push_back(entry);
        }
        std::stable_sort(prompts.begin(), prompts.end(), [](const json& a, const json& b) {
            return integer(a, "messageId").value_or(0) < integer(b, "messageId").value_or(0);
        });
        return prompts;
    }
    return {};
}

void setGeminiResource(SessionOutput& out, const json& meta)
{
    out.setResource("gemini-cli", {}, Attributes().add("gemini_cli.project_hash", text(meta, "projectHash")));
}

void emitSubagent(SessionOutput& out, const ConversationWriter& writer, const std::string& sessionId,
    const std::string& parent, const std::string& path, std::int64_t revision)
{
    Step agent = out.make(StepKind::Agent, "agent-" + sessionId, parent,
        "sub-agent"
            + (writer.firstPrompt.empty() ? " " + sessionId.substr(0, 8) : ": " + excerpt(writer.firstPrompt, 70)),
        writer.firstNs, revision);
    agent.endNs = std::max(writer.lastNs, writer.firstNs);
    agent.operation = "invoke_agent";
    agent.agentName = "sub-agent";
    agent.model = writer.model;
    if (!writer.firstPrompt.empty())
        setInputMessages(agent,
            json::array({ message("user", json::array({ Messages::textPart(writer.firstPrompt) })) }),
            writer.firstPrompt);
    if (!writer.lastText.empty())
        setOutputMessages(
            agent, json::array({ message("assistant", json::array({ Messages::textPart(writer.lastText) })) }));
    agent.attributesJson
        = Attributes().add("gen_ai.agent.id", sessionId).add("gemini_cli.agent.transcript", path).dump();
    out.addStep(std::move(agent));
}

void readLogs(ImportJob& job)
{
    std::string all;
    std::string line;
    while (job.reader().readLine(line))
        all += line + '\n';
    const json logs = JsonField::parse(all);
    if (!logs.is_array())
        throw ImportFailure("byte 0", "logs.json is not a JSON array (truncated?)");
    std::map<std::string, std::vector<const json*>> sessions;
    for (const json& entry : logs) {
        if (!text(entry, "sessionId").empty() && integer(entry, "messageId"))
            sessions[text(entry, "sessionId")].push_back(&entry);
    }
    SessionOutput out(job);
    for (const auto& [sessionId, prompts] : sessions) {
        out.setTrace(sessionId, sessionId);
        setGeminiResource(out, json::object());
        std::int64_t first = 0;
        std::int64_t last = 0;
        for (const json* entry : prompts) {
            const std::int64_t ts = timestampOf(*entry);
            first = first == 0 ? ts : std::min(first, ts);
            last = std::max(last, ts);
            const std::string body = text(*entry, "message");
            // Revision 0: the session file's own copy of a prompt, when imported, is the better one.
            Step human = out.make(StepKind::Human, "prompt-" + std::to_string(*integer(*entry, "messageId")),
                std::string(rootId), excerpt(body, 80), ts, 0);
            human.endNs = ts;
            human.operation = "user_prompt";
            setInputMessages(human, json::array({ message("user", json::array({ Messages::textPart(body) })) }), body);
            out.addStep(std::move(human));
        }
        const std::string firstPrompt = text(*prompts.front(), "message");
        Step root = out.make(StepKind::Agent, std::string(rootId), {}, excerpt(firstPrompt, 100), first, 0);
        root.endNs = last;
        root.operation = "invoke_agent";
        root.agentName = "Gemini CLI";
        root.attributesJson = Attributes().add("gemini_cli.source", "logs.json (prompts only)").dump();
        out.addStep(std::move(root));
    }
}

bool firstLineIsWholeObject(std::string_view head)
{
    const std::size_t end = head.find('\n');
    const json first = JsonField::parse(head.substr(0, end));
    return first.is_object() && !member(first, "messages");
}

} // namespace

int GeminiCliImporter::probe(std::string_view head) const
{
    using SessionFiles::Kind;
    const Kind kind = SessionFiles::classify(head, false).kind;
    return kind == Kind::GeminiSession || kind == Kind::GeminiSubagent || kind == Kind::GeminiLogs ? 95 : 0;
}

void GeminiCliImporter::read(ImportJob& job)
{
    const std::string head(job.reader().buffered().substr(0, 1 << 20));
    const SessionFiles::HeadInfo info = SessionFiles::classify(head, job.reader().holdsWholeFile());
    if (info.kind == SessionFiles::Kind::GeminiLogs) {
        readLogs(job);
        return;
    }
    const Conversation conversation
        = firstLineIsWholeObject(head) ? Gemini::readJsonl(job, job.reader(), job.file()) : Gemini::readJson(job);
    if (job.context().cancelled())
        return;
    std::string sessionId = text(conversation.meta, "sessionId");
    if (sessionId.empty())
        sessionId = info.sessionId;
    if (sessionId.empty())
        throw ImportFailure({}, "no sessionId: not a Gemini CLI session");
    SessionOutput out(job);
    const bool isSubagent = text(conversation.meta, "kind") == "subagent";
    if (isSubagent) {
        // chats/<parent session>/<session>.jsonl imported on its own: it joins its parent's trace.
        const std::string parent = QFileInfo(QString::fromStdString(job.file())).dir().dirName().toStdString();
        out.setTrace(parent, parent);
        setGeminiResource(out, conversation.meta);
        ConversationWriter writer(out, "agent-" + sessionId, sessionId + "/", true);
        writer.write(conversation);
        emitSubagent(out, writer, sessionId, std::string(rootId), job.file(), conversation.lines);
        return;
    }
    out.setTrace(sessionId, sessionId);
    setGeminiResource(out, conversation.meta);
    ConversationWriter writer(out, std::string(rootId), {}, false);
    // Prompts also in the project's logs.json get the ids that file gives them, so importing both adds each once.
    const std::vector<json> logged = loggedPrompts(job.file(), sessionId);
    std::size_t next = 0;
    for (const json& message : conversation.messages) {
        if (text(message, "type") != "user" || next >= logged.size())
            continue;
        if (trimmed(contentText(message.value("content", json()))) == trimmed(text(logged[next], "message"))) {
            writer.promptIds[text(message, "id")] = "prompt-" + std::to_string(*integer(logged[next], "messageId"));
            ++next;
        }
    }
    writer.write(conversation);
    std::int64_t revision = conversation.lines;
    for (const std::string& path : SessionFiles::geminiSubagentFiles(job.file(), sessionId)) {
        ChunkReader reader;
        if (!reader.open(path).empty())
            continue;
        const Conversation child = Gemini::readJsonl(job, reader, path);
        const std::string childId = text(child.meta, "sessionId").empty()
            ? QFileInfo(QString::fromStdString(path)).completeBaseName().toStdString()
            : text(child.meta, "sessionId");
        ConversationWriter childWriter(out, "agent-" + childId, childId + "/", true);
        childWriter.write(child);
        const auto call = writer.agentCalls.find(childId);
        emitSubagent(out, childWriter, childId, call == writer.agentCalls.end() ? std::string(rootId) : call->second,
            path, child.lines);
        revision += child.lines;
    }
    const std::string name = writer.firstPrompt.empty() ? "Gemini CLI session " + sessionId.substr(0, 8)
                                                        : excerpt(writer.firstPrompt, 100);
    Step root = out.make(StepKind::Agent, std::string(rootId), {}, name, out.firstNs(), revision);
    root.endNs = std::max(out.lastNs(), out.firstNs());
    root.operation = "invoke_agent";
    root.agentName = "Gemini CLI";
    if (!writer.firstPrompt.empty())
        setInputMessages(root,
            json::array({ message("user", json::array({ Messages::textPart(writer.firstPrompt) })) }),
            writer.firstPrompt);
    root.attributesJson = Attributes()
                              .add("gen_ai.agent.name", "Gemini CLI")
                              .add("gen_ai.conversation.id", sessionId)
                              .add("gemini_cli.project_hash", text(conversation.meta, "projectHash"))
                              .add("gemini_cli.summary", text(conversation.meta, "summary"))
                              .add("gemini_cli.turns", writer.turns())
                              .dump();
    out.addStep(std::move(root));
}

} // namespace Tracelight
