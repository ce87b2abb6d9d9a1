// libpq wrappers: parameters, rows, connections and the SQLSTATE -> ErrorCode mapping.
#include <charconv>

#include "common/strings.h"
#include "store/postgres/postgres_conn_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

// Type OIDs of the parameters we bind (pg_type.dat).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kTextArrayOid = 1009;
constexpr Oid kInt8ArrayOid = 1016;

bool StartsWithState(std::string_view state, std::string_view prefix) {
  return state.substr(0, prefix.size()) == prefix;
}

// What a failed statement means for the caller. Connection-level trouble (the server went away,
// is starting or stopping, is out of resources) is kUnavailable: retry later.
ErrorCode CodeFor(std::string_view state) {
  if (state == "23505") return ErrorCode::kAlreadyExists;
  if (state == "23503") return ErrorCode::kConflict;
  if (StartsWithState(state, "23") || StartsWithState(state, "22")) {
    return ErrorCode::kInvalidArgument;
  }
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014" ||
      state == "25006" || StartsWithState(state, "08") || StartsWithState(state, "53") ||
      StartsWithState(state, "57P") || StartsWithState(state, "58")) {
    return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

std::string Field(const PGresult* result, int field) {
  const char* value = result != nullptr ? PQresultErrorField(result, field) : nullptr;
  return value != nullptr ? value : "";
}

}  // namespace

// Text goes in binary form (its raw bytes with their length): a NUL byte is then refused by the
// server rather than silently cutting the value short.
Param ToParam(std::string_view value) { return Param{kTextOid, std::string(value), true}; }
Param ToParam(const std::string& value) { return Param{kTextOid, value, true}; }
Param ToParam(const char* value) { return Param{kTextOid, std::string(value), true}; }
Param ToParam(int value) { return Param{kInt8Oid, std::to_string(value)}; }
Param ToParam(long value) { return Param{kInt8Oid, std::to_string(value)}; }
Param ToParam(long long value) { return Param{kInt8Oid, std::to_string(value)}; }
Param ToParam(bool value) { return Param{kBoolOid, std::string(value ? "t" : "f")}; }
Param ToParam(const std::optional<std::string>& value) { return Param{kTextOid, value, true}; }
Param ToParam(const std::optional<int64_t>& value) {
  if (!value) return Param{kInt8Oid, std::nullopt};
  return ToParam(*value);
}
Param ToParam(Bytes value) { return Param{kByteaOid, std::string(value.data), true}; }
Param ToParam(const std::vector<int64_t>& values) {
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(values[i]);
  }
  return Param{kInt8ArrayOid, text + "}"};
}
// Every element quoted, double quotes and backslashes escaped: any text goes through as itself.
Param ToParam(const std::vector<std::string>& values) {
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ',';
    text += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return Param{kTextArrayOid, text + "}"};
}

bool Row::IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

std::string Row::Text(int column) const {
  return {PQgetvalue(result_, row_, column),
          static_cast<size_t>(PQgetlength(result_, row_, column))};
}

std::optional<std::string> Row::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

int64_t Row::Int(int column) const {
  const char* text = PQgetvalue(result_, row_, column);
  int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_, row_, column), value);
  return value;
}

std::optional<int64_t> Row::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

bool Row::Bool(int column) const { return PQgetvalue(result_, row_, column)[0] == 't'; }

std::string Row::Blob(int column) const {
  size_t length = 0;
  const auto* text = reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column));
  unsigned char* raw = PQunescapeBytea(text, &length);
  if (raw == nullptr) return {};
  std::string bytes(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return bytes;
}

int64_t Rows::affected() const {
  const char* count = PQcmdTuples(result_.get());
  int64_t value = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), value);
  return value;
}

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectSettings& settings) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(settings.url.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string detail = parse_error != nullptr ? std::string(Trim(parse_error)) : "out of memory";
    PQfreemem(parse_error);
    return Err(ErrorCode::kInvalidArgument, "invalid PostgreSQL URL: {}", detail);
  }
  PQconninfoFree(parsed);
  // Defaults first, then the URL (which may override them), then what the store relies on.
  std::string timeout = std::to_string(settings.connect_timeout_s);
  const char* keys[] = {"application_name", "connect_timeout", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {"pangolin", timeout.c_str(), settings.url.c_str(), "UTF8", nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, 1);
  if (raw == nullptr) return Err(ErrorCode::kUnavailable, "PostgreSQL: out of memory");
  std::unique_ptr<Connection> conn(new Connection(raw));
  if (PQstatus(raw) != CONNECTION_OK) {
    return Err(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: {}",
               Trim(PQerrorMessage(raw)));
  }
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);  // no "skipping" chatter
  if (!settings.search_path.empty()) {
    RETURN_IF_ERROR(
        conn->Query("SELECT set_config('search_path', $1, false)", settings.search_path));
  }
  return conn;
}

Error Connection::Fail(const PGresult* result, std::string_view context) {
  std::string state = Field(result, PG_DIAG_SQLSTATE);
  if (state == "40001" || state == "40P01") transient_ = true;
  if (broken() || state.empty()) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("PostgreSQL connection lost: {}", Trim(PQerrorMessage(conn_.get())))};
  }
  std::string message = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string detail = Field(result, PG_DIAG_MESSAGE_DETAIL);
  if (!detail.empty()) message += " (" + detail + ")";
  ErrorCode code = CodeFor(state);
  if (code == ErrorCode::kInternal) {
    return Error{code, fmt::format("PostgreSQL {}: {} in: {}", state, message, context)};
  }
  return Error{code, fmt::format("PostgreSQL: {}", message)};
}

Result<Rows> Connection::Run(const std::string& sql, const std::vector<Param>& params) {
  std::string key = sql;
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Param& param : params) {
    key += '\x1e' + std::to_string(param.type);
    types.push_back(param.type);
    values.push_back(param.value ? param.value->data() : nullptr);
    lengths.push_back(param.value ? static_cast<int>(param.value->size()) : 0);
    formats.push_back(param.binary ? 1 : 0);
  }
  int count = static_cast<int>(params.size());
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    std::string name = "pangolin_" + std::to_string(prepared_.size() + 1);
    std::unique_ptr<PGresult, ResultClear> prepared(
        PQprepare(conn_.get(), name.c_str(), sql.c_str(), count, types.data()));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      return tl::unexpected(Fail(prepared.get(), sql));
    }
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  PGresult* raw = PQexecPrepared(conn_.get(), it->second.c_str(), count, values.data(),
                                 lengths.data(), formats.data(), 0);
  Rows rows(raw);
  ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return tl::unexpected(Fail(raw, sql));
  }
  return rows;
}

Status Connection::Simple(const char* sql) {
  std::unique_ptr<PGresult, ResultClear> result(PQexec(conn_.get(), sql));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return tl::unexpected(Fail(result.get(), sql));
  }
  return Ok();
}

Result<std::string> Connection::QuoteIdentifier(std::string_view name) {
  char* quoted = PQescapeIdentifier(conn_.get(), name.data(), name.size());
  if (quoted == nullptr) {
    return Err(ErrorCode::kInvalidArgument, "invalid identifier: {}",
               Trim(PQerrorMessage(conn_.get())));
  }
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

}  // namespace pangolin::store::postgres_internal
