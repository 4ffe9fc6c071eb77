#include "runcomparison.h"

#include <algorithm>
#include <functional>
#include <set>

namespace Tracelight {

const char* RunComparison::opName(Op op)
{
    switch (op) {
    case Op::Same:
        return "same";
    case Op::Changed:
        return "changed";
    case Op::Added:
        return "added";
    case Op::Removed:
        return "removed";
    }
    return "same";
}

std::string RunComparison::signature(const TraceSnapshot& s, int step)
{
    const StepRecord& r = s.step(step);
    const int agent = s.owningAgent(step);
    std::string key(stepKindName(r.kind));
    key += '\x1f';
    key += r.kind == StepKind::Tool && !r.toolName.empty() ? r.toolName.str() : r.name;
    key += '\x1f';
    key += agent >= 0 && agent != step ? s.step(agent).name : std::string();
    return key;
}

std::vector<int> RunComparison::comparisonOrder(const TraceSnapshot& s)
{
    std::vector<int> order;
    order.reserve(std::size_t(s.size()));
    // Siblings that ran in parallel (each overlapping the one before it by at least half of the shorter) form a
    // cluster whose start order is noise: within it they are sorted by signature. A few milliseconds of overlap
    // between steps that ran one after the other do not count. Iterative, so a deep chain cannot overflow the stack.
    const auto parallel = [&](int x, int y) {
        const StepRecord& p = s.step(x);
        const StepRecord& q = s.step(y);
        const std::int64_t overlap = std::min(p.endNs, q.endNs) - std::max(p.startNs, q.startNs);
        const std::int64_t shorter = std::min(p.durationNs(), q.durationNs());
        return shorter == 0 ? p.startNs == q.startNs : overlap * 2 >= shorter;
    };
    const auto children = [&](int parent) {
        std::vector<int> list(std::size_t(s.childCount(parent)));
        for (int row = 0; row < int(list.size()); ++row)
            list[std::size_t(row)] = s.child(parent, row);
        std::size_t begin = 0;
        for (std::size_t i = 1; i <= list.size(); ++i) {
            if (i < list.size() && parallel(list[i - 1], list[i]))
                continue;
            if (i - begin > 1) {
                std::stable_sort(list.begin() + std::ptrdiff_t(begin), list.begin() + std::ptrdiff_t(i),
                    [&](int x, int y) { return signature(s, x) < signature(s, y); });
            }
            begin = i;
        }
        return list;
    };
    std::vector<int> stack;
    const std::vector<int> roots = children(-1);
    stack.assign(roots.rbegin(), roots.rend());
    while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        order.push_back(i);
        const std::vector<int> kids = children(i);
        stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
    return order;
}

std::vector<std::pair<int, int>> alignSequences(
    const std::vector<std::size_t>& a, const std::vector<std::size_t>& b, std::int64_t maxCells)
{
    std::vector<std::pair<int, int>> result;
    const int n = int(a.size());
    const int m = int(b.size());
    // Common prefix and suffix cost nothing.
    int prefix = 0;
    while (prefix < n && prefix < m && a[std::size_t(prefix)] == b[std::size_t(prefix)])
        ++prefix;
    int suffix = 0;
    while (
        suffix < n - prefix && suffix < m - prefix && a[std::size_t(n - 1 - suffix)] == b[std::size_t(m - 1 - suffix)])
        ++suffix;
    for (int i = 0; i < prefix; ++i)
        result.emplace_back(i, i);
    const int rn = n - prefix - suffix;
    const int rm = m - prefix - suffix;
    std::vector<std::pair<int, int>> middle;
    if (std::int64_t(rn) * rm <= maxCells) {
        // LCS lengths kept for two rows only; the choice at each cell in two bits, for the walk back. On a tie
        // the walk back takes the insertion first, so that deletions come before insertions in the result.
        const std::size_t width = std::size_t(rm) + 1;
        std::vector<std::uint8_t> move((std::size_t(rn) + 1) * width, 0); // 0 diagonal, 1 up (removed), 2 left (added)
        std::vector<int> previous(width, 0), current(width, 0);
        for (int i = 1; i <= rn; ++i) {
            current[0] = 0;
            move[std::size_t(i) * width] = 1;
            const std::size_t ai = a[std::size_t(prefix + i - 1)];
            for (int j = 1; j <= rm; ++j) {
                std::uint8_t& choice = move[std::size_t(i) * width + std::size_t(j)];
                if (ai == b[std::size_t(prefix + j - 1)]) {
                    current[std::size_t(j)] = previous[std::size_t(j - 1)] + 1;
                    choice = 0;
                } else if (previous[std::size_t(j)] > current[std::size_t(j - 1)]) {
                    current[std::size_t(j)] = previous[std::size_t(j)];
                    choice = 1;
                } else {
                    current[std::size_t(j)] = current[std::size_t(j - 1)];
                    choice = 2;
                }
            }
            std::swap(previous, current);
        }
        for (int j = 1; j <= rm; ++j)
            move[std::size_t(j)] = 2;
        int i = rn;
        int j = rm;
        while (i > 0 || j > 0) {
            const std::uint8_t choice = move[std::size_t(i) * width + std::size_t(j)];
            if (i > 0 && j > 0 && choice == 0) {
                middle.emplace_back(prefix + i - 1, prefix + j - 1);
                --i;
                --j;
            } else if (i > 0 && (j == 0 || choice == 1)) {
                middle.emplace_back(prefix + i - 1, -1);
                --i;
            } else {
                middle.emplace_back(-1, prefix + j - 1);
                --j;
            }
        }
        std::reverse(middle.begin(), middle.end());
    } else {
        // Too big for the table: match each element of a with the next equal one of b within a window.
        constexpr int Window = 256;
        int j = 0;
        for (int i = 0; i < rn; ++i) {
            const std::size_t key = a[std::size_t(prefix + i)];
            int found = -1;
            for (int k = j; k < std::min(rm, j + Window); ++k) {
                if (b[std::size_t(prefix + k)] == key) {
                    found = k;
                    break;
                }
            }
            if (found < 0) {
                middle.emplace_back(prefix + i, -1);
                continue;
            }
            for (; j < found; ++j)
                middle.emplace_back(-1, prefix + j);
            middle.emplace_back(prefix + i, prefix + found);
            j = found + 1;
        }
        for (; j < rm; ++j)
            middle.emplace_back(-1, prefix + j);
    }
    result.insert(result.end(), middle.begin(), middle.end());
    for (int k = 0; k < suffix; ++k)
        result.emplace_back(n - suffix + k, m - suffix + k);

    // Slide each block of insertions (or deletions) as early as it can go: among equally long alignments of a
    // repeated pattern, the one that shows whole extra rounds where the repetition began reads best. A block can
    // move up by one when the match just before it pairs an element equal to the block's last one.
    for (std::size_t k = 0; k < result.size(); ++k) {
        const bool added = result[k].first < 0;
        const bool removed = result[k].second < 0;
        if (!added && !removed)
            continue;
        std::size_t end = k;
        while (end + 1 < result.size() && (added ? result[end + 1].first < 0 : result[end + 1].second < 0)
            && (added ? result[end + 1].second >= 0 : result[end + 1].first >= 0))
            ++end;
        std::size_t begin = k;
        while (begin > 0 && result[begin - 1].first >= 0 && result[begin - 1].second >= 0) {
            const auto before = result[begin - 1];
            const auto last = result[end];
            if (added ? b[std::size_t(before.second)] != b[std::size_t(last.second)]
                      : a[std::size_t(before.first)] != a[std::size_t(last.first)])
                break;
            // The match moves to the block's last element (an equal one), the block takes the matched element.
            if (added) {
                result[begin - 1] = { -1, before.second };
                result[end] = { before.first, last.second };
            } else {
                result[begin - 1] = { before.first, -1 };
                result[end] = { last.first, before.second };
            }
            --begin;
            --end;
        }
        k = end;
    }
    return result;
}

RunComparison RunComparison::compute(TraceSnapshotPtr a, TraceSnapshotPtr b)
{
    RunComparison c;
    c.m_a = std::move(a);
    c.m_b = std::move(b);
    const std::vector<int> orderA = comparisonOrder(*c.m_a);
    const std::vector<int> orderB = comparisonOrder(*c.m_b);
    const std::hash<std::string> hash;
    std::vector<std::size_t> keysA;
    std::vector<std::size_t> keysB;
    keysA.reserve(orderA.size());
    keysB.reserve(orderB.size());
    for (const int i : orderA)
        keysA.push_back(hash(signature(*c.m_a, i)));
    for (const int i : orderB)
        keysB.push_back(hash(signature(*c.m_b, i)));

    for (const auto& [i, j] : alignSequences(keysA, keysB)) {
        Pair pair;
        pair.a = i >= 0 ? orderA[std::size_t(i)] : -1;
        pair.b = j >= 0 ? orderB[std::size_t(j)] : -1;
        if (pair.a < 0)
            pair.op = Op::Added;
        else if (pair.b < 0)
            pair.op = Op::Removed;
        else {
            const StepRecord& x = c.m_a->step(pair.a);
            const StepRecord& y = c.m_b->step(pair.b);
            pair.op = x.model == y.model && x.status == y.status && x.toolName == y.toolName ? Op::Same : Op::Changed;
        }
        if (c.m_firstDivergence < 0 && pair.op != Op::Same)
            c.m_firstDivergence = int(c.m_alignment.size());
        c.m_alignment.push_back(pair);
    }

    const auto collect = [](const TraceSnapshot& s, std::vector<std::string>& models, auto&& countTool) {
        std::set<std::string> unique;
        for (const StepRecord& r : s.steps()) {
            if (r.kind == StepKind::Llm && !r.model.empty())
                unique.insert(r.model);
            if (r.kind == StepKind::Tool)
                countTool(r.toolName.empty() ? r.name : r.toolName.str());
        }
        models.assign(unique.begin(), unique.end());
    };
    collect(*c.m_a, c.m_modelsA, [&](const std::string& tool) { ++c.m_tools[tool].a; });
    collect(*c.m_b, c.m_modelsB, [&](const std::string& tool) { ++c.m_tools[tool].b; });
    return c;
}

int RunComparison::count(Op op) const
{
    return int(std::count_if(m_alignment.begin(), m_alignment.end(), [op](const Pair& p) { return p.op == op; }));
}

} // namespace Tracelight
