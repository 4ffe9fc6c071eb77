#include "collectorwatcher.h"

#include "collectorwriter.h"
#include "importer.h"
#include "otlpjsonimporter.h"
#include "otlpprotodecoder.h"

#include <chrono>
#include <filesystem>
#include <fstream>

namespace Tracelight {

namespace {

constexpr std::int64_t maxRecordBytes = 64LL << 20;

bool isBlank(const std::string& text)
{
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

} // namespace

CollectorWatcher::CollectorWatcher(CollectorWriter& writer, std::string folder, int intervalMs)
    : m_writer(writer)
    , m_folder(std::move(folder))
    , m_intervalMs(intervalMs)
{ }

CollectorWatcher::~CollectorWatcher()
{
    stop();
}

void CollectorWatcher::start()
{
    m_stopping = false;
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            lock.unlock();
            scan();
            lock.lock();
            m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stopping; });
        }
    });
}

void CollectorWatcher::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void CollectorWatcher::warn(const std::string& message)
{
    if (m_onWarning)
        m_onWarning(message);
}

std::int64_t CollectorWatcher::scan()
{
    namespace fs = std::filesystem;
    std::error_code error;
    std::int64_t spans = 0;
    for (fs::directory_iterator it(m_folder, error), end; !error && it != end; it.increment(error)) {
        if (!it->is_regular_file(error))
            continue;
        const std::string extension = it->path().extension().string();
        const bool json = extension == ".json" || extension == ".jsonl";
        const bool proto = extension == ".pb" || extension == ".binpb" || extension == ".proto";
        if (!json && !proto)
            continue;
        const std::string path = it->path().string();
        spans += follow(path, m_files[path], proto);
    }
    if (error)
        warn(m_folder + ": " + error.message());
    return spans;
}

std::int64_t CollectorWatcher::follow(const std::string& path, FileState& state, bool proto)
{
    std::error_code error;
    const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path, error));
    if (error)
        return 0;
    if (size < state.offset) // truncated and rewritten: start over (the upsert drops what was seen)
        state = {};
    const bool settled = size == state.sizeSeen; // not grown since the last scan
    state.sizeSeen = size;
    if (size == state.offset)
        return 0;
    std::ifstream in(path, std::ios::binary);
    in.seekg(state.offset);
    std::string data(static_cast<std::size_t>(std::min(size - state.offset, maxRecordBytes * 2)), '\0');
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    std::int64_t spans = 0;
    std::size_t pos = 0;
    if (proto) {
        while (data.size() - pos >= 4) {
            const auto* bytes = reinterpret_cast<const unsigned char*>(data.data() + pos);
            const std::int64_t length
                = (std::int64_t(bytes[0]) << 24) | (bytes[1] << 16) | (bytes[2] << 8) | std::int64_t(bytes[3]);
            if (length > maxRecordBytes) {
                warn(path + ": byte " + std::to_string(state.offset + std::int64_t(pos)) + ": a record length of "
                    + std::to_string(length) + " bytes; the rest of the file is skipped");
                state.offset = size;
                return spans;
            }
            if (static_cast<std::int64_t>(data.size() - pos) < 4 + length)
                break; // cut mid-write: next scan
            const std::string where = "byte " + std::to_string(state.offset + std::int64_t(pos));
            spans += submit(data.substr(pos + 4, static_cast<std::size_t>(length)), path, where, true);
            pos += 4 + static_cast<std::size_t>(length);
        }
        state.offset += static_cast<std::int64_t>(pos);
        return spans;
    }
    while (pos < data.size()) {
        const std::size_t newline = data.find('\n', pos);
        std::string line;
        if (newline == std::string::npos) {
            // A last line without '\n' is taken only once the file has stopped growing and the line parses.
            if (!settled)
                break;
            line = data.substr(pos);
            try {
                OtlpJson::decodeTraceRequest(line);
            } catch (const ImportFailure&) {
                break;
            }
        } else {
            line = data.substr(pos, newline - pos);
        }
        const std::string where
            = "line " + std::to_string(state.line) + " (byte " + std::to_string(state.offset + std::int64_t(pos)) + ")";
        if (!isBlank(line))
            spans += submit(line, path, where, false);
        pos = newline == std::string::npos ? data.size() : newline + 1;
        ++state.line;
    }
    state.offset += static_cast<std::int64_t>(pos);
    return spans;
}

std::int64_t CollectorWatcher::submit(
    const std::string& record, const std::string& path, const std::string& where, bool proto)
{
    OtlpProto::DecodedRequest decoded;
    try {
        decoded = proto ? OtlpProto::decodeTraceRequest(record) : OtlpJson::decodeTraceRequest(record);
    } catch (const ImportFailure& failure) {
        warn(path + ": " + where + ": " + failure.what() + " (" + failure.where() + " of the record); skipped");
        return 0;
    }
    const auto spans = static_cast<std::int64_t>(decoded.steps.size());
    if (spans == 0)
        return 0;
    std::string error;
    CollectorWriter::Outcome outcome;
    // The file stays where it is: when the writer is busy, wait and try again rather than skip.
    while ((outcome = m_writer.submit(std::move(decoded.steps), "file " + path, &error))
        == CollectorWriter::Outcome::Overloaded) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        decoded = proto ? OtlpProto::decodeTraceRequest(record) : OtlpJson::decodeTraceRequest(record);
    }
    if (outcome != CollectorWriter::Outcome::Committed) {
        warn(path + ": " + where + ": not committed: " + error);
        return 0;
    }
    return spans;
}

} // namespace Tracelight
