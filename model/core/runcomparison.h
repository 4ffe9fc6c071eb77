#pragma once

#include "tracesnapshot.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace Tracelight {

// Two runs aligned step by step, and what changed between them (house style point 11: a data set computed here;
// the views only show it).
//
// Steps are compared by signature (kind, name, owning agent, tool) in a comparison order: causal order, with
// steps that ran in parallel under one parent sorted by signature, so that two runs calling the same tools in
// parallel in a different order still align. The alignment is a longest-common-subsequence diff over those
// signatures: a run with 20 llm calls against one with 3 shows 17 added calls where the extra calls happen.
class RunComparison
{
public:
    enum class Op
    {
        Same, // same signature, model and status
        Changed, // same signature; model or status differ
        Added, // only in b
        Removed, // only in a
    };
    static const char* opName(Op op);

    struct Pair
    {
        Op op;
        int a = -1; // index into a's snapshot, -1 when added
        int b = -1;
    };

    struct ToolCounts
    {
        int a = 0;
        int b = 0;
    };

    // Alignments bigger than this many cells of the diff table fall back to a greedy match in a window.
    static constexpr std::int64_t MaxDiffCells = 40'000'000;

    static RunComparison compute(TraceSnapshotPtr a, TraceSnapshotPtr b);

    const TraceSnapshot& a() const { return *m_a; }
    const TraceSnapshot& b() const { return *m_b; }
    const TraceSnapshotPtr& aPtr() const { return m_a; }
    const TraceSnapshotPtr& bPtr() const { return m_b; }
    const std::vector<Pair>& alignment() const { return m_alignment; }
    // Index into alignment() of the first pair that is not Same, -1 when the runs match step for step.
    int firstDivergence() const { return m_firstDivergence; }
    const std::map<std::string, ToolCounts>& toolCalls() const { return m_tools; }
    // Models each run used (llm steps), sorted.
    const std::vector<std::string>& modelsA() const { return m_modelsA; }
    const std::vector<std::string>& modelsB() const { return m_modelsB; }
    int count(Op op) const;
    // The comparison order of a run: the sequence the alignment was computed on.
    static std::vector<int> comparisonOrder(const TraceSnapshot& s);
    static std::string signature(const TraceSnapshot& s, int step);

private:
    TraceSnapshotPtr m_a;
    TraceSnapshotPtr m_b;
    std::vector<Pair> m_alignment;
    int m_firstDivergence = -1;
    std::map<std::string, ToolCounts> m_tools;
    std::vector<std::string> m_modelsA;
    std::vector<std::string> m_modelsB;
};

// A longest-common-subsequence alignment of two sequences of keys: pairs (i, j), -1 on the side that lacks the
// element. Exposed for tests and for the word diff.
std::vector<std::pair<int, int>> alignSequences(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b,
    std::int64_t maxCells = RunComparison::MaxDiffCells);

} // namespace Tracelight
