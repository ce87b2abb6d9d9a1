// Versioned schema of the SQLite store. Migrations are append-only: never edit a released one,
// add the next. Design notes for catalog versioning (issue 3) are beside the tables.
#include <chrono>
#include <iterator>

#include "store/sqlite/sqlite_db_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

// Enum columns are small integers: catalogs.catalog_type 0 local, 1 federated; content.space
// 0 namespace, 1 object; content.type 0 namespace, 1 table, 2 view; content_log.op 0 put, 1 delete.
// Namespaces are stored as `parent`: every level followed by U+001F (root = ''), which names
// cannot contain, so the encoding is unambiguous and one parent's children are one index range.
constexpr const char* kMigrations[] = {
    // v1: tenancy, catalogs, branches, commits, current content and the content log.
    R"sql(
CREATE TABLE warehouses (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  name             TEXT NOT NULL,
  use_sts          INTEGER NOT NULL,
  storage_config   TEXT NOT NULL,            -- JSON object of strings
  vending_strategy TEXT NOT NULL,            -- opaque JSON, '' when absent
  UNIQUE (tenant_id, name)
);
CREATE TABLE catalogs (
  pk               INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  tenant_id        TEXT NOT NULL,
  name             TEXT NOT NULL,
  catalog_type     INTEGER NOT NULL CHECK (catalog_type IN (0, 1)),
  warehouse_id     TEXT REFERENCES warehouses (id) ON DELETE RESTRICT,
  storage_location TEXT,
  properties       TEXT NOT NULL,            -- JSON object of strings
  UNIQUE (tenant_id, name)
);
CREATE INDEX catalogs_by_warehouse ON catalogs (warehouse_id);
-- A branch is a CAS-moved pointer. Issue 3 adds (parent_branch_pk, fork_seq) for O(1) forks.
CREATE TABLE branches (
  pk               INTEGER PRIMARY KEY,
  catalog_pk       INTEGER NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  head_commit_id   TEXT,                     -- NULL until the first commit
  UNIQUE (catalog_pk, name)
);
-- seq orders all commits of the database; AUTOINCREMENT never reuses one.
CREATE TABLE commits (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  id               TEXT NOT NULL UNIQUE,
  catalog_pk       INTEGER NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  branch_pk        INTEGER NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  parent_id        TEXT,
  author           TEXT NOT NULL,
  message          TEXT NOT NULL,
  time_ms          INTEGER NOT NULL
);
CREATE INDEX commits_by_branch ON commits (branch_pk, seq DESC);
CREATE INDEX commits_by_catalog ON commits (catalog_pk);
-- The current state of each branch: get by key and list-by-parent are prefix ranges of the key.
CREATE TABLE content (
  branch_pk         INTEGER NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  space             INTEGER NOT NULL CHECK (space IN (0, 1)),
  parent            TEXT NOT NULL,
  name              TEXT NOT NULL,
  type              INTEGER NOT NULL CHECK (type IN (0, 1, 2)),
  content_id        TEXT NOT NULL,
  metadata_location TEXT NOT NULL,
  properties        TEXT NOT NULL,           -- JSON object of strings
  PRIMARY KEY (branch_pk, space, parent, name)
) WITHOUT ROWID;
CREATE INDEX content_by_type ON content (branch_pk, space, parent, type, name);
-- Every operation ever committed, in order: a commit's operations, and (by key, newest seq first)
-- the state of any key as of any commit, so time travel and merge bases can be reconstructed.
CREATE TABLE content_log (
  commit_seq        INTEGER NOT NULL REFERENCES commits (seq) ON DELETE CASCADE,
  ordinal           INTEGER NOT NULL,
  branch_pk         INTEGER NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  space             INTEGER NOT NULL,
  parent            TEXT NOT NULL,
  name              TEXT NOT NULL,
  op                INTEGER NOT NULL CHECK (op IN (0, 1)),
  type              INTEGER,                 -- NULL for a delete (tombstone)
  content_id        TEXT,
  metadata_location TEXT,
  properties        TEXT,
  PRIMARY KEY (commit_seq, ordinal)
) WITHOUT ROWID;
CREATE INDEX content_log_by_key ON content_log (branch_pk, space, parent, name, commit_seq DESC);
)sql",
    // v2: branches fork in O(1) and tags. A branch stores only its own changes; reads fall
    // through to (parent_pk as of fork_seq), see store/layered_view.h. A branch with a parent keeps
    // its deletions as tombstone rows (deleted = 1) so they shadow the parent; content.mod_seq
    // (the commit that last changed the row) lets a read as of an older commit use the current
    // row when it has not changed since, and the content log otherwise. A deleted branch keeps
    // its rows (tags and forks may still read them) and gives up its name (name || U+001F || pk).
    R"sql(
ALTER TABLE branches ADD COLUMN parent_pk INTEGER;
ALTER TABLE branches ADD COLUMN fork_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE branches ADD COLUMN fork_commit_id TEXT;
ALTER TABLE branches ADD COLUMN branch_type INTEGER NOT NULL DEFAULT 1;  -- 0 ingest, 1 experimental
ALTER TABLE branches ADD COLUMN assets TEXT NOT NULL DEFAULT '';  -- names joined by U+001F
ALTER TABLE branches ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE branches ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
UPDATE branches SET branch_type = 0 WHERE name = 'main';
ALTER TABLE commits ADD COLUMN merge_parent_id TEXT;
ALTER TABLE commits ADD COLUMN branch_name TEXT NOT NULL DEFAULT '';
UPDATE commits SET branch_name = (SELECT name FROM branches b WHERE b.pk = commits.branch_pk);
CREATE TABLE tags (
  pk               INTEGER PRIMARY KEY,
  catalog_pk       INTEGER NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  commit_id        TEXT NOT NULL,
  created_ms       INTEGER NOT NULL,
  UNIQUE (catalog_pk, name)
);
CREATE TABLE content_v2 (
  branch_pk         INTEGER NOT NULL REFERENCES branches (pk) ON DELETE CASCADE,
  space             INTEGER NOT NULL CHECK (space IN (0, 1)),
  parent            TEXT NOT NULL,
  name              TEXT NOT NULL,
  deleted           INTEGER NOT NULL CHECK (deleted IN (0, 1)),
  mod_seq           INTEGER NOT NULL,
  type              INTEGER CHECK (type IN (0, 1, 2)),  -- NULL for a tombstone
  content_id        TEXT,
  metadata_location TEXT,
  properties        TEXT,
  PRIMARY KEY (branch_pk, space, parent, name)
) WITHOUT ROWID;
INSERT INTO content_v2
  SELECT branch_pk, space, parent, name, 0,
         COALESCE((SELECT MAX(l.commit_seq) FROM content_log l WHERE l.branch_pk = c.branch_pk
                   AND l.space = c.space AND l.parent = c.parent AND l.name = c.name), 0),
         type, content_id, metadata_location, properties
  FROM content c;
DROP TABLE content;
ALTER TABLE content_v2 RENAME TO content;
CREATE INDEX content_log_by_parent ON content_log (branch_pk, space, parent, commit_seq);
)sql",
    // v3: merge operations. The columns are what queries filter, order and compare on (tenant,
    // catalog, status, the optimistic-concurrency version, the listing order); `body` holds the
    // whole operation as a serde/merge_record.h document, so conflicts and resolutions can grow
    // fields without a migration. The columns win over the body where both hold a field. status
    // is the catalog's name for it ('Pending', ...), the same word the body and the API use.
    R"sql(
CREATE TABLE merge_operations (
  pk               INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  tenant_id        TEXT NOT NULL,
  catalog_pk       INTEGER NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  status           TEXT NOT NULL,
  version          INTEGER NOT NULL,
  initiated_ms     INTEGER NOT NULL,
  body             TEXT NOT NULL             -- JSON (serde::MergeOperationRecordJson)
);
-- Listing order: (initiated_ms, pk) descending; pk orders equal times by creation.
CREATE INDEX merge_operations_by_catalog ON merge_operations (catalog_pk, initiated_ms, pk);
CREATE INDEX merge_operations_by_status ON merge_operations (catalog_pk, status);
)sql",
    // v4: Idempotency-Key records. `status` is NULL while the claiming request runs; `headers`
    // holds "name\tvalue\n" lines.
    R"sql(
CREATE TABLE idempotency_keys (
  tenant_id     TEXT NOT NULL,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  claim_id      TEXT NOT NULL,
  claimed_ms    INTEGER NOT NULL,
  expires_ms    INTEGER NOT NULL,
  status        INTEGER,
  content_type  TEXT,
  headers       TEXT,
  body          TEXT,
  PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_ms);
)sql",
    // v5: metrics reports. `namespace` holds the levels joined by the unit separator; `body` the
    // report as sent. Listing order: (received_ms, pk) descending.
    R"sql(
CREATE TABLE metrics_reports (
  pk           INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  catalog_pk   INTEGER NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  namespace    TEXT NOT NULL,
  table_name   TEXT NOT NULL,
  report_type  TEXT NOT NULL,
  snapshot_id  INTEGER,
  received_ms  INTEGER NOT NULL,
  body         TEXT NOT NULL
);
CREATE INDEX metrics_reports_by_catalog ON metrics_reports (catalog_pk, received_ms, pk);
CREATE INDEX metrics_reports_by_table
  ON metrics_reports (catalog_pk, namespace, table_name, received_ms, pk);
CREATE INDEX metrics_reports_by_age ON metrics_reports (received_ms);
)sql",
    // v6: identity. Enum columns: role 0 root, 1 tenant admin, 2 tenant user; principal_kind 0
    // user, 1 service user. Root users have no tenant (tenant_id NULL); tenant_key ('' for them)
    // makes one unique index cover usernames per tenant and among root users. Warehouses and
    // catalogs keep no foreign key to tenants (they predate them); DeleteTenant checks them.
    R"sql(
CREATE TABLE tenants (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  properties     TEXT NOT NULL,            -- JSON object of strings
  created_ms     INTEGER NOT NULL
);
INSERT INTO tenants (id, name, properties, created_ms)
  VALUES ('00000000-0000-0000-0000-000000000000', 'default', '{}', 0);
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT REFERENCES tenants (id) ON DELETE RESTRICT,
  tenant_key     TEXT NOT NULL GENERATED ALWAYS AS (COALESCE(tenant_id, '')) VIRTUAL,
  username       TEXT NOT NULL,
  email          TEXT NOT NULL,
  password_hash  TEXT,
  oauth_issuer   TEXT,
  oauth_subject  TEXT,
  role           INTEGER NOT NULL CHECK (role IN (0, 1, 2)),
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  last_login_ms  INTEGER,
  active         INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX users_by_name ON users (tenant_key, username);
CREATE INDEX users_by_username ON users (username, id);
CREATE UNIQUE INDEX users_by_oidc ON users (oauth_issuer, oauth_subject)
  WHERE oauth_issuer IS NOT NULL AND oauth_subject IS NOT NULL;
CREATE TABLE service_users (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,
  name           TEXT NOT NULL,
  description    TEXT,
  role           INTEGER NOT NULL CHECK (role IN (0, 1, 2)),
  key_id         TEXT NOT NULL,
  key_hash       TEXT NOT NULL,
  created_ms     INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  last_used_ms   INTEGER,
  expires_ms     INTEGER,
  active         INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX service_users_by_name ON service_users (tenant_id, name);
CREATE UNIQUE INDEX service_users_by_key ON service_users (key_id);
-- Listing order: (issued_ms DESC, jti); the purge deletes by expires_ms.
CREATE TABLE tokens (
  jti            TEXT PRIMARY KEY,
  tenant_id      TEXT,
  principal_id   TEXT NOT NULL,
  principal_kind INTEGER NOT NULL CHECK (principal_kind IN (0, 1)),
  username       TEXT NOT NULL,
  issued_ms      INTEGER NOT NULL,
  expires_ms     INTEGER NOT NULL,
  revoked_ms     INTEGER,
  revoke_reason  TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_by_principal ON tokens (principal_id, issued_ms DESC, jti);
CREATE INDEX tokens_by_expiry ON tokens (expires_ms);
CREATE TABLE signing_keys (
  kid             TEXT PRIMARY KEY,
  algorithm       TEXT NOT NULL,
  private_key_pem TEXT NOT NULL,
  created_ms      INTEGER NOT NULL,
  retired_ms      INTEGER,
  expires_ms      INTEGER
) WITHOUT ROWID;
)sql",
    // v7: access. Permissions, scopes and actions are JSON in serde/access.h's stored form;
    // grants.scope_type and grants.catalog_id repeat what the scope names, so that grants can be
    // found by catalog without parsing. Principals are users or service users, so nothing here
    // references them: deleting a principal deletes its rows (grants_by_principal and the
    // assignments' primary key find them). Nothing references tenants either, like warehouses.
    R"sql(
CREATE TABLE roles (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  name           TEXT NOT NULL,
  description    TEXT,
  permissions    TEXT NOT NULL,            -- JSON array of {scope, actions}
  created_by     TEXT NOT NULL,
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE role_assignments (
  tenant_id      TEXT NOT NULL,
  principal_id   TEXT NOT NULL,
  role_id        TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  assigned_by    TEXT NOT NULL,
  assigned_ms    INTEGER NOT NULL,
  PRIMARY KEY (principal_id, role_id)
) WITHOUT ROWID;
CREATE INDEX role_assignments_by_role ON role_assignments (role_id);
-- Listing order: (granted_ms, id). grants_by_principal leads with principal_id so that it serves
-- both a principal's grants in a tenant and all of them (its deletion).
CREATE TABLE grants (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  principal_id   TEXT NOT NULL,
  scope_type     TEXT NOT NULL,            -- 'tenant', 'catalog', 'namespace', 'asset', 'tag'
  catalog_id     TEXT,                     -- NULL for tenant and tag scopes
  scope          TEXT NOT NULL,            -- JSON object
  actions        TEXT NOT NULL,            -- JSON array
  granted_by     TEXT NOT NULL,
  granted_ms     INTEGER NOT NULL
);
CREATE INDEX grants_by_principal ON grants (principal_id, tenant_id, granted_ms, id);
CREATE INDEX grants_by_tenant ON grants (tenant_id, granted_ms, id);
CREATE INDEX grants_by_catalog ON grants (tenant_id, catalog_id) WHERE catalog_id IS NOT NULL;
)sql",
    // v8: the audit trail, one hash chain per tenant (catalog/audit.h): (tenant_id, seq) is the
    // chain's order and finds a tenant's last entry for the next append. result is 0 success, 1
    // failure. Listings run newest first, (time_ms DESC, id DESC): per tenant along
    // audit_log_by_tenant (which also serves time ranges and the result filter), narrowed by user,
    // action or resource along their own indexes; across tenants (root) along audit_log_by_time.
    R"sql(
CREATE TABLE audit_log (
  pk             INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  tenant_id      TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  user_id        TEXT,
  username       TEXT NOT NULL,
  action         TEXT NOT NULL,
  resource_type  TEXT NOT NULL,
  resource_id    TEXT,
  resource_name  TEXT NOT NULL,
  time_ms        INTEGER NOT NULL,
  ip_address     TEXT,
  user_agent     TEXT,
  request_id     TEXT NOT NULL,
  result         INTEGER NOT NULL CHECK (result IN (0, 1)),
  error_message  TEXT,
  metadata_json  TEXT NOT NULL,             -- a JSON object, '' when none
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, time_ms DESC, id DESC);
CREATE INDEX audit_log_by_time ON audit_log (time_ms DESC, id DESC);
CREATE INDEX audit_log_by_user ON audit_log (tenant_id, user_id, time_ms DESC, id DESC);
CREATE INDEX audit_log_by_action ON audit_log (tenant_id, action, time_ms DESC, id DESC);
CREATE INDEX audit_log_by_resource
  ON audit_log (tenant_id, resource_type, resource_id, time_ms DESC, id DESC);
)sql",
    // v9: rate-limit counters shared by every server on the file (store/rate_limit_store.h), one
    // row per (key, window), purged along rate_limits_by_expiry; and each tenant's access version
    // (AccessStore::AccessVersion), bumped in the transaction of every change to its roles,
    // assignments and grants. A tenant without a row is at version 0.
    R"sql(
CREATE TABLE rate_limits (
  key              TEXT NOT NULL,
  window_start_ms  INTEGER NOT NULL,
  count            INTEGER NOT NULL,
  expires_ms       INTEGER NOT NULL,
  PRIMARY KEY (key, window_start_ms)
) WITHOUT ROWID;
CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_ms);
CREATE TABLE access_versions (
  tenant_id        TEXT PRIMARY KEY,
  version          INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // v10: OAuth states shared by every server on the file (store/oauth_state_store.h): single-use
    // records taken by one DELETE ... RETURNING on the key, purged along oauth_states_by_expiry.
    R"sql(
CREATE TABLE oauth_states (
  key              TEXT PRIMARY KEY,
  payload          TEXT NOT NULL,            -- opaque to the store
  expires_ms       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_ms);
)sql",
    // v11: business metadata of assets (store/discovery_store.h), deleted with the catalog its
    // asset was in; its tags in asset_tags, keyed for the lookup of tag grants (tag → assets).
    // content_by_id finds an asset by its stable id (MetadataStore::FindAsset).
    R"sql(
CREATE INDEX content_by_id ON content (content_id) WHERE deleted = 0 AND type IN (1, 2);
CREATE TABLE business_metadata (
  pk               INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  tenant_id        TEXT NOT NULL,
  asset_id         TEXT NOT NULL,
  catalog_pk       INTEGER NOT NULL REFERENCES catalogs (pk) ON DELETE CASCADE,
  description      TEXT,
  properties       TEXT NOT NULL,            -- any JSON value
  discoverable     INTEGER NOT NULL CHECK (discoverable IN (0, 1)),
  created_by       TEXT NOT NULL,
  created_ms       INTEGER NOT NULL,
  updated_by       TEXT NOT NULL,
  updated_ms       INTEGER NOT NULL,
  UNIQUE (tenant_id, asset_id)
);
CREATE INDEX business_metadata_by_catalog ON business_metadata (catalog_pk);
CREATE TABLE asset_tags (
  tenant_id        TEXT NOT NULL,
  tag              TEXT NOT NULL,
  asset_id         TEXT NOT NULL,
  metadata_pk      INTEGER NOT NULL REFERENCES business_metadata (pk) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, tag, asset_id)
) WITHOUT ROWID;
CREATE INDEX asset_tags_by_metadata ON asset_tags (metadata_pk, tag);
)sql",
    // v12: the indexes that every commit appends to by time or sequence run ascending. A key
    // larger than all before it then lands at the right end of its range, where SQLite appends to
    // the last page; descending, it landed at the front and rebalanced its neighbours, and a commit
    // wrote about 28 pages instead of 23. Listings newest first read these indexes backwards.
    R"sql(
DROP INDEX commits_by_branch;
CREATE INDEX commits_by_branch ON commits (branch_pk, seq);
DROP INDEX content_log_by_key;
CREATE INDEX content_log_by_key ON content_log (branch_pk, space, parent, name, commit_seq);
DROP INDEX audit_log_by_tenant;
DROP INDEX audit_log_by_time;
DROP INDEX audit_log_by_user;
DROP INDEX audit_log_by_action;
DROP INDEX audit_log_by_resource;
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, time_ms, id);
CREATE INDEX audit_log_by_time ON audit_log (time_ms, id);
CREATE INDEX audit_log_by_user ON audit_log (tenant_id, user_id, time_ms, id);
CREATE INDEX audit_log_by_action ON audit_log (tenant_id, action, time_ms, id);
CREATE INDEX audit_log_by_resource ON audit_log (tenant_id, resource_type, resource_id, time_ms, id);
)sql",
};

Result<int> CurrentVersion(Connection& conn) {
  RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)"));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Err(ErrorCode::kInternal, "schema_version: no result");
  return static_cast<int>(stmt.Int(0));
}

Status Apply(Connection& conn, int version) {
  RETURN_IF_ERROR(conn.Exec(kMigrations[version - 1]));
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("INSERT INTO schema_version (version, applied_ms) VALUES (?1, ?2)"));
  return stmt.BindAll(int64_t{version}, now_ms).Run();
}

}  // namespace

int KnownSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Status Migrate(Connection& conn, int target) {
  return InWriteTxn(conn, [target](Connection& c) -> Status {
    ASSIGN_OR_RETURN(int current, CurrentVersion(c));
    if (current > KnownSchemaVersion()) {
      return Err(ErrorCode::kUnsupported,
                 "Database schema version {} is newer than this Pangolin supports ({}); upgrade "
                 "Pangolin",
                 current, KnownSchemaVersion());
    }
    for (int version = current + 1; version <= target; ++version) {
      RETURN_IF_ERROR(Apply(c, version));
    }
    return Ok();
  });
}

}  // namespace pangolin::store::sqlite_internal
