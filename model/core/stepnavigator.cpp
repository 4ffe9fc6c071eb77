#include "stepnavigator.h"

namespace Tracelight {

StepNavigator::StepNavigator(TraceSnapshotPtr snapshot)
    : m_snapshot(std::move(snapshot))
{
    if (!m_snapshot)
        return;
    const std::vector<int>& causal = m_snapshot->causalOrder();
    m_position.assign(causal.size(), 0);
    for (std::size_t r = 0; r < causal.size(); ++r)
        m_position[std::size_t(causal[r])] = int(r);
}

int StepNavigator::search(int current, int direction, const std::function<bool(const StepRecord&)>& match) const
{
    const std::vector<int>& causal = m_snapshot->causalOrder();
    const int n = int(causal.size());
    int r = current < 0 ? (direction > 0 ? -1 : n) : position(current);
    for (r += direction; r >= 0 && r < n; r += direction) {
        if (match(m_snapshot->step(causal[std::size_t(r)])))
            return causal[std::size_t(r)];
    }
    return -1;
}

int StepNavigator::move(int current, Move move) const
{
    if (!m_snapshot || m_snapshot->size() == 0)
        return -1;
    const std::vector<int>& causal = m_snapshot->causalOrder();
    const auto any = [](const StepRecord&) { return true; };
    const auto error = [](const StepRecord& s) { return s.status == StepStatus::Error; };
    const auto llm = [](const StepRecord& s) { return s.kind == StepKind::Llm; };
    const auto tool = [](const StepRecord& s) { return s.kind == StepKind::Tool; };
    switch (move) {
    case Move::Next:
        return search(current, 1, any);
    case Move::Previous:
        return search(current, -1, any);
    case Move::FirstChild:
        return current >= 0 && m_snapshot->childCount(current) > 0 ? m_snapshot->child(current, 0) : -1;
    case Move::Parent:
        return current >= 0 ? m_snapshot->parent(current) : -1;
    case Move::First:
        return causal.front();
    case Move::Last:
        return causal.back();
    case Move::NextError:
        return search(current, 1, error);
    case Move::PreviousError:
        return search(current, -1, error);
    case Move::NextLlm:
        return search(current, 1, llm);
    case Move::PreviousLlm:
        return search(current, -1, llm);
    case Move::NextTool:
        return search(current, 1, tool);
    case Move::PreviousTool:
        return search(current, -1, tool);
    }
    return -1;
}

} // namespace Tracelight
