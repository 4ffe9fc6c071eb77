#include "codexrollout.h"
#include "codexrolloutparts.h"

#include "attributeview.h"
#include "messages.h"
#include "sessionfiles.h"

#include <QFileInfo>

#include <algorithm>

namespace Tracelight {

using namespace AgentLog;
using CodexDetail::messageParts;

namespace {

constexpr int maxSpawnDepth = 8;

// Milliseconds since the epoch in a UUIDv7 ("019e162b-0011-7240-…"), or nullopt for another kind of id.
std::optional<std::int64_t> uuid7Millis(const std::string& id)
{
    if (id.size() != 36 || id[14] != '7')
        return std::nullopt;
    std::string hex = id.substr(0, 8) + id.substr(9, 4);
    std::int64_t ms = 0;
    for (char c : hex) {
        const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : (c >= 'a' && c <= 'f')                                  ? c - 'a' + 10
            : (c >= 'A' && c <= 'F')                                  ? c - 'A' + 10
                                                                      : -1;
        if (digit < 0)
            return std::nullopt;
        ms = ms * 16 + digit;
    }
    return ms;
}

} // namespace

CodexRollout::CodexRollout(ImportJob& job)
    : m_job(job)
    , m_out(job)
    , m_main(std::make_unique<File>())
{
    m_main->path = job.file();
    m_main->turns = std::make_unique<Turns>(m_out);
    // Until the session_meta line says otherwise: the thread id that ends the file name (rollout-<time>-<id>).
    const std::string stem = QFileInfo(QString::fromStdString(job.file())).completeBaseName().toStdString();
    m_main->threadId = stem.size() > 36 ? stem.substr(stem.size() - 36) : stem;
    m_out.setTrace(m_main->threadId, m_main->threadId);
}

CodexRollout::~CodexRollout() = default;

const std::string& CodexRollout::threadId() const
{
    return m_main->threadId;
}

bool CodexRollout::sawSessionMeta() const
{
    return m_main->metaSeen;
}

bool CodexRollout::isChildFile() const
{
    return m_main->isChild;
}

void CodexRollout::readMain()
{
    readFile(*m_main, m_job.reader());
}

void CodexRollout::readFile(File& file, ChunkReader& reader)
{
    JsonLineReader lines(m_job, reader, file.path);
    json line;
    while (lines.next(line)) {
        ++m_records;
        handle(file, line, lines.line());
    }
    m_totalLines += lines.lines();
    endTurn(file);
    m_readThreads.insert(file.threadId);
}

void CodexRollout::readChildren()
{
    // Breadth first over every rollout read so far, including children found on the way.
    for (std::size_t index = 0; index <= m_children.size(); ++index) {
        File& parent = index == 0 ? *m_main : *m_children[index - 1];
        if (parent.depth >= maxSpawnDepth)
            continue;
        for (const auto& [callId, thread] : parent.spawnedThreads) {
            if (m_job.context().cancelled())
                return;
            if (thread.empty() || m_readThreads.count(thread))
                continue;
            m_readThreads.insert(thread);
            auto child = std::make_unique<File>();
            child->isChild = true;
            child->threadId = thread;
            child->idPrefix = thread + "/";
            child->topParent = "agent-" + thread;
            child->turns = std::make_unique<Turns>(m_out, child->topParent);
            child->depth = parent.depth + 1;
            child->prompt = parent.spawnMessages[callId];
            const auto times = parent.spawnTimes[callId];
            child->firstNs = times.first;
            child->lastNs = times.second;
            child->path = SessionFiles::findCodexRollout(m_job.file(), thread);
            if (!child->path.empty()) {
                ChunkReader reader;
                if (const std::string error = reader.open(child->path); error.empty()) {
                    child->firstNs = 0;
                    child->lastNs = 0;
                    readFile(*child, reader);
                } else {
                    m_job.warnInFile(child->path, {}, "cannot open the sub-agent rollout: " + error);
                    child->path.clear();
                }
            }
            emitAgent(*child, callId);
            m_children.push_back(std::move(child));
        }
    }
}

void CodexRollout::handle(File& file, const json& line, std::int64_t lineNo)
{
    std::string type;
    const json* payloadPtr = &line;
    if (const json* envelope = member(line, "payload"); envelope && member(line, "type")) {
        type = text(line, "type");
        payloadPtr = envelope;
    } else if (member(line, "record_type")) {
        return; // state lines of the oldest rollouts
    } else if (!file.metaSeen && !member(line, "type") && member(line, "id")) {
        type = "session_meta"; // the bare SessionMeta first line
    } else {
        type = "response_item"; // a bare ResponseItem line
    }
    const json& payload = *payloadPtr;
    std::int64_t ts = timestampOf(line);
    if (ts == 0)
        ts = file.createdNs; // bare lines carry no time of their own
    ++file.lines;
    if (type == "session_meta") {
        handleMeta(file, payload, ts);
        return;
    }
    if (file.replaying) {
        // A copy of the parent's history: skipped up to the child's own first turn.
        bool ownTurn = false;
        if (type == "event_msg" && text(payload, "type") == "task_started") {
            // The child's own turns begin after it was created; the copied ones before (same clock, to the ms).
            if (const auto ms = uuid7Millis(text(payload, "turn_id")))
                ownTurn = *ms >= file.createdNs / 1'000'000;
            else if (const auto started = integer(payload, "started_at"))
                ownTurn = *started >= file.createdNs / 1'000'000'000;
            else
                ownTurn = true; // nothing tells them apart: stop skipping here rather than lose the child's work
        }
        if (!ownTurn) {
            ++file.replayedLines;
            return;
        }
        file.replaying = false;
    }
    if (ts > 0) {
        if (file.firstNs == 0 || ts < file.firstNs)
            file.firstNs = ts;
        file.lastNs = std::max(file.lastNs, ts);
    }
    if (type == "turn_context") {
        if (const std::string model = text(payload, "model"); !model.empty())
            file.model = model;
        if (const std::string effort = text(payload, "effort"); !effort.empty())
            file.effort = effort;
    } else if (type == "response_item") {
        handleResponseItem(file, payload, ts, lineNo);
    } else if (type == "event_msg") {
        handleEvent(file, payload, ts, lineNo);
    } else if (type == "compacted") {
        const json history = payload.value("replacement_history", json());
        emitEvent(file, lineNo, "compaction", ts, text(payload, "message"), false,
            Attributes().add("codex.compaction.replacement_items",
                history.is_array() ? static_cast<std::int64_t>(history.size()) : 0));
    }
    file.turns->touch(ts, lineNo);
}

void CodexRollout::handleMeta(File& file, const json& meta, std::int64_t ts)
{
    const std::string id = text(meta, "id");
    if (file.metaSeen) {
        // Another thread's session_meta: the copied history of a parent (a sub-agent or a fork) follows.
        if (!id.empty() && id != file.threadId)
            file.replaying = true;
        return;
    }
    file.metaSeen = true;
    file.meta = meta;
    if (!id.empty())
        file.threadId = id;
    file.createdNs = timestampOf(meta);
    if (file.createdNs == 0)
        file.createdNs = ts;
    if (&file != m_main.get())
        return;
    std::string parent;
    if (const json* source = member(meta, "source"); source && source->is_object())
        parent
            = text(source->value("subagent", json::object()).value("thread_spawn", json::object()), "parent_thread_id");
    if (parent.empty())
        parent = text(meta, "parent_thread_id");
    std::string trace = id;
    if (!parent.empty()) {
        // A child rollout imported on its own: it joins the trace of the session that spawned it.
        file.isChild = true;
        trace = text(meta, "session_id").empty() ? parent : text(meta, "session_id");
        file.idPrefix = id + "/";
        file.topParent = "agent-" + id;
        file.turns = std::make_unique<Turns>(m_out, file.topParent);
    }
    m_out.setTrace(trace, trace);
    m_out.setResource("codex", text(meta, "cli_version"),
        Attributes().add("codex.originator", text(meta, "originator")).add("process.cwd", text(meta, "cwd")));
}

void CodexRollout::handleResponseItem(File& file, const json& item, std::int64_t ts, std::int64_t lineNo)
{
    const std::string type = text(item, "type");
    if (type == "message") {
        const std::string role = text(item, "role");
        std::string joined;
        json parts = messageParts(field(item, "content"), joined);
        if (role == "user") {
            if (CodexDetail::isInjectedText(joined) || parts.empty())
                file.lastInputNs = ts;
            else
                addHuman(file, joined, std::move(parts), ts, lineNo);
        } else if (role == "assistant") {
            groupItem(file, ts, lineNo);
            for (json& part : parts)
                file.groupParts.push_back(std::move(part));
            file.groupText += (file.groupText.empty() || joined.empty() ? "" : "\n") + joined;
            if (!joined.empty())
                file.lastAgentText = joined;
        }
        return; // developer and system messages: instructions the CLI injects
    }
    if (type == "reasoning") {
        groupItem(file, ts, lineNo);
        for (const char* key : { "summary", "content" }) {
            for (const json& piece : array(item, key)) {
                if (const std::string reasoning = text(piece, "text"); !reasoning.empty())
                    file.groupParts.push_back(Messages::reasoningPart(reasoning));
            }
        }
        if (member(item, "encrypted_content"))
            ++file.groupEncrypted;
        return;
    }
    if (type == "function_call" || type == "custom_tool_call" || type == "local_shell_call") {
        groupItem(file, ts, lineNo);
        // A call without an id is named by its line, apart from the response its line may also open.
        const std::string id = text(item, "call_id").empty() ? "call-" + file.lineId(lineNo) : text(item, "call_id");
        const std::string name = type == "local_shell_call" ? std::string("local_shell") : text(item, "name");
        const std::string raw = type == "function_call" ? text(item, "arguments")
            : type == "custom_tool_call"                ? text(item, "input")
                                                        : Messages::dump(item.value("action", json()));
        const json arguments = type == "local_shell_call" ? item.value("action", json()) : parseArguments(raw);
        file.groupParts.push_back(Messages::toolCallPart(id, name, arguments));
        file.groupTools.push_back(name);
        openTool(file, id, name, arguments, raw, ts, lineNo);
        if (name == "spawn_agent") {
            const json message = member(arguments, "message") ? arguments["message"] : arguments.value("items", json());
            file.spawnMessages[id] = message.is_string() ? message.get<std::string>() : contentText(message);
        }
        return;
    }
    if (type == "web_search_call") {
        groupItem(file, ts, lineNo);
        // Searched by the server: no result in the rollout, and no duration.
        const std::string id = file.webSearchCallId.empty() ? "search-" + file.lineId(lineNo) : file.webSearchCallId;
        file.webSearchCallId.clear();
        const json action = item.value("action", json::object());
        file.groupParts.push_back(Messages::toolCallPart(id, "web_search", action));
        file.groupTools.push_back("web_search");
        openTool(file, id, "web_search", action, Messages::dump(action), ts, lineNo);
        Tool& tool = file.tools[id];
        tool.step.endNs = ts;
        tool.step.status = text(item, "status") == "failed" ? StepStatus::Error : StepStatus::Ok;
        tool.attributes.add("codex.web_search.status", text(item, "status"));
        return;
    }
    if (type == "function_call_output" || type == "custom_tool_call_output") {
        completeTool(file, item, ts, lineNo);
        file.lastInputNs = ts;
        if (file.groupOpen && !file.sawTokenCount)
            closeGroup(file, json(), ts, lineNo); // rollouts without token counts: an input ends the response
        return;
    }
    if (type == "compaction" || type == "compaction_summary")
        emitEvent(file, lineNo, "compaction (remote, encrypted)", ts, {}, false);
}

void CodexRollout::handleEvent(File& file, const json& event, std::int64_t ts, std::int64_t lineNo)
{
    const std::string type = text(event, "type");
    auto toolFor = [&](const char* key) -> Tool* {
        const auto it = file.tools.find(text(event, key));
        return it == file.tools.end() ? nullptr : &it->second;
    };
    if (type == "task_started") {
        file.sawTaskStarted = true;
        // The line's own time is finer than started_at (whole seconds).
        const auto started = integer(event, "started_at");
        beginTurn(file, text(event, "turn_id"), ts > 0 || !started ? ts : *started * 1'000'000'000, lineNo);
        file.lastInputNs = ts;
    } else if (type == "task_complete") {
        if (const auto duration = integer(event, "duration_ms"))
            file.turns->attributes().add("codex.turn.duration_ms", *duration);
        if (const auto firstToken = integer(event, "time_to_first_token_ms"))
            file.turns->attributes().add("codex.turn.time_to_first_token_ms", *firstToken);
        const auto completed = integer(event, "completed_at");
        file.turns->touch(ts > 0 || !completed ? ts : *completed * 1'000'000'000, lineNo);
        endTurn(file);
    } else if (type == "turn_aborted") {
        const std::string reason = text(event, "reason");
        emitEvent(file, lineNo, "turn aborted: " + reason, ts, reason, true);
        file.turns->setError("aborted: " + reason);
        endTurn(file);
    } else if (type == "user_message") {
        std::string message = text(event, "message");
        json parts = json::array({ Messages::textPart(message) });
        for (const json& image : array(event, "images"))
            parts.push_back(Messages::omittedMediaPart(
                "image", {}, image.is_string() ? std::int64_t(image.get_ref<const std::string&>().size()) : 0));
        addHuman(file, message, std::move(parts), ts, lineNo);
    } else if (type == "token_count") {
        const json* info = member(event, "info");
        if (!info)
            return; // a rate-limit update only
        file.sawTokenCount = true;
        const json total = info->value("total_token_usage", json());
        if (total.is_object() && total == file.previousTotal)
            return; // the same response reported again
        json usage = info->value("last_token_usage", json());
        if (!usage.is_object() && total.is_object()) {
            // Builds that wrote running totals only: this response is the difference.
            usage = json::object();
            for (auto field = total.begin(); field != total.end(); ++field) {
                const std::int64_t before
                    = file.previousTotal.is_object() ? integer(file.previousTotal, field.key().c_str()).value_or(0) : 0;
                usage[field.key()] = jsonInteger(field.value()).value_or(0) - before;
            }
        }
        if (total.is_object())
            file.previousTotal = total;
        closeGroup(file, usage.is_object() ? usage : json::object(), ts, lineNo);
    } else if (type == "exec_command_end") {
        if (Tool* tool = toolFor("call_id")) {
            const auto exitCode = integer(event, "exit_code");
            const json duration = event.value("duration", json::object());
            tool->attributes.add("codex.exec.exit_code", exitCode.value_or(0))
                .add("codex.exec.duration_ms",
                    integer(duration, "secs").value_or(0) * 1000 + integer(duration, "nanos").value_or(0) / 1'000'000)
                .add("process.command_line", Messages::dump(event.value("command", json())))
                .add("codex.exec.source", text(event, "source"));
            if (exitCode && *exitCode != 0) {
                tool->step.status = StepStatus::Error;
                tool->step.statusMessage = "exit code " + std::to_string(*exitCode);
            }
        }
    } else if (type == "patch_apply_end") {
        if (Tool* tool = toolFor("call_id"); tool && event.contains("success")) {
            tool->attributes.addBool("codex.patch.success", event.value("success", false));
            if (!event.value("success", true)) {
                tool->step.status = StepStatus::Error;
                tool->step.statusMessage = excerpt(text(event, "stderr"), 200);
            }
        }
    } else if (type == "mcp_tool_call_end") {
        if (Tool* tool = toolFor("call_id")) {
            const json result = event.value("result", json());
            tool->attributes.addJson("codex.mcp.invocation", event.value("invocation", json()));
            if (result.is_object() && (member(result, "Err") || member(result, "err"))) {
                tool->step.status = StepStatus::Error;
                tool->step.statusMessage = excerpt(Messages::dump(result), 200);
            }
        }
    } else if (type == "web_search_end") {
        file.webSearchCallId = text(event, "call_id");
    } else if (type == "collab_agent_spawn_end") {
        if (const std::string thread = text(event, "new_thread_id"); !thread.empty())
            file.spawnedThreads[text(event, "call_id")] = thread;
    } else if (type == "error") {
        emitEvent(file, lineNo, "error: " + excerpt(text(event, "message"), 60), ts, text(event, "message"), true);
    } else if (type == "entered_review_mode" || type == "exited_review_mode" || type == "undo_completed") {
        emitEvent(file, lineNo, type, ts, {}, false);
    }
    // agent_message, agent_reasoning and user_message copies of response items, context_compacted (the compacted
    // line says it), and event kinds added later are not steps of their own.
}

namespace CodexDetail {

bool isInjectedText(const std::string& text)
{
    for (const char* prefix : { "<environment_context>", "<user_instructions>", "# AGENTS.md instructions",
             "<permissions instructions>", "<INSTRUCTIONS>", "<collaboration_mode>", "<skills_instructions>",
             "<plugins_instructions>", "<turn_aborted>" }) {
        if (text.rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

} // namespace CodexDetail

} // namespace Tracelight
