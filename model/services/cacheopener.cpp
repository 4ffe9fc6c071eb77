#include "cacheopener.h"

#include <sqlite.h>
#include <tracestore.h>

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <filesystem>
#include <system_error>

namespace Tracelight {

namespace {

// A file cut short: its header counts more pages than the file holds. Only meaningful without a write-ahead log
// (pages not yet checkpointed live in the -wal file); a clean close leaves none.
bool cutShort(TraceStore& store, const std::string& path)
{
    std::error_code error;
    const auto wal = std::filesystem::file_size(path + "-wal", error);
    if (!error && wal > 0)
        return false;
    const auto size = std::filesystem::file_size(path, error);
    if (error)
        return false;
    auto pages = store.database().prepare("PRAGMA page_count");
    auto pageSize = store.database().prepare("PRAGMA page_size");
    if (!pages.step() || !pageSize.step())
        return false;
    return static_cast<std::uintmax_t>(pages.int64(0)) * static_cast<std::uintmax_t>(pageSize.int64(0)) > size;
}

CacheState classify(const StoreError& failure, const std::string& path)
{
    CacheState state;
    state.message = failure.what();
    if (failure.corrupt()) {
        state.status = CacheState::Status::Broken;
        state.message = "the file " + path + " is not a Tracelight cache, or it is damaged (" + failure.what() + ")";
    } else if (std::string(failure.what()).find("newer Tracelight") != std::string::npos
        || std::string(failure.what()).find("newer than this Tracelight") != std::string::npos) {
        state.status = CacheState::Status::Newer;
    } else {
        state.status = CacheState::Status::Unavailable;
    }
    return state;
}

bool writable(const std::string& path)
{
    const QFileInfo file(QString::fromStdString(path));
    const QFileInfo folder(file.absolutePath());
    return (!file.exists() || file.isWritable()) && (!folder.exists() || folder.isWritable());
}

CacheState cutShortState(const std::string& path)
{
    CacheState state;
    state.status = CacheState::Status::Broken;
    state.message = "the cache " + path + " is shorter than its header says (cut short)";
    return state;
}

CacheState openReadOnly(const std::string& path)
{
    try {
        TraceStore store(path, TraceStore::Mode::ReadOnly);
        if (cutShort(store, path))
            return cutShortState(path);
        CacheState state;
        state.status = CacheState::Status::ReadOnly;
        state.message = "you may not write this file or its folder";
        return state;
    } catch (const StoreError& failure) {
        return classify(failure, path);
    }
}

} // namespace

bool prepareCache(const std::string& path)
{
    std::error_code error;
    const bool created = !std::filesystem::exists(path, error);
    const TraceStore store(path); // opening read-write creates or migrates
    return created;
}

CacheState openCache(const std::string& path)
{
    std::error_code error;
    const bool exists = std::filesystem::exists(path, error);
    if (exists && !writable(path))
        return openReadOnly(path);
    try {
        TraceStore store(path);
        if (exists && cutShort(store, path))
            return cutShortState(path);
        CacheState state;
        state.status = CacheState::Status::Ready;
        state.created = !exists;
        return state;
    } catch (const StoreError& failure) {
        if (failure.readOnly() && exists)
            return openReadOnly(path);
        return classify(failure, path);
    } catch (const std::exception& failure) {
        CacheState state;
        state.message = failure.what();
        return state;
    }
}

std::string moveCacheAside(const std::string& path, const std::string& reason)
{
    const std::string stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")).toStdString();
    std::string target = path + "." + reason + "-" + stamp;
    for (int n = 2; std::filesystem::exists(target); ++n)
        target = path + "." + reason + "-" + stamp + "-" + std::to_string(n);
    std::error_code error;
    std::filesystem::rename(path, target, error);
    if (error)
        throw StoreError("cannot move " + path + " to " + target + ": " + error.message());
    for (const char* suffix : { "-wal", "-shm" }) {
        if (std::filesystem::exists(path + suffix, error))
            std::filesystem::rename(path + suffix, target + suffix, error);
    }
    return target;
}

} // namespace Tracelight
