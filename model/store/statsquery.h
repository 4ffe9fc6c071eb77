#pragma once

#include "cachestats.h"
#include "tracestore.h"

#include <optional>
#include <string>
#include <vector>

namespace Tracelight {

// Statistics over the runs of a cache that a filter selects: what the dashboard shows and `tracelight stats`
// prints. SQL aggregates do the counting over the steps_stats covering index; costs come from the store's cost
// model. Runs on a worker thread with its own read-only store: the work grows with the cache.
class StatsQuery
{
public:
    explicit StatsQuery(TraceStore& store);

    CacheStats compute(const StatsFilter& filter, const StatsOptions& options = {});
    // The runs a filter selects, newest first.
    std::vector<RunRef> runs(const StatsFilter& filter, int limit);
    // The trace ids of every run a filter selects, newest first.
    std::vector<std::string> traceIds(const StatsFilter& filter);

    // What the filters can choose from.
    struct Choices
    {
        std::vector<std::string> services;
        std::vector<std::string> versions;
        std::vector<std::string> agents;
        std::vector<std::string> models;
    };
    Choices choices();

    // The stored findings of the runs a filter selects, by kind and version: the dashboard's count.
    struct FindingCount
    {
        std::string kind;
        std::string version;
        std::int64_t runs = 0; // runs with at least one
        std::int64_t findings = 0;
        std::optional<double> wastedCostUsd;
        std::int64_t wastedTokens = 0;
    };
    std::vector<FindingCount> findingCounts(const StatsFilter& filter);

private:
    struct Where
    {
        std::string sql; // a condition on traces t
        std::vector<std::pair<int, std::string>> texts;
        std::vector<std::pair<int, std::int64_t>> numbers;
        void bind(Sql::Statement& statement) const;
    };
    static Where where(const StatsFilter& filter);
    std::vector<std::string> distinct(const char* sql);
    std::vector<RunRef> refs(const std::vector<std::int64_t>& rows);
    std::vector<StatsGroup> stepGroups(const Where& where, StepKind kind, const char* keyColumn);
    std::vector<StatsGroup> modelGroups(const Where& where, std::vector<StatsGroup> groups);

    TraceStore& m_store;
};

} // namespace Tracelight
