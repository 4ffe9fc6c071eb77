#include "agentlog.h"

#include "attributeview.h"
#include "messages.h"

#include <isotime.h>
#include <jsonfield.h>
#include <utf8.h>

#include <algorithm>
#include <array>

namespace Tracelight::AgentLog {

std::int64_t timestampOf(const json& object, const char* key)
{
    const json* value = member(object, key);
    if (!value || !value->is_string())
        return 0;
    return IsoTime::parse(value->get_ref<const std::string&>()).value_or(0);
}

std::string excerpt(std::string_view text, std::size_t maxChars)
{
    return Utf8::oneLine(text, maxChars);
}

std::string capText(std::string text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    const std::size_t original = text.size();
    text.resize(Utf8::boundary(text, maxBytes));
    text += "\n… [" + std::to_string(original - text.size()) + " more bytes not stored]";
    return text;
}

std::string cleanPrompt(std::string_view raw)
{
    const std::string text(raw);
    auto tag = [&](const char* name) -> std::optional<std::string> {
        const std::string open = std::string("<") + name + ">";
        const std::string close = std::string("</") + name + ">";
        const auto begin = text.find(open);
        if (begin == std::string::npos)
            return std::nullopt;
        const auto end = text.find(close, begin);
        if (end == std::string::npos)
            return std::nullopt;
        return text.substr(begin + open.size(), end - begin - open.size());
    };
    if (const auto command = tag("command-name")) {
        std::string result = *command;
        if (!result.empty() && result.front() != '/')
            result.insert(result.begin(), '/');
        if (const auto args = tag("command-args"); args && !args->empty())
            result += ' ' + *args;
        return result;
    }
    if (const auto bash = tag("bash-input"))
        return "! " + *bash;
    return text;
}

std::string contentText(const json& content)
{
    if (content.is_string())
        return content.get<std::string>();
    std::string out;
    if (!content.is_array())
        return out;
    for (const json& block : content) {
        std::string piece;
        if (block.is_string())
            piece = block.get<std::string>();
        else
            piece = text(block, "text");
        if (piece.empty())
            continue;
        if (!out.empty())
            out += '\n';
        out += piece;
    }
    return out;
}

Attributes& Attributes::add(std::string_view key, std::string_view value)
{
    if (!value.empty())
        m_list.push_back({ { "key", key }, { "value", { { "stringValue", value } } } });
    return *this;
}

Attributes& Attributes::add(std::string_view key, std::int64_t value)
{
    m_list.push_back({ { "key", key }, { "value", { { "intValue", std::to_string(value) } } } });
    return *this;
}

Attributes& Attributes::addBool(std::string_view key, bool value)
{
    m_list.push_back({ { "key", key }, { "value", { { "boolValue", value } } } });
    return *this;
}

Attributes& Attributes::addJson(std::string_view key, const json& value)
{
    if (value.is_null())
        return *this;
    if (value.is_string())
        return add(key, value.get_ref<const std::string&>());
    if (value.is_boolean())
        return addBool(key, value.get<bool>());
    if (value.is_number_integer() || value.is_number_unsigned())
        return add(key, jsonInteger(value).value_or(0));
    if (value.is_number_float()) {
        m_list.push_back({ { "key", key }, { "value", { { "doubleValue", value.get<double>() } } } });
        return *this;
    }
    return add(key, Messages::dump(value));
}

std::string Attributes::dump() const
{
    return Messages::dump(m_list);
}

json message(const char* role, json parts)
{
    return { { "role", role }, { "parts", std::move(parts) } };
}

std::string toolStepName(const std::string& tool, const json& arguments)
{
    static constexpr std::array<const char*, 12> keys = { "command", "cmd", "file_path", "path", "dir_path", "pattern",
        "query", "url", "description", "objective", "prompt", "message" };
    if (!arguments.is_object())
        return tool;
    for (const char* key : keys) {
        const json* value = member(arguments, key);
        if (!value)
            continue;
        std::string text = value->is_string() ? value->get<std::string>()
            : value->is_array()               ? Messages::dump(*value)
                                              : std::string();
        if (value->is_array() && value->size() > 0 && value->back().is_string())
            text = value->back().get<std::string>(); // ["bash", "-lc", "the command"]
        if (text.empty())
            continue;
        // Paths keep their end, where the file name is.
        const bool isPath = std::string_view(key).find("path") != std::string_view::npos;
        if (isPath && text.size() > 60) {
            std::size_t cut = text.size() - 57;
            while (cut < text.size() && Utf8::isContinuation(text[cut]))
                ++cut;
            text = "…" + text.substr(cut);
        }
        return tool + "  " + excerpt(text, 70);
    }
    return tool;
}

std::string llmStepName(const std::string& text, const std::vector<std::string>& toolNames)
{
    if (!text.empty())
        return excerpt(text, 80);
    if (toolNames.empty())
        return "model response";
    std::string names;
    for (std::size_t i = 0; i < toolNames.size() && i < 4; ++i)
        names += (i ? ", " : "") + toolNames[i];
    if (toolNames.size() > 4)
        names += ", +" + std::to_string(toolNames.size() - 4);
    return "→ " + names;
}

json parseArguments(const std::string& raw)
{
    if (auto parsed = AttributeView::parseJsonText(raw))
        return std::move(*parsed);
    return raw;
}

JsonLineReader::JsonLineReader(ImportJob& job, ChunkReader& reader, std::string file)
    : m_job(job)
    , m_reader(reader)
    , m_file(std::move(file))
{ }

std::string JsonLineReader::location() const
{
    return "line " + std::to_string(m_line) + " (byte " + std::to_string(m_lineOffset) + ")";
}

bool JsonLineReader::next(json& value)
{
    while (!m_reader.atEnd()) {
        if (m_job.context().cancelled())
            return false;
        m_lineOffset = m_reader.offset();
        m_reader.readLine(m_text);
        ++m_line;
        const bool lastLine = m_reader.atEnd();
        std::size_t start = m_text.find_first_not_of(" \t\r");
        if (start == std::string::npos)
            continue;
        value = JsonField::parse(std::string_view(m_text).substr(start));
        if (!value.is_discarded() && value.is_object()) {
            ++m_objects;
            return true;
        }
        ++m_malformed;
        std::string message;
        if (!value.is_discarded())
            message = "a record must be a JSON object; the line was skipped";
        else if (lastLine)
            message = "the last line is incomplete (the session may still be running, or the file was cut); skipped";
        else
            message = "not valid JSON; the line was skipped and the rest of the session imported";
        m_job.warnInFile(m_file, location(), message);
    }
    return false;
}

SessionOutput::SessionOutput(ImportJob& job)
    : m_job(job)
{ }

void SessionOutput::setTrace(std::string traceId, std::string sessionId)
{
    m_traceId = std::move(traceId);
    m_sessionId = std::move(sessionId);
}

void SessionOutput::setResource(const std::string& service, const std::string& version, const Attributes& extra)
{
    auto resource = std::make_shared<Resource>();
    resource->serviceName = service;
    resource->serviceVersion = version;
    json list = json::parse(extra.dump(), nullptr, false);
    if (!list.is_array())
        list = json::array();
    list.insert(list.begin(), { { "key", "service.name" }, { "value", { { "stringValue", service } } } });
    if (!version.empty())
        list.insert(list.begin() + 1, { { "key", "service.version" }, { "value", { { "stringValue", version } } } });
    resource->attributesJson = Messages::dump(list);
    m_resource = std::move(resource);
}

Step SessionOutput::make(StepKind kind, std::string spanId, std::string parentId, std::string name,
    std::int64_t startNs, std::int64_t revision) const
{
    Step step;
    step.traceId = m_traceId;
    step.sessionId = m_sessionId;
    step.spanId = std::move(spanId);
    step.parentId = std::move(parentId);
    step.name = std::move(name);
    step.kind = kind;
    step.startNs = startNs;
    step.revision = revision;
    step.resource = m_resource;
    return step;
}

void SessionOutput::addStep(Step&& step)
{
    if (step.startNs > 0 && (m_firstNs == 0 || step.startNs < m_firstNs))
        m_firstNs = step.startNs;
    m_lastNs = std::max({ m_lastNs, step.startNs, step.endNs });
    ++m_emitted;
    m_job.addStep(std::move(step));
}

Turns::Turns(SessionOutput& out, std::string parentId)
    : m_out(out)
    , m_parentId(std::move(parentId))
{ }

void Turns::begin(std::string id, std::int64_t startNs, std::int64_t revision)
{
    close();
    m_id = std::move(id);
    m_startNs = startNs;
    m_endNs = startNs;
    m_revision = revision;
    m_error.clear();
    m_attributes = Attributes();
    ++m_count;
}

void Turns::touch(std::int64_t ns, std::int64_t revision)
{
    if (m_id.empty())
        return;
    m_endNs = std::max(m_endNs, ns);
    m_revision = std::max(m_revision, revision);
}

void Turns::setError(const std::string& message)
{
    m_error = message;
}

void Turns::close()
{
    if (m_id.empty())
        return;
    Step turn = m_out.make(StepKind::Chain, m_id, m_parentId, "turn " + std::to_string(m_count), m_startNs, m_revision);
    turn.endNs = std::max(m_endNs, m_startNs);
    turn.operation = "turn";
    turn.attributesJson = m_attributes.add("tracelight.turn.number", m_count).dump();
    if (!m_error.empty()) {
        turn.status = StepStatus::Error;
        turn.statusMessage = m_error;
    }
    m_out.addStep(std::move(turn));
    m_id.clear();
}

void setInputMessages(Step& step, const json& messages, std::string searchText)
{
    step.inputMessages = Messages::dump(messages);
    step.inputText = capText(std::move(searchText), 64 * 1024);
}

void setOutputMessages(Step& step, const json& messages)
{
    step.outputMessages = Messages::dump(messages);
    step.outputText = Messages::plainText(messages, 256 * 1024);
}

} // namespace Tracelight::AgentLog
