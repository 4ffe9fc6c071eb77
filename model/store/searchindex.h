#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <set>

namespace Tracelight {
namespace Sql {
class Database;
}

// How far the full-text index has caught up with the steps.
struct SearchIndexState
{
    std::int64_t indexed = 0;
    std::int64_t total = 0;
    bool complete() const { return indexed >= total; }
    double fraction() const { return total > 0 ? double(indexed) / double(total) : 1.0; }
};

// The full-text index is built behind the imports: a file's steps are browsable once its transaction commits, and
// searchable once the index has caught up with them. Steps are indexed in id order up to search_state.indexed_to
// (ids are never reused); the schema's triggers keep indexed steps in step when they are replaced or deleted.
class SearchIndex
{
public:
    // Steps a catch-up indexes per transaction: large batches let FTS5 write large segments that need little
    // merging (measured on 100,000 steps: 2,000 a batch 5.6 s, 20,000 2.4 s), while a writer waits at most about
    // half a second for the lock.
    static constexpr std::int64_t BatchSteps = 20000;

    static SearchIndexState state(const Sql::Database& db);
    // Indexes up to maxSteps of the steps not yet indexed, inside the caller's transaction. Returns how many.
    static std::int64_t indexPending(Sql::Database& db, std::int64_t maxSteps);
    // For a writer replacing the texts of a step that is indexed: unindex() takes the step's texts, read from its
    // current block, out of the index; reindex() puts the steps' new texts in once their blocks are written.
    static void unindex(Sql::Database& db, std::int64_t step, std::int64_t block, std::int64_t index);
    static void reindex(Sql::Database& db, const std::set<std::int64_t>& steps);
    // Indexes every pending step, a transaction per batch so that writers are never kept waiting long, and reports
    // after each batch. Stops early (returning false) when cancel is raised; a batch that waited too long for the
    // write lock is tried again.
    static bool catchUp(Sql::Database& db, const std::atomic<bool>* cancel = nullptr,
        const std::function<void(const SearchIndexState&)>& progress = {}, std::int64_t batchSteps = BatchSteps);
};

} // namespace Tracelight
