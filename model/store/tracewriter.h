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

private:
    std::int64_t traceRow(const std::string& traceId);
    std::optional<std::int64_t> resourceRow(const std::shared_ptr<const Resource>& resource);
    std::optional<std::int64_t> scopeRow(const std::shared_ptr<const Scope>& scope);
    void bindStep(Sql::Statement& statement, const Step& step, std::int64_t trace);
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
    std::int64_t m_sourceRow = 0;
    std::unordered_map<std::string, std::int64_t> m_traceRows;
    std::map<std::shared_ptr<const Resource>, std::int64_t> m_resourceRows;
    std::map<std::shared_ptr<const Scope>, std::int64_t> m_scopeRows;
    std::set<std::int64_t> m_touchedTraces;
    FileImportStats m_stats;
};

} // namespace Tracelight
