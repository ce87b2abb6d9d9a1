// The MetadataStore contract suite's fixture: one typed suite (StoreContract) run against every
// backend listed in StoreFactories. A backend joins by adding a factory; one that cannot start
// fails its tests (never skipped).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/ids.h"
#include "contract/mongo_support.h"
#include "contract/postgres_support.h"
#include "store/memory/memory_store.h"
#include "store/metadata_store.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::store::contract {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

// kTransactional: whether the backend rolls back a failed MetadataStore::Audited change.
struct MemoryFactory {
  static constexpr bool kTransactional = false;
  static Result<std::unique_ptr<MetadataStore>> Make(const std::filesystem::path&) {
    return MakeMemoryStore();
  }
};

struct SqliteFactory {
  static constexpr bool kTransactional = true;
  static Result<std::unique_ptr<MetadataStore>> Make(const std::filesystem::path& dir) {
    return MakeSqliteStore(SqliteOptions{(dir / "pangolin.db").string()});
  }
};

struct FactoryNames {
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryFactory>) return "Memory";
    if (std::is_same_v<T, SqliteFactory>) return "Sqlite";
    if (std::is_same_v<T, PostgresFactory>) return "Postgres";
    if (std::is_same_v<T, MongoFactory>) return "Mongo";
    return "Unknown";
  }
};

// contract_test runs the suite over memory, SQLite and PostgreSQL; mongo_contract_test builds it
// with PANGOLIN_CONTRACT_MONGO_ONLY for the MongoDB store, so that the two run side by side.
#ifdef PANGOLIN_CONTRACT_MONGO_ONLY
using StoreFactories = ::testing::Types<MongoFactory>;
#else
using StoreFactories = ::testing::Types<MemoryFactory, SqliteFactory, PostgresFactory>;
#endif

inline const TenantId kTenantA = kDefaultTenant;
inline const TenantId kTenantB{"11111111-1111-4111-8111-111111111111"};

inline Warehouse MakeWarehouse(const TenantId& tenant, std::string name) {
  Warehouse w;
  w.id.value = NewUuid();
  w.name = std::move(name);
  w.tenant_id = tenant;
  w.storage_config = {{"type", "s3"}, {"bucket", "b"}};
  w.vending_strategy_json = R"({"AwsStatic":{}})";
  return w;
}

inline Catalog MakeCatalog(const TenantId& tenant, std::string name,
                           std::optional<std::string> warehouse = std::nullopt) {
  Catalog c;
  c.id.value = NewUuid();
  c.name = std::move(name);
  c.tenant_id = tenant;
  c.warehouse_name = std::move(warehouse);
  c.storage_location = "s3://b/" + c.name;
  c.properties = {{"owner", "tests"}};
  return c;
}

inline Content NamespaceContent(std::string owner = "x") {
  return Content{ContentType::kNamespace, NewUuid(), "", {{"owner", std::move(owner)}}};
}

inline Content TableContent(std::string location) {
  return Content{ContentType::kIcebergTable, NewUuid(), std::move(location), {}};
}

inline Content ViewContent(std::string location) {
  return Content{ContentType::kIcebergView, NewUuid(), std::move(location), {}};
}

inline Operation PutOp(ContentKey key, Content content) {
  return Operation{Operation::Kind::kPut, std::move(key), std::move(content)};
}

inline Operation DeleteOp(ContentKey key) {
  return Operation{Operation::Kind::kDelete, std::move(key), std::nullopt};
}

inline ContentKey Table(Namespace ns, std::string name) {
  return catalog::ObjectKey(catalog::TableIdentifier{std::move(ns), std::move(name)});
}

// Identity builders: fresh ids, every optional field set where the type has one.
inline Tenant MakeTenant(std::string name) {
  return Tenant{TenantId{NewUuid()}, std::move(name), {{"plan", "free"}}, 1700000000000};
}

inline User MakeUser(std::optional<TenantId> tenant, std::string username) {
  User u;
  u.id = NewUuid();
  u.email = username + "@example.com";
  u.username = std::move(username);
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g";
  u.role = tenant ? catalog::UserRole::kTenantUser : catalog::UserRole::kRoot;
  u.tenant_id = std::move(tenant);
  u.created_ms = 1700000000000;
  u.updated_ms = 1700000000000;
  u.last_login_ms = 1700000001000;
  return u;
}

inline ServiceUser MakeServiceUser(const TenantId& tenant, std::string name) {
  ServiceUser u;
  u.id = NewUuid();
  u.description = "robot " + name;
  u.name = std::move(name);
  u.tenant_id = tenant;
  u.key_id = NewUuid();
  u.key_hash = std::string(64, 'a');
  u.created_ms = 1700000000000;
  u.created_by = "admin";
  u.expires_ms = 1800000000000;
  return u;
}

inline TokenRecord MakeToken(std::string jti, std::string principal_id, int64_t issued_ms,
                             int64_t expires_ms) {
  TokenRecord t;
  t.jti = std::move(jti);
  t.tenant_id = kDefaultTenant;
  t.principal_id = std::move(principal_id);
  t.username = "someone";
  t.issued_ms = issued_ms;
  t.expires_ms = expires_ms;
  return t;
}

inline SigningKey MakeSigningKey(std::string kid, int64_t created_ms) {
  return SigningKey{std::move(kid), "ES256",      "-----BEGIN PRIVATE KEY-----\n...",
                    created_ms,     std::nullopt, std::nullopt};
}

// Access builders: scopes of every type, roles and grants with fresh ids.
using catalog::Action;
using catalog::PermissionScope;
using ScopeType = PermissionScope::Type;

inline PermissionScope MakeScope(ScopeType type, std::string catalog_id = "", Namespace ns = {},
                                 std::string asset_id = "", std::string tag_name = "") {
  PermissionScope scope;
  scope.type = type;
  scope.catalog_id = std::move(catalog_id);
  scope.ns = std::move(ns);
  scope.asset_id = std::move(asset_id);
  scope.tag_name = std::move(tag_name);
  return scope;
}
inline PermissionScope TenantScope() { return MakeScope(ScopeType::kTenant); }
inline PermissionScope CatalogScope(std::string catalog_id) {
  return MakeScope(ScopeType::kCatalog, std::move(catalog_id));
}
inline PermissionScope NamespaceScope(std::string catalog_id, Namespace ns) {
  return MakeScope(ScopeType::kNamespace, std::move(catalog_id), std::move(ns));
}
inline PermissionScope AssetScope(std::string catalog_id, Namespace ns, std::string asset_id) {
  return MakeScope(ScopeType::kAsset, std::move(catalog_id), std::move(ns), std::move(asset_id));
}
inline PermissionScope TagScope(std::string tag_name) {
  return MakeScope(ScopeType::kTag, "", {}, "", std::move(tag_name));
}

inline Role MakeRole(const TenantId& tenant, std::string name,
                     std::vector<PermissionGrant> permissions = {}) {
  Role role;
  role.id = NewUuid();
  role.description = "role " + name;
  role.name = std::move(name);
  role.tenant_id = tenant;
  role.permissions = std::move(permissions);
  role.created_by = "admin";
  role.created_ms = 1700000000000;
  role.updated_ms = 1700000000000;
  return role;
}

inline DirectGrant MakeGrant(const TenantId& tenant, std::string principal_id,
                             PermissionGrant grant, int64_t granted_ms = 1700000000000) {
  return DirectGrant{NewUuid(), std::move(principal_id), tenant, std::move(grant), "admin",
                     granted_ms};
}

inline RoleAssignment MakeAssignment(std::string principal_id, std::string role_id) {
  return RoleAssignment{std::move(principal_id), std::move(role_id), "admin", 1700000000000};
}

// Audit builder: an entry as a service hands it to AppendAudit (seq and hashes unset), with a
// fresh id and every optional field but error_message set.
inline AuditEntry MakeAuditEntry(const TenantId& tenant, std::string action,
                                 int64_t time_ms = 1700000000000) {
  AuditEntry e;
  e.id = NewUuidV7(time_ms);
  e.tenant_id = tenant;
  e.user_id = "user-1";
  e.username = "ann";
  e.action = std::move(action);
  e.resource_type = "table";
  e.resource_id = "table-1";
  e.resource_name = "sales.orders";
  e.time_ms = time_ms;
  e.ip_address = "127.0.0.1";
  e.user_agent = "contract-test/1.0";
  e.request_id = NewUuid();
  e.metadata_json = R"({"branch":"main"})";
  return e;
}

// Every page of a listing of `limit` items, following next_token.
template <typename T>
std::vector<std::vector<T>> Pages(const std::function<Result<Page<T>>(const PageRequest&)>& list,
                                  size_t limit) {
  std::vector<std::vector<T>> pages;
  PageRequest request{"", limit};
  while (pages.size() < 50) {
    auto page = list(request);
    if (!page) {
      ADD_FAILURE() << page.error().message;
      break;
    }
    pages.push_back(std::move(page->items));
    if (!page->next_token) break;
    request.token = *page->next_token;
  }
  return pages;
}

template <typename Factory>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Factory::Make(dir_.path());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // Closes the store, then lets a factory that keeps state outside the test's directory (the
  // Postgres schema) remove it.
  void TearDown() override {
    store_.reset();
    if constexpr (requires { Factory::Cleanup(dir_.path()); }) Factory::Cleanup(dir_.path());
  }

  // Creates a catalog (without a warehouse) in `tenant` and returns its id.
  CatalogId NewCatalog(const TenantId& tenant = kTenantA, std::string name = "cat") {
    Catalog c = MakeCatalog(tenant, std::move(name));
    EXPECT_THAT(store_->CreateCatalog(c), IsOk());
    return c.id;
  }

  Result<std::string> Commit(const CatalogId& catalog, std::vector<Operation> ops,
                             std::vector<Precondition> preconditions = {},
                             const TenantId& tenant = kTenantA) {
    CommitRequest request;
    request.operations = std::move(ops);
    request.preconditions = std::move(preconditions);
    request.author = "tester";
    request.message = "test commit";
    request.time_ms = 1700000000000;
    return store_->Commit(tenant, catalog, request);
  }

  Result<std::optional<Content>> Get(const CatalogId& catalog, const ContentKey& key) {
    return store_->GetContent(kTenantA, catalog, catalog::kMainBranch, key);
  }

  testing::TempDir dir_;
  std::unique_ptr<MetadataStore> store_;
};

TYPED_TEST_SUITE(StoreContract, StoreFactories, FactoryNames);

}  // namespace pangolin::store::contract
