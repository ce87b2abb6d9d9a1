// The MetadataStore contract suite's fixture: one typed suite (StoreContract) run against every
// backend listed in StoreFactories. A backend joins by adding a factory; one that cannot start
// fails its tests (never skipped).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/ids.h"
#include "store/memory/memory_store.h"
#include "store/metadata_store.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::store::contract {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

struct MemoryFactory {
  static Result<std::unique_ptr<MetadataStore>> Make(const std::filesystem::path&) {
    return MakeMemoryStore();
  }
};

struct SqliteFactory {
  static Result<std::unique_ptr<MetadataStore>> Make(const std::filesystem::path& dir) {
    return MakeSqliteStore(SqliteOptions{(dir / "pangolin.db").string()});
  }
};

struct FactoryNames {
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryFactory>) return "Memory";
    if (std::is_same_v<T, SqliteFactory>) return "Sqlite";
    return "Unknown";
  }
};

using StoreFactories = ::testing::Types<MemoryFactory, SqliteFactory>;

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

template <typename Factory>
class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Factory::Make(dir_.path());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
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
