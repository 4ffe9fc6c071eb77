#pragma once

#include "stepsink.h"
#include "tracestore.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace Tracelight {

// The cache's one writer. Each file is one transaction: beginFile() … addSteps()* … commitFile(), and a
// failed or cancelled file is rolled back whole (rollbackFile(), or destroying the writer mid-file).
// Spans are keyed by (trace id, span id): importing the same data twice adds nothing, and spans of one trace
// arriving in several files merge into one trace whose aggregates are recomputed on commit.
class TraceWriter final : public StepSink
{
public:
    explicit TraceWriter(TraceStore& store);
    ~TraceWriter() override;

    void beginFile(const std::string& path, const std::string& format, std::int64_t size) override;
    void addSteps(StepBatch&& batch) override;
    FileImportStats commitFile(const std::string& sha256) override;
    void rollbackFile() override;
    bool inFile() const { return m_transaction != nullptr; }
    // Whether commitFile() leaves the file's steps to SearchIndex::catchUp() instead of indexing them in the file's
    // transaction (with at most SearchIndex::BatchSteps of an older backlog): the file is browsable sooner and
    // searchable later. Off by default.
    void setSearchIndexDeferred(bool deferred) { m_searchIndexDeferred = deferred; }

private:
    std::int64_t traceRow(const std::string& traceId);
    std::optional<std::int64_t> resourceRow(const std::shared_ptr<const Resource>& resource);
    std::optional<std::int64_t> scopeRow(const std::shared_ptr<const Scope>& scope);
    // Where a step's texts go: its trace's open block (StepPayload), at the block's next index.
    struct PayloadPlace
    {
        std::int64_t block = 0;
        std::int64_t index = 0;
    };
    struct OpenBlock
    {
        std::int64_t id = 0;
        std::int64_t count = 0;
        std::string plain;
    };
    PayloadPlace placeFor(std::int64_t trace);
    void appendPayload(std::int64_t trace, std::string_view container);
    void writeBlock(std::int64_t trace, OpenBlock& block);
    void flushBlocks();
    // The step's StepPayload::SearchInput: its input less the long lines that steps of its trace written from this
    // file had already (rememberLines, called once a step is written).
    std::string searchInput(std::int64_t trace, const Step& step) const;
    void rememberLines(std::int64_t trace, const Step& step);
    void bindStep(Sql::Statement& statement, const Step& step, std::int64_t trace, const PayloadPlace& place);
    void mergeMcpCalls(std::int64_t trace);
    void updateAggregates(std::int64_t trace);

    TraceStore& m_store;
    Sql::Database& m_db;
    std::unique_ptr<Sql::Transaction> m_transaction;
    Sql::Statement m_insertStep;
    Sql::Statement m_updateStep;
    Sql::Statement m_insertTrace;
    Sql::Statement m_findTrace;
    Sql::Statement m_insertResource;
    Sql::Statement m_findResource;
    Sql::Statement m_insertScope;
    Sql::Statement m_findScope;
    Sql::Statement m_insertPayload;
    Sql::Statement m_findIndexedStep;
    std::int64_t m_sourceRow = 0;
    std::unordered_map<std::string, std::int64_t> m_traceRows;
    std::map<std::shared_ptr<const Resource>, std::int64_t> m_resourceRows;
    std::map<std::shared_ptr<const Scope>, std::int64_t> m_scopeRows;
    std::set<std::int64_t> m_touchedTraces;
    FileImportStats m_stats;
    bool m_searchIndexDeferred = false;
    // Blocks being filled, one per trace, written when full, when they hold too much together, and at commit.
    static constexpr std::size_t MaxOpenBytes = 32 * 1024 * 1024;
    std::unordered_map<std::int64_t, OpenBlock> m_openBlocks;
    std::size_t m_openBytes = 0;
    std::int64_t m_nextBlock = 1;
    std::unordered_map<std::int64_t, std::unordered_set<std::size_t>> m_seenLines; // hashes of lines, by trace
    std::size_t m_rememberedLines = 0;
    std::set<std::int64_t> m_replacedSteps; // searchable steps replaced in this file: indexed again at commit
};

} // namespace Tracelight
