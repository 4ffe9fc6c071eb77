#pragma once

#include "sqlite.h"
#include "tracesummary.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Tracelight {

struct SourceRecord
{
    std::string path;
    std::string sha256;
    std::int64_t size = 0;
    std::string format;
    std::int64_t importedAtMs = 0;
    std::int64_t spans = 0;
    std::int64_t newSpans = 0;
};

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

private:
    std::string m_path;
    Sql::Database m_db;
};

} // namespace Tracelight
