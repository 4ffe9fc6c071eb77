#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace Tracelight {

class StoreError : public std::runtime_error
{
public:
    // sqliteCode: SQLite's (extended) result code when SQLite failed, else 0.
    explicit StoreError(const std::string& message, int sqliteCode = 0)
        : std::runtime_error(message)
        , m_code(sqliteCode)
    { }
    int sqliteCode() const { return m_code; }
    // The file is not a database, or its pages are damaged (SQLITE_NOTADB, SQLITE_CORRUPT).
    bool corrupt() const;
    // Writing was refused: a read-only file or folder (SQLITE_READONLY, SQLITE_CANTOPEN on the journal).
    bool readOnly() const;
    // The disk or quota is full (SQLITE_FULL).
    bool full() const;

private:
    int m_code = 0;
};

namespace Sql {

class Statement;

// One SQLite connection. Connections are never shared between threads (house style point 4).
class Database
{
public:
    enum class Mode
    {
        ReadWrite,
        ReadOnly
    };

    Database() = default;
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    bool isOpen() const { return m_db != nullptr; }
    sqlite3* handle() const { return m_db; }
    void exec(const char* sql);
    Statement prepare(std::string_view sql) const;
    std::int64_t lastInsertRowId() const;
    int changes() const;
    // Whether the last call failed because another connection held a lock (SQLITE_BUSY in any of its forms).
    bool lastErrorWasBusy() const;
    [[noreturn]] void fail(std::string_view what) const;
    // Makes the statement running on this connection fail soon with "interrupted"; callable from any thread.
    void interrupt() const;
    // Waits up to maxMs (instead of the usual 10 s) for another connection's lock, giving up at once when cancel
    // becomes true: an import that finds another import or the collector writing waits its turn instead of failing
    // with "database is locked".
    void setBusyWait(const std::atomic<bool>* cancel, int maxMs);

private:
    struct BusyWait
    {
        const std::atomic<bool>* cancel = nullptr;
        int maxMs = 0;
        static int handle(void* data, int count);
    };
    sqlite3* m_db = nullptr;
    std::unique_ptr<BusyWait> m_busyWait; // the busy handler's state, at a stable address
};

class Statement
{
public:
    Statement() = default;
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    // Binds NULL for an empty string when emptyIsNull is set.
    Statement& bind(int index, std::string_view value, bool emptyIsNull = false);
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    Statement& bind(int index, const std::optional<double>& value);
    Statement& bindNull(int index);
    // Binds bytes as a BLOB (never NULL). The bytes must outlive the statement's next run or reset.
    Statement& bindBlob(int index, std::string_view bytes);

    // Returns true while there is a row to read.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::optional<std::int64_t> optInt64(int column) const;
    std::optional<double> optReal(int column) const;
    std::string_view text(int column) const;
    std::string_view blob(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed uncommitted (errors, cancellation).
class Transaction
{
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();
    void rollback();

private:
    Database& m_db;
    bool m_open = false;
};

} // namespace Sql
} // namespace Tracelight
