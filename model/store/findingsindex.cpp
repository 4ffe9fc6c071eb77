#include "findingsindex.h"

#include "sqlite.h"
#include "tracestore.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <unordered_map>

namespace Tracelight {

namespace {

// The group whose runs are a run's baseline: its root agent (else its service) and its version.
constexpr std::string_view GroupAgent = "coalesce(nullif(t.agent, ''), t.service, '')";
constexpr std::string_view GroupVersion = "coalesce(t.version, '')";

// Runs computed before their findings are written in one transaction: a writer waits for at most one batch.
constexpr std::size_t BatchRuns = 64;
// Threads that compute a batch's runs at once (one per core, up to this).
constexpr std::size_t MaxWorkers = 8;

template <typename Fn> void withRetry(Sql::Database& db, Fn&& fn)
{
    for (;;) {
        try {
            Sql::Transaction transaction(db);
            fn();
            transaction.commit();
            return;
        } catch (const StoreError&) {
            // A writer holding the cache longer than the busy timeout (a big file's transaction): wait for it.
            if (!db.lastErrorWasBusy())
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

void insertFindings(Sql::Database& db, std::int64_t trace, bool baseline, const std::vector<Finding>& findings)
{
    auto insert = db.prepare("INSERT INTO findings(trace, baseline, kind, severity, wasted_tokens, wasted_cost_usd, "
                             "wasted_ns, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Finding& f : findings) {
        const std::string data = findingToJson(f);
        insert.bind(1, trace)
            .bind(2, baseline ? 1 : 0)
            .bind(3, findingKindName(f.kind))
            .bind(4, static_cast<int>(f.severity))
            .bind(5, f.wastedTokens)
            .bind(6, f.wastedCostUsd)
            .bind(7, f.wastedNs)
            .bind(8, data)
            .run();
    }
}

std::vector<Finding> runFindings(TraceStore& store, std::string_view traceId, const FindingThresholds& thresholds)
{
    RunFindingsBuilder builder(std::string(traceId), thresholds, store.costModel().pricesPtr());
    store.forEachStepDetail(traceId, [&](StepDetail&& detail) {
        detail.record.costUsd = store.costModel().stepCost(detail.record).usd;
        builder.add(detail);
    });
    return builder.finish();
}

std::vector<Finding> againstBaseline(const RunMetrics& run, const std::vector<RunMetrics>& all,
    const FindingThresholds& thresholds, const std::optional<std::string>& baselineVersion)
{
    std::vector<RunMetrics> baseline;
    for (const RunMetrics& other : all)
        if (other.agent == run.agent && other.version == baselineVersion.value_or(run.version))
            baseline.push_back(other);
    return baselineFindings(run, baseline, thresholds);
}

} // namespace

std::vector<RunMetrics> FindingsIndex::metrics(
    TraceStore& store, const std::optional<std::string>& agent, const std::optional<std::string>& version)
{
    Sql::Database& db = store.database();
    std::vector<RunMetrics> out;
    std::unordered_map<std::string, std::size_t> byTrace;
    const std::string where = " WHERE (?1 IS NULL OR " + std::string(GroupAgent) + " = ?1) AND (?2 IS NULL OR "
        + std::string(GroupVersion) + " = ?2)";
    auto bindGroup = [&](Sql::Statement& statement) {
        if (agent)
            statement.bind(1, *agent);
        else
            statement.bindNull(1);
        if (version)
            statement.bind(2, *version);
        else
            statement.bindNull(2);
    };
    auto runs = db.prepare("SELECT t.trace_id, " + std::string(GroupAgent) + ", " + std::string(GroupVersion)
        + ", t.start_ns, t.end_ns, t.llm_calls, t.tool_calls, t.input_tokens + t.output_tokens, t.input_tokens, "
          "(SELECT s.span_id FROM steps s WHERE s.trace = t.id AND (s.parent_id IS NULL OR s.parent_id = '') "
          "ORDER BY s.start_ns LIMIT 1) FROM traces t"
        + where + " ORDER BY t.start_ns, t.id");
    bindGroup(runs);
    while (runs.step()) {
        RunMetrics m;
        m.traceId = std::string(runs.text(0));
        m.agent = std::string(runs.text(1));
        m.version = std::string(runs.text(2));
        m.startNs = runs.int64(3);
        m.durationNs = std::max<std::int64_t>(0, runs.int64(4) - runs.int64(3));
        m.llmCalls = runs.int64(5);
        m.toolCalls = runs.int64(6);
        m.tokens = runs.int64(7);
        m.inputTokens = runs.int64(8);
        m.rootSpanId = std::string(runs.text(9));
        byTrace.emplace(m.traceId, out.size());
        out.push_back(std::move(m));
    }
    if (out.empty())
        return out;
    // Time by kind, the slowest tool and the models of each run, over the light columns' covering index.
    auto time = db.prepare("SELECT t.trace_id, s.kind, coalesce(s.tool_name, ''), coalesce(s.model, ''), "
                           "sum(max(s.end_ns - s.start_ns, 0)) FROM steps s JOIN traces t ON t.id = s.trace"
        + where + " AND s.kind IN (" + std::to_string(static_cast<int>(StepKind::Llm)) + ", "
        + std::to_string(static_cast<int>(StepKind::Tool)) + ") GROUP BY s.trace, s.kind, s.tool_name, s.model");
    bindGroup(time);
    while (time.step()) {
        const auto it = byTrace.find(std::string(time.text(0)));
        if (it == byTrace.end())
            continue;
        RunMetrics& m = out[it->second];
        const std::int64_t ns = time.int64(4);
        if (time.int64(1) == static_cast<int>(StepKind::Llm)) {
            m.llmNs += ns;
            const std::string model(time.text(3));
            if (!model.empty() && std::find(m.models.begin(), m.models.end(), model) == m.models.end())
                m.models.push_back(model);
        } else {
            m.toolNs += ns;
            if (ns > m.slowestToolNs) {
                m.slowestToolNs = ns;
                m.slowestTool = std::string(time.text(2));
            }
        }
    }
    // Costs as the list shows them: recorded, else priced by the store's cost model.
    for (const TraceSummary& summary : store.traces())
        if (const auto it = byTrace.find(summary.traceId); it != byTrace.end())
            out[it->second].costUsd = summary.costUsd;
    return out;
}

std::optional<std::pair<std::string, std::string>> FindingsIndex::groupOf(TraceStore& store, std::string_view traceId)
{
    auto query = store.database().prepare(
        "SELECT " + std::string(GroupAgent) + ", " + std::string(GroupVersion) + " FROM traces t WHERE t.trace_id = ?");
    query.bind(1, traceId);
    if (!query.step())
        return std::nullopt;
    return std::make_pair(std::string(query.text(0)), std::string(query.text(1)));
}

std::vector<Finding> FindingsIndex::compute(TraceStore& store, std::string_view traceId,
    const FindingThresholds& thresholds, const std::optional<std::string>& baselineVersion,
    const std::vector<RunMetrics>* allMetrics)
{
    std::vector<Finding> out = runFindings(store, traceId, thresholds);
    const auto group = groupOf(store, traceId);
    if (!group)
        return out;
    const std::vector<RunMetrics> own
        = allMetrics ? std::vector<RunMetrics>() : metrics(store, group->first, std::nullopt);
    const std::vector<RunMetrics>& all = allMetrics ? *allMetrics : own;
    const auto run = std::find_if(all.begin(), all.end(), [&](const RunMetrics& m) { return m.traceId == traceId; });
    if (run != all.end())
        for (Finding& f : againstBaseline(*run, all, thresholds, baselineVersion))
            out.push_back(std::move(f));
    return out;
}

std::vector<ArgumentSource> FindingsIndex::argumentSources(
    TraceStore& store, std::string_view traceId, std::string_view spanId, const FindingThresholds& thresholds)
{
    RunFindingsBuilder builder(std::string(traceId), thresholds, store.costModel().pricesPtr());
    store.forEachStepDetail(traceId, [&](StepDetail&& detail) {
        detail.record.costUsd = store.costModel().stepCost(detail.record).usd;
        builder.add(detail);
    });
    builder.finish();
    return builder.argumentSources(spanId);
}

namespace {

std::vector<Finding> readStored(Sql::Statement& query)
{
    std::vector<Finding> out;
    while (query.step())
        if (auto finding = findingFromJson(query.text(0)))
            out.push_back(std::move(*finding));
    return out;
}

} // namespace

std::vector<Finding> FindingsIndex::stored(TraceStore& store, std::string_view traceId)
{
    auto query = store.database().prepare("SELECT f.data FROM findings f JOIN traces t ON t.id = f.trace "
                                          "WHERE t.trace_id = ? ORDER BY f.severity DESC, f.baseline, f.id");
    query.bind(1, traceId);
    return readStored(query);
}

std::vector<Finding> FindingsIndex::storedAll(TraceStore& store)
{
    auto query = store.database().prepare("SELECT f.data FROM findings f JOIN traces t ON t.id = f.trace "
                                          "ORDER BY t.start_ns, t.id, f.severity DESC, f.baseline, f.id");
    return readStored(query);
}

FindingsState FindingsIndex::state(TraceStore& store, const FindingThresholds& thresholds)
{
    auto query = store.database().prepare("SELECT count(*), coalesce(sum(findings_rev = ?), 0) FROM traces");
    query.bind(1, thresholds.fingerprint());
    FindingsState state;
    if (query.step()) {
        state.total = query.int64(0);
        state.current = query.int64(1);
    }
    return state;
}

bool FindingsIndex::catchUp(TraceStore& store, const FindingThresholds& thresholds, const std::atomic<bool>* cancel,
    const std::function<void(const FindingsState&)>& progress)
{
    Sql::Database& db = store.database();
    const std::int64_t fingerprint = thresholds.fingerprint();
    struct Pending
    {
        std::int64_t id;
        std::string traceId;
        std::int64_t generation;
        std::pair<std::string, std::string> group;
    };
    std::vector<Pending> pending;
    {
        auto query = db.prepare("SELECT t.id, t.trace_id, t.generation, " + std::string(GroupAgent) + ", "
            + std::string(GroupVersion) + " FROM traces t WHERE t.findings_rev <> ? ORDER BY t.id");
        query.bind(1, fingerprint);
        while (query.step())
            pending.push_back(Pending { query.int64(0), std::string(query.text(1)), query.int64(2),
                { std::string(query.text(3)), std::string(query.text(4)) } });
    }
    FindingsState current = state(store, thresholds);
    if (progress)
        progress(current);
    if (pending.empty())
        return true;

    // Runs are independent: a batch is computed on every core, each worker reading through a connection of its own
    // (results land by index, so the order is the same whatever finished first).
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<TraceStore>> readers;
    for (std::size_t w = 1; w < std::min<std::size_t>({ cores, MaxWorkers, pending.size() }); ++w) {
        readers.push_back(std::make_unique<TraceStore>(store.path(), TraceStore::Mode::ReadOnly));
        readers.back()->setCostModel(store.costModelPtr());
    }
    std::set<std::pair<std::string, std::string>> groups;
    for (std::size_t first = 0; first < pending.size(); first += BatchRuns) {
        const std::size_t last = std::min(pending.size(), first + BatchRuns);
        if (cancel && cancel->load())
            return false;
        std::vector<std::vector<Finding>> found(last - first);
        std::atomic<std::size_t> next { first };
        std::vector<std::exception_ptr> errors(readers.size() + 1);
        const auto work = [&](TraceStore& reader, std::exception_ptr& error) {
            try {
                for (std::size_t i = next++; i < last; i = next++) {
                    if (cancel && cancel->load())
                        return;
                    found[i - first] = runFindings(reader, pending[i].traceId, thresholds);
                }
            } catch (...) {
                error = std::current_exception();
            }
        };
        std::vector<std::thread> threads;
        for (std::size_t w = 0; w < readers.size(); ++w)
            threads.emplace_back(work, std::ref(*readers[w]), std::ref(errors[w + 1]));
        work(store, errors[0]);
        for (std::thread& thread : threads)
            thread.join();
        for (const std::exception_ptr& error : errors)
            if (error)
                std::rethrow_exception(error);
        if (cancel && cancel->load())
            return false;
        std::int64_t stored = 0;
        withRetry(db, [&] {
            stored = 0;
            auto generation = db.prepare("SELECT generation FROM traces WHERE id = ?");
            auto clear = db.prepare("DELETE FROM findings WHERE trace = ? AND baseline = 0");
            auto mark = db.prepare("UPDATE traces SET findings_rev = ? WHERE id = ?");
            for (std::size_t i = first; i < last; ++i) {
                const Pending& run = pending[i];
                generation.bind(1, run.id);
                const bool same = generation.step() && generation.int64(0) == run.generation;
                generation.reset();
                // Changed (or removed) while its findings were computed: it stays pending for the next catch-up.
                if (!same)
                    continue;
                clear.bind(1, run.id).run();
                insertFindings(db, run.id, false, found[i - first]);
                mark.bind(1, fingerprint).bind(2, run.id).run();
                ++stored;
            }
        });
        for (std::size_t i = first; i < last; ++i)
            groups.insert(pending[i].group);
        current.current += stored;
        if (progress)
            progress(current);
    }

    // Baselines: every run of a group that gained or changed a run is measured again against the others.
    // One group is read on its own; many are read in one pass over the runs (costs are priced once, not per group).
    std::map<std::pair<std::string, std::string>, std::vector<RunMetrics>> byGroup;
    if (groups.size() == 1)
        byGroup[*groups.begin()] = metrics(store, groups.begin()->first, groups.begin()->second);
    else if (!groups.empty())
        for (RunMetrics& m : metrics(store, std::nullopt, std::nullopt))
            if (groups.count({ m.agent, m.version }))
                byGroup[{ m.agent, m.version }].push_back(std::move(m));
    for (const auto& [group, runs] : byGroup) {
        if (cancel && cancel->load())
            return false;
        std::vector<std::vector<Finding>> found;
        found.reserve(runs.size());
        for (const RunMetrics& run : runs)
            found.push_back(baselineFindings(run, runs, thresholds));
        withRetry(db, [&] {
            auto id = db.prepare("SELECT id FROM traces WHERE trace_id = ?");
            auto clear = db.prepare("DELETE FROM findings WHERE trace = ? AND baseline = 1");
            for (std::size_t i = 0; i < runs.size(); ++i) {
                id.bind(1, runs[i].traceId);
                if (!id.step()) {
                    id.reset();
                    continue;
                }
                const std::int64_t trace = id.int64(0);
                id.reset();
                clear.bind(1, trace).run();
                insertFindings(db, trace, true, found[i]);
            }
        });
    }
    return true;
}

} // namespace Tracelight
