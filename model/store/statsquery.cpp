#include "statsquery.h"

#include "statmath.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace Tracelight {

namespace {

constexpr std::int64_t nsPerDay = 86'400'000'000'000;

std::string str(std::string_view view)
{
    return std::string(view);
}

double ms(std::int64_t ns)
{
    return double(ns) / 1e6;
}

// One run the filter selected, with what the statistics need of it.
struct RunRow
{
    std::int64_t row = 0;
    std::string traceId;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int64_t errors = 0;
    std::int64_t spans = 0;
    std::int64_t llmCalls = 0;
    std::int64_t toolCalls = 0;
    TokenTotals tokens;
    std::string version;
    CostTotal cost;

    std::int64_t durationNs() const { return endNs > startNs ? endNs - startNs : 0; }
};

std::string utcDay(std::int64_t ns)
{
    const auto days = std::chrono::sys_days(std::chrono::days(ns >= 0 ? ns / nsPerDay : (ns + 1) / nsPerDay - 1));
    const std::chrono::year_month_day date(days);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
    return text;
}

// Folds runs into groups by a key (version, day): run counts, run latency, tokens and cost.
std::vector<StatsGroup> runGroups(const std::vector<RunRow>& runs, std::string (*key)(const RunRow&))
{
    std::map<std::string, std::pair<StatsGroup, std::vector<double>>> groups;
    for (const RunRow& run : runs) {
        auto& [group, durations] = groups[key(run)];
        ++group.runs;
        ++group.calls;
        group.runsWithErrors += run.errors > 0;
        group.errors += run.errors;
        group.tokens += run.tokens;
        group.cost.add(run.cost);
        durations.push_back(ms(run.durationNs()));
    }
    std::vector<StatsGroup> result;
    for (auto& [name, entry] : groups) {
        entry.first.key = name;
        entry.first.latency = StatMath::summarize(entry.second);
        result.push_back(std::move(entry.first));
    }
    return result;
}

double byCalls(const StatsGroup& g)
{
    return double(g.calls);
}

double byTokensAndCost(const StatsGroup& g)
{
    // Cost first; tokens break ties between unpriced models.
    return g.cost.usd.value_or(0.0) * 1e9 + double(g.tokens.total());
}

} // namespace

std::string_view statsGroupingName(StatsGrouping grouping)
{
    switch (grouping) {
    case StatsGrouping::Model:
        return "model";
    case StatsGrouping::Tool:
        return "tool";
    case StatsGrouping::Agent:
        return "agent";
    case StatsGrouping::Version:
        return "version";
    case StatsGrouping::Day:
        return "day";
    case StatsGrouping::None:
        break;
    }
    return "";
}

std::optional<StatsGrouping> statsGroupingFromName(std::string_view name)
{
    for (const StatsGrouping g : { StatsGrouping::Model, StatsGrouping::Tool, StatsGrouping::Agent,
             StatsGrouping::Version, StatsGrouping::Day }) {
        if (statsGroupingName(g) == name)
            return g;
    }
    return std::nullopt;
}

StatsQuery::StatsQuery(TraceStore& store)
    : m_store(store)
{ }

void StatsQuery::Where::bind(Sql::Statement& statement) const
{
    for (const auto& [index, text] : texts)
        statement.bind(index, text);
    for (const auto& [index, number] : numbers)
        statement.bind(index, number);
}

std::vector<StatsQuery::FindingCount> StatsQuery::findingCounts(const StatsFilter& filter)
{
    const Where w = where(filter);
    auto query = m_store.database().prepare(
        "SELECT f.kind, coalesce(t.version, ''), count(DISTINCT f.trace), count(*), sum(f.wasted_cost_usd), "
        "coalesce(sum(f.wasted_tokens), 0) FROM findings f JOIN traces t ON t.id = f.trace WHERE "
        + w.sql + " GROUP BY f.kind, coalesce(t.version, '') ORDER BY count(*) DESC, f.kind, 2");
    w.bind(query);
    std::vector<FindingCount> out;
    while (query.step())
        out.push_back({ std::string(query.text(0)), std::string(query.text(1)), query.int64(2), query.int64(3),
            query.optReal(4), query.int64(5) });
    return out;
}

StatsQuery::Where StatsQuery::where(const StatsFilter& f)
{
    Where w;
    std::vector<std::string> conditions;
    if (f.sinceNs != 0) {
        conditions.emplace_back("t.start_ns >= ?1");
        w.numbers.emplace_back(1, f.sinceNs);
    }
    if (f.untilNs != 0) {
        conditions.emplace_back("t.start_ns < ?2");
        w.numbers.emplace_back(2, f.untilNs);
    }
    const std::array<std::pair<const std::string*, const char*>, 5> texts = { {
        { &f.service, "coalesce(t.service, '') = ?3" },
        { &f.version, "coalesce(t.version, '') = ?4" },
        { &f.agent, "EXISTS (SELECT 1 FROM steps a WHERE a.trace = t.id AND a.agent_name = ?5)" },
        { &f.model,
            "EXISTS (SELECT 1 FROM steps m WHERE m.trace = t.id AND m.kind = 1 AND (m.model = ?6 OR m.model GLOB "
            "?6))" },
        { &f.tool, "EXISTS (SELECT 1 FROM steps x WHERE x.trace = t.id AND x.kind = 2 AND x.tool_name = ?7)" },
    } };
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (texts[i].first->empty())
            continue;
        conditions.emplace_back(texts[i].second);
        w.texts.emplace_back(static_cast<int>(i) + 3, *texts[i].first);
    }
    if (f.errorsOnly)
        conditions.emplace_back("t.errors > 0");
    if (f.minDurationNs != 0) {
        conditions.emplace_back("max(t.end_ns - t.start_ns, 0) >= ?8");
        w.numbers.emplace_back(8, f.minDurationNs);
    }
    if (f.maxDurationNs != 0) {
        conditions.emplace_back("max(t.end_ns - t.start_ns, 0) < ?9");
        w.numbers.emplace_back(9, f.maxDurationNs);
    }
    for (const std::string& condition : conditions)
        w.sql += (w.sql.empty() ? "" : " AND ") + condition;
    if (w.sql.empty())
        w.sql = "1";
    return w;
}

CacheStats StatsQuery::compute(const StatsFilter& filter, const StatsOptions& options)
{
    CacheStats stats;
    stats.filter = filter;
    stats.grouping = options.grouping;
    const Where w = where(filter);
    const std::string runsCte = "WITH runs AS (SELECT t.id AS id FROM traces t WHERE " + w.sql + ") ";
    Sql::Database& db = m_store.database();

    std::vector<RunRow> runs;
    std::unordered_map<std::int64_t, std::size_t> index;
    {
        auto q = db.prepare("SELECT t.id, t.trace_id, t.start_ns, t.end_ns, t.errors, t.spans, t.llm_calls, "
                            "t.tool_calls, t.input_tokens, t.output_tokens, t.cache_read_tokens, t.reasoning_tokens, "
                            "coalesce(t.version, '') FROM traces t WHERE "
            + w.sql + " ORDER BY t.start_ns, t.id");
        w.bind(q);
        while (q.step()) {
            RunRow r;
            r.row = q.int64(0);
            r.traceId = str(q.text(1));
            r.startNs = q.int64(2);
            r.endNs = q.int64(3);
            r.errors = q.int64(4);
            r.spans = q.int64(5);
            r.llmCalls = q.int64(6);
            r.toolCalls = q.int64(7);
            r.tokens.input = q.int64(8);
            r.tokens.output = q.int64(9);
            r.tokens.cacheRead = q.int64(10);
            r.tokens.reasoning = q.int64(11);
            r.version = str(q.text(12));
            index.emplace(r.row, runs.size());
            runs.push_back(std::move(r));
        }
    }
    if (runs.empty())
        return stats;

    // Per-run facts from the steps: retrievals, escalations to a human, handoffs, failed tool calls.
    {
        auto q = db.prepare(runsCte
            + "SELECT s.trace, coalesce(sum(s.kind = 3), 0), coalesce(sum(s.kind = 8), 0), "
              "coalesce(sum(s.kind = 7), 0), count(DISTINCT CASE WHEN s.kind = 0 THEN s.agent_name END), "
              "coalesce(sum(s.kind = 2 AND s.status = 2), 0), "
              "coalesce(sum(CASE WHEN s.kind = 1 THEN s.cache_write_tokens END), 0) "
              "FROM steps s WHERE s.trace IN (SELECT id FROM runs) GROUP BY s.trace");
        w.bind(q);
        while (q.step()) {
            const auto it = index.find(q.int64(0));
            if (it == index.end())
                continue;
            RunRow& run = runs[it->second];
            const std::int64_t retrievals = q.int64(1);
            stats.retrievals += retrievals;
            stats.runsWithRetrieval += retrievals > 0;
            stats.runsWithHuman += q.int64(2) > 0;
            stats.runsWithHandoff += q.int64(3) > 0 || q.int64(4) > 1;
            stats.toolErrors += q.int64(5);
            run.tokens.cacheWrite = q.int64(6);
        }
    }

    // Usage by run and model: each run's cost, and the by-model breakdown, from the same groups.
    std::map<std::string, StatsGroup> models;
    std::map<std::string, std::unordered_set<std::int64_t>> modelRuns;
    {
        auto q = db.prepare(runsCte + "SELECT s.trace, " + str(TraceStore::usageColumns())
            + ", coalesce(sum(s.input_tokens), 0), coalesce(sum(s.output_tokens), 0), "
              "coalesce(sum(s.cache_read_tokens), 0), coalesce(sum(s.cache_write_tokens), 0), "
              "coalesce(sum(s.reasoning_tokens), 0), coalesce(sum(s.status = 2), 0) "
              "FROM steps s WHERE s.kind = 1 AND s.trace IN (SELECT id FROM runs) "
              "GROUP BY s.trace, s.model, s.provider");
        w.bind(q);
        while (q.step()) {
            const auto it = index.find(q.int64(0));
            if (it == index.end())
                continue;
            const UsageGroup usage = TraceStore::readUsage(q, 1);
            const CostTotal cost = m_store.costModel().groupCost(usage);
            runs[it->second].cost.add(cost);
            StatsGroup& model = models[usage.model];
            int c = 1 + TraceStore::UsageColumnCount;
            model.calls += usage.calls;
            model.tokens.input += q.int64(c++);
            model.tokens.output += q.int64(c++);
            model.tokens.cacheRead += q.int64(c++);
            model.tokens.cacheWrite += q.int64(c++);
            model.tokens.reasoning += q.int64(c++);
            model.errors += q.int64(c++);
            model.cost.add(cost);
            modelRuns[usage.model].insert(q.int64(0));
        }
    }

    std::vector<double> durations;
    std::vector<double> knownCosts;
    durations.reserve(runs.size());
    for (const RunRow& run : runs) {
        ++stats.runs;
        stats.runsWithErrors += run.errors > 0;
        stats.steps += run.spans;
        stats.llmCalls += run.llmCalls;
        stats.toolCalls += run.toolCalls;
        stats.tokens += run.tokens;
        stats.cost.add(run.cost);
        if (run.cost.usd)
            knownCosts.push_back(*run.cost.usd);
        durations.push_back(ms(run.durationNs()));
    }
    stats.firstStartNs = runs.front().startNs;
    stats.lastStartNs = runs.back().startNs;
    stats.runsWithKnownCost = static_cast<std::int64_t>(knownCosts.size());
    if (!knownCosts.empty()) {
        std::sort(knownCosts.begin(), knownCosts.end());
        stats.medianRunCostUsd = StatMath::percentile(knownCosts, 0.5);
    }
    stats.runLatency = StatMath::summarize(durations); // sorts durations

    std::vector<StatsGroup> byModel;
    for (auto& [name, group] : models) {
        group.key = name;
        group.runs = static_cast<std::int64_t>(modelRuns[name].size());
        byModel.push_back(std::move(group));
    }
    const auto versionKey = [](const RunRow& r) { return r.version; };
    const auto dayKey = [](const RunRow& r) { return utcDay(r.startNs); };
    switch (options.grouping) {
    case StatsGrouping::Model:
        stats.groups = modelGroups(w, byModel);
        break;
    case StatsGrouping::Tool:
        stats.groups = stepGroups(w, StepKind::Tool, "tool_name");
        break;
    case StatsGrouping::Agent:
        stats.groups = stepGroups(w, StepKind::Agent, "agent_name");
        break;
    case StatsGrouping::Version:
        stats.groups = runGroups(runs, +versionKey);
        break;
    case StatsGrouping::Day:
        stats.groups = runGroups(runs, +dayKey);
        break;
    case StatsGrouping::None:
        break;
    }
    if (!options.dashboard)
        return stats;

    // The dashboard's series, reduced here to their point budgets (house style point 10).
    stats.latencyHistogram = StatMath::histogram(durations, 24);
    stats.bucketNs = StatMath::bucketSize(stats.lastStartNs - stats.firstStartNs, options.pointBudget);
    const std::int64_t origin
        = stats.firstStartNs - ((stats.firstStartNs % stats.bucketNs) + stats.bucketNs) % stats.bucketNs;
    stats.timeline.resize(static_cast<std::size_t>((stats.lastStartNs - origin) / stats.bucketNs + 1));
    for (std::size_t i = 0; i < stats.timeline.size(); ++i)
        stats.timeline[i].startNs = origin + static_cast<std::int64_t>(i) * stats.bucketNs;
    for (const RunRow& run : runs) {
        TimeBucket& bucket = stats.timeline[static_cast<std::size_t>((run.startNs - origin) / stats.bucketNs)];
        ++bucket.runs;
        bucket.runsWithErrors += run.errors > 0;
        bucket.inputTokens += run.tokens.input;
        bucket.outputTokens += run.tokens.output;
        bucket.costUsd += run.cost.usd.value_or(0.0);
        bucket.unknownCostCalls += run.cost.unknownCalls;
    }
    stats.byModel = StatMath::topGroups(std::move(byModel), options.categoryBudget, &byTokensAndCost);
    stats.byTool = StatMath::topGroups(stepGroups(w, StepKind::Tool, "tool_name"), options.categoryBudget, &byCalls);
    // Percentiles do not add up: the latency breakdowns keep their biggest groups and drop the rest.
    stats.byAgent = stepGroups(w, StepKind::Agent, "agent_name");
    stats.byVersion = runGroups(runs, +versionKey);
    for (std::vector<StatsGroup>* groups : { &stats.byAgent, &stats.byVersion }) {
        std::stable_sort(
            groups->begin(), groups->end(), [](const StatsGroup& a, const StatsGroup& b) { return a.calls > b.calls; });
        if (static_cast<int>(groups->size()) > options.categoryBudget)
            groups->resize(static_cast<std::size_t>(options.categoryBudget));
    }

    const auto top = [&](auto better, auto keep) {
        std::vector<const RunRow*> chosen;
        for (const RunRow& run : runs) {
            if (keep(run))
                chosen.push_back(&run);
        }
        const std::size_t n = std::min(chosen.size(), static_cast<std::size_t>(std::max(options.topRuns, 0)));
        std::partial_sort(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(n), chosen.end(), better);
        chosen.resize(n);
        std::vector<std::int64_t> rows;
        for (const RunRow* run : chosen)
            rows.push_back(run->row);
        return refs(rows);
    };
    stats.slowest = top([](const RunRow* a, const RunRow* b) { return a->durationNs() > b->durationNs(); },
        [](const RunRow&) { return true; });
    stats.costliest = top([](const RunRow* a, const RunRow* b) { return *a->cost.usd > *b->cost.usd; },
        [](const RunRow& r) { return r.cost.usd.has_value(); });
    stats.failed = top([](const RunRow* a, const RunRow* b) { return a->startNs > b->startNs; },
        [](const RunRow& r) { return r.errors > 0; });
    return stats;
}

std::vector<StatsGroup> StatsQuery::modelGroups(const Where& w, std::vector<StatsGroup> groups)
{
    // The latency of the calls of each model, to go with the usage groups computed for the costs.
    std::map<std::string, std::vector<double>> durations;
    auto q = m_store.database().prepare("SELECT coalesce(s.model, ''), s.start_ns, s.end_ns FROM steps s "
                                        "WHERE s.kind = 1 AND s.trace IN (SELECT t.id FROM traces t WHERE "
        + w.sql + ")");
    w.bind(q);
    while (q.step()) {
        if (q.int64(2) > q.int64(1))
            durations[str(q.text(0))].push_back(ms(q.int64(2) - q.int64(1)));
    }
    for (StatsGroup& group : groups)
        group.latency = StatMath::summarize(durations[group.key]);
    std::stable_sort(groups.begin(), groups.end(),
        [](const StatsGroup& a, const StatsGroup& b) { return byTokensAndCost(a) > byTokensAndCost(b); });
    return groups;
}

std::vector<StatsGroup> StatsQuery::stepGroups(const Where& w, StepKind kind, const char* keyColumn)
{
    struct Acc
    {
        StatsGroup group;
        std::unordered_set<std::int64_t> runs;
        std::unordered_set<std::int64_t> failedRuns;
        std::vector<double> durations;
    };
    std::map<std::string, Acc> groups;
    auto q = m_store.database().prepare(std::string("SELECT coalesce(s.") + keyColumn
        + ", ''), s.trace, s.status, s.start_ns, s.end_ns FROM steps s WHERE s.kind = "
        + std::to_string(static_cast<int>(kind)) + " AND s.trace IN (SELECT t.id FROM traces t WHERE " + w.sql + ")");
    w.bind(q);
    while (q.step()) {
        Acc& acc = groups[str(q.text(0))];
        ++acc.group.calls;
        acc.runs.insert(q.int64(1));
        if (q.int64(2) == static_cast<int>(StepStatus::Error)) {
            ++acc.group.errors;
            acc.failedRuns.insert(q.int64(1));
        }
        if (q.int64(4) > q.int64(3))
            acc.durations.push_back(ms(q.int64(4) - q.int64(3)));
    }
    std::vector<StatsGroup> result;
    for (auto& [key, acc] : groups) {
        acc.group.key = key;
        acc.group.runs = static_cast<std::int64_t>(acc.runs.size());
        acc.group.runsWithErrors = static_cast<std::int64_t>(acc.failedRuns.size());
        acc.group.latency = StatMath::summarize(acc.durations);
        result.push_back(std::move(acc.group));
    }
    std::stable_sort(
        result.begin(), result.end(), [](const StatsGroup& a, const StatsGroup& b) { return a.calls > b.calls; });
    return result;
}

std::vector<RunRef> StatsQuery::refs(const std::vector<std::int64_t>& rows)
{
    std::vector<RunRef> result;
    auto q = m_store.database().prepare("SELECT trace_id FROM traces WHERE id = ?");
    for (const std::int64_t row : rows) {
        q.bind(1, row);
        if (q.step()) {
            if (const auto t = m_store.trace(q.text(0))) {
                result.push_back({ t->traceId, t->name, t->service, t->version, t->startNs, t->endNs, t->errors,
                    t->llmCalls, t->costUsd, t->unknownCostCalls });
            }
        }
        q.reset();
    }
    return result;
}

std::vector<RunRef> StatsQuery::runs(const StatsFilter& filter, int limit)
{
    const Where w = where(filter);
    auto q = m_store.database().prepare("SELECT t.id FROM traces t WHERE " + w.sql
        + " ORDER BY t.start_ns DESC, t.id DESC LIMIT " + std::to_string(limit));
    w.bind(q);
    std::vector<std::int64_t> rows;
    while (q.step())
        rows.push_back(q.int64(0));
    return refs(rows);
}

std::vector<std::string> StatsQuery::traceIds(const StatsFilter& filter)
{
    const Where w = where(filter);
    auto q = m_store.database().prepare(
        "SELECT t.trace_id FROM traces t WHERE " + w.sql + " ORDER BY t.start_ns DESC, t.id DESC");
    w.bind(q);
    std::vector<std::string> ids;
    while (q.step())
        ids.push_back(str(q.text(0)));
    return ids;
}

std::vector<std::string> StatsQuery::distinct(const char* sql)
{
    auto q = m_store.database().prepare(sql);
    std::vector<std::string> values;
    while (q.step())
        values.push_back(str(q.text(0)));
    return values;
}

StatsQuery::Choices StatsQuery::choices()
{
    Choices c;
    c.services = distinct("SELECT DISTINCT service FROM traces WHERE service <> '' ORDER BY 1 COLLATE NOCASE");
    c.versions = distinct("SELECT DISTINCT version FROM traces WHERE version <> '' ORDER BY 1 COLLATE NOCASE");
    c.agents = distinct("SELECT DISTINCT agent_name FROM steps WHERE agent_name <> '' ORDER BY 1 COLLATE NOCASE");
    c.models = distinct("SELECT DISTINCT model FROM steps WHERE kind = 1 AND model <> '' ORDER BY 1 COLLATE NOCASE");
    return c;
}

} // namespace Tracelight
