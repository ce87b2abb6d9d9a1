// OAuth state rows of the SQLite store (schema v10). Taking a record is one DELETE ... RETURNING
// in the caller's write transaction, so of any number of racing takes, from any process on the
// file, exactly one gets it.
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {

// ON CONFLICT DO NOTHING rather than the constraint error: the message then need not come from
// SQLite, and does not repeat the key (a secret: a state value or a code's hash).
Status InsertOAuthStateRow(Connection& conn, const OAuthState& state) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO oauth_states (key, payload, expires_ms) "
                                "VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING"));
  RETURN_IF_ERROR(stmt.BindAll(state.key, state.payload, state.expires_ms).Run());
  if (conn.Changes() == 0) return Err(ErrorCode::kAlreadyExists, "OAuth state already exists");
  return Ok();
}

// The row goes whether or not it expired: an expired record is deleted and reported as absent.
Result<std::optional<OAuthState>> TakeOAuthStateRow(Connection& conn, std::string_view key,
                                                    int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM oauth_states WHERE key = ?1 "
                                                "RETURNING payload, expires_ms"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(key).Step());
  if (!row) return std::optional<OAuthState>();
  OAuthState state{std::string(key), stmt.Text(0), stmt.Int(1)};
  RETURN_IF_ERROR(stmt.Run());  // steps to the end: the statement is done before COMMIT
  if (state.expires_ms <= now_ms) return std::optional<OAuthState>();
  return std::optional<OAuthState>(std::move(state));
}

Result<size_t> PurgeOAuthStateRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM oauth_states WHERE expires_ms <= ?1"));
  RETURN_IF_ERROR(stmt.BindAll(now_ms).Run());
  return static_cast<size_t>(conn.Changes());
}

}  // namespace pangolin::store::sqlite_internal
