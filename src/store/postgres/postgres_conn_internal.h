// Thin RAII layer over libpq for the PostgreSQL store: a connection with a cache of prepared
// statements, typed parameters that are always bound (never spliced into SQL), materialized
// results read by row, and the mapping of SQLSTATEs to ErrorCode.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace pangolin::store::postgres_internal {

// A bytea value: sent and read in binary, so any bytes (NUL included) go through unchanged.
struct Bytes {
  std::string_view data;
};

// One bound parameter: its type OID and its value (nullopt: NULL), in the type's text form, or
// as raw bytes (`binary`) for text and bytea.
struct Param {
  Oid type = 0;
  std::optional<std::string> value;
  bool binary = false;
};

Param ToParam(std::string_view value);
Param ToParam(const std::string& value);
Param ToParam(const char* value);
Param ToParam(int value);
Param ToParam(long value);
Param ToParam(long long value);
Param ToParam(bool value);
Param ToParam(const std::optional<std::string>& value);
Param ToParam(const std::optional<int64_t>& value);
Param ToParam(Bytes value);
Param ToParam(const std::vector<int64_t>& values);      // bigint[]
Param ToParam(const std::vector<std::string>& values);  // text[]

struct ResultClear {
  void operator()(PGresult* result) const { PQclear(result); }
};
struct ConnFinish {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};

// One row of a result, read by column number. Integer and boolean columns are parsed from their
// text form; a value that does not parse reads as 0 / false (the schema's types prevent it).
class Row {
 public:
  Row(const PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptText(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptInt(int column) const;
  bool Bool(int column) const;
  // A bytea column (hex text form) as raw bytes.
  std::string Blob(int column) const;

 private:
  const PGresult* result_;
  int row_;
};

// A statement's whole result.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result) {}
  int size() const { return PQntuples(result_.get()); }
  bool empty() const { return size() == 0; }
  Row operator[](int row) const { return Row(result_.get(), row); }
  // How many rows an INSERT, UPDATE or DELETE changed.
  int64_t affected() const;

 private:
  std::unique_ptr<PGresult, ResultClear> result_;
};

struct ConnectSettings {
  std::string url;          // libpq URI or key=value string
  std::string search_path;  // already a quoted identifier; "" keeps the server's
  int connect_timeout_s = 10;
};

class Connection {
 public:
  // Connects and applies the session settings. Errors: kInvalidArgument (malformed URL);
  // kUnavailable (cannot connect).
  static Result<std::unique_ptr<Connection>> Open(const ConnectSettings& settings);

  // Runs `sql` ($1..$n bound to `args`) as a prepared statement, prepared on first use on this
  // connection (per SQL text and parameter types).
  template <typename... Args>
  Result<Rows> Query(const std::string& sql, const Args&... args) {
    return Run(sql, std::vector<Param>{ToParam(args)...});
  }
  Result<Rows> Run(const std::string& sql, const std::vector<Param>& params);
  // Runs constant SQL without parameters (transaction control, migrations); it may hold several
  // statements.
  Status Simple(const char* sql);

  // The connection is gone (server restart, network): it must not be used again.
  bool broken() const { return PQstatus(conn_.get()) == CONNECTION_BAD; }
  // Outside any transaction, ready for the next user of the pool.
  bool idle() const { return PQtransactionStatus(conn_.get()) == PQTRANS_IDLE; }
  // Whether a statement failed with a serialization failure or deadlock since the last
  // ClearTransient: the transaction was lost to a concurrent one and may be run again.
  bool transient() const { return transient_; }
  void ClearTransient() { transient_ = false; }
  // `name` as a quoted SQL identifier.
  Result<std::string> QuoteIdentifier(std::string_view name);

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The error of a failed result (nullptr: no result at all) while running `context`.
  Error Fail(const PGresult* result, std::string_view context);

  std::unique_ptr<PGconn, ConnFinish> conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL and types -> statement name
  bool transient_ = false;
};

}  // namespace pangolin::store::postgres_internal
