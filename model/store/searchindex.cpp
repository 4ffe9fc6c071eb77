#include "searchindex.h"

#include "sqlite.h"
#include "steppayload.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <tuple>
#include <vector>

namespace Tracelight {

SearchIndexState SearchIndex::state(const Sql::Database& db)
{
    Sql::Statement query = db.prepare(R"sql(
SELECT (SELECT count(*) FROM steps),
       (SELECT count(*) FROM steps WHERE id > (SELECT indexed_to FROM search_state))
)sql");
    SearchIndexState state;
    if (query.step()) {
        state.total = query.int64(0);
        state.indexed = state.total - query.int64(1);
    }
    return state;
}

namespace {

// Binds and runs an insert (or 'delete') of a step's indexed texts, as the view step_texts gives them.
void insertTexts(Sql::Statement& insert, std::int64_t id, std::string_view container)
{
    const StepPayload::Fields fields = StepPayload::fields(container);
    insert.bind(1, id)
        .bind(2, StepPayload::searchInput(container, fields), true)
        .bind(3, fields[StepPayload::OutputText], true)
        .bind(4, fields[StepPayload::ToolArguments], true)
        .bind(5, fields[StepPayload::ToolResult], true)
        .run();
}

constexpr std::string_view InsertSql
    = "INSERT INTO steps_fts(rowid, input_text, output_text, tool_arguments, tool_result) VALUES (?, ?, ?, ?, ?)";

} // namespace

std::int64_t SearchIndex::indexPending(Sql::Database& db, std::int64_t maxSteps)
{
    Sql::Statement pending = db.prepare(R"sql(
SELECT id, payload_block, payload_index FROM steps WHERE id > (SELECT indexed_to FROM search_state)
ORDER BY id LIMIT ?1
)sql");
    Sql::Statement insert = db.prepare(InsertSql);
    StepPayload::Reader payloads(db);
    pending.bind(1, maxSteps);
    struct Pending
    {
        std::int64_t id;
        std::int64_t block;
        std::int64_t index;
    };
    std::vector<Pending> steps;
    while (pending.step())
        steps.push_back({ pending.int64(0), pending.int64(1), pending.int64(2) });
    if (steps.empty())
        return 0;
    const std::int64_t last = steps.back().id;
    // Block by block: steps of interleaved traces alternate between blocks, and each block is decompressed once.
    std::sort(steps.begin(), steps.end(),
        [](const Pending& a, const Pending& b) { return std::tie(a.block, a.index) < std::tie(b.block, b.index); });
    for (const Pending& step : steps)
        insertTexts(insert, step.id, payloads.container(step.block, step.index));
    db.prepare("UPDATE search_state SET indexed_to = ?").bind(1, last).run();
    return std::int64_t(steps.size());
}

void SearchIndex::unindex(Sql::Database& db, std::int64_t step, std::int64_t block, std::int64_t index)
{
    StepPayload::Reader payloads(db);
    Sql::Statement remove = db.prepare(R"sql(
INSERT INTO steps_fts(steps_fts, rowid, input_text, output_text, tool_arguments, tool_result)
VALUES ('delete', ?, ?, ?, ?, ?)
)sql");
    insertTexts(remove, step, payloads.container(block, index));
}

void SearchIndex::reindex(Sql::Database& db, const std::set<std::int64_t>& steps)
{
    if (steps.empty())
        return;
    Sql::Statement find = db.prepare("SELECT payload_block, payload_index FROM steps WHERE id = ?");
    Sql::Statement insert = db.prepare(InsertSql);
    StepPayload::Reader payloads(db);
    for (const std::int64_t step : steps) {
        find.bind(1, step);
        if (find.step())
            insertTexts(insert, step, payloads.container(find.int64(0), find.int64(1)));
        find.reset();
    }
}

bool SearchIndex::catchUp(Sql::Database& db, const std::atomic<bool>* cancel,
    const std::function<void(const SearchIndexState&)>& progress, std::int64_t batchSteps)
{
    SearchIndexState current = state(db);
    if (progress)
        progress(current);
    while (!current.complete()) {
        if (cancel && cancel->load())
            return false;
        std::int64_t indexed = 0;
        try {
            Sql::Transaction transaction(db);
            indexed = indexPending(db, batchSteps);
            transaction.commit();
        } catch (const StoreError&) {
            // A writer holding the cache longer than the busy timeout (a big file's transaction): wait for it.
            if (!db.lastErrorWasBusy())
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        // Counted as it goes: counting a million steps after every batch would cost more than indexing them.
        current.indexed += indexed;
        if (indexed == 0 || current.complete())
            current = state(db); // steps imported or removed meanwhile
        if (progress)
            progress(current);
        if (indexed == 0)
            break;
    }
    return current.complete();
}

} // namespace Tracelight
