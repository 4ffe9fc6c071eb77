#include "versioncomparison.h"

#include "statmath.h"
#include "tracestore.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace Tracelight::VersionComparison {

namespace {
// The dashboard's definition (StatMath): linear between the closest ranks, so both views agree.
double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return StatMath::percentile(values, p / 100.0);
}
} // namespace

VersionStats summarize(const std::string& version, const std::vector<TraceSummary>& runs)
{
    VersionStats v;
    v.version = version;
    v.runs = int(runs.size());
    std::vector<double> durations;
    std::vector<double> costs;
    std::vector<double> tokens;
    double llm = 0;
    double tools = 0;
    std::vector<const TraceSummary*> byStart;
    for (const TraceSummary& t : runs) {
        v.failedRuns += t.errors > 0;
        durations.push_back(t.durationMs());
        if (t.costUsd)
            costs.push_back(*t.costUsd);
        tokens.push_back(double(t.tokens.total()));
        llm += double(t.llmCalls);
        tools += double(t.toolCalls);
        byStart.push_back(&t);
    }
    if (v.runs > 0) {
        v.errorRate = double(v.failedRuns) / v.runs;
        v.p50DurationMs = percentile(durations, 50);
        v.p95DurationMs = percentile(durations, 95);
        if (!costs.empty())
            v.medianCostUsd = percentile(costs, 50);
        v.medianTokens = percentile(tokens, 50);
        v.llmCallsPerRun = llm / v.runs;
        v.toolCallsPerRun = tools / v.runs;
    }
    std::sort(byStart.begin(), byStart.end(),
        [](const TraceSummary* x, const TraceSummary* y) { return x->startNs > y->startNs; });
    for (const TraceSummary* t : byStart)
        v.traceIds.push_back(t->traceId);
    return v;
}

std::vector<std::string> versions(TraceStore& store, const std::string& service)
{
    std::set<std::string> unique;
    for (const TraceSummary& t : store.traces()) {
        if ((service.empty() || t.service == service) && !t.version.empty())
            unique.insert(t.version);
    }
    return { unique.begin(), unique.end() };
}

VersionStats stats(TraceStore& store, const std::string& version, const std::string& service)
{
    std::vector<TraceSummary> runs;
    for (TraceSummary& t : store.traces()) {
        if (t.version == version && (service.empty() || t.service == service))
            runs.push_back(std::move(t));
    }
    VersionStats v = summarize(version, runs);
    Sql::Statement statement = store.database().prepare(R"sql(
SELECT coalesce(nullif(s.tool_name, ''), s.name), count(*), sum(s.status = ?3)
FROM steps s JOIN traces t ON t.id = s.trace
WHERE t.version = ?1 AND (?2 IS NULL OR t.service = ?2) AND s.kind = ?4
GROUP BY 1
)sql");
    statement.bind(1, version);
    statement.bind(2, service, true);
    statement.bind(3, static_cast<int>(StepStatus::Error));
    statement.bind(4, static_cast<int>(StepKind::Tool));
    while (statement.step())
        v.tools[std::string(statement.text(0))] = { int(statement.int64(1)), int(statement.int64(2)) };
    return v;
}

} // namespace Tracelight::VersionComparison
