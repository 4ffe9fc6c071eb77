#pragma once

#include <string>

namespace Tracelight {

// Creates the cache at path, or brings an older one up to the current schema. Migrations can rebuild the search
// index and add indexes over every step, which grows with the cache: call it on a worker (the window does, through
// its JobTracker, before its first query). Throws with the reason when the file is not a cache it can open.
// Returns true when the file did not exist before.
bool prepareCache(const std::string& path);

} // namespace Tracelight
