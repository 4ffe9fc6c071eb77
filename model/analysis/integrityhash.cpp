#include "integrityhash.h"

#include "tracesnapshot.h"
#include "tracestore.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <nlohmann/json.hpp>

#include <charconv>
#include <map>
#include <set>

namespace Tracelight {

namespace {

nlohmann::json optionalInt(const std::optional<std::int64_t>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The shortest decimal that reads back as the same double: the same on every machine and library version.
nlohmann::json exactDouble(const std::optional<double>& value)
{
    if (!value)
        return nullptr;
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, *value);
    return std::string(buffer, result.ptr);
}

} // namespace

std::string IntegrityHash::canonicalLine(const StepDetail& d)
{
    const StepRecord& r = d.record;
    // nlohmann::json keeps object keys sorted, which makes the key order part of the format rather than of the code.
    nlohmann::json o = nlohmann::json::object();
    o["trace_id"] = d.step.traceId;
    o["span_id"] = r.spanId;
    o["parent_id"] = r.parentId;
    o["name"] = r.name;
    o["kind"] = std::string(stepKindName(r.kind));
    o["status"] = std::string(stepStatusName(r.status));
    o["status_message"] = r.statusMessage;
    o["start_ns"] = r.startNs;
    o["end_ns"] = r.endNs;
    o["operation"] = r.operation;
    o["model"] = r.model;
    o["provider"] = r.provider;
    o["tool_name"] = r.toolName;
    o["agent_name"] = r.agentName;
    o["service"] = r.service;
    o["input_tokens"] = optionalInt(r.tokens.input);
    o["output_tokens"] = optionalInt(r.tokens.output);
    o["cache_read_tokens"] = optionalInt(r.tokens.cacheRead);
    o["reasoning_tokens"] = optionalInt(r.tokens.reasoning);
    o["cost_usd"] = exactDouble(r.costUsd);
    o["otel_kind"] = d.step.otelKind;
    o["tool_call_id"] = d.step.toolCallId;
    o["tool_arguments"] = d.step.toolArguments;
    o["tool_result"] = d.step.toolResult;
    o["session_id"] = d.step.sessionId;
    o["user_id"] = d.step.userId;
    o["agent_version"] = d.step.agentVersion;
    o["cache_write_tokens"] = optionalInt(d.record.tokens.cacheWrite);
    o["system_instructions"] = d.step.systemInstructions;
    o["input_messages"] = d.step.inputMessages;
    o["output_messages"] = d.step.outputMessages;
    o["input_text"] = d.step.inputText;
    o["output_text"] = d.step.outputText;
    o["attributes"] = d.step.attributesJson;
    o["events"] = d.step.eventsJson;
    o["links"] = d.step.linksJson;
    o["trace_state"] = d.step.traceState;
    o["flags"] = d.step.flags;
    o["resource"] = d.step.resource->attributesJson;
    o["resource_version"] = d.step.resource->serviceVersion;
    o["scope_name"] = d.step.scope->name;
    o["scope_version"] = d.step.scope->version;
    o["scope_attributes"] = d.step.scope->attributesJson;
    o["source_format"] = d.sourceFormat;
    // ASCII output: every code point above 0x7f escaped, so the bytes do not depend on how text is normalized later.
    return o.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

std::string IntegrityHash::sha256Hex(std::string_view bytes)
{
    return QCryptographicHash::hash(QByteArrayView(bytes.data(), qsizetype(bytes.size())), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

IntegrityHash IntegrityHash::compute(std::string_view traceId, const std::vector<StepDetail>& steps)
{
    IntegrityHash result;
    result.m_found = !steps.empty();
    QCryptographicHash whole(QCryptographicHash::Sha256);
    const std::string header = nlohmann::json { { "canonical", std::string(Canonical) },
        { "trace_id", std::string(traceId) },
        { "steps", steps.size() } }.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace)
        + '\n';
    whole.addData(QByteArrayView(header.data(), qsizetype(header.size())));
    for (const StepDetail& step : steps) {
        const std::string line = canonicalLine(step) + '\n';
        whole.addData(QByteArrayView(line.data(), qsizetype(line.size())));
        result.m_steps.push_back({ step.record.spanId, sha256Hex(line) });
    }
    result.m_hash = whole.result().toHex().toStdString();
    return result;
}

std::vector<StepDetail> IntegrityHash::causalDetails(TraceStore& store, std::string_view traceId)
{
    std::vector<StepDetail> details;
    const auto summary = store.trace(traceId);
    if (!summary)
        return details;
    const auto snapshot = TraceSnapshot::build(*summary, store.steps(traceId));
    details.reserve(std::size_t(snapshot->size()));
    for (const int i : snapshot->causalOrder()) {
        if (auto detail = store.stepDetail(traceId, snapshot->step(i).spanId))
            details.push_back(std::move(*detail));
    }
    return details;
}

IntegrityHash IntegrityHash::compute(TraceStore& store, std::string_view traceId)
{
    return compute(traceId, causalDetails(store, traceId));
}

std::vector<std::string> IntegrityHash::differences(
    const std::vector<StepHash>& expected, const std::vector<StepHash>& actual)
{
    std::vector<std::string> lines;
    std::map<std::string, std::string> now;
    for (const StepHash& s : actual)
        now[s.spanId] = s.sha256;
    std::set<std::string> before;
    for (const StepHash& s : expected) {
        before.insert(s.spanId);
        const auto it = now.find(s.spanId);
        if (it == now.end())
            lines.push_back("step " + s.spanId + " removed");
        else if (it->second != s.sha256)
            lines.push_back("step " + s.spanId + " changed");
    }
    for (const StepHash& s : actual) {
        if (!before.count(s.spanId))
            lines.push_back("step " + s.spanId + " added");
    }
    if (lines.empty() && expected != actual)
        lines.push_back("steps reordered");
    return lines;
}

} // namespace Tracelight
