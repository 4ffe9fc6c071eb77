#include "runstats.h"

#include <algorithm>
#include <map>

namespace Tracelight {

namespace {

// A step's interval; a step that never ended covers nothing.
std::pair<std::int64_t, std::int64_t> interval(const StepRecord& s)
{
    return { s.startNs, std::max(s.startNs, s.endNs) };
}

} // namespace

std::int64_t RunStats::selfNs(const TraceSnapshot& snapshot, int step)
{
    const auto [start, end] = interval(snapshot.step(step));
    std::vector<std::pair<std::int64_t, std::int64_t>> children;
    for (int row = 0; row < snapshot.childCount(step); ++row) {
        auto [childStart, childEnd] = interval(snapshot.step(snapshot.child(step, row)));
        // Clock skew can put a child outside its parent: only the part inside counts.
        childStart = std::clamp(childStart, start, end);
        childEnd = std::clamp(childEnd, start, end);
        if (childEnd > childStart)
            children.emplace_back(childStart, childEnd);
    }
    std::sort(children.begin(), children.end());
    std::int64_t covered = 0;
    std::int64_t reach = start;
    for (const auto& [childStart, childEnd] : children) {
        const std::int64_t from = std::max(childStart, reach);
        if (childEnd > from) {
            covered += childEnd - from;
            reach = childEnd;
        }
    }
    return (end - start) - covered;
}

RunStats RunStats::compute(const TraceSnapshot& snapshot)
{
    RunStats stats;
    stats.wallNs = snapshot.endNs() > snapshot.startNs() ? snapshot.endNs() - snapshot.startNs() : 0;
    std::map<std::string, std::int64_t> byAgent;
    for (int i = 0; i < snapshot.size(); ++i) {
        const StepRecord& s = snapshot.step(i);
        const std::int64_t self = selfNs(snapshot, i);
        stats.selfNsByKind[static_cast<std::size_t>(s.kind)] += self;
        const int agent = snapshot.owningAgent(i);
        std::string agentName;
        if (agent >= 0) {
            const StepRecord& a = snapshot.step(agent);
            agentName = a.agentName.empty() ? a.name : a.agentName.str();
        }
        byAgent[agentName] += self;
        const bool failed = s.status == StepStatus::Error;
        if (s.kind == StepKind::Llm) {
            TokenTotals tokens;
            tokens += s.tokens;
            stats.llmCalls.push_back({ i, s.model, tokens, s.costUsd, s.durationNs(), failed });
        } else if (s.kind == StepKind::Tool) {
            stats.toolCalls.push_back({ i, s.toolName.empty() ? s.name : s.toolName.str(), s.durationNs(), failed });
        }
    }
    stats.selfNsByAgent.assign(byAgent.begin(), byAgent.end());
    std::stable_sort(stats.selfNsByAgent.begin(), stats.selfNsByAgent.end(),
        [](const auto& a, const auto& b) { return a.second > b.second; });
    return stats;
}

} // namespace Tracelight
