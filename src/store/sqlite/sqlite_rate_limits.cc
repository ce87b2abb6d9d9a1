// Rate-limit counter rows of the SQLite store (schema v9). A hit is one upsert that returns the
// window's new count, so concurrent hits, from any process on the file, are all counted.
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {

// A later hit may extend the counter's life (MAX), never shorten it: every hit's own expires_ms
// is honoured.
Result<int64_t> AddHitRow(Connection& conn, std::string_view key, int64_t window_start_ms,
                          int64_t expires_ms) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO rate_limits (key, window_start_ms, count, expires_ms) "
                                "VALUES (?1, ?2, 1, ?3) ON CONFLICT (key, window_start_ms) "
                                "DO UPDATE SET count = count + 1, "
                                "expires_ms = MAX(expires_ms, excluded.expires_ms) "
                                "RETURNING count"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(key, window_start_ms, expires_ms).Step());
  if (!row) return Err(ErrorCode::kInternal, "rate_limits: upsert returned no count");
  int64_t count = stmt.Int(0);
  RETURN_IF_ERROR(stmt.Run());  // steps to the end: the statement is done before COMMIT
  return count;
}

Result<int64_t> CountHitRows(Connection& conn, std::string_view key, int64_t window_start_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT count FROM rate_limits "
                                                "WHERE key = ?1 AND window_start_ms = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(key, window_start_ms).Step());
  return row ? stmt.Int(0) : int64_t{0};
}

Result<size_t> PurgeRateLimitRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM rate_limits WHERE expires_ms <= ?1"));
  RETURN_IF_ERROR(stmt.BindAll(now_ms).Run());
  return static_cast<size_t>(conn.Changes());
}

}  // namespace pangolin::store::sqlite_internal
