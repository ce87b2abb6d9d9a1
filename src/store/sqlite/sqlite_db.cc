// sqlite3 C API wrappers: error mapping, statements, connections, transactions, reader pool.
#include <chrono>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_db_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

// SQLite's own mutexes, made to spin briefly before they sleep. Every read transaction takes the
// mutex of the file's shared-memory index as it begins and ends, for well under a microsecond;
// with four readers on two cores, a waiter that slept paid a futex wait, a wake and two context
// switches for a wait shorter than any of them.
sqlite3_mutex_methods default_mutexes{};

void SpinThenEnter(sqlite3_mutex* mutex) {
  for (int i = 0; i < 64; ++i) {
    if (default_mutexes.xMutexTry(mutex) == SQLITE_OK) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }
  default_mutexes.xMutexEnter(mutex);
}

// Possible only before SQLite initializes, which the first open does.
void ConfigureSqlite() {
  // SQLite counts every allocation under one process-wide mutex unless told not to; nothing
  // here reads those counts, and every request's reads contended for it.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  if (sqlite3_config(SQLITE_CONFIG_GETMUTEX, &default_mutexes) == SQLITE_OK &&
      default_mutexes.xMutexTry != nullptr) {
    sqlite3_mutex_methods spinning = default_mutexes;
    spinning.xMutexEnter = SpinThenEnter;
    sqlite3_config(SQLITE_CONFIG_MUTEX, &spinning);
  }
}

}  // namespace

Error MapError(sqlite3* db, int rc, std::string_view context) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = fmt::format("{}: {}", context, detail);
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::kUnavailable, "Database is busy; retry later (" + message + ")"};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Error{ErrorCode::kAlreadyExists, message};
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Error{ErrorCode::kConflict, message};
      return Error{ErrorCode::kInvalidArgument, message};
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
      return Error{ErrorCode::kUnavailable, message};
    default:
      return Error{ErrorCode::kInternal, message};
  }
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

Statement& Statement::Bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                             SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  if (value) return Bind(index, std::string_view(*value));
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) return tl::unexpected(MapError(db, bind_rc_, "bind"));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(MapError(db, rc, sqlite3_sql(stmt_)));
}

Status Statement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  if (row) return Err(ErrorCode::kInternal, "unexpected row from {}", sqlite3_sql(stmt_));
  return Ok();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::string> Statement::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int busy_timeout_ms,
                                                     bool create) {
  static std::once_flag configured;
  std::call_once(configured, ConfigureSqlite);
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Connection> conn(new Connection(raw));  // owns `raw` even on failure
  if (rc != SQLITE_OK) {
    Error error = MapError(raw, rc, "open " + path);
    return tl::unexpected(Error{ErrorCode::kUnavailable, error.message});
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
  RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = FULL"));
  return conn;
}

Result<Statement> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw);
    if (rc != SQLITE_OK) return tl::unexpected(MapError(db_.get(), rc, "prepare"));
    it = cache_.emplace(sql, std::move(stmt)).first;
  }
  return Statement(it->second.get());
}

Status Connection::Run(const std::string& sql) {
  ASSIGN_OR_RETURN(Statement statement, Prepare(sql));
  return statement.Run();
}

Status Connection::Exec(const char* sql) {
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(MapError(db_.get(), rc, sql));
  return Ok();
}

Status BeginImmediate(Connection& conn) {
  constexpr int kAttempts = 4;
  Status status;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    status = conn.Run("BEGIN IMMEDIATE");
    if (status || status.error().code != ErrorCode::kUnavailable) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
  }
  return status;
}

Status Finish(Connection& conn, Status status) {
  if (!status) {
    if (sqlite3_get_autocommit(conn.db()) == 0) (void)conn.Run("ROLLBACK");
    return status;
  }
  Status committed = conn.Run("COMMIT");
  if (!committed && sqlite3_get_autocommit(conn.db()) == 0) (void)conn.Run("ROLLBACK");
  return committed;
}

}  // namespace pangolin::store::sqlite_internal
