// Versioned schema of the PostgreSQL store. Migrations are append-only: never edit a released one,
// add the next. They are applied at start-up in one transaction, under a session advisory lock
// per schema, so that servers starting together apply each migration once.
//
// The tables mirror the SQLite store's (src/store/sqlite/sqlite_schema.cc, whose comments explain
// the versioning design); the differences: every text column that is compared or ordered uses the
// "C" collation, so that orders are byte orders as in the other stores whatever the database's
// locale; a deleted branch keeps its name (a partial unique index covers live branches only);
// each tenant's audit chain has a head row (audit_heads) that appends lock; opaque payloads are
// bytea.
#include <chrono>
#include <iterator>

#include "store/postgres/postgres_schema_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

// One entry per version (adjacent literals join into one).
constexpr const char* kMigrations[] = {
    // v1: everything the store holds as of its first release: tenancy and catalog versioning.
    R"sql(
CREATE TABLE tenants (
  id               TEXT COLLATE "C" PRIMARY KEY,
  name             TEXT COLLATE "C" NOT NULL UNIQUE,
  properties       TEXT NOT NULL,                 -- JSON object of strings
  created_ms       BIGINT NOT NULL
);
INSERT INTO tenants (id, name, properties, created_ms)
  VALUES ('00000000-0000-0000-0000-000000000000', 'default', '{}', 0);
CREATE TABLE warehouses (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  name             TEXT COLLATE "C" NOT NULL,
  use_sts          BOOLEAN NOT NULL,
  storage_config   TEXT NOT NULL,                 -- JSON object of strings
  vending_strategy TEXT NOT NULL,                 -- opaque JSON, '' when absent
  UNIQUE (tenant_id, name)
);
CREATE TABLE catalogs (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  name             TEXT COLLATE "C" NOT NULL,
  catalog_type     SMALLINT NOT NULL CHECK (catalog_type IN (0, 1)),
  warehouse_id     TEXT COLLATE "C" REFERENCES warehouses (id) ON DELETE RESTRICT,
  storage_location TEXT,
  properties       TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE INDEX catalogs_by_warehouse ON catalogs (warehouse_id);
CREATE TABLE branches (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  catalog_pk       BIGINT NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  name             TEXT COLLATE "C" NOT NULL,
  head_commit_id   TEXT COLLATE "C",             -- NULL until the first commit
  parent_pk        BIGINT,                        -- where it forked (NULL for main) ...
  fork_seq         BIGINT NOT NULL DEFAULT 0,     -- ... and as of which commit
  fork_commit_id   TEXT COLLATE "C",
  branch_type      SMALLINT NOT NULL CHECK (branch_type IN (0, 1)),  -- 0 ingest, 1 experimental
  assets           TEXT NOT NULL DEFAULT '',      -- names joined by U+001F
  created_ms       BIGINT NOT NULL,
  deleted          BOOLEAN NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX branches_live_by_name ON branches (catalog_pk, name) WHERE NOT deleted;
CREATE INDEX branches_by_catalog ON branches (catalog_pk);
-- seq orders the commits of the database; on one branch (whose row a commit locks) it follows
-- the commit order.
CREATE TABLE commits (
  seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  catalog_pk       BIGINT NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  branch_pk        BIGINT NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  branch_name      TEXT NOT NULL,
  parent_id        TEXT COLLATE "C",
  merge_parent_id  TEXT COLLATE "C",
  author           TEXT NOT NULL,
  message          TEXT NOT NULL,
  time_ms          BIGINT NOT NULL
);
CREATE INDEX commits_by_branch ON commits (branch_pk, seq DESC);
CREATE INDEX commits_by_catalog ON commits (catalog_pk);
-- Each branch's own current entries; deleted marks a tombstone that shadows the parent branch,
-- mod_seq the commit that last changed the row. parent: every namespace level followed by U+001F.
CREATE TABLE content (
  branch_pk         BIGINT NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  space             SMALLINT NOT NULL CHECK (space IN (0, 1)),   -- 0 namespace, 1 object
  parent            TEXT COLLATE "C" NOT NULL,
  name              TEXT COLLATE "C" NOT NULL,
  deleted           BOOLEAN NOT NULL,
  mod_seq           BIGINT NOT NULL,
  type              SMALLINT CHECK (type IN (0, 1, 2)),         -- NULL for a tombstone
  content_id        TEXT,
  metadata_location TEXT,
  properties        TEXT,
  PRIMARY KEY (branch_pk, space, parent, name)
);
-- Every operation ever committed, in order: time travel and history read it.
CREATE TABLE content_log (
  commit_seq        BIGINT NOT NULL REFERENCES commits (seq) ON DELETE CASCADE,
  ordinal           INTEGER NOT NULL,
  branch_pk         BIGINT NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  space             SMALLINT NOT NULL,
  parent            TEXT COLLATE "C" NOT NULL,
  name              TEXT COLLATE "C" NOT NULL,
  op                SMALLINT NOT NULL CHECK (op IN (0, 1)),      -- 0 put, 1 delete
  type              SMALLINT,
  content_id        TEXT,
  metadata_location TEXT,
  properties        TEXT,
  PRIMARY KEY (commit_seq, ordinal)
);
CREATE INDEX content_log_by_key
  ON content_log (branch_pk, space, parent, name, commit_seq DESC, ordinal DESC);
CREATE INDEX content_log_by_parent ON content_log (branch_pk, space, parent, commit_seq);
CREATE TABLE tags (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  catalog_pk       BIGINT NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  name             TEXT COLLATE "C" NOT NULL,
  commit_id        TEXT COLLATE "C" NOT NULL,
  created_ms       BIGINT NOT NULL,
  UNIQUE (catalog_pk, name)
);
-- Merge operations: the queried columns, and the whole operation as JSON (serde/merge_record.h).
CREATE TABLE merge_operations (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  catalog_pk       BIGINT NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  status           TEXT NOT NULL,
  version          BIGINT NOT NULL,
  initiated_ms     BIGINT NOT NULL,
  body             TEXT NOT NULL
);
CREATE INDEX merge_operations_by_catalog ON merge_operations (catalog_pk, initiated_ms, pk);
CREATE INDEX merge_operations_by_status ON merge_operations (catalog_pk, status);
-- Idempotency-Key records: status is NULL while the claiming request runs.
CREATE TABLE idempotency_keys (
  tenant_id        TEXT COLLATE "C" NOT NULL,
  key              TEXT COLLATE "C" NOT NULL,
  fingerprint      TEXT NOT NULL,
  claim_id         TEXT NOT NULL,
  claimed_ms       BIGINT NOT NULL,
  expires_ms       BIGINT NOT NULL,
  status           INTEGER,
  content_type     TEXT,
  headers          BYTEA,                         -- "name\tvalue\n" lines
  body             BYTEA,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_ms);
CREATE TABLE metrics_reports (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  catalog_pk       BIGINT NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  namespace        TEXT COLLATE "C" NOT NULL,   -- levels joined by U+001F
  table_name       TEXT COLLATE "C" NOT NULL,
  report_type      TEXT COLLATE "C" NOT NULL,
  snapshot_id      BIGINT,
  received_ms      BIGINT NOT NULL,
  body             TEXT NOT NULL
);
CREATE INDEX metrics_reports_by_catalog ON metrics_reports (catalog_pk, received_ms, pk);
CREATE INDEX metrics_reports_by_table
  ON metrics_reports (catalog_pk, namespace, table_name, received_ms, pk);
CREATE INDEX metrics_reports_by_age ON metrics_reports (received_ms);
)sql"
    // v1, continued: identity and access. role: 0 root, 1 tenant admin, 2 tenant user;
    // principal_kind: 0 user, 1 service user. Root users have no tenant; tenant_key ('' for them)
    // makes one unique index cover usernames per tenant and among root users.
    R"sql(
CREATE TABLE users (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT COLLATE "C" REFERENCES tenants (id) ON DELETE RESTRICT,
  tenant_key       TEXT COLLATE "C" NOT NULL GENERATED ALWAYS AS (COALESCE(tenant_id, '')) STORED,
  username         TEXT COLLATE "C" NOT NULL,
  email            TEXT NOT NULL,
  password_hash    TEXT,
  oauth_issuer     TEXT COLLATE "C",
  oauth_subject    TEXT COLLATE "C",
  role             SMALLINT NOT NULL CHECK (role IN (0, 1, 2)),
  created_ms       BIGINT NOT NULL,
  updated_ms       BIGINT NOT NULL,
  last_login_ms    BIGINT,
  active           BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX users_by_name ON users (tenant_key, username);
CREATE INDEX users_by_username ON users (username, id);
CREATE UNIQUE INDEX users_by_oidc ON users (oauth_issuer, oauth_subject)
  WHERE oauth_issuer IS NOT NULL AND oauth_subject IS NOT NULL;
CREATE TABLE service_users (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,
  name             TEXT COLLATE "C" NOT NULL,
  description      TEXT,
  role             SMALLINT NOT NULL CHECK (role IN (0, 1, 2)),
  key_id           TEXT COLLATE "C" NOT NULL UNIQUE,
  key_hash         TEXT NOT NULL,
  created_ms       BIGINT NOT NULL,
  created_by       TEXT NOT NULL,
  last_used_ms     BIGINT,
  expires_ms       BIGINT,
  active           BOOLEAN NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE tokens (
  jti              TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT COLLATE "C",
  principal_id     TEXT COLLATE "C" NOT NULL,
  principal_kind   SMALLINT NOT NULL CHECK (principal_kind IN (0, 1)),
  username         TEXT NOT NULL,
  issued_ms        BIGINT NOT NULL,
  expires_ms       BIGINT NOT NULL,
  revoked_ms       BIGINT,
  revoke_reason    TEXT
);
CREATE INDEX tokens_by_principal ON tokens (principal_id, issued_ms DESC, jti);
CREATE INDEX tokens_by_expiry ON tokens (expires_ms);
CREATE TABLE signing_keys (
  kid              TEXT COLLATE "C" PRIMARY KEY,
  algorithm        TEXT NOT NULL,
  private_key_pem  TEXT NOT NULL,
  created_ms       BIGINT NOT NULL,
  retired_ms       BIGINT,
  expires_ms       BIGINT
);
-- Permissions, scopes and actions are JSON in serde/access.h's stored form.
CREATE TABLE roles (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  name             TEXT COLLATE "C" NOT NULL,
  description      TEXT,
  permissions      TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  created_ms       BIGINT NOT NULL,
  updated_ms       BIGINT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE role_assignments (
  tenant_id        TEXT COLLATE "C" NOT NULL,
  principal_id     TEXT COLLATE "C" NOT NULL,
  role_id          TEXT COLLATE "C" NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  assigned_by      TEXT NOT NULL,
  assigned_ms      BIGINT NOT NULL,
  PRIMARY KEY (principal_id, role_id)
);
CREATE INDEX role_assignments_by_role ON role_assignments (role_id);
CREATE TABLE grants (
  id               TEXT COLLATE "C" PRIMARY KEY,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  principal_id     TEXT COLLATE "C" NOT NULL,
  scope_type       TEXT NOT NULL,               -- 'tenant', 'catalog', 'namespace', 'asset', 'tag'
  catalog_id       TEXT COLLATE "C",            -- NULL for tenant and tag scopes
  scope            TEXT NOT NULL,
  actions          TEXT NOT NULL,
  granted_by       TEXT NOT NULL,
  granted_ms       BIGINT NOT NULL
);
CREATE INDEX grants_by_principal ON grants (principal_id, tenant_id, granted_ms, id);
CREATE INDEX grants_by_tenant ON grants (tenant_id, granted_ms, id);
CREATE INDEX grants_by_catalog ON grants (tenant_id, catalog_id) WHERE catalog_id IS NOT NULL;
CREATE TABLE access_versions (
  tenant_id        TEXT COLLATE "C" PRIMARY KEY,
  version          BIGINT NOT NULL
);
)sql"
    // v1, continued: the audit trail (one hash chain per tenant; result 0 success, 1 failure),
    // each chain's head (locked by every append, so seq has no gap), rate-limit counters and OAuth
    // states.
    R"sql(
CREATE TABLE audit_log (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  seq              BIGINT NOT NULL,
  user_id          TEXT COLLATE "C",
  username         TEXT NOT NULL,
  action           TEXT COLLATE "C" NOT NULL,
  resource_type    TEXT COLLATE "C" NOT NULL,
  resource_id      TEXT COLLATE "C",
  resource_name    TEXT NOT NULL,
  time_ms          BIGINT NOT NULL,
  ip_address       TEXT,
  user_agent       TEXT,
  request_id       TEXT NOT NULL,
  result           SMALLINT NOT NULL CHECK (result IN (0, 1)),
  error_message    TEXT,
  metadata_json    TEXT NOT NULL,
  prev_hash        TEXT NOT NULL,
  hash             TEXT NOT NULL,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, time_ms DESC, id DESC);
CREATE INDEX audit_log_by_time ON audit_log (time_ms DESC, id DESC);
CREATE INDEX audit_log_by_user ON audit_log (tenant_id, user_id, time_ms DESC, id DESC);
CREATE INDEX audit_log_by_action ON audit_log (tenant_id, action, time_ms DESC, id DESC);
CREATE INDEX audit_log_by_resource
  ON audit_log (tenant_id, resource_type, resource_id, time_ms DESC, id DESC);
CREATE TABLE audit_heads (
  tenant_id        TEXT COLLATE "C" PRIMARY KEY,
  seq              BIGINT NOT NULL,
  hash             TEXT NOT NULL
);
CREATE TABLE rate_limits (
  key              TEXT COLLATE "C" NOT NULL,
  window_start_ms  BIGINT NOT NULL,
  count            BIGINT NOT NULL,
  expires_ms       BIGINT NOT NULL,
  PRIMARY KEY (key, window_start_ms)
);
CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_ms);
CREATE TABLE oauth_states (
  key              TEXT COLLATE "C" PRIMARY KEY,
  payload          BYTEA NOT NULL,                -- opaque to the store
  expires_ms       BIGINT NOT NULL
);
CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_ms);
)sql",
    // v2: business metadata of assets (store/discovery_store.h), deleted with the catalog its
    // asset was in; its tags in asset_tags, keyed for the lookup of tag grants (tag -> assets).
    // content_by_id finds an asset by its stable id (MetadataStore::FindAsset).
    R"sql(
CREATE INDEX content_by_id ON content (content_id) WHERE NOT deleted AND type IN (1, 2);
CREATE TABLE business_metadata (
  pk               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  tenant_id        TEXT COLLATE "C" NOT NULL,
  asset_id         TEXT COLLATE "C" NOT NULL,
  catalog_pk       BIGINT NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  description      TEXT,
  properties       TEXT NOT NULL,                 -- any JSON value
  discoverable     BOOLEAN NOT NULL,
  created_by       TEXT NOT NULL,
  created_ms       BIGINT NOT NULL,
  updated_by       TEXT NOT NULL,
  updated_ms       BIGINT NOT NULL,
  UNIQUE (tenant_id, asset_id)
);
CREATE INDEX business_metadata_by_catalog ON business_metadata (catalog_pk);
CREATE TABLE asset_tags (
  tenant_id        TEXT COLLATE "C" NOT NULL,
  tag              TEXT COLLATE "C" NOT NULL,
  asset_id         TEXT COLLATE "C" NOT NULL,
  metadata_pk      BIGINT NOT NULL REFERENCES business_metadata (pk) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, tag, asset_id)
);
CREATE INDEX asset_tags_by_metadata ON asset_tags (metadata_pk, tag);
)sql",
};

// Any 32-bit number the store owns: the first key of its advisory locks.
constexpr char kLockSql[] = "SELECT pg_advisory_lock(1347307343, hashtext($1))";
constexpr char kUnlockSql[] = "SELECT pg_advisory_unlock(1347307343, hashtext($1))";

// Objects are created only when missing, so that a user without CREATE rights can run a server
// on a schema that is up to date (IF NOT EXISTS would still ask for the right).
Result<int> CurrentVersion(Connection& conn) {
  ASSIGN_OR_RETURN(Rows table, conn.Query("SELECT to_regclass('schema_version') IS NOT NULL"));
  if (!table[0].Bool(0)) {
    RETURN_IF_ERROR(conn.Simple(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)"));
  }
  ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  if (rows.empty()) return Err(ErrorCode::kInternal, "schema_version: no result");
  return static_cast<int>(rows[0].Int(0));
}

Status Apply(Connection& conn, int version) {
  RETURN_IF_ERROR(conn.Simple(kMigrations[version - 1]));
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return conn
      .Query("INSERT INTO schema_version (version, applied_ms) VALUES ($1, $2)", version, now_ms)
      .map([](const Rows&) {});
}

// Everything after the lock: the schema itself, then the pending migrations in one transaction.
Status MigrateLocked(Connection& conn, const std::string& schema, int target) {
  if (!schema.empty()) {
    ASSIGN_OR_RETURN(Rows found,
                     conn.Query("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema));
    if (found.empty()) {
      ASSIGN_OR_RETURN(std::string quoted, conn.QuoteIdentifier(schema));
      RETURN_IF_ERROR(conn.Simple(("CREATE SCHEMA " + quoted).c_str()));
    }
  }
  RETURN_IF_ERROR(conn.Simple("BEGIN"));
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(int current, CurrentVersion(conn));
    if (current > KnownSchemaVersion()) {
      return Err(ErrorCode::kUnsupported,
                 "Database schema version {} is newer than this Pangolin supports ({}); upgrade "
                 "Pangolin",
                 current, KnownSchemaVersion());
    }
    for (int version = current + 1; version <= target; ++version) {
      RETURN_IF_ERROR(Apply(conn, version));
    }
    return Ok();
  }();
  if (!status) {
    if (!conn.broken()) (void)conn.Simple("ROLLBACK");
    return status;
  }
  return conn.Simple("COMMIT");
}

}  // namespace

int KnownSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Status Migrate(Connection& conn, const std::string& schema, int target) {
  std::string lock_name = schema.empty() ? "(search_path)" : schema;
  RETURN_IF_ERROR(conn.Query(kLockSql, lock_name));
  Status status = MigrateLocked(conn, schema, target);
  Status unlocked = conn.Query(kUnlockSql, lock_name).map([](const Rows&) {});
  RETURN_IF_ERROR(status);
  return unlocked;
}

}  // namespace pangolin::store::postgres_internal
