#pragma once

#include "step.h"

#include <cstdint>
#include <string>

namespace Tracelight {

struct FileImportStats
{
    std::int64_t spans = 0; // spans read from the file
    std::int64_t newSpans = 0; // spans the cache did not have
    std::int64_t updatedSpans = 0; // spans replaced by a more complete copy
    std::int64_t traces = 0; // distinct traces the file touched
    bool alreadyImported = false; // the same content (SHA-256) was imported before
};

// Where an importer delivers a file's steps, batch by batch, so a file of any size streams through with
// bounded memory. A file is all or nothing: beginFile() … addSteps()* … commitFile(), or rollbackFile() on an
// error or a cancel. Importers know only this interface, never the database (house style point 2).
class StepSink
{
public:
    virtual ~StepSink() = default;
    virtual void beginFile(const std::string& path, const std::string& format, std::int64_t size) = 0;
    virtual void addSteps(StepBatch&& batch) = 0;
    virtual FileImportStats commitFile(const std::string& sha256) = 0;
    virtual void rollbackFile() = 0;
};

} // namespace Tracelight
