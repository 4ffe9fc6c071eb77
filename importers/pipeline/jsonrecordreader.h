#pragma once

#include "importer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace Tracelight {

// Streams the JSON values of a file (one document, JSON Lines, or several values in a row) through nlohmann's
// SAX parser for importers whose formats are records inside some wrapper ({"post": […]}, {"data": […]},
// {"trace": {…, "observations": […]}}). The client says, container by container, which ones are structure to
// walk through and which are records to capture; each record arrives as its own small DOM when it closes, so a
// file of any size is never held as one DOM (the approach of the OTLP importer, generalized).
class JsonRecordReader
{
public:
    enum class Action
    {
        Skip, // ignore the container and everything in it
        Walk, // structure: its members are offered to the client one by one
        Capture, // a record: delivered whole to record() when it closes
    };
    struct Node
    {
        Action action = Action::Skip;
        int role = 0;
    };
    // The parent role of every top-level value.
    static constexpr int DocumentRole = -1;

    class Client
    {
    public:
        virtual ~Client() = default;
        // A container opens inside a walked container of role parent. key is its member name (empty in arrays).
        virtual Node open(int parent, const std::string& key, bool isArray) = 0;
        // A scalar inside a walked container (or a scalar top-level value).
        virtual void scalar(int parent, const std::string& key, nlohmann::json&& value) = 0;
        // A captured container, complete. offset is the byte where it starts.
        virtual void record(int role, const std::string& key, nlohmann::json&& value, std::int64_t offset) = 0;
        // A walked container closes.
        virtual void close(int role) = 0;
    };

    // Reads every value of the job's file and returns how many top-level values there were. Malformed JSON throws
    // ImportFailure naming the line and byte; callbacks may throw ImportFailure too. Returns early on cancel.
    static std::int64_t read(ImportJob& job, Client& client);
};

} // namespace Tracelight
