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
                if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
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

} // namespace Tracelight::JsonOutput
