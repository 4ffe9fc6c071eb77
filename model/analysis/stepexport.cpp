#include "stepexport.h"

#include "csv.h"
#include "format.h"
#include "tracestore.h"

#include <map>

namespace Tracelight::StepExport {

namespace {

nlohmann::json optional(const std::optional<std::int64_t>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

double micros(std::int64_t ns)
{
    return double(ns) / 1000.0;
}

} // namespace

nlohmann::json chromeTrace(const TraceSnapshot& s)
{
    nlohmann::json events = nlohmann::json::array();
    std::map<std::string, int> pids;
    std::map<std::pair<int, std::string>, int> tids;
    const std::int64_t origin = s.startNs();
    const std::int64_t end = std::max(s.endNs(), origin);
    for (const int i : s.causalOrder()) {
        const StepRecord& r = s.step(i);
        const std::string service = r.service.empty() ? std::string("(no service)") : r.service.str();
        auto [pid, newProcess] = pids.emplace(service, int(pids.size()) + 1);
        if (newProcess)
            events.push_back({ { "ph", "M" }, { "name", "process_name" }, { "pid", pid->second }, { "tid", 0 },
                { "args", { { "name", service } } } });
        const int agent = s.owningAgent(i);
        const std::string agentName = agent >= 0
            ? (s.step(agent).agentName.empty() ? s.step(agent).name : s.step(agent).agentName.str())
            : (r.agentName.empty() ? std::string("(no agent)") : r.agentName.str());
        auto [tid, newThread] = tids.emplace(std::make_pair(pid->second, agentName), int(tids.size()) + 1);
        if (newThread)
            events.push_back({ { "ph", "M" }, { "name", "thread_name" }, { "pid", pid->second }, { "tid", tid->second },
                { "args", { { "name", agentName } } } });
        const bool open = r.endNs == 0;
        const std::int64_t stop = open ? end : std::max(r.endNs, r.startNs);
        nlohmann::json args
            = { { "kind", std::string(stepKindName(r.kind)) }, { "status", std::string(stepStatusName(r.status)) },
                  { "span_id", r.spanId }, { "parent_id", r.parentId }, { "model", r.model }, { "tool", r.toolName },
                  { "input_tokens", optional(r.tokens.input) }, { "output_tokens", optional(r.tokens.output) } };
        if (r.costUsd)
            args["cost_usd"] = *r.costUsd;
        if (!r.statusMessage.empty())
            args["status_message"] = r.statusMessage;
        if (open)
            args["open"] = true;
        events.push_back({ { "ph", "X" }, { "name", r.name }, { "cat", std::string(stepKindName(r.kind)) },
            { "ts", micros(r.startNs - origin) }, { "dur", micros(stop - r.startNs) }, { "pid", pid->second },
            { "tid", tid->second }, { "args", args } });
    }
    return { { "traceEvents", events }, { "displayTimeUnit", "ms" },
        { "otherData", { { "trace_id", s.summary().traceId }, { "name", s.summary().name } } } };
}

QString stepsCsv(const TraceSnapshot& s)
{
    const QStringList header = { QStringLiteral("trace_id"), QStringLiteral("index"), QStringLiteral("span_id"),
        QStringLiteral("parent_id"), QStringLiteral("depth"), QStringLiteral("kind"), QStringLiteral("name"),
        QStringLiteral("status"), QStringLiteral("status_message"), QStringLiteral("start_ns"),
        QStringLiteral("end_ns"), QStringLiteral("duration_ms"), QStringLiteral("service"), QStringLiteral("agent"),
        QStringLiteral("model"), QStringLiteral("provider"), QStringLiteral("tool"), QStringLiteral("input_tokens"),
        QStringLiteral("output_tokens"), QStringLiteral("cache_read_tokens"), QStringLiteral("reasoning_tokens"),
        QStringLiteral("cost_usd") };
    QString out = header.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    const auto number = [](const auto& v) { return v ? QString::number(*v) : QString(); };
    int index = 0;
    for (const int i : s.causalOrder()) {
        const StepRecord& r = s.step(i);
        const QStringList row = { Csv::field(Format::fromUtf8(s.summary().traceId)), QString::number(++index),
            Csv::field(Format::fromUtf8(r.spanId)), Csv::field(Format::fromUtf8(r.parentId)),
            QString::number(s.depth(i)), QString::fromLatin1(stepKindName(r.kind).data()),
            Csv::field(Format::fromUtf8(r.name)), QString::fromLatin1(stepStatusName(r.status).data()),
            Csv::field(Format::fromUtf8(r.statusMessage)), QString::number(r.startNs), QString::number(r.endNs),
            r.endNs > 0 ? QString::number(double(r.durationNs()) / 1e6, 'f', 3) : QString(),
            Csv::field(Format::fromUtf8(r.service)), Csv::field(Format::fromUtf8(r.agentName)),
            Csv::field(Format::fromUtf8(r.model)), Csv::field(Format::fromUtf8(r.provider)),
            Csv::field(Format::fromUtf8(r.toolName)), number(r.tokens.input), number(r.tokens.output),
            number(r.tokens.cacheRead), number(r.tokens.reasoning),
            r.costUsd ? QString::number(*r.costUsd, 'g', 17) : QString() };
        out += row.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out;
}

QString toolCallsCsv(TraceStore& store, const TraceSnapshot& s)
{
    QString out = QStringLiteral("trace_id,span_id,tool,agent,call_id,status,status_message,start_ns,duration_ms,"
                                 "arguments,result\r\n");
    for (const int i : s.causalOrder()) {
        const StepRecord& r = s.step(i);
        if (r.toolName.empty())
            continue;
        const auto detail = store.stepDetail(s.summary().traceId, r.spanId);
        const int agent = s.owningAgent(i);
        const std::string agentName = !r.agentName.empty() ? r.agentName.str()
            : agent >= 0 ? (s.step(agent).agentName.empty() ? s.step(agent).name : s.step(agent).agentName.str())
                         : std::string();
        const QStringList row = { Csv::field(Format::fromUtf8(s.summary().traceId)),
            Csv::field(Format::fromUtf8(r.spanId)), Csv::field(Format::fromUtf8(r.toolName)),
            Csv::field(Format::fromUtf8(agentName)),
            Csv::field(detail ? Format::fromUtf8(detail->step.toolCallId) : QString()),
            QString::fromLatin1(stepStatusName(r.status).data()), Csv::field(Format::fromUtf8(r.statusMessage)),
            QString::number(r.startNs), r.endNs > 0 ? QString::number(double(r.durationNs()) / 1e6, 'f', 3) : QString(),
            Csv::field(detail ? Format::fromUtf8(detail->step.toolArguments) : QString()),
            Csv::field(detail ? Format::fromUtf8(detail->step.toolResult) : QString()) };
        out += row.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out;
}

} // namespace Tracelight::StepExport
