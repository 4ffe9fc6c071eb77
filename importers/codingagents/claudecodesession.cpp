#include "claudecodesession.h"

#include "claudecodesessionparts.h"
#include <jsonfield.h>

#include "messages.h"

#include <QFileInfo>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace Tracelight {

using namespace AgentLog;

namespace {

bool isSpawnTool(const std::string& name)
{
    return name == "Task" || name == "Agent";
}

// The text of a tool_result's content: a string, or text blocks (images are named, not stored).
std::string resultText(const json& content)
{
    if (content.is_string())
        return content.get<std::string>();
    std::string out;
    if (!content.is_array())
        return out;
    for (const json& block : content) {
        const std::string type = text(block, "type");
        std::string piece = type == "text" ? text(block, "text")
            : type == "image"              ? std::string("[image]")
                                           : Messages::dump(block);
        if (!out.empty() && !piece.empty())
            out += '\n';
        out += piece;
    }
    return out;
}

// "agentId: a485154 (for resuming …)" at the end of a Task result, for builds that do not say it elsewhere.
std::string agentIdFromText(const std::string& result)
{
    const auto at = result.rfind("agentId: ");
    if (at == std::string::npos)
        return {};
    std::string id;
    for (std::size_t i = at + 9; i < result.size() && std::isalnum(static_cast<unsigned char>(result[i])); ++i)
        id += result[i];
    return id;
}

} // namespace

ClaudeCodeSession::ClaudeCodeSession(ImportJob& job)
    : m_job(job)
    , m_out(job)
    , m_turns(m_out)
    , m_main(std::make_unique<Context>())
{
    m_main->file = job.file();
    // Until a line names the session: the file's own name (a session file is <session id>.jsonl).
    m_out.setTrace(QFileInfo(QString::fromStdString(job.file())).completeBaseName().toStdString(), {});
}

ClaudeCodeSession::~ClaudeCodeSession() = default;

void ClaudeCodeSession::readSession()
{
    readLines(*m_main, m_job.reader(), m_job.file());
    m_turns.close();
}

void ClaudeCodeSession::readAgentFile(const std::string& path)
{
    ChunkReader reader;
    if (const std::string error = reader.open(path); !error.empty()) {
        m_job.warnInFile(path, {}, "cannot open the sub-agent transcript: " + error);
        return;
    }
    m_job.repairInvalidText(reader, path);
    // agent-<id>.jsonl; the lines say the id too.
    std::string agentId = QFileInfo(QString::fromStdString(path)).completeBaseName().toStdString();
    if (const auto at = agentId.rfind("agent-"); at != std::string::npos)
        agentId = agentId.substr(at + 6);
    Context& context = agentContext(agentId);
    context.file = path;
    context.hasTranscript = true;
    std::string metaPath = path.substr(0, path.size() - 6) + ".meta.json"; // ".jsonl" → ".meta.json"
    if (std::ifstream meta(metaPath); meta) {
        const std::string text((std::istreambuf_iterator<char>(meta)), std::istreambuf_iterator<char>());
        context.meta = JsonField::parse(text);
        if (context.meta.is_discarded() || !context.meta.is_object())
            context.meta = json::object();
    }
    readLines(context, reader, path);
}

void ClaudeCodeSession::readLines(Context& context, ChunkReader& reader, const std::string& file)
{
    JsonLineReader lines(m_job, reader, file);
    json line;
    while (lines.next(line)) {
        ++m_records;
        handleLine(context, line, lines.line());
    }
    m_totalLines += lines.lines();
    flushLlms(context);
    for (auto& [id, agent] : m_agents) {
        if (agent->file == file && agent.get() != &context)
            flushLlms(*agent); // sidechain lines inside the session file
    }
}

bool ClaudeCodeSession::isSubagentFile() const
{
    return m_main->lines == 0 && !m_agents.empty();
}

ClaudeCodeSession::Context& ClaudeCodeSession::agentContext(const std::string& agentId)
{
    auto& slot = m_agents[agentId];
    if (!slot) {
        slot = std::make_unique<Context>();
        slot->agentId = agentId;
        slot->idPrefix = "agent-" + agentId + "/";
        slot->file = m_job.file();
    }
    return *slot;
}

std::string ClaudeCodeSession::parentFor(const Context& context) const
{
    return context.agentId.empty() ? m_turns.parent() : "agent-" + context.agentId;
}

std::string ClaudeCodeSession::lineId(const Context& context, std::int64_t lineNo) const
{
    return context.idPrefix + "L" + std::to_string(lineNo);
}

void ClaudeCodeSession::noteIdentity(const json& line)
{
    if (m_sessionId.empty()) {
        m_sessionId = text(line, "sessionId");
        if (!m_sessionId.empty())
            m_out.setTrace(m_sessionId, m_sessionId);
    }
    if (m_version.empty())
        m_version = text(line, "version");
    if (m_cwd.empty())
        m_cwd = text(line, "cwd");
    if (m_gitBranch.empty())
        m_gitBranch = text(line, "gitBranch");
    if (m_slug.empty())
        m_slug = text(line, "slug");
    if (!m_resourceSet && !m_version.empty()) {
        m_resourceSet = true;
        m_out.setResource("claude-code", m_version, Attributes().add("process.cwd", m_cwd));
    }
}

void ClaudeCodeSession::handleLine(Context& fileContext, const json& line, std::int64_t lineNo)
{
    const std::string type = text(line, "type");
    const std::int64_t ts = timestampOf(line);
    const std::string uuid = text(line, "uuid");
    // A resumed or forked session replays earlier lines with their uuids: the first copy counts.
    if (!uuid.empty() && !m_uuidTimes.emplace(uuid, ts).second)
        return;
    noteIdentity(line);
    if (!m_resourceSet && (type == "user" || type == "assistant")) {
        m_resourceSet = true;
        m_out.setResource("claude-code", m_version, Attributes());
    }
    Context* context = &fileContext;
    if (fileContext.agentId.empty() && member(line, "isSidechain") && line["isSidechain"] == true) {
        const std::string agentId = text(line, "agentId");
        context = &agentContext(agentId.empty() ? "sidechain" : agentId);
    }
    ++context->lines;
    if (ts > 0) {
        if (context->firstNs == 0)
            context->firstNs = ts;
        context->lastNs = std::max(context->lastNs, ts);
    }
    dispatch(*context, line, type, uuid, ts, lineNo);
    // After the line: a prompt opens its own turn rather than stretching the one before to its time.
    if (ts > 0 && context == m_main.get())
        m_turns.touch(ts, lineNo);
}

void ClaudeCodeSession::dispatch(Context& context, const json& line, const std::string& type, const std::string& uuid,
    std::int64_t ts, std::int64_t lineNo)
{
    if (type == "user")
        handleUser(context, line, ts, lineNo);
    else if (type == "assistant")
        handleAssistant(context, line, ts, lineNo);
    else if (type == "system")
        handleSystem(context, line, ts, lineNo);
    else if (type == "summary")
        m_summaries.push_back({ text(line, "summary"), text(line, "leafUuid"), lineNo });
    else if (type == "custom-title" || type == "ai-title") {
        for (const char* key : { "customTitle", "aiTitle", "title" }) {
            if (std::string title = text(line, key); !title.empty() && (m_title.empty() || type == "custom-title"))
                m_title = title;
        }
    } else if (type == "queue-operation") {
        if (text(line, "operation") == "enqueue" && !text(line, "content").empty())
            emitEvent(context, uuid, lineNo, "queued prompt: " + excerpt(text(line, "content"), 60), ts,
                text(line, "content"), false);
    } else if (type == "pr-link") {
        emitEvent(context, uuid, lineNo, "pull request #" + std::to_string(integer(line, "prNumber").value_or(0)), ts,
            text(line, "prUrl"), false, Attributes().add("claude_code.pr.url", text(line, "prUrl")));
    } else {
        // file-history-snapshot (undo data), progress (copies of sub-agent and hook output), attachment, …
        ++m_skippedTypes[type.empty() ? "(no type)" : type];
    }
}

void ClaudeCodeSession::handleUser(Context& context, const json& line, std::int64_t ts, std::int64_t lineNo)
{
    const std::string uuid = text(line, "uuid");
    const json* userMessage = member(line, "message");
    const json& content = userMessage ? field(*userMessage, "content") : field(line, "content");
    if (line.value("isCompactSummary", false)) {
        emitEvent(context, uuid, lineNo, "compaction summary", ts, contentText(content), false);
        return;
    }
    if (line.value("isMeta", false))
        return; // text the CLI injected (slash-command expansions, caveats)
    bool hasToolResults = false;
    json parts = json::array();
    if (content.is_array()) {
        for (const json& block : content) {
            const std::string type = text(block, "type");
            if (type == "tool_result") {
                hasToolResults = true;
                completeTool(context, block, line, ts, lineNo);
            } else if (type == "text") {
                parts.push_back(Messages::part(block));
            } else if (type == "image" || type == "document") {
                const json* source = member(block, "source");
                const std::string data = source ? text(*source, "data") : std::string();
                parts.push_back(Messages::omittedMediaPart(type, source ? text(*source, "media_type") : std::string(),
                    static_cast<std::int64_t>(data.size())));
            }
        }
    } else if (content.is_string()) {
        parts.push_back(Messages::textPart(content.get<std::string>()));
    }
    const std::string body = contentText(content);
    if (ts > 0)
        context.lastInputNs = ts;
    if (body.rfind("[Request interrupted by user", 0) == 0) {
        emitEvent(context, uuid, lineNo, "interrupted by user", ts, body, true);
        return;
    }
    if (hasToolResults || parts.empty())
        return;
    if (body.find("<task-notification>") != std::string::npos) {
        emitEvent(context, uuid, lineNo, "background task notification", ts, body, false);
        return;
    }
    if (!context.agentId.empty()) {
        // In a sub-agent transcript the first user line is the prompt its parent wrote, not a person's.
        if (context.prompt.empty())
            context.prompt = body;
        else
            emitEvent(context, uuid, lineNo, "message to the sub-agent", ts, body, false);
        return;
    }
    const std::string prompt = cleanPrompt(body);
    if (m_firstPrompt.empty())
        m_firstPrompt = prompt;
    const std::string id = uuid.empty() ? lineId(context, lineNo) : uuid;
    m_turns.begin("turn-" + id, ts, lineNo);
    Step human = m_out.make(StepKind::Human, id, m_turns.parent(), excerpt(prompt, 80), ts, lineNo);
    human.endNs = ts;
    human.operation = "user_prompt";
    setInputMessages(human, json::array({ message("user", std::move(parts)) }), body);
    human.attributesJson = Attributes()
                               .add("claude_code.permission_mode", text(line, "permissionMode"))
                               .add("claude_code.uuid", uuid)
                               .dump();
    m_out.addStep(std::move(human));
}

void ClaudeCodeSession::handleAssistant(Context& context, const json& line, std::int64_t ts, std::int64_t lineNo)
{
    const json* messagePtr = member(line, "message");
    if (!messagePtr)
        return;
    const json& msg = *messagePtr;
    const std::string model = text(msg, "model");
    const std::string uuid = text(line, "uuid");
    const json& content = field(msg, "content");
    if (model == "<synthetic>" || line.value("isApiErrorMessage", false)) {
        const bool error = line.value("isApiErrorMessage", false) || member(line, "error");
        const std::string body = contentText(content);
        emitEvent(context, uuid, lineNo, error ? "API error: " + excerpt(body, 60) : "synthetic message", ts, body,
            error, Attributes().addJson("claude_code.error", line.value("error", json())));
        return;
    }
    const std::string messageId = text(msg, "id");
    const std::string requestId = text(line, "requestId");
    const std::string key = messageId.empty() ? lineId(context, lineNo) : messageId + "|" + requestId;
    auto [it, inserted] = m_llms.try_emplace(key);
    PendingLlm& llm = it->second;
    if (inserted) {
        llm.context = &context;
        llm.messageId = messageId;
        llm.requestId = requestId;
        llm.parent = parentFor(context);
        llm.startNs = context.lastInputNs > 0 && context.lastInputNs <= ts ? context.lastInputNs : ts;
        // A /btw aside replays a message id under a new request id: a response of its own.
        llm.spanId = messageId.empty() ? key : messageId;
        if (!m_llmSpanIds.insert(llm.spanId).second) {
            llm.spanId += "@" + (requestId.empty() ? std::to_string(lineNo) : requestId);
            m_llmSpanIds.insert(llm.spanId);
        }
    } else if (llm.emitted || llm.context != &context) {
        return; // the same response copied into another file: counted where it first appeared
    }
    llm.model = model.empty() ? llm.model : model;
    llm.endNs = std::max(llm.endNs, ts);
    llm.lastLine = lineNo;
    if (const json* usage = member(msg, "usage")) {
        const std::int64_t output = integer(*usage, "output_tokens").value_or(0);
        if (output >= llm.maxOutput) {
            llm.maxOutput = output;
            llm.usage = *usage;
        }
    }
    if (const std::string stop = text(msg, "stop_reason"); !stop.empty())
        llm.stopReason = stop;
    for (const json& block : content.is_array() ? content : json::array()) {
        const std::string type = text(block, "type");
        if (type == "text") {
            const std::string blockText = text(block, "text");
            llm.parts.push_back(Messages::part(block));
            llm.text += (llm.text.empty() ? "" : "\n") + blockText;
            context.lastText = blockText;
        } else if (type == "thinking") {
            llm.parts.push_back(Messages::part(block));
            llm.signatures += member(block, "signature") ? 1 : 0;
        } else if (type == "redacted_thinking") {
            ++llm.redacted;
        } else if (type == "tool_use" || type == "server_tool_use") {
            const std::string name = text(block, "name");
            llm.parts.push_back(Messages::part(block));
            llm.toolNames.push_back(name);
            openTool(block, llm.parent, ts, lineNo);
        } else if (member(block, "tool_use_id")) {
            completeTool(context, block, line, ts, lineNo); // web_search_tool_result and kin
        }
    }
    if (!model.empty())
        context.model = model;
}

void ClaudeCodeSession::handleSystem(Context& context, const json& line, std::int64_t ts, std::int64_t lineNo)
{
    const std::string subtype = text(line, "subtype");
    const std::string uuid = text(line, "uuid");
    if (subtype == "turn_duration") {
        if (context.agentId.empty() && m_turns.isOpen())
            m_turns.attributes().add("claude_code.turn.duration_ms", integer(line, "durationMs").value_or(0));
        return;
    }
    if (subtype == "compact_boundary") {
        const json metadata = line.value("compactMetadata", json::object());
        const std::string trigger = text(metadata, "trigger");
        const auto before = integer(metadata, "preTokens");
        std::string name = "compaction";
        if (!trigger.empty())
            name += " (" + trigger + ")";
        if (before)
            name += ", " + std::to_string(*before) + " tokens before";
        emitEvent(context, uuid, lineNo, name, ts, text(line, "content"), false,
            Attributes()
                .add("claude_code.compact.trigger", trigger)
                .add("claude_code.compact.pre_tokens", before.value_or(0))
                .add("claude_code.logical_parent_uuid", text(line, "logicalParentUuid")));
        return;
    }
    if (subtype == "microcompact_boundary") {
        const json metadata = line.value("microcompactMetadata", json::object());
        emitEvent(context, uuid, lineNo,
            "micro-compaction (" + std::to_string(integer(metadata, "tokensSaved").value_or(0)) + " tokens saved)", ts,
            text(line, "content"), false, Attributes().addJson("claude_code.microcompact", metadata));
        return;
    }
    if (subtype == "stop_hook_summary") {
        std::string commands;
        for (const json& hook : line.value("hookInfos", json::array()))
            commands += (commands.empty() ? "" : ", ") + text(hook, "command");
        const json errors = line.value("hookErrors", json::array());
        const bool failed = (errors.is_array() && !errors.empty()) || line.value("preventedContinuation", false);
        emitEvent(context, uuid, lineNo, "stop hook" + (commands.empty() ? "" : ": " + commands), ts,
            text(line, "stopReason"), failed,
            Attributes()
                .add("claude_code.hook.count", integer(line, "hookCount").value_or(0))
                .addJson("claude_code.hook.errors", errors)
                .addBool("claude_code.hook.prevented_continuation", line.value("preventedContinuation", false)));
        return;
    }
    if (subtype == "api_error") {
        const std::string error = member(line, "error") ? Messages::dump(line["error"]) : text(line, "content");
        emitEvent(context, uuid, lineNo,
            "API error (retry " + std::to_string(integer(line, "retryAttempt").value_or(0)) + " of "
                + std::to_string(integer(line, "maxRetries").value_or(0)) + ")",
            ts, error, true, Attributes().add("claude_code.retry_in_ms", integer(line, "retryInMs").value_or(0)));
        return;
    }
    emitEvent(context, uuid, lineNo, "system: " + (subtype.empty() ? std::string("message") : subtype), ts,
        text(line, "content"), text(line, "level") == "error");
}

void ClaudeCodeSession::openTool(const json& block, const std::string& parent, std::int64_t ts, std::int64_t lineNo)
{
    const std::string id = text(block, "id");
    if (id.empty() || m_openTools.count(id) || m_doneTools.count(id))
        return;
    const std::string name = text(block, "name");
    const json input = block.value("input", json::object());
    OpenTool tool;
    tool.step = m_out.make(StepKind::Tool, id, parent, toolStepName(name, input), ts, lineNo);
    tool.step.operation = "execute_tool";
    tool.step.toolName = name;
    tool.step.toolCallId = id;
    tool.step.toolArguments = capText(Messages::dump(input));
    tool.attributes.add("gen_ai.tool.name", name).add("gen_ai.tool.call.id", id);
    if (name.rfind("mcp__", 0) == 0) {
        const auto end = name.find("__", 5);
        tool.attributes.add("claude_code.mcp.server", name.substr(5, end == std::string::npos ? 0 : end - 5));
    }
    if (text(block, "type") == "server_tool_use")
        tool.attributes.addBool("claude_code.server_tool", true);
    if (isSpawnTool(name)) {
        Spawn& spawn = m_spawnsByTool[id];
        spawn.toolId = id;
        spawn.subagentType = text(input, "subagent_type");
        spawn.description = text(input, "description");
        spawn.prompt = text(input, "prompt");
        spawn.startNs = ts;
    }
    m_openTools.emplace(id, std::move(tool));
}

void ClaudeCodeSession::completeTool(
    Context& context, const json& block, const json& line, std::int64_t ts, std::int64_t lineNo)
{
    const std::string id = text(block, "tool_use_id");
    if (id.empty() || m_doneTools.count(id))
        return;
    auto it = m_openTools.find(id);
    if (it == m_openTools.end()) {
        // The call is not in this file (a resumed session, or a cut file): keep the result anyway.
        OpenTool orphan;
        orphan.step
            = m_out.make(StepKind::Tool, id, parentFor(context), "tool result (call not in this log)", ts, lineNo);
        orphan.step.toolCallId = id;
        it = m_openTools.emplace(id, std::move(orphan)).first;
    }
    OpenTool tool = std::move(it->second);
    m_openTools.erase(it);
    m_doneTools.insert(id);
    Step& step = tool.step;
    const std::string result = resultText(field(block, "content"));
    step.toolResult = capText(result);
    if (step.toolResult.size() != result.size())
        tool.attributes.add("tracelight.tool_result.bytes", static_cast<std::int64_t>(result.size()));
    step.endNs = std::max(ts, step.startNs);
    step.revision = std::max(step.revision, lineNo);
    if (block.value("is_error", false)) {
        step.status = StepStatus::Error;
        step.statusMessage = excerpt(result, 200);
    } else {
        step.status = StepStatus::Ok;
    }
    // The structured copy of the result: its small fields (exit flags, counts, durations) as attributes.
    const json& structured = field(line, "toolUseResult");
    if (structured.is_object()) {
        for (auto field = structured.begin(); field != structured.end(); ++field) {
            const json& value = field.value();
            if (value.is_boolean() || value.is_number()
                || (value.is_string() && value.get_ref<const std::string&>().size() <= 200))
                tool.attributes.addJson("claude_code.tool_result." + field.key(), value);
        }
    }
    if (auto spawn = m_spawnsByTool.find(id); spawn != m_spawnsByTool.end()) {
        std::string agentId = text(structured, "agentId");
        if (agentId.empty())
            agentId = agentIdFromText(result);
        spawn->second.endNs = step.endNs;
        spawn->second.resultLine = lineNo;
        spawn->second.result = structured;
        spawn->second.resultText = contentText(field(structured, "content"));
        if (spawn->second.resultText.empty())
            spawn->second.resultText = result;
        if (!agentId.empty()) {
            m_spawnedAgents[agentId] = id;
            tool.attributes.add("claude_code.agent.id", agentId);
        }
    }
    step.attributesJson = tool.attributes.dump();
    m_out.addStep(std::move(step));
}

void ClaudeCodeSession::emitEvent(Context& context, const std::string& uuid, std::int64_t lineNo, std::string name,
    std::int64_t ts, const std::string& body, bool error, Attributes attributes)
{
    Step event = m_out.make(StepKind::Event, uuid.empty() ? lineId(context, lineNo) : uuid, parentFor(context),
        std::move(name), ts, lineNo);
    event.endNs = ts;
    event.operation = "event";
    if (!body.empty())
        setOutputMessages(
            event, json::array({ message("system", json::array({ Messages::textPart(capText(body)) })) }));
    if (error) {
        event.status = StepStatus::Error;
        event.statusMessage = body.empty() ? event.name : excerpt(body, 200);
    }
    event.attributesJson = attributes.dump();
    m_out.addStep(std::move(event));
}

} // namespace Tracelight
