// Thin RAII layer over the sqlite3 C API for the SQLite store: connections with a per-connection
// prepared-statement cache, statements with checked binding, error mapping to ErrorCode,
// transactions with BUSY retry, and a blocking pool of reader connections.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace pangolin::store::sqlite_internal {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

// Maps a SQLite result code (extended codes on) to a Pangolin error.
Error MapError(sqlite3* db, int rc, std::string_view context);

// A cached prepared statement borrowed from its Connection; reset and unbound when destroyed.
// Bind errors are remembered and reported by the next Step.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, const std::optional<std::string>& value);
  // Binds `values` to parameters 1..n.
  template <typename... Args>
  Statement& BindAll(const Args&... values) {
    int index = 0;
    (Bind(++index, values), ...);
    return *this;
  }

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, expecting no rows.
  Status Run();
  // Rewinds and clears the bindings, to run the statement again.
  void Reset();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptInt(int column) const;  // nullopt for NULL
  bool Bool(int column) const { return Int(column) != 0; }
  std::string Text(int column) const;
  std::optional<std::string> OptText(int column) const;

 private:
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens `path` and applies the per-connection pragmas (foreign keys, synchronous=FULL, busy
  // timeout, extended result codes). `create` allows creating the file.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int busy_timeout_ms,
                                                  bool create);

  // The cached statement for `sql` (prepared on first use on this connection).
  Result<Statement> Prepare(const std::string& sql);
  // Runs constant SQL without parameters (pragmas, migrations); parsed on every call.
  Status Exec(const char* sql);
  // Runs one constant statement without parameters, prepared once: transaction control, which
  // every store call runs.
  Status Run(const std::string& sql);
  sqlite3* db() const { return db_.get(); }
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }
  int Changes() const { return sqlite3_changes(db_.get()); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, DbCloser> db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StmtFinalizer>> cache_;
};

// BEGIN IMMEDIATE, retrying SQLITE_BUSY a few times beyond the busy timeout. Errors: kUnavailable.
Status BeginImmediate(Connection& conn);
// COMMIT, or ROLLBACK when `status` is an error; returns the first error.
Status Finish(Connection& conn, Status status);

// Runs `body(conn)` in a write transaction: all of it commits, or nothing does. Exceptions from
// `body` are converted to kInternal after rolling back.
template <typename Body>
auto InWriteTxn(Connection& conn, Body&& body) -> decltype(body(conn)) {
  RETURN_IF_ERROR(BeginImmediate(conn));
  try {
    auto result = body(conn);
    Status status = result ? Ok() : Status(tl::unexpected(result.error()));
    RETURN_IF_ERROR(Finish(conn, std::move(status)));
    return result;
  } catch (const std::exception& e) {
    (void)Finish(conn, MakeError(ErrorCode::kInternal, e.what()));
    return MakeError(ErrorCode::kInternal, std::string("store: ") + e.what());
  }
}

// Runs `body(conn)` inside the transaction already open on `conn`, as a savepoint: when it fails,
// what it wrote is rolled back and the enclosing transaction goes on.
template <typename Body>
auto InSavepoint(Connection& conn, Body&& body) -> decltype(body(conn)) {
  RETURN_IF_ERROR(conn.Run("SAVEPOINT nested"));
  auto result = body(conn);
  if (result) {
    RETURN_IF_ERROR(conn.Run("RELEASE nested"));
  } else {
    (void)conn.Run("ROLLBACK TO nested");
    (void)conn.Run("RELEASE nested");
  }
  return result;
}

// Runs `body(conn)` in a read transaction (one consistent snapshot).
template <typename Body>
auto InReadTxn(Connection& conn, Body&& body) -> decltype(body(conn)) {
  RETURN_IF_ERROR(conn.Run("BEGIN"));
  try {
    auto result = body(conn);
    (void)Finish(conn, Ok());
    return result;
  } catch (const std::exception& e) {
    (void)Finish(conn, MakeError(ErrorCode::kInternal, e.what()));
    return MakeError(ErrorCode::kInternal, std::string("store: ") + e.what());
  }
}

// The newest schema version this binary knows.
int KnownSchemaVersion();
// Applies pending migrations up to `target` (tests stop early to build an old database) in one
// write transaction. Errors: kUnsupported (newer schema).
Status Migrate(Connection& conn, int target = KnownSchemaVersion());

}  // namespace pangolin::store::sqlite_internal
