#pragma once

#include "tracesnapshot.h"

#include <functional>

namespace Tracelight {

// Debugger-like moves through an agent's decisions, in causal order (TraceSnapshot::causalOrder()). Each move
// returns the step to go to, or -1 when there is none; it never wraps around.
class StepNavigator
{
public:
    enum class Move
    {
        Next,
        Previous,
        FirstChild,
        Parent,
        First,
        Last,
        NextError,
        PreviousError,
        NextLlm,
        PreviousLlm,
        NextTool,
        PreviousTool,
    };

    explicit StepNavigator(TraceSnapshotPtr snapshot);

    int move(int current, Move move) const;
    // 0-based position of a step in causal order ("step 14 of 52" shows position + 1).
    int position(int step) const { return m_position[std::size_t(step)]; }
    int count() const { return m_snapshot ? m_snapshot->size() : 0; }

private:
    int search(int current, int direction, const std::function<bool(const StepRecord&)>& match) const;

    TraceSnapshotPtr m_snapshot;
    std::vector<int> m_position;
};

} // namespace Tracelight
