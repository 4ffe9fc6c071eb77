#pragma once

#include "findings.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

class TraceStore;

// How far the stored findings have caught up with the runs.
struct FindingsState
{
    std::int64_t current = 0; // runs whose findings are up to date
    std::int64_t total = 0;
    bool complete() const { return current >= total; }
};

// Findings of the runs in the cache (core: findings.h, what they are), kept in the table `findings` and computed
// behind the imports: a run's own findings from its steps, then the baseline findings of every run whose agent and
// version gained or changed a run. The window's list, panels and reports read them; `tracelight check` computes
// them afresh with compute(), the same code.
class FindingsIndex
{
public:
    static FindingsState state(TraceStore& store, const FindingThresholds& thresholds);
    // Brings every run's findings up to date (a transaction per batch of runs), reporting after each batch; stops
    // early (false) when cancel is raised. Needs a writable store; its cost model prices the waste.
    static bool catchUp(TraceStore& store, const FindingThresholds& thresholds,
        const std::atomic<bool>* cancel = nullptr, const std::function<void(const FindingsState&)>& progress = {});

    // The findings of one run, computed now: its own, and against the other runs of its agent and version (or of
    // baselineVersion of its agent, when given).
    // allMetrics: metrics(store, nullopt, nullopt) when the caller checks many runs (read once, not once a run).
    static std::vector<Finding> compute(TraceStore& store, std::string_view traceId,
        const FindingThresholds& thresholds, const std::optional<std::string>& baselineVersion = std::nullopt,
        const std::vector<RunMetrics>* allMetrics = nullptr);
    // Where each identifier-like argument of the tool call spanId came from (the inspector's provenance).
    static std::vector<ArgumentSource> argumentSources(
        TraceStore& store, std::string_view traceId, std::string_view spanId, const FindingThresholds& thresholds);

    // What the cache holds for a run, the most severe first.
    static std::vector<Finding> stored(TraceStore& store, std::string_view traceId);
    // Every stored finding (for the dashboard and `check --all` over a current cache).
    static std::vector<Finding> storedAll(TraceStore& store);

    // The figures baselines compare, of the runs of an agent (the root agent, else the service) and version; all runs
    // when agent is nullopt.
    static std::vector<RunMetrics> metrics(
        TraceStore& store, const std::optional<std::string>& agent, const std::optional<std::string>& version);
    // The group a run belongs to: (agent, version) as metrics() takes them.
    static std::optional<std::pair<std::string, std::string>> groupOf(TraceStore& store, std::string_view traceId);
};

} // namespace Tracelight
