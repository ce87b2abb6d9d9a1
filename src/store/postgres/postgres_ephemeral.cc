// Short-lived shared rows of the PostgreSQL store: rate-limit counters (one upsert per hit, so
// concurrent hits from every server are all counted) and OAuth states (taken by one DELETE ...
// RETURNING, so of racing takes exactly one gets a record).
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {

// A later hit may extend the counter's life (GREATEST), never shorten it.
Result<int64_t> AddHitRow(Connection& conn, std::string_view key, int64_t window_start_ms,
                          int64_t expires_ms) {
  ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("INSERT INTO rate_limits AS r (key, window_start_ms, count, expires_ms) "
                 "VALUES ($1, $2, 1, $3) ON CONFLICT (key, window_start_ms) "
                 "DO UPDATE SET count = r.count + 1, "
                 "expires_ms = GREATEST(r.expires_ms, excluded.expires_ms) RETURNING count",
                 key, window_start_ms, expires_ms));
  if (rows.empty()) return Err(ErrorCode::kInternal, "rate_limits: upsert returned no count");
  return rows[0].Int(0);
}

Result<int64_t> CountHitRows(Connection& conn, std::string_view key, int64_t window_start_ms) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT count FROM rate_limits "
                                         "WHERE key = $1 AND window_start_ms = $2",
                                         key, window_start_ms));
  return rows.empty() ? int64_t{0} : rows[0].Int(0);
}

Result<size_t> PurgeRateLimitRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(int64_t deleted,
                   Change(conn, "DELETE FROM rate_limits WHERE expires_ms <= $1", now_ms));
  return static_cast<size_t>(deleted);
}

// ON CONFLICT DO NOTHING rather than the constraint error: the message does not repeat the key
// (a secret: a state value or a code's hash).
Status InsertOAuthStateRow(Connection& conn, const OAuthState& state) {
  ASSIGN_OR_RETURN(int64_t inserted,
                   Change(conn,
                          "INSERT INTO oauth_states (key, payload, expires_ms) VALUES ($1, $2, $3) "
                          "ON CONFLICT (key) DO NOTHING",
                          state.key, Bytes{state.payload}, state.expires_ms));
  if (inserted == 0) return Err(ErrorCode::kAlreadyExists, "OAuth state already exists");
  return Ok();
}

// The row goes whether or not it expired: an expired record is deleted and reported as absent.
Result<std::optional<OAuthState>> TakeOAuthStateRow(Connection& conn, std::string_view key,
                                                    int64_t now_ms) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query("DELETE FROM oauth_states WHERE key = $1 "
                                         "RETURNING payload, expires_ms",
                                         key));
  if (rows.empty()) return std::optional<OAuthState>();
  OAuthState state{std::string(key), rows[0].Blob(0), rows[0].Int(1)};
  if (state.expires_ms <= now_ms) return std::optional<OAuthState>();
  return std::optional<OAuthState>(std::move(state));
}

Result<size_t> PurgeOAuthStateRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(int64_t deleted,
                   Change(conn, "DELETE FROM oauth_states WHERE expires_ms <= $1", now_ms));
  return static_cast<size_t>(deleted);
}

}  // namespace pangolin::store::postgres_internal
