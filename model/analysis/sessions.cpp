#include "sessions.h"

#include <findingsindex.h>
#include <messagetext.h>
#include <tracesnapshot.h>
#include <tracestore.h>

#include <algorithm>
#include <map>
#include <set>

namespace Tracelight {

namespace {

bool isTurn(const StepRecord& s)
{
    return s.kind != StepKind::Llm && s.kind != StepKind::Tool && s.name.rfind("turn ", 0) == 0;
}

// The turn steps of a run, in start order: its "turn N" steps, else its roots (the run is one turn).
std::vector<int> turnSteps(const TraceSnapshot& snapshot)
{
    std::vector<int> turns;
    for (const int i : snapshot.causalOrder())
        if (isTurn(snapshot.step(i)))
            turns.push_back(i);
    if (turns.empty() && !snapshot.roots().empty())
        turns.push_back(snapshot.roots().front());
    return turns;
}

} // namespace

std::vector<Sessions::Row> Sessions::list(TraceStore& store)
{
    std::map<std::string, Row> bySession;
    std::vector<TraceSummary> traces = store.traces();
    std::reverse(traces.begin(), traces.end()); // oldest first
    auto turns = store.database().prepare(
        "SELECT t.trace_id, count(*) FROM steps s JOIN traces t ON t.id = s.trace "
        "WHERE t.session_id IS NOT NULL AND t.session_id <> '' AND s.kind NOT IN (?1, ?2) AND s.name LIKE 'turn %' "
        "GROUP BY t.id");
    turns.bind(1, int(StepKind::Llm)).bind(2, int(StepKind::Tool));
    std::map<std::string, std::int64_t> turnsOf;
    while (turns.step())
        turnsOf[std::string(turns.text(0))] = turns.int64(1);
    for (const TraceSummary& t : traces) {
        if (t.sessionId.empty())
            continue;
        Row& row = bySession[t.sessionId];
        if (row.runs == 0) {
            row.sessionId = t.sessionId;
            row.startNs = t.startNs;
            row.name = t.name;
            row.service = t.service;
        }
        ++row.runs;
        const auto found = turnsOf.find(t.traceId);
        row.turns += found != turnsOf.end() ? found->second : 1;
        row.startNs = std::min(row.startNs, t.startNs);
        row.endNs = std::max(row.endNs, t.endNs);
        if (t.costUsd)
            row.costUsd = row.costUsd.value_or(0.0) + *t.costUsd;
        row.errors += t.errors;
        row.traceIds.push_back(t.traceId);
    }
    std::vector<Row> rows;
    for (auto& [id, row] : bySession)
        rows.push_back(std::move(row));
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.startNs > b.startNs; });
    return rows;
}

std::vector<Sessions::Turn> Sessions::transcript(TraceStore& store, std::string_view sessionId)
{
    std::vector<Turn> out;
    std::vector<TraceSummary> runs;
    for (TraceSummary& t : store.traces())
        if (t.sessionId == sessionId)
            runs.push_back(std::move(t));
    std::sort(
        runs.begin(), runs.end(), [](const TraceSummary& a, const TraceSummary& b) { return a.startNs < b.startNs; });
    for (const TraceSummary& run : runs) {
        const auto snapshot = TraceSnapshot::build(run, store.steps(run.traceId));
        const std::vector<Finding> findings = FindingsIndex::stored(store, run.traceId);
        for (const int t : turnSteps(*snapshot)) {
            Turn turn;
            turn.number = int(out.size()) + 1;
            turn.traceId = run.traceId;
            turn.spanId = snapshot->step(t).spanId;
            turn.startNs = snapshot->step(t).startNs;
            turn.endNs = snapshot->step(t).endNs;
            // The turn's subtree in causal order.
            std::vector<int> subtree { t };
            for (std::size_t k = 0; k < subtree.size(); ++k)
                for (int row = 0; row < snapshot->childCount(subtree[k]); ++row)
                    subtree.push_back(snapshot->child(subtree[k], row));
            std::set<std::string> spans;
            int firstHuman = -1;
            int firstLlm = -1;
            int lastLlm = -1;
            for (const int i : subtree) {
                const StepRecord& s = snapshot->step(i);
                spans.insert(s.spanId);
                ++turn.steps;
                turn.errors += s.status == StepStatus::Error ? 1 : 0;
                turn.endNs = std::max(turn.endNs, s.endNs);
                if (s.kind == StepKind::Tool)
                    ++turn.toolCalls;
                if (s.kind == StepKind::Human && (firstHuman < 0 || s.startNs < snapshot->step(firstHuman).startNs))
                    firstHuman = i;
                if (s.kind != StepKind::Llm)
                    continue;
                ++turn.llmCalls;
                turn.tokens += s.tokens.input.value_or(0) + s.tokens.output.value_or(0);
                if (s.costUsd)
                    turn.costUsd = turn.costUsd.value_or(0.0) + *s.costUsd;
                if (firstLlm < 0 || s.startNs < snapshot->step(firstLlm).startNs)
                    firstLlm = i;
                if (lastLlm < 0 || s.endNs >= snapshot->step(lastLlm).endNs)
                    lastLlm = i;
            }
            // Its steps in reading order (depth first, children by start), for the transcript to fold beneath it.
            std::vector<std::pair<int, int>> stack { { t, 0 } };
            while (!stack.empty() && turn.outline.size() < OutlineLimit) {
                const auto [i, depth] = stack.back();
                stack.pop_back();
                const StepRecord& s = snapshot->step(i);
                turn.outline.push_back(
                    { s.spanId, s.kind, s.name, s.durationNs(), s.status == StepStatus::Error, depth });
                for (int row = snapshot->childCount(i) - 1; row >= 0; --row)
                    stack.emplace_back(snapshot->child(i, row), depth + 1);
            }
            const auto detail = [&](int i) { return store.stepDetail(run.traceId, snapshot->step(i).spanId); };
            if (firstHuman >= 0) {
                if (const auto d = detail(firstHuman))
                    turn.user = !d->step.inputText.empty() ? d->step.inputText
                        : !d->step.outputText.empty()      ? d->step.outputText
                                                           : d->record.name;
            } else if (firstLlm >= 0) {
                if (const auto d = detail(firstLlm))
                    turn.user
                        = !d->step.inputMessages.empty() ? MessageText::last(d->step.inputMessages) : d->step.inputText;
            }
            if (lastLlm >= 0)
                if (const auto d = detail(lastLlm))
                    turn.answer
                        = !d->step.outputText.empty() ? d->step.outputText : MessageText::plain(d->step.outputMessages);
            for (const Finding& f : findings)
                if (std::any_of(
                        f.spanIds.begin(), f.spanIds.end(), [&](const std::string& id) { return spans.count(id); }))
                    turn.findings.push_back(f);
            out.push_back(std::move(turn));
        }
    }
    return out;
}

} // namespace Tracelight
