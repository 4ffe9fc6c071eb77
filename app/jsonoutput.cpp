#include "jsonoutput.h"

#include <utf8.h>

#include <set>

namespace Tracelight::JsonOutput {

using nlohmann::json;

namespace {

json nullable(const std::string& text)
{
    return text.empty() ? json() : json(text);
}

template <typename T> json nullable(const std::optional<T>& value)
{
    return value ? json(*value) : json();
}

json costSource(CostSource source)
{
    return source == CostSource::None ? json() : json(std::string(costSourceName(source)));
}

json latency(const LatencySummary& l)
{
    return json {
        { "count", l.count },
        { "mean", l.meanMs },
        { "p50", l.p50Ms },
        { "p95", l.p95Ms },
        { "p99", l.p99Ms },
        { "max", l.maxMs },
    };
}

void putCost(json& object, const CostTotal& cost)
{
    object["cost_usd"] = nullable(cost.usd);
    object["cost_source"] = costSource(cost.source());
    object["unknown_cost_calls"] = cost.unknownCalls;
    object["unpriced_models"] = cost.unpricedModels;
}

json nullableTime(std::int64_t ns)
{
    return ns != 0 ? json(ns) : json();
}

} // namespace

namespace {

json splitKinds(const std::string& kinds)
{
    json out = json::array();
    std::size_t begin = 0;
    while (begin < kinds.size()) {
        const std::size_t comma = std::min(kinds.find(',', begin), kinds.size());
        out.push_back(kinds.substr(begin, comma - begin));
        begin = comma + 1;
    }
    return out;
}

} // namespace

json traceSummary(const TraceSummary& t)
{
    return json {
        { "trace_id", t.traceId },
        { "name", t.name },
        { "service", nullable(t.service) },
        { "version", nullable(t.version) },
        { "agent", nullable(t.agent) },
        { "session_id", nullable(t.sessionId) },
        { "user_id", nullable(t.userId) },
        { "start_ns", t.startNs },
        { "end_ns", t.endNs },
        { "duration_ms", t.durationMs() },
        { "spans", t.spans },
        { "llm_calls", t.llmCalls },
        { "tool_calls", t.toolCalls },
        { "input_tokens", t.tokens.input },
        { "output_tokens", t.tokens.output },
        { "cache_read_tokens", t.tokens.cacheRead },
        { "reasoning_tokens", t.tokens.reasoning },
        { "cost_usd", nullable(t.costUsd) },
        { "errors", t.errors },
        { "cache_write_tokens", t.tokens.cacheWrite },
        { "cost_source", costSource(t.costSource) },
        { "unknown_cost_calls", t.unknownCostCalls },
        { "findings", t.findings },
        { "finding_kinds", splitKinds(t.findingKinds) },
        { "annotations", t.annotations },
        { "annotation_labels", t.annotationLabels },
    };
}

json step(const TraceSnapshot& snapshot, int i)
{
    const StepRecord& s = snapshot.step(i);
    const int parent = snapshot.parent(i);
    json out {
        { "span_id", s.spanId },
        { "parent_id", parent >= 0 ? json(snapshot.step(parent).spanId) : json() },
        { "kind", std::string(stepKindName(s.kind)) },
        { "name", s.name },
        { "start_ns", s.startNs },
        { "end_ns", s.endNs },
        { "status", std::string(stepStatusName(s.status)) },
        { "status_message", nullable(s.statusMessage) },
        { "operation", nullable(s.operation) },
        { "model", nullable(s.model) },
        { "provider", nullable(s.provider) },
        { "input_tokens", nullable(s.tokens.input) },
        { "output_tokens", nullable(s.tokens.output) },
        { "cache_read_tokens", nullable(s.tokens.cacheRead) },
        { "reasoning_tokens", nullable(s.tokens.reasoning) },
        { "cost_usd", nullable(s.costUsd) },
        { "cost_source", costSource(s.costSource) },
        { "cache_write_tokens", nullable(s.tokens.cacheWrite) },
        { "tool_name", nullable(s.toolName) },
        { "agent_name", nullable(s.agentName) },
        { "service", nullable(s.service) },
        { "depth", snapshot.depth(i) },
    };
    // The source named a parent that is not in the trace (or that closed a cycle): shown as a root.
    if (parent < 0 && !s.parentId.empty())
        out["missing_parent_id"] = s.parentId;
    return out;
}

json traceSteps(const TraceSnapshot& snapshot)
{
    json steps = json::array();
    for (int i = 0; i < snapshot.size(); ++i)
        steps.push_back(step(snapshot, i));
    return json { { "trace_id", snapshot.summary().traceId }, { "steps", std::move(steps) } };
}

json cacheStats(const CacheStats& s)
{
    const StatsFilter& f = s.filter;
    json result {
        { "filter",
            {
                { "since_ns", nullableTime(f.sinceNs) },
                { "until_ns", nullableTime(f.untilNs) },
                { "service", nullable(f.service) },
                { "version", nullable(f.version) },
                { "agent", nullable(f.agent) },
                { "model", nullable(f.model) },
                { "tool", nullable(f.tool) },
            } },
        { "runs", s.runs },
        { "runs_with_errors", s.runsWithErrors },
        { "error_rate", s.errorRate() },
        { "first_start_ns", nullableTime(s.firstStartNs) },
        { "last_start_ns", nullableTime(s.lastStartNs) },
        { "steps", s.steps },
        { "llm_calls", s.llmCalls },
        { "tool_calls", s.toolCalls },
        { "tool_errors", s.toolErrors },
        { "tool_success_rate", s.toolCalls > 0 ? json(s.toolSuccessRate()) : json() },
        { "input_tokens", s.tokens.input },
        { "output_tokens", s.tokens.output },
        { "cache_read_tokens", s.tokens.cacheRead },
        { "cache_write_tokens", s.tokens.cacheWrite },
        { "reasoning_tokens", s.tokens.reasoning },
        { "median_run_cost_usd", nullable(s.medianRunCostUsd) },
        { "runs_with_known_cost", s.runsWithKnownCost },
        { "latency_ms", latency(s.runLatency) },
        { "runs_with_human", s.runsWithHuman },
        { "escalation_rate", s.escalationRate() },
        { "runs_with_handoff", s.runsWithHandoff },
        { "handoff_rate", s.handoffRate() },
        { "retrievals", s.retrievals },
        { "runs_with_retrieval", s.runsWithRetrieval },
        { "by", s.grouping == StatsGrouping::None ? json() : json(std::string(statsGroupingName(s.grouping))) },
    };
    putCost(result, s.cost);
    json groups = json::array();
    for (const StatsGroup& g : s.groups) {
        json group {
            { "key", g.key },
            { "runs", g.runs },
            { "runs_with_errors", g.runsWithErrors },
            { "calls", g.calls },
            { "errors", g.errors },
            { "latency_ms", latency(g.latency) },
            { "input_tokens", g.tokens.input },
            { "output_tokens", g.tokens.output },
            { "cache_read_tokens", g.tokens.cacheRead },
            { "cache_write_tokens", g.tokens.cacheWrite },
            { "reasoning_tokens", g.tokens.reasoning },
        };
        putCost(group, g.cost);
        groups.push_back(std::move(group));
    }
    result["groups"] = std::move(groups);
    return result;
}

nlohmann::json searchHits(const std::vector<SearchHit>& hits)
{
    nlohmann::json array = nlohmann::json::array();
    for (const SearchHit& hit : hits) {
        // The markers out, their places kept as code point ranges, so scripts in any language can use them.
        std::string snippet;
        nlohmann::json highlights = nlohmann::json::array();
        std::int64_t codePoints = 0;
        std::int64_t begin = -1;
        for (const char c : hit.snippet) {
            if (c == TraceSearch::SnippetOpen) {
                begin = codePoints;
            } else if (c == TraceSearch::SnippetClose) {
                if (begin >= 0)
                    highlights.push_back({ begin, codePoints });
                begin = -1;
            } else {
                if (!Utf8::isContinuation(c))
                    ++codePoints;
                snippet += c;
            }
        }
        array.push_back({ { "trace_id", hit.traceId }, { "trace_name", hit.traceName }, { "span_id", hit.spanId },
            { "step_name", hit.stepName }, { "kind", std::string(stepKindName(hit.kind)) }, { "field", hit.field },
            { "snippet", snippet }, { "highlights", highlights }, { "rank", hit.rank } });
    }
    return array;
}

namespace {

nlohmann::json optionalDelta(const std::optional<double>& a, const std::optional<double>& b)
{
    return a && b ? nlohmann::json(*b - *a) : nlohmann::json(nullptr);
}

nlohmann::json pairJson(const RunComparison& c, const RunComparison::Pair& p)
{
    const StepRecord& step = p.b >= 0 ? c.b().step(p.b) : c.a().step(p.a);
    return { { "op", RunComparison::opName(p.op) },
        { "a", p.a >= 0 ? nlohmann::json(c.a().step(p.a).spanId) : nlohmann::json(nullptr) },
        { "b", p.b >= 0 ? nlohmann::json(c.b().step(p.b).spanId) : nlohmann::json(nullptr) },
        { "kind", std::string(stepKindName(step.kind)) }, { "name", step.name } };
}

nlohmann::json versionJson(const VersionStats& v)
{
    nlohmann::json tools = nlohmann::json::object();
    for (const auto& [name, tool] : v.tools) {
        tools[name] = { { "calls", tool.calls }, { "errors", tool.errors },
            { "success_rate", tool.calls ? double(tool.calls - tool.errors) / tool.calls : 0.0 } };
    }
    return { { "version", v.version }, { "runs", v.runs }, { "failed_runs", v.failedRuns },
        { "error_rate", v.errorRate }, { "p50_duration_ms", v.p50DurationMs }, { "p95_duration_ms", v.p95DurationMs },
        { "median_cost_usd", v.medianCostUsd ? nlohmann::json(*v.medianCostUsd) : nlohmann::json(nullptr) },
        { "median_tokens", v.medianTokens }, { "llm_calls_per_run", v.llmCallsPerRun },
        { "tool_calls_per_run", v.toolCallsPerRun }, { "tools", tools }, { "trace_ids", v.traceIds } };
}

} // namespace

nlohmann::json comparison(const RunComparison& c)
{
    const TraceSummary& a = c.a().summary();
    const TraceSummary& b = c.b().summary();
    nlohmann::json alignment = nlohmann::json::array();
    for (const RunComparison::Pair& p : c.alignment())
        alignment.push_back(pairJson(c, p));
    nlohmann::json first = nullptr;
    if (c.firstDivergence() >= 0) {
        first = pairJson(c, c.alignment()[std::size_t(c.firstDivergence())]);
        first["index"] = c.firstDivergence();
    }
    nlohmann::json tools = nlohmann::json::object();
    for (const auto& [name, counts] : c.toolCalls())
        tools[name] = { { "a", counts.a }, { "b", counts.b }, { "delta", counts.b - counts.a } };
    return { { "a", traceSummary(a) }, { "b", traceSummary(b) },
        { "delta",
            { { "duration_ms", b.durationMs() - a.durationMs() }, { "llm_calls", b.llmCalls - a.llmCalls },
                { "tool_calls", b.toolCalls - a.toolCalls }, { "input_tokens", b.tokens.input - a.tokens.input },
                { "output_tokens", b.tokens.output - a.tokens.output },
                { "cost_usd", optionalDelta(a.costUsd, b.costUsd) }, { "errors", b.errors - a.errors } } },
        { "first_divergence", first }, { "alignment", alignment },
        { "counts",
            { { "same", c.count(RunComparison::Op::Same) }, { "changed", c.count(RunComparison::Op::Changed) },
                { "added", c.count(RunComparison::Op::Added) }, { "removed", c.count(RunComparison::Op::Removed) } } },
        { "tool_calls", tools }, { "models", { { "a", c.modelsA() }, { "b", c.modelsB() } } } };
}

nlohmann::json versionComparison(const VersionStats& v1, const VersionStats& v2)
{
    nlohmann::json tools = nlohmann::json::object();
    std::set<std::string> names;
    for (const auto& [name, tool] : v1.tools)
        names.insert(name);
    for (const auto& [name, tool] : v2.tools)
        names.insert(name);
    const auto rate = [](const VersionStats& v, const std::string& name) -> nlohmann::json {
        const auto it = v.tools.find(name);
        if (it == v.tools.end() || it->second.calls == 0)
            return nullptr;
        return double(it->second.calls - it->second.errors) / it->second.calls;
    };
    for (const std::string& name : names) {
        const nlohmann::json r1 = rate(v1, name);
        const nlohmann::json r2 = rate(v2, name);
        tools[name] = { { "success_rate",
            r1.is_null() || r2.is_null() ? nlohmann::json(nullptr)
                                         : nlohmann::json(r2.get<double>() - r1.get<double>()) } };
    }
    return { { "v1", versionJson(v1) }, { "v2", versionJson(v2) },
        { "delta",
            { { "runs", v2.runs - v1.runs }, { "error_rate", v2.errorRate - v1.errorRate },
                { "p50_duration_ms", v2.p50DurationMs - v1.p50DurationMs },
                { "p95_duration_ms", v2.p95DurationMs - v1.p95DurationMs },
                { "median_cost_usd", optionalDelta(v1.medianCostUsd, v2.medianCostUsd) },
                { "median_tokens", v2.medianTokens - v1.medianTokens },
                { "llm_calls_per_run", v2.llmCallsPerRun - v1.llmCallsPerRun },
                { "tool_calls_per_run", v2.toolCallsPerRun - v1.toolCallsPerRun }, { "tools", tools } } } };
}

} // namespace Tracelight::JsonOutput
