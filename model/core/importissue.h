#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace Tracelight {

// A problem found in an input file, naming the file and the place so the user can go and look.
struct ImportIssue
{
    enum class Severity
    {
        Warning,
        Error
    };
    Severity severity = Severity::Error;
    std::string file;
    std::string where; // "line 3, column 17 (byte 812)", "span 5b8efff798038103", …
    std::string message;

    // "FILE: WHERE: MESSAGE"
    std::string toString() const;
};

// How one file's import ended.
struct ImportOutcome
{
    enum class Status
    {
        Ok,
        Failed,
        Cancelled
    };
    Status status = Status::Ok;
    std::string file;
    std::string format;
    std::string sha256;
    std::int64_t bytes = 0;
    std::int64_t spans = 0; // spans read
    std::int64_t newSpans = 0; // spans the cache did not have before
    std::int64_t traces = 0;
    bool alreadyImported = false;
    double seconds = 0;
    std::vector<ImportIssue> warnings;
    ImportIssue error; // set when status is Failed

    bool ok() const { return status == Status::Ok; }
};

} // namespace Tracelight
