#pragma once

#include "costmodel.h"
#include "sourcerecord.h"
#include "sqlite.h"
#include "tracesummary.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

// The SQLite trace cache: opening (WAL, migrations) and the queries the window and the command line make.
// One TraceStore per thread; open a ReadOnly store on worker threads while a TraceWriter imports.
class TraceStore
{
public:
    enum class Mode
    {
        ReadWrite,
        ReadOnly
    };

    explicit TraceStore(const std::string& path, Mode mode = Mode::ReadWrite);

    // $TRACELIGHT_DB, else cache.sqlite in the user's data directory (created on demand).
    static std::string defaultPath();

    const std::string& path() const { return m_path; }
    Sql::Database& database() { return m_db; }
    int schemaVersion();

    // Costs of the summaries and steps read from now on: recorded costs, else tokens × this model's prices. Without
    // one, only recorded costs are known.
    void setCostModel(CostModelPtr model);
    const CostModel& costModel() const { return *m_costModel; }
    const CostModelPtr& costModelPtr() const { return m_costModel; }

    std::vector<TraceSummary> traces();
    std::optional<TraceSummary> trace(std::string_view traceId);
    // Steps of a trace in start order (ties broken by insertion order).
    std::vector<StepRecord> steps(std::string_view traceId);
    std::optional<StepDetail> stepDetail(std::string_view traceId, std::string_view spanId);
    // Every step of a trace in full, one at a time (a trace's texts can be large), grouped by resource, then scope,
    // then in start order: the order an OTLP export writes them in.
    void forEachStepDetail(std::string_view traceId, const std::function<void(StepDetail&&)>& fn);
    std::vector<SourceRecord> sources();
    std::optional<SourceRecord> sourceBySha256(std::string_view sha256);
    // Bytes used on disk by the cache, its WAL included.
    std::int64_t diskSize() const;

    // The select list of a usage query over llm steps `s` grouped by model and provider (and whatever else the
    // caller groups by), and its reader: see UsageGroup.
    static std::string_view usageColumns();
    static constexpr int UsageColumnCount = 14;
    static UsageGroup readUsage(const Sql::Statement& row, int firstColumn);

private:
    void applyCosts(std::vector<TraceSummary>& traces, std::string_view traceId);

    std::string m_path;
    Sql::Database m_db;
    CostModelPtr m_costModel;
};

} // namespace Tracelight
