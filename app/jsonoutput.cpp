#include "jsonoutput.h"

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
        { "input_tokens", t.inputTokens },
        { "output_tokens", t.outputTokens },
        { "cache_read_tokens", t.cacheReadTokens },
        { "reasoning_tokens", t.reasoningTokens },
        { "cost_usd", nullable(t.costUsd) },
        { "errors", t.errors },
        { "cache_write_tokens", t.cacheWriteTokens },
        { "cost_source", costSource(t.costSource) },
        { "unknown_cost_calls", t.unknownCostCalls },
    };
}

json traceSteps(const TraceSnapshot& snapshot)
{
    json steps = json::array();
    for (int i = 0; i < snapshot.size(); ++i) {
        const StepRecord& s = snapshot.step(i);
        const int parent = snapshot.parent(i);
        json step {
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
            { "input_tokens", nullable(s.inputTokens) },
            { "output_tokens", nullable(s.outputTokens) },
            { "cache_read_tokens", nullable(s.cacheReadTokens) },
            { "reasoning_tokens", nullable(s.reasoningTokens) },
            { "cost_usd", nullable(s.costUsd) },
            { "cost_source", costSource(s.costSource) },
            { "cache_write_tokens", nullable(s.cacheWriteTokens) },
            { "tool_name", nullable(s.toolName) },
            { "agent_name", nullable(s.agentName) },
            { "service", nullable(s.service) },
            { "depth", snapshot.depth(i) },
        };
        // The source named a parent that is not in the trace (or that closed a cycle): shown as a root.
        if (parent < 0 && !s.parentId.empty())
            step["missing_parent_id"] = s.parentId;
        steps.push_back(std::move(step));
    }
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
        { "input_tokens", s.inputTokens },
        { "output_tokens", s.outputTokens },
        { "cache_read_tokens", s.cacheReadTokens },
        { "cache_write_tokens", s.cacheWriteTokens },
        { "reasoning_tokens", s.reasoningTokens },
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
            { "input_tokens", g.inputTokens },
            { "output_tokens", g.outputTokens },
            { "cache_read_tokens", g.cacheReadTokens },
            { "cache_write_tokens", g.cacheWriteTokens },
            { "reasoning_tokens", g.reasoningTokens },
        };
        putCost(group, g.cost);
        groups.push_back(std::move(group));
    }
    result["groups"] = std::move(groups);
    return result;
}

} // namespace Tracelight::JsonOutput
