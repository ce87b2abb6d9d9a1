// SQLite-only behaviour: durability across reopen, schema versioning, several stores (as if in
// several processes) on one file, busy handling and option checks. Query plans are checked in
// sqlite_query_plan_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_db_internal.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::store {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

Catalog NewCatalog(std::string name) {
  return Catalog{CatalogId{NewUuid()},
                 std::move(name),
                 kDefaultTenant,
                 catalog::CatalogType::kLocal,
                 std::nullopt,
                 std::nullopt,
                 {}};
}

Result<std::string> PutTable(MetadataStore& store, const CatalogId& id, const std::string& loc,
                             std::optional<Content> expected = std::nullopt, bool guard = false) {
  ContentKey key = catalog::ObjectKey({{}, "t"});
  CommitRequest request;
  request.operations = {
      Operation{Operation::Kind::kPut, key, Content{ContentType::kIcebergTable, "t-id", loc, {}}}};
  if (guard) request.preconditions = {{Precondition::Kind::kEquals, key, std::move(expected)}};
  return store.Commit(kDefaultTenant, id, request);
}

// Runs one SQL statement on a raw connection and returns the first column of the first row.
std::string RawQuery(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::unique_ptr<sqlite3, sqlite_internal::DbCloser> owner(db);
  std::string out;
  sqlite3_exec(
      db, sql,
      [](void* o, int, char** values, char**) {
        *static_cast<std::string*>(o) = values[0] ? values[0] : "";
        return 0;
      },
      &out, nullptr);
  return out;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return (dir_.path() / "pangolin.db").string(); }
  Result<std::unique_ptr<MetadataStore>> Open(int busy_timeout_ms = 5000) {
    return MakeSqliteStore(SqliteOptions{Path(), busy_timeout_ms, 2});
  }
  testing::TempDir dir_;
};

TEST_F(SqliteStoreTest, DataSurvivesCloseAndReopen) {
  Catalog cat = NewCatalog("cat");
  std::string commit;
  {
    ASSERT_OK_AND_ASSIGN(auto store, Open());
    ASSERT_THAT(store->CreateCatalog(cat), IsOk());
    ASSERT_OK_AND_ASSIGN(commit, PutTable(*store, cat.id, "loc-1"));
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());
  ASSERT_OK_AND_ASSIGN(Catalog again, store->GetCatalog(kDefaultTenant, "cat"));
  EXPECT_EQ(again, cat);
  ASSERT_OK_AND_ASSIGN(auto content, store->GetContent(kDefaultTenant, cat.id, "main",
                                                       catalog::ObjectKey({{}, "t"})));
  ASSERT_TRUE(content.has_value());
  EXPECT_EQ(content->metadata_location, "loc-1");
  ASSERT_OK_AND_ASSIGN(auto commits, store->ListCommits(kDefaultTenant, cat.id, "main", {}));
  ASSERT_EQ(commits.items.size(), 1u);
  EXPECT_EQ(commits.items[0].id, commit);
}

TEST_F(SqliteStoreTest, RecordsSchemaVersionAndUsesWal) {
  { ASSERT_OK_AND_ASSIGN(auto store, Open()); }
  { ASSERT_OK_AND_ASSIGN(auto store, Open()); }  // reopening applies nothing twice
  EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
            std::to_string(sqlite_internal::KnownSchemaVersion()));
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM schema_version"),
            std::to_string(sqlite_internal::KnownSchemaVersion()));
  EXPECT_EQ(RawQuery(Path(), "PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteStoreTest, UpgradesAVersionOneDatabaseKeepingContentAndHistory) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 1), IsOk());
    ASSERT_THAT(conn->Exec(R"sql(
      INSERT INTO catalogs (pk, id, tenant_id, name, catalog_type, properties)
        VALUES (1, '7d0c5a4e-0000-4000-8000-000000000001',
                '00000000-0000-0000-0000-000000000000', 'old', 0, '{}');
      INSERT INTO branches (pk, catalog_pk, name, head_commit_id) VALUES (1, 1, 'main', 'c2');
      INSERT INTO commits (seq, id, catalog_pk, branch_pk, parent_id, author, message, time_ms)
        VALUES (1, 'c1', 1, 1, NULL, 'a', 'm', 1), (2, 'c2', 1, 1, 'c1', 'a', 'm', 2);
      INSERT INTO content_log VALUES (1, 0, 1, 1, '', 't', 0, 1, 'tid', 'loc1', '{}'),
                                     (2, 0, 1, 1, '', 't', 0, 1, 'tid', 'loc2', '{}');
      INSERT INTO content VALUES (1, 1, '', 't', 1, 'tid', 'loc2', '{}');
    )sql"),
                IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());
  CatalogId id{"7d0c5a4e-0000-4000-8000-000000000001"};
  ContentKey t = catalog::ObjectKey({{}, "t"});
  ASSERT_OK_AND_ASSIGN(auto now, store->GetContent(kDefaultTenant, id, "main", t));
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->metadata_location, "loc2");
  ASSERT_OK_AND_ASSIGN(auto then, store->GetContent(kDefaultTenant, id, "c1", t));
  ASSERT_TRUE(then.has_value());
  EXPECT_EQ(then->metadata_location, "loc1");
  ASSERT_OK_AND_ASSIGN(auto history, store->ListCommits(kDefaultTenant, id, "main", {}));
  ASSERT_EQ(history.items.size(), 2u);
  EXPECT_EQ(history.items[0].branch, "main");
  ASSERT_OK_AND_ASSIGN(Branch main, store->GetBranch(kDefaultTenant, id, "main"));
  EXPECT_EQ(main.type, BranchType::kIngest);
  ASSERT_THAT(store->CreateBranch(kDefaultTenant, id, NewBranch{"dev", "c1"}), IsOk());
  ASSERT_OK_AND_ASSIGN(auto on_dev, store->GetContent(kDefaultTenant, id, "dev", t));
  ASSERT_TRUE(on_dev.has_value());
  EXPECT_EQ(on_dev->metadata_location, "loc1");
}

// v3 adds merge operations beside an existing v2 catalog, which must keep working unchanged and
// take operations whose rows go away with it.
TEST_F(SqliteStoreTest, UpgradesAVersionTwoDatabaseToStoreMergeOperations) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 2), IsOk());
    ASSERT_THAT(conn->Exec(R"sql(
      INSERT INTO catalogs (pk, id, tenant_id, name, catalog_type, properties)
        VALUES (1, '7d0c5a4e-0000-4000-8000-000000000002',
                '00000000-0000-0000-0000-000000000000', 'old', 0, '{}');
      INSERT INTO branches (pk, catalog_pk, name, head_commit_id, branch_type)
        VALUES (1, 1, 'main', 'c1', 0);
      INSERT INTO commits (seq, id, catalog_pk, branch_pk, parent_id, author, message, time_ms,
                           branch_name) VALUES (1, 'c1', 1, 1, NULL, 'a', 'm', 1, 'main');
      INSERT INTO content_log VALUES (1, 0, 1, 1, '', 't', 0, 1, 'tid', 'loc1', '{}');
      INSERT INTO content VALUES (1, 1, '', 't', 0, 1, 1, 'tid', 'loc1', '{}');
    )sql"),
                IsOk());
  }
  CatalogId id{"7d0c5a4e-0000-4000-8000-000000000002"};
  catalog::MergeOperation op;
  op.id = NewUuid();
  op.catalog_id = id;
  op.source_branch = "dev";
  op.target_branch = "main";
  std::string merged;
  {
    ASSERT_OK_AND_ASSIGN(auto store, Open());
    ASSERT_OK_AND_ASSIGN(
        auto content, store->GetContent(kDefaultTenant, id, "main", catalog::ObjectKey({{}, "t"})));
    ASSERT_TRUE(content.has_value());
    EXPECT_EQ(content->metadata_location, "loc1");
    ASSERT_THAT(store->CreateMergeOperation(kDefaultTenant, op), IsOk());
    op.version = 1;
    op.status = catalog::MergeStatus::kCompleted;
    CommitRequest request;
    request.completes_merge = op;
    ASSERT_OK_AND_ASSIGN(merged, store->Commit(kDefaultTenant, id, request));
  }
  EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
            std::to_string(sqlite_internal::KnownSchemaVersion()));  // upgraded to the latest
  ASSERT_OK_AND_ASSIGN(auto store, Open());                          // survives a reopen
  ASSERT_OK_AND_ASSIGN(catalog::MergeOperation stored,
                       store->GetMergeOperation(kDefaultTenant, op.id));
  EXPECT_EQ(stored.result_commit_id, merged);
  EXPECT_EQ(stored.version, 2);
  ASSERT_THAT(store->DeleteCatalog(kDefaultTenant, "old"), IsOk());
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM merge_operations"), "0");
}

// v6 adds identity beside existing tenancy rows: the default tenant appears, catalogs of tenants
// that have no row keep working, and the unique indexes hold even against raw SQL.
TEST_F(SqliteStoreTest, UpgradesAVersionFiveDatabaseWithTheDefaultTenant) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 5), IsOk());
    ASSERT_THAT(conn->Exec(R"sql(
      INSERT INTO catalogs (pk, id, tenant_id, name, catalog_type, properties)
        VALUES (1, '7d0c5a4e-0000-4000-8000-000000000003',
                '11111111-1111-4111-8111-111111111111', 'old', 0, '{}');
      INSERT INTO branches (pk, catalog_pk, name, branch_type) VALUES (1, 1, 'main', 0);
    )sql"),
                IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());
  EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
            std::to_string(sqlite_internal::KnownSchemaVersion()));
  EXPECT_THAT(store->GetTenant(kDefaultTenant),
              ::testing::Optional(Tenant{kDefaultTenant, "default", {}, 0}));
  TenantId other{"11111111-1111-4111-8111-111111111111"};
  EXPECT_THAT(store->GetCatalog(other, "old"), IsOk());
  EXPECT_THAT(store->GetTenant(other), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store->DeleteCatalog(other, "old"), IsOk());
  User admin;
  admin.id = "u1";
  admin.username = "admin";
  admin.role = catalog::UserRole::kRoot;
  ASSERT_THAT(store->CreateUser(admin), IsOk());
  // A second root user of that name, behind the store's back: users_by_name refuses it.
  RawQuery(Path(),
           "INSERT INTO users (id, username, email, role, created_ms, updated_ms, active) "
           "VALUES ('u2', 'admin', '', 0, 0, 0, 1)");
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM users WHERE username = 'admin'"), "1");
}

// v7 adds roles and grants beside existing identity rows: users keep working, get roles and
// grants, and take them along when deleted; a role's assignments go with it even through raw SQL.
TEST_F(SqliteStoreTest, UpgradesAVersionSixDatabaseToStoreRolesAndGrants) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 6), IsOk());
    ASSERT_THAT(conn->Exec(R"sql(
      INSERT INTO users (id, tenant_id, username, email, role, created_ms, updated_ms, active)
        VALUES ('u1', '00000000-0000-0000-0000-000000000000', 'ann', 'a@x', 2, 1, 1, 1);
    )sql"),
                IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());
  EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
            std::to_string(sqlite_internal::KnownSchemaVersion()));
  ASSERT_OK_AND_ASSIGN(User ann, store->GetUser(kDefaultTenant, "u1"));
  EXPECT_EQ(ann.username, "ann");
  catalog::PermissionGrant read_all;  // on the whole tenant
  read_all.actions = {catalog::Action::kRead};
  Role role{"r1", "readers", std::nullopt, kDefaultTenant, {read_all}, "admin", 1, 1};
  ASSERT_THAT(store->CreateRole(role), IsOk());
  ASSERT_THAT(store->AssignRole(kDefaultTenant, {"u1", "r1", "admin", 2}), IsOk());
  ASSERT_THAT(store->AssignRole(kDefaultTenant, {"u2", "r1", "admin", 2}), IsOk());
  ASSERT_THAT(store->CreateGrant({"g1", "u1", kDefaultTenant, read_all, "admin", 3}), IsOk());
  EXPECT_THAT(store->LoadPermissions(kDefaultTenant, "u1"),
              ::testing::Optional(::testing::ElementsAre(read_all, read_all)));
  ASSERT_THAT(store->DeleteUser(kDefaultTenant, "u1"), IsOk());
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM grants"), "0");
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM role_assignments"), "1");
  RawQuery(Path(), "PRAGMA foreign_keys = ON; DELETE FROM roles WHERE id = 'r1'; SELECT 1");
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM role_assignments"), "0");
}

// v8 adds the audit log beside existing catalogs and access rows: they keep working, a commit
// made after the upgrade appends its audit entry, and the chain's constraints hold against raw SQL.
TEST_F(SqliteStoreTest, UpgradesAVersionSevenDatabaseToKeepAnAuditTrail) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 7), IsOk());
    ASSERT_THAT(conn->Exec(R"sql(
      INSERT INTO catalogs (pk, id, tenant_id, name, catalog_type, properties)
        VALUES (1, '7d0c5a4e-0000-4000-8000-000000000008',
                '00000000-0000-0000-0000-000000000000', 'old', 0, '{}');
      INSERT INTO branches (pk, catalog_pk, name, branch_type) VALUES (1, 1, 'main', 0);
      INSERT INTO roles (id, tenant_id, name, permissions, created_by, created_ms, updated_ms)
        VALUES ('r1', '00000000-0000-0000-0000-000000000000', 'readers', '[]', 'admin', 1, 1);
    )sql"),
                IsOk());
  }
  CatalogId id{"7d0c5a4e-0000-4000-8000-000000000008"};
  catalog::AuditEntry entry;
  entry.id = NewUuidV7(1700000000000);
  entry.tenant_id = kDefaultTenant;
  entry.username = "admin";
  entry.action = "create_table";
  entry.resource_type = "table";
  entry.resource_name = "t";
  entry.time_ms = 1700000000000;
  {
    ASSERT_OK_AND_ASSIGN(auto store, Open());
    EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
              std::to_string(sqlite_internal::KnownSchemaVersion()));
    EXPECT_THAT(store->GetRole(kDefaultTenant, "r1"), IsOk());
    CommitRequest request;
    request.operations = {Operation{Operation::Kind::kPut, catalog::ObjectKey({{}, "t"}),
                                    Content{ContentType::kIcebergTable, "t-id", "loc", {}}}};
    request.audit = entry;
    ASSERT_THAT(store->Commit(kDefaultTenant, id, request), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());  // survives a reopen
  ASSERT_OK_AND_ASSIGN(auto chain, store->ReadAuditChain(kDefaultTenant, 0, 0));
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(chain[0].seq, 1);
  EXPECT_EQ(chain[0].hash, catalog::AuditHash(chain[0]));
  EXPECT_EQ(RawQuery(Path(), "SELECT result FROM audit_log"), "0");  // 0 success, 1 failure
  // A second entry at the same seq, or with the same id, behind the store's back: refused.
  std::string copy =
      "INSERT INTO audit_log (id, tenant_id, seq, username, action, resource_type, "
      "resource_name, time_ms, request_id, result, metadata_json, prev_hash, hash) "
      "SELECT {}, tenant_id, {}, username, action, resource_type, resource_name, time_ms, "
      "request_id, {}, metadata_json, prev_hash, hash FROM audit_log";
  RawQuery(Path(), fmt::format(fmt::runtime(copy), "'x'", "seq", "result").c_str());
  RawQuery(Path(), fmt::format(fmt::runtime(copy), "id", "2", "result").c_str());
  RawQuery(Path(), fmt::format(fmt::runtime(copy), "'y'", "2", "7").c_str());  // bad result
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM audit_log"), "1");
}

// v9 adds rate-limit counters and access versions beside existing access rows: every tenant starts
// at version 0, changes (a principal's deletion too) bump it, and both tables keep their keys
// unique even against raw SQL.
TEST_F(SqliteStoreTest, UpgradesAVersionEightDatabaseWithRateLimitsAndAccessVersions) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 8), IsOk());
    ASSERT_THAT(conn->Exec(R"sql(
      INSERT INTO users (id, tenant_id, username, email, role, created_ms, updated_ms, active)
        VALUES ('u1', '00000000-0000-0000-0000-000000000000', 'ann', 'a@x', 2, 1, 1, 1);
      INSERT INTO roles (id, tenant_id, name, permissions, created_by, created_ms, updated_ms)
        VALUES ('r1', '00000000-0000-0000-0000-000000000000', 'readers', '[]', 'admin', 1, 1);
      INSERT INTO role_assignments (tenant_id, principal_id, role_id, assigned_by, assigned_ms)
        VALUES ('00000000-0000-0000-0000-000000000000', 'u1', 'r1', 'admin', 1);
    )sql"),
                IsOk());
  }
  using ::testing::Optional;
  TenantId other{"11111111-1111-4111-8111-111111111111"};
  {
    ASSERT_OK_AND_ASSIGN(auto store, Open());
    EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
              std::to_string(sqlite_internal::KnownSchemaVersion()));
    EXPECT_THAT(store->AccessVersion(kDefaultTenant), Optional(int64_t{0}));
    ASSERT_OK_AND_ASSIGN(auto roles, store->ListPrincipalRoles(kDefaultTenant, "u1"));
    EXPECT_EQ(roles.size(), 1u);
    catalog::PermissionGrant read_all;
    read_all.actions = {catalog::Action::kRead};
    ASSERT_THAT(store->CreateGrant({"g1", "u1", other, read_all, "admin", 3}), IsOk());
    // An assignment and the user here, a grant in the other tenant.
    ASSERT_THAT(store->DeleteUser(kDefaultTenant, "u1"), IsOk());
    EXPECT_THAT(store->AccessVersion(kDefaultTenant), Optional(int64_t{2}));
    EXPECT_THAT(store->AccessVersion(other), Optional(int64_t{2}));
    EXPECT_THAT(store->AddHit("ip:10.0.0.1", 60000, 120000), Optional(int64_t{1}));
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());  // survives a reopen
  EXPECT_THAT(store->AccessVersion(other), Optional(int64_t{2}));
  EXPECT_THAT(store->CountHits("ip:10.0.0.1", 60000), Optional(int64_t{1}));
  RawQuery(Path(), "INSERT INTO rate_limits VALUES ('ip:10.0.0.1', 60000, 5, 0)");
  RawQuery(Path(),
           "INSERT INTO access_versions VALUES ('11111111-1111-4111-8111-111111111111', 9)");
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) || ',' || MAX(count) FROM rate_limits"), "1,1");
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) || ',' || MAX(version) FROM access_versions"), "2,2");
  EXPECT_EQ(RawQuery(Path(),
                     "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                     "name = 'rate_limits_by_expiry'"),
            "1");
}

// v10 adds OAuth states beside existing rate-limit counters: the counters keep counting, a state
// put after the upgrade is taken once and kept across a reopen, an expired one goes with the
// purge along its index, and the key stays unique even against raw SQL.
TEST_F(SqliteStoreTest, UpgradesAVersionNineDatabaseWithOAuthStates) {
  {
    ASSERT_OK_AND_ASSIGN(auto conn, sqlite_internal::Connection::Open(Path(), 5000, true));
    ASSERT_THAT(sqlite_internal::Migrate(*conn, 9), IsOk());
    ASSERT_THAT(conn->Exec("INSERT INTO rate_limits VALUES ('ip:10.0.0.1', 60000, 4, 120000)"),
                IsOk());
  }
  using ::testing::Optional;
  OAuthState state{"state-1", R"({"nonce":"n","verifier":"v"})", 1700000600000};
  {
    ASSERT_OK_AND_ASSIGN(auto store, Open());
    EXPECT_EQ(RawQuery(Path(), "SELECT MAX(version) FROM schema_version"),
              std::to_string(sqlite_internal::KnownSchemaVersion()));
    EXPECT_THAT(store->AddHit("ip:10.0.0.1", 60000, 120000), Optional(int64_t{5}));
    ASSERT_THAT(store->PutOAuthState(state), IsOk());
    ASSERT_THAT(store->PutOAuthState({"state-2", "p", 1700000000000}), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());  // survives a reopen
  RawQuery(Path(), "INSERT INTO oauth_states VALUES ('state-1', 'forged', 1800000000000)");
  EXPECT_EQ(RawQuery(Path(), "SELECT COUNT(*) FROM oauth_states"), "2");
  EXPECT_THAT(store->PurgeOAuthStates(1700000000000), Optional(size_t{1}));  // state-2
  EXPECT_THAT(store->TakeOAuthState("state-1", 1700000000000), Optional(Optional(state)));
  EXPECT_THAT(store->TakeOAuthState("state-1", 1700000000000),
              Optional(std::optional<OAuthState>()));
  EXPECT_EQ(RawQuery(Path(),
                     "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                     "name = 'oauth_states_by_expiry'"),
            "1");
  EXPECT_EQ(RawQuery(Path(),
                     "SELECT sql LIKE '%WITHOUT ROWID' FROM sqlite_master "
                     "WHERE name = 'oauth_states'"),
            "1");
}

TEST_F(SqliteStoreTest, RefusesANewerSchema) {
  { ASSERT_OK_AND_ASSIGN(auto store, Open()); }
  RawQuery(Path(), "INSERT INTO schema_version (version, applied_ms) VALUES (999, 0)");
  EXPECT_THAT(Open(), IsError(ErrorCode::kUnsupported));
}

TEST_F(SqliteStoreTest, TwoStoresShareOneFile) {
  ASSERT_OK_AND_ASSIGN(auto first, Open());
  ASSERT_OK_AND_ASSIGN(auto second, Open());
  Catalog cat = NewCatalog("cat");
  ASSERT_THAT(first->CreateCatalog(cat), IsOk());
  EXPECT_THAT(second->GetCatalog(kDefaultTenant, "cat"), IsOk());
  ASSERT_THAT(PutTable(*second, cat.id, "0"), IsOk());
  // Both stores increment one counter with CAS; the file's locks serialise them.
  auto work = [&](MetadataStore& store) {
    for (int done = 0; done < 20;) {
      auto current =
          store.GetContent(kDefaultTenant, cat.id, "main", catalog::ObjectKey({{}, "t"}));
      ASSERT_TRUE(current && *current);
      std::string next = std::to_string(std::stoi((*current)->metadata_location) + 1);
      auto committed = PutTable(store, cat.id, next, **current, true);
      if (committed)
        ++done;
      else
        ASSERT_EQ(committed.error().code, ErrorCode::kCommitFailed) << committed.error().message;
    }
  };
  std::thread a([&] { work(*first); });
  std::thread b([&] { work(*second); });
  a.join();
  b.join();
  ASSERT_OK_AND_ASSIGN(auto content, first->GetContent(kDefaultTenant, cat.id, "main",
                                                       catalog::ObjectKey({{}, "t"})));
  EXPECT_EQ(content->metadata_location, "40");
}

// Readers keep their read transaction open between reads while nothing is committed; a change by
// another store on the file, or by any other writer, shows at once.
TEST_F(SqliteStoreTest, ReadsSeeEveryCommitAtOnce) {
  ASSERT_OK_AND_ASSIGN(auto first, Open());
  ASSERT_OK_AND_ASSIGN(auto second, Open());
  ASSERT_THAT(first->CreateCatalog(NewCatalog("a")), IsOk());
  auto names = [&] {
    std::string out;
    auto page = first->ListCatalogs(kDefaultTenant, {});
    if (page) {
      for (const auto& catalog : page->items) out += catalog.name + " ";
    }
    return out;
  };
  EXPECT_EQ(names(), "a ");
  EXPECT_EQ(names(), "a ");
  ASSERT_THAT(second->CreateCatalog(NewCatalog("b")), IsOk());
  EXPECT_EQ(names(), "a b ");
  EXPECT_THAT(first->GetCatalog(kDefaultTenant, "b"), IsOk());
  RawQuery(Path(), "UPDATE catalogs SET name = 'c' WHERE name = 'b'");
  EXPECT_THAT(first->GetCatalog(kDefaultTenant, "b"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(first->GetCatalog(kDefaultTenant, "c"), IsOk());
  EXPECT_EQ(names(), "a c ");
}

// A read transaction a reader keeps open must not hold back the WAL: a checkpoint that empties
// it succeeds after a write of the store itself at once, and after a write of any other
// connection within moments.
TEST_F(SqliteStoreTest, IdleReadersLetGoOfTheirSnapshots) {
  ASSERT_OK_AND_ASSIGN(auto first, Open());
  ASSERT_OK_AND_ASSIGN(auto second, Open());
  auto truncated = [&] { return RawQuery(Path(), "PRAGMA wal_checkpoint(TRUNCATE)") == "0"; };
  ASSERT_THAT(first->CreateCatalog(NewCatalog("a")), IsOk());
  ASSERT_THAT(first->GetCatalog(kDefaultTenant, "a"), IsOk());  // a snapshot kept
  ASSERT_THAT(second->CreateCatalog(NewCatalog("b")), IsOk());
  ASSERT_THAT(second->GetCatalog(kDefaultTenant, "b"), IsOk());  // and one in the other store
  ASSERT_THAT(first->CreateCatalog(NewCatalog("c")), IsOk());
  ASSERT_THAT(first->GetCatalog(kDefaultTenant, "c"), IsOk());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!truncated() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(truncated());
  // The readers read on, from the file the checkpoint wrote.
  EXPECT_THAT(first->GetCatalog(kDefaultTenant, "b"), IsOk());
  EXPECT_THAT(second->GetCatalog(kDefaultTenant, "c"), IsOk());
}

// Entries are read on every table request and answered again while nothing is committed; a
// change by another store on the file, or by any other writer, shows at once.
TEST_F(SqliteStoreTest, EntriesSeeEveryCommitAtOnce) {
  ASSERT_OK_AND_ASSIGN(auto first, Open());
  ASSERT_OK_AND_ASSIGN(auto second, Open());
  Catalog cat = NewCatalog("cat");
  ASSERT_THAT(first->CreateCatalog(cat), IsOk());
  ContentKey key = catalog::ObjectKey({{}, "t"});
  auto location = [&] {
    auto content = first->GetContent(kDefaultTenant, cat.id, "main", key);
    return content && *content ? (*content)->metadata_location : std::string("none");
  };
  EXPECT_EQ(location(), "none");
  EXPECT_EQ(location(), "none");
  ASSERT_THAT(PutTable(*second, cat.id, "1"), IsOk());
  EXPECT_EQ(location(), "1");
  EXPECT_EQ(location(), "1");
  RawQuery(Path(), "UPDATE content SET metadata_location = '2'");
  EXPECT_EQ(location(), "2");
  ASSERT_THAT(PutTable(*first, cat.id, "3"), IsOk());
  EXPECT_EQ(location(), "3");
  // The same name in another catalog is another entry.
  Catalog other = NewCatalog("other");
  ASSERT_THAT(second->CreateCatalog(other), IsOk());
  EXPECT_THAT(first->GetContent(kDefaultTenant, other.id, "main", key),
              ::testing::Optional(std::optional<Content>()));
  EXPECT_EQ(location(), "3");
}

// A commit calls its on_visible once, after the commit is what readers see and before it returns;
// a commit that fails never calls it.
TEST_F(SqliteStoreTest, ACommitSaysWhenItIsVisibleBeforeItsSync) {
  ASSERT_OK_AND_ASSIGN(auto store, Open());
  Catalog cat = NewCatalog("cat");
  ASSERT_THAT(store->CreateCatalog(cat), IsOk());
  ContentKey key = catalog::ObjectKey({{}, "t"});
  std::vector<std::string> seen;
  CommitRequest request;
  request.operations = {
      Operation{Operation::Kind::kPut, key, Content{ContentType::kIcebergTable, "t-id", "1", {}}}};
  request.preconditions = {{Precondition::Kind::kEquals, key, std::nullopt}};
  request.on_visible = [&] {
    auto content = store->GetContent(kDefaultTenant, cat.id, "main", key);
    seen.push_back(content && *content ? (*content)->metadata_location : "none");
  };
  ASSERT_THAT(store->Commit(kDefaultTenant, cat.id, request), IsOk());
  EXPECT_EQ(seen, std::vector<std::string>{"1"});
  // The same precondition again (the table must not exist) fails: nothing visible, no call.
  EXPECT_THAT(store->Commit(kDefaultTenant, cat.id, request), IsError(ErrorCode::kCommitFailed));
  EXPECT_EQ(seen, std::vector<std::string>{"1"});
}

// Listings are answered again while nothing is committed; a change by another store on the file,
// or by any other writer, shows at once, and every page and filter is a listing of its own.
TEST_F(SqliteStoreTest, ListingsSeeEveryCommitAtOnce) {
  ASSERT_OK_AND_ASSIGN(auto first, Open());
  ASSERT_OK_AND_ASSIGN(auto second, Open());
  Catalog cat = NewCatalog("cat");
  ASSERT_THAT(first->CreateCatalog(cat), IsOk());
  auto list = [&](size_t limit, const std::string& token = "") {
    std::string out;
    auto page = first->ListContent(kDefaultTenant, cat.id, "main", ContentKey::Space::kObject, {},
                                   std::nullopt, PageRequest{token, limit});
    if (!page) return std::string("error");
    for (const auto& entry : page->items)
      out += entry.key.name + "=" + entry.content.metadata_location + " ";
    return out + (page->next_token ? "more" : "end");
  };
  EXPECT_EQ(list(0), "end");
  EXPECT_EQ(list(0), "end");
  ASSERT_THAT(PutTable(*second, cat.id, "1"), IsOk());
  EXPECT_EQ(list(0), "t=1 end");
  EXPECT_EQ(list(0), "t=1 end");
  RawQuery(Path(), "UPDATE content SET metadata_location = '2'");
  EXPECT_EQ(list(0), "t=2 end");
  CommitRequest request;
  request.operations = {Operation{Operation::Kind::kPut, catalog::ObjectKey({{}, "u"}),
                                  Content{ContentType::kIcebergTable, "u-id", "3", {}}}};
  ASSERT_THAT(first->Commit(kDefaultTenant, cat.id, request), IsOk());
  EXPECT_EQ(list(0), "t=2 u=3 end");
  EXPECT_EQ(list(1), "t=2 more");
  EXPECT_EQ(list(1), "t=2 more");
  auto page = first->ListContent(kDefaultTenant, cat.id, "main", ContentKey::Space::kObject, {},
                                 std::nullopt, PageRequest{"", 1});
  ASSERT_TRUE(page && page->next_token);
  EXPECT_EQ(list(1, *page->next_token), "u=3 end");
  EXPECT_EQ(first
                ->ListContent(kDefaultTenant, cat.id, "main", ContentKey::Space::kObject, {},
                              ContentType::kIcebergView, PageRequest{"", 0})
                .value()
                .items.size(),
            0u);
}

// The access version is read on every request and used again while nothing at all is committed;
// a change by another store on the file, or by any other writer, shows at once.
TEST_F(SqliteStoreTest, AccessVersionsSeeEveryCommitAtOnce) {
  ASSERT_OK_AND_ASSIGN(auto first, Open());
  ASSERT_OK_AND_ASSIGN(auto second, Open());
  EXPECT_THAT(first->AccessVersion(kDefaultTenant), ::testing::Optional(0));
  EXPECT_THAT(first->AccessVersion(kDefaultTenant), ::testing::Optional(0));
  catalog::Role role;
  role.id = NewUuid();
  role.name = "analyst";
  role.tenant_id = kDefaultTenant;
  role.created_by = "test";
  ASSERT_THAT(second->CreateRole(role), IsOk());
  ASSERT_OK_AND_ASSIGN(int64_t bumped, first->AccessVersion(kDefaultTenant));
  EXPECT_GT(bumped, 0);
  RawQuery(Path(), "UPDATE access_versions SET version = 42");
  EXPECT_THAT(first->AccessVersion(kDefaultTenant), ::testing::Optional(42));
  ASSERT_THAT(first->DeleteRole(kDefaultTenant, role.id), IsOk());
  EXPECT_THAT(first->AccessVersion(kDefaultTenant), ::testing::Optional(43));
  EXPECT_THAT(second->AccessVersion(kDefaultTenant), ::testing::Optional(43));
  // Many reads on threads while another store keeps changing it: never a version from before
  // the change that a read started after.
  std::atomic<int64_t> written{43};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; i < 30; ++i) {
      RawQuery(Path(), "UPDATE access_versions SET version = version + 1");
      ++written;
    }
    stop = true;
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop) {
        int64_t floor = written.load();
        auto version = first->AccessVersion(kDefaultTenant);
        ASSERT_TRUE(version);
        EXPECT_GE(*version, floor);
      }
    });
  }
  writer.join();
  for (auto& reader : readers) reader.join();
  EXPECT_THAT(first->AccessVersion(kDefaultTenant), ::testing::Optional(73));
}

TEST_F(SqliteStoreTest, ConcurrentWritersAllCommit) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  {
    ASSERT_OK_AND_ASSIGN(auto store, Open());
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          EXPECT_THAT(store->CreateCatalog(NewCatalog(fmt::format("c{}-{}", t, i))), IsOk());
        }
      });
    }
    for (auto& writer : writers) writer.join();
  }
  ASSERT_OK_AND_ASSIGN(auto store, Open());
  ASSERT_OK_AND_ASSIGN(auto page, store->ListCatalogs(kDefaultTenant, PageRequest{"", 1000}));
  EXPECT_EQ(page.items.size(), static_cast<size_t>(kThreads * kEach));
}

TEST_F(SqliteStoreTest, ABusyDatabaseIsUnavailableNotACrash) {
  ASSERT_OK_AND_ASSIGN(auto store, Open(/*busy_timeout_ms=*/20));
  Catalog cat = NewCatalog("cat");
  ASSERT_THAT(store->CreateCatalog(cat), IsOk());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, sqlite_internal::DbCloser> locker(raw);
  ASSERT_EQ(sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_THAT(PutTable(*store, cat.id, "x"), IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(store->GetCatalog(kDefaultTenant, "cat"), IsOk());  // readers are not blocked
  ASSERT_EQ(sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_THAT(PutTable(*store, cat.id, "x"), IsOk());
}

TEST_F(SqliteStoreTest, RejectsBadOptions) {
  EXPECT_THAT(MakeSqliteStore(SqliteOptions{""}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeSqliteStore(SqliteOptions{Path(), 5000, 0}),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeSqliteStore(SqliteOptions{(dir_.path() / "no/such/dir/db").string()}),
              IsError(ErrorCode::kUnavailable));
}

}  // namespace
}  // namespace pangolin::store
