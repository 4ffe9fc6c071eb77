#pragma once

#include <string>

namespace Tracelight {

// Creates the cache at path, or brings an older one up to the current schema. Migrations can rebuild the search
// index and add indexes over every step, which grows with the cache: call it on a worker (the window does, through
// its JobTracker, before its first query). Throws with the reason when the file is not a cache it can open.
// Returns true when the file did not exist before.
bool prepareCache(const std::string& path);

// What opening the cache found; never a crash, whatever the file holds.
struct CacheState
{
    enum class Status
    {
        Ready, // read and written
        ReadOnly, // current schema, but this process may not write the file or its folder: reading only
        Broken, // not a database, damaged pages, or a file shorter than its header says (cut short)
        Newer, // written by a newer Tracelight
        Unavailable, // anything else: a folder that cannot be made, a full disk, a lock held too long…
    };
    Status status = Status::Unavailable;
    bool created = false;
    std::string message; // why, for every status but Ready
};

// prepareCache() that says what it found instead of throwing: a Broken or Newer cache can be moved aside
// (moveCacheAside) and a new one started; a ReadOnly one opened for reading.
CacheState openCache(const std::string& path);

// Renames the cache and its -wal and -shm files to PATH.broken-YYYYMMDD-HHMMSS (or .newer-… for a newer schema's),
// so that a new cache can start at path and nothing of the old one is lost. Returns the new name; throws StoreError
// when the file cannot be moved.
std::string moveCacheAside(const std::string& path, const std::string& reason = "broken");

} // namespace Tracelight
