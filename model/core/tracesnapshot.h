#pragma once

#include "tracesummary.h"

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Tracelight {

// An immutable, loaded trace: its steps in start order plus the tree over them. Built on a worker thread and
// shared with the views as std::shared_ptr<const TraceSnapshot> (house style point 6).
class TraceSnapshot
{
public:
    static std::shared_ptr<const TraceSnapshot> build(TraceSummary summary, std::vector<StepRecord> steps);

    const TraceSummary& summary() const { return m_summary; }
    int size() const { return static_cast<int>(m_steps.size()); }
    const StepRecord& step(int index) const { return m_steps[static_cast<std::size_t>(index)]; }
    const std::vector<StepRecord>& steps() const { return m_steps; }

    // -1 for a root: no parent, a parent not in the trace, or a parent link that closes a cycle.
    int parent(int index) const { return m_parent[static_cast<std::size_t>(index)]; }
    int depth(int index) const { return m_depth[static_cast<std::size_t>(index)]; }
    int rowInParent(int index) const { return m_row[static_cast<std::size_t>(index)]; }
    const std::vector<int>& roots() const { return m_roots; }
    int childCount(int index) const;
    int child(int index, int row) const;
    // The nearest agent step at or above index, -1 when none.
    int owningAgent(int index) const { return m_agent[static_cast<std::size_t>(index)]; }
    // Depth-first order over the tree, children by start time: the order in which the agent made its decisions.
    const std::vector<int>& causalOrder() const { return m_causal; }
    int indexOf(std::string_view spanId) const;
    std::int64_t startNs() const { return m_start; }
    std::int64_t endNs() const { return m_end; }
    int brokenCycles() const { return m_brokenCycles; }

private:
    TraceSummary m_summary;
    std::vector<StepRecord> m_steps;
    std::vector<int> m_parent;
    std::vector<int> m_depth;
    std::vector<int> m_row;
    std::vector<int> m_agent;
    std::vector<int> m_childStart; // children of i: m_children[m_childStart[i] .. m_childStart[i + 1])
    std::vector<int> m_children;
    std::vector<int> m_roots;
    std::vector<int> m_causal;
    std::unordered_map<std::string_view, int> m_bySpanId;
    std::int64_t m_start = 0;
    std::int64_t m_end = 0;
    int m_brokenCycles = 0;
};

using TraceSnapshotPtr = std::shared_ptr<const TraceSnapshot>;

} // namespace Tracelight
