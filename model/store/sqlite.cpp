#include "sqlite.h"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <utility>

namespace Tracelight {

bool StoreError::corrupt() const
{
    const int primary = m_code & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

bool StoreError::readOnly() const
{
    return (m_code & 0xff) == SQLITE_READONLY;
}

bool StoreError::full() const
{
    return (m_code & 0xff) == SQLITE_FULL;
}

} // namespace Tracelight

namespace Tracelight::Sql {

namespace {

// The folder of the cache's file has no room left (SQLite reports a full disk as SQLITE_FULL when a page does not
// fit, but as a plain I/O error when even its -wal or -shm file cannot grow).
bool diskFull(const char* file)
{
    if (!file || !*file)
        return false;
    std::string folder(file);
    const std::size_t slash = folder.rfind('/');
    folder = slash == std::string::npos ? std::string(".") : folder.substr(0, slash == 0 ? 1 : slash);
    struct statvfs space
    {
    };
    return statvfs(folder.c_str(), &space) == 0 && space.f_bavail == 0;
}

// SQLite's message, with what to do when the disk is full (the same for every statement that can hit it).
std::string describe(sqlite3* db, std::string message, int code)
{
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    const int primary = code & 0xff;
    if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && diskFull(file))) {
        if (primary == SQLITE_IOERR)
            message += ": the disk is full";
        message += std::string(" (free space on the disk of ") + (file && *file ? file : "the cache")
            + "; nothing was written, and the work can be repeated then)";
    }
    return message;
}

} // namespace

int Database::BusyWait::handle(void* data, int count)
{
    const auto* wait = static_cast<const BusyWait*>(data);
    constexpr int step = 20;
    if ((wait->cancel && wait->cancel->load()) || count * step >= wait->maxMs)
        return 0;
    sqlite3_sleep(step);
    return 1;
}

Database::Database(const std::string& path, Mode mode)
{
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const int code = m_db ? sqlite3_extended_errcode(m_db) : SQLITE_NOMEM;
        const std::string message = m_db ? describe(m_db, sqlite3_errmsg(m_db), code) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError("cannot open cache " + path + ": " + message, code);
    }
    // Readers and the writer wait for each other instead of failing at once.
    sqlite3_busy_timeout(m_db, 10000);
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_busyWait(std::move(other.m_busyWait))
{ }

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_busyWait = std::move(other.m_busyWait);
    }
    return *this;
}

void Database::setBusyWait(const std::atomic<bool>* cancel, int maxMs)
{
    if (!m_db)
        return;
    m_busyWait = std::make_unique<BusyWait>();
    m_busyWait->cancel = cancel;
    m_busyWait->maxMs = maxMs;
    sqlite3_busy_handler(m_db, &BusyWait::handle, m_busyWait.get());
}

void Database::exec(const char* sql)
{
    char* error = nullptr;
    if (const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &error); rc != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        const int code = sqlite3_extended_errcode(m_db) ? sqlite3_extended_errcode(m_db) : rc;
        throw StoreError("SQLite: " + describe(m_db, message, code), code);
    }
}

Statement Database::prepare(std::string_view sql) const
{
    return Statement(m_db, sql);
}

bool Database::lastErrorWasBusy() const
{
    return m_db && (sqlite3_extended_errcode(m_db) & 0xff) == SQLITE_BUSY;
}

void Database::interrupt() const
{
    if (m_db)
        sqlite3_interrupt(m_db);
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

void Database::fail(std::string_view what) const
{
    const int code = sqlite3_extended_errcode(m_db);
    throw StoreError(std::string(what) + ": " + describe(m_db, sqlite3_errmsg(m_db), code), code);
}

Statement::Statement(sqlite3* db, std::string_view sql)
    : m_db(db)
{
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr)
        != SQLITE_OK)
        throw StoreError("SQLite cannot prepare \"" + std::string(sql.substr(0, 80)) + "\": " + sqlite3_errmsg(db),
            sqlite3_extended_errcode(db));
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_stmt(std::exchange(other.m_stmt, nullptr))
{ }

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value, bool emptyIsNull)
{
    if (emptyIsNull && value.empty())
        sqlite3_bind_null(m_stmt, index);
    else
        sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    sqlite3_bind_blob64(m_stmt, index, bytes.empty() ? "" : bytes.data(), bytes.size(), SQLITE_STATIC);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bind(int index, const std::optional<double>& value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const int code = sqlite3_extended_errcode(m_db) ? sqlite3_extended_errcode(m_db) : rc;
    const std::string message = describe(m_db, sqlite3_errmsg(m_db), code);
    sqlite3_reset(m_stmt);
    throw StoreError("SQLite: " + message, code);
}

void Statement::run()
{
    while (step()) { }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::optional<std::int64_t> Statement::optInt64(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
}

std::optional<double> Statement::optReal(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

std::string_view Statement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return { data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)) };
}

std::string_view Statement::blob(int column) const
{
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    if (!data)
        return {};
    return { data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)) };
}

Transaction::Transaction(Database& db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
    m_open = true;
}

Transaction::~Transaction()
{
    if (m_open) {
        try {
            rollback();
        } catch (...) { }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

void Transaction::rollback()
{
    m_open = false;
    // SQLite may have rolled back already: after SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM it can end the
    // transaction itself, and a ROLLBACK then fails ("no transaction is active").
    if (sqlite3_get_autocommit(m_db.handle()))
        return;
    m_db.exec("ROLLBACK");
}

} // namespace Tracelight::Sql
