#include "tracesnapshot.h"

#include <algorithm>
#include <limits>

namespace Tracelight {

std::shared_ptr<const TraceSnapshot> TraceSnapshot::build(TraceSummary summary, std::vector<StepRecord> steps)
{
    auto snapshot = std::make_shared<TraceSnapshot>();
    TraceSnapshot& s = *snapshot;
    s.m_summary = std::move(summary);
    s.m_steps = std::move(steps);
    const std::size_t n = s.m_steps.size();
    s.m_bySpanId.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        s.m_bySpanId.emplace(s.m_steps[i].spanId, static_cast<int>(i));

    s.m_parent.assign(n, -1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& parentId = s.m_steps[i].parentId;
        if (parentId.empty())
            continue;
        if (const auto it = s.m_bySpanId.find(parentId); it != s.m_bySpanId.end() && it->second != int(i))
            s.m_parent[i] = it->second;
    }

    // Break cycles: walk up from every step; a step met again on the current walk closes a cycle, and its
    // parent link is cut so that it becomes a root. Every step is finished once, so this is linear.
    std::vector<std::uint8_t> state(n, 0); // 0 new, 1 on the current walk, 2 done
    std::vector<int> walk;
    for (std::size_t start = 0; start < n; ++start) {
        int current = static_cast<int>(start);
        walk.clear();
        while (current >= 0 && state[std::size_t(current)] == 0) {
            state[std::size_t(current)] = 1;
            walk.push_back(current);
            const int up = s.m_parent[std::size_t(current)];
            if (up >= 0 && state[std::size_t(up)] == 1) {
                s.m_parent[std::size_t(current)] = -1;
                ++s.m_brokenCycles;
                break;
            }
            current = up;
        }
        for (const int visited : walk)
            state[std::size_t(visited)] = 2;
    }

    // Children lists in start order (steps are already sorted by start).
    std::vector<int> counts(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (s.m_parent[i] >= 0)
            ++counts[std::size_t(s.m_parent[i])];
    }
    s.m_childStart.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        s.m_childStart[i + 1] = s.m_childStart[i] + counts[i];
    s.m_children.assign(std::size_t(s.m_childStart[n]), 0);
    std::vector<int> fill(s.m_childStart.begin(), s.m_childStart.end() - 1);
    s.m_row.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const int p = s.m_parent[i];
        if (p < 0) {
            s.m_row[i] = static_cast<int>(s.m_roots.size());
            s.m_roots.push_back(static_cast<int>(i));
        } else {
            const int slot = fill[std::size_t(p)]++;
            s.m_children[std::size_t(slot)] = static_cast<int>(i);
            s.m_row[i] = slot - s.m_childStart[std::size_t(p)];
        }
    }

    // Depth, owning agent and causal order in one iterative depth-first walk.
    s.m_depth.assign(n, 0);
    s.m_agent.assign(n, -1);
    s.m_causal.reserve(n);
    std::vector<int> stack(s.m_roots.rbegin(), s.m_roots.rend());
    while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        const int p = s.m_parent[std::size_t(i)];
        s.m_depth[std::size_t(i)] = p < 0 ? 0 : s.m_depth[std::size_t(p)] + 1;
        s.m_agent[std::size_t(i)] = s.m_steps[std::size_t(i)].kind == StepKind::Agent ? i
            : p < 0                                                                   ? -1
                                                                                      : s.m_agent[std::size_t(p)];
        s.m_causal.push_back(i);
        for (int c = s.m_childStart[std::size_t(i) + 1] - 1; c >= s.m_childStart[std::size_t(i)]; --c)
            stack.push_back(s.m_children[std::size_t(c)]);
    }

    s.m_start = std::numeric_limits<std::int64_t>::max();
    s.m_end = 0;
    for (const StepRecord& step : s.m_steps) {
        if (step.startNs > 0)
            s.m_start = std::min(s.m_start, step.startNs);
        s.m_end = std::max({ s.m_end, step.endNs, step.startNs });
    }
    if (s.m_start == std::numeric_limits<std::int64_t>::max())
        s.m_start = 0;
    return snapshot;
}

int TraceSnapshot::childCount(int index) const
{
    if (index < 0)
        return static_cast<int>(m_roots.size());
    return m_childStart[std::size_t(index) + 1] - m_childStart[std::size_t(index)];
}

int TraceSnapshot::child(int index, int row) const
{
    if (index < 0)
        return m_roots[std::size_t(row)];
    return m_children[std::size_t(m_childStart[std::size_t(index)] + row)];
}

int TraceSnapshot::indexOf(std::string_view spanId) const
{
    const auto it = m_bySpanId.find(spanId);
    return it == m_bySpanId.end() ? -1 : it->second;
}

} // namespace Tracelight
