#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace Tracelight {

class CollectorWriter;

// Follows a folder of OpenTelemetry Collector file exporter output (trace-formats.md section 2): JSON Lines files
// (*.json, *.jsonl: one ExportTraceServiceRequest a line) and length-prefixed protobuf files (*.pb, *.binpb, *.proto:
// a 4-byte big-endian length, then the request). New and growing files are read from where the last scan stopped;
// a record cut mid-write is left for the next scan. Rotated files are new names and are read whole. After a restart
// every file is read again from the start: the writer's upsert by (trace, span id) makes that add nothing.
class CollectorWatcher
{
public:
    CollectorWatcher(CollectorWriter& writer, std::string folder, int intervalMs = 500);
    ~CollectorWatcher();
    CollectorWatcher(const CollectorWatcher&) = delete;
    CollectorWatcher& operator=(const CollectorWatcher&) = delete;

    // "FILE: WHERE: MESSAGE" for a record that cannot be decoded (it is skipped). Called on the watcher thread.
    void setWarningCallback(std::function<void(const std::string&)> callback) { m_onWarning = std::move(callback); }
    void start();
    void stop();
    // One pass over the folder, on the caller's thread; returns the spans committed. start() calls it periodically.
    std::int64_t scan();

private:
    struct FileState
    {
        std::int64_t offset = 0; // everything before was imported
        std::int64_t line = 1; // line number at offset (JSON Lines)
        std::int64_t sizeSeen = -1; // size at the last scan, to tell a finished file from one being written
    };

    std::int64_t follow(const std::string& path, FileState& state, bool proto);
    std::int64_t submit(const std::string& record, const std::string& path, const std::string& where, bool proto);
    void warn(const std::string& message);

    CollectorWriter& m_writer;
    const std::string m_folder;
    const int m_intervalMs;
    std::function<void(const std::string&)> m_onWarning;
    std::map<std::string, FileState> m_files;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace Tracelight
