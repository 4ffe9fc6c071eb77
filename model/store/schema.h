#pragma once

namespace Tracelight {
namespace Sql {
class Database;
}

namespace Schema {

// The newest schema version. PRAGMA user_version records what a cache file holds.
inline constexpr int CurrentVersion = 6;

int version(Sql::Database& db);
// Brings the cache up to targetVersion, one migration per transaction. Opening an older cache migrates it;
// a cache newer than this build is refused (StoreError) rather than damaged.
void migrate(Sql::Database& db, int targetVersion = CurrentVersion);

} // namespace Schema
} // namespace Tracelight
