// MetadataStore contract, part 1: warehouses, catalogs, cascades and tenant isolation.
// Parts 2 and 3 (content, commits) share the fixture in store_contract.h.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;

TYPED_TEST(StoreContract, PingAnswers) { EXPECT_THAT(this->store_->Ping(), IsOk()); }

TYPED_TEST(StoreContract, WarehouseCrud) {
  auto& store = *this->store_;
  Warehouse w = MakeWarehouse(kTenantA, "wh");
  ASSERT_THAT(store.CreateWarehouse(w), IsOk());
  ASSERT_OK_AND_ASSIGN(Warehouse got, store.GetWarehouse(kTenantA, "wh"));
  EXPECT_EQ(got, w);

  Warehouse changed = w;
  changed.id.value = "ignored";
  changed.tenant_id = kTenantB;  // ignored too: tenant and id are kept
  changed.use_sts = true;
  changed.storage_config = {{"type", "local"}};
  ASSERT_THAT(store.UpdateWarehouse(kTenantA, "wh", changed), IsOk());
  ASSERT_OK_AND_ASSIGN(got, store.GetWarehouse(kTenantA, "wh"));
  EXPECT_EQ(got.id, w.id);
  EXPECT_EQ(got.tenant_id, kTenantA);
  EXPECT_TRUE(got.use_sts);
  EXPECT_EQ(got.storage_config, changed.storage_config);

  changed.name = "renamed";
  ASSERT_THAT(store.UpdateWarehouse(kTenantA, "wh", changed), IsOk());
  EXPECT_THAT(store.GetWarehouse(kTenantA, "wh"), IsError(ErrorCode::kNoSuchWarehouse));
  ASSERT_OK_AND_ASSIGN(got, store.GetWarehouse(kTenantA, "renamed"));
  EXPECT_EQ(got.id, w.id);

  ASSERT_THAT(store.DeleteWarehouse(kTenantA, "renamed"), IsOk());
  EXPECT_THAT(store.GetWarehouse(kTenantA, "renamed"), IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.DeleteWarehouse(kTenantA, "renamed"), IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.UpdateWarehouse(kTenantA, "renamed", changed),
              IsError(ErrorCode::kNoSuchWarehouse));
}

TYPED_TEST(StoreContract, WarehouseNamesAreUniquePerTenant) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  EXPECT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantB, "wh")), IsOk());
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "other")), IsOk());
  Warehouse rename = MakeWarehouse(kTenantA, "wh");
  EXPECT_THAT(store.UpdateWarehouse(kTenantA, "other", rename), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.GetWarehouse(kTenantA, "other"), IsOk());
}

TYPED_TEST(StoreContract, WarehouseInUseCannotBeDeleted) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "cat", "wh")), IsOk());
  EXPECT_THAT(store.DeleteWarehouse(kTenantA, "wh"), IsError(ErrorCode::kConflict));
  EXPECT_THAT(store.GetWarehouse(kTenantA, "wh"), IsOk());
  ASSERT_THAT(store.DeleteCatalog(kTenantA, "cat"), IsOk());
  EXPECT_THAT(store.DeleteWarehouse(kTenantA, "wh"), IsOk());
}

TYPED_TEST(StoreContract, RenamedWarehouseStaysAttachedToItsCatalogs) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "cat", "wh")), IsOk());
  ASSERT_THAT(store.UpdateWarehouse(kTenantA, "wh", MakeWarehouse(kTenantA, "wh2")), IsOk());
  ASSERT_OK_AND_ASSIGN(Catalog cat, store.GetCatalog(kTenantA, "cat"));
  EXPECT_EQ(cat.warehouse_name, "wh2");
  EXPECT_THAT(store.DeleteWarehouse(kTenantA, "wh2"), IsError(ErrorCode::kConflict));
}

TYPED_TEST(StoreContract, CatalogCrud) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh2")), IsOk());
  Catalog c = MakeCatalog(kTenantA, "cat", "wh");
  ASSERT_THAT(store.CreateCatalog(c), IsOk());
  ASSERT_OK_AND_ASSIGN(Catalog got, store.GetCatalog(kTenantA, "cat"));
  EXPECT_EQ(got, c);

  Catalog changed = MakeCatalog(kTenantB, "new-name", "wh2");  // id, tenant, name are kept
  changed.catalog_type = catalog::CatalogType::kFederated;
  changed.storage_location = std::nullopt;
  changed.properties = {{"a", "1"}, {"b", "2"}};
  ASSERT_THAT(store.UpdateCatalog(kTenantA, "cat", changed), IsOk());
  ASSERT_OK_AND_ASSIGN(got, store.GetCatalog(kTenantA, "cat"));
  EXPECT_EQ(got.id, c.id);
  EXPECT_EQ(got.tenant_id, kTenantA);
  EXPECT_EQ(got.name, "cat");
  EXPECT_EQ(got.catalog_type, catalog::CatalogType::kFederated);
  EXPECT_EQ(got.warehouse_name, "wh2");
  EXPECT_EQ(got.storage_location, std::nullopt);
  EXPECT_EQ(got.properties, changed.properties);
  EXPECT_THAT(store.GetCatalog(kTenantA, "new-name"), IsError(ErrorCode::kNotFound));

  changed.warehouse_name = std::nullopt;
  ASSERT_THAT(store.UpdateCatalog(kTenantA, "cat", changed), IsOk());
  ASSERT_OK_AND_ASSIGN(got, store.GetCatalog(kTenantA, "cat"));
  EXPECT_EQ(got.warehouse_name, std::nullopt);

  ASSERT_THAT(store.DeleteCatalog(kTenantA, "cat"), IsOk());
  EXPECT_THAT(store.GetCatalog(kTenantA, "cat"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteCatalog(kTenantA, "cat"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.UpdateCatalog(kTenantA, "cat", changed), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(StoreContract, CatalogNamesAndWarehouseReferencesAreChecked) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "cat")), IsOk());
  EXPECT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "cat")),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateCatalog(MakeCatalog(kTenantB, "cat")), IsOk());
  EXPECT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "c2", "missing")),
              IsError(ErrorCode::kNoSuchWarehouse));
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantB, "b-wh")), IsOk());
  EXPECT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "c3", "b-wh")),
              IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.UpdateCatalog(kTenantA, "cat", MakeCatalog(kTenantA, "cat", "b-wh")),
              IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.GetCatalog(kTenantA, "c2"), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(StoreContract, DeletingACatalogDeletesItsContentAndHistory) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ASSERT_THAT(this->Commit(id, {PutOp(catalog::NamespaceKey({"db"}), NamespaceContent())}), IsOk());
  ASSERT_THAT(store.DeleteCatalog(kTenantA, "cat"), IsOk());
  EXPECT_THAT(this->Get(id, catalog::NamespaceKey({"db"})), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListCommits(kTenantA, id, "main", {}), IsError(ErrorCode::kNotFound));

  CatalogId again = this->NewCatalog();  // same name, fresh state
  ASSERT_OK_AND_ASSIGN(auto content, this->Get(again, catalog::NamespaceKey({"db"})));
  EXPECT_EQ(content, std::nullopt);
  ASSERT_OK_AND_ASSIGN(auto commits, store.ListCommits(kTenantA, again, "main", {}));
  EXPECT_TRUE(commits.items.empty());
}

TYPED_TEST(StoreContract, TenantsCannotSeeOrTouchEachOther) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "cat", "wh")), IsOk());
  ASSERT_OK_AND_ASSIGN(Catalog cat, store.GetCatalog(kTenantA, "cat"));
  ContentKey ns = catalog::NamespaceKey({"db"});
  ASSERT_THAT(this->Commit(cat.id, {PutOp(ns, NamespaceContent())}), IsOk());

  EXPECT_THAT(store.GetWarehouse(kTenantB, "wh"), IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.UpdateWarehouse(kTenantB, "wh", MakeWarehouse(kTenantB, "wh")),
              IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.DeleteWarehouse(kTenantB, "wh"), IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store.GetCatalog(kTenantB, "cat"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.UpdateCatalog(kTenantB, "cat", MakeCatalog(kTenantB, "cat")),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteCatalog(kTenantB, "cat"), IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto warehouses, store.ListWarehouses(kTenantB, {}));
  EXPECT_TRUE(warehouses.items.empty());
  ASSERT_OK_AND_ASSIGN(auto catalogs, store.ListCatalogs(kTenantB, {}));
  EXPECT_TRUE(catalogs.items.empty());

  EXPECT_THAT(store.GetContent(kTenantB, cat.id, "main", ns), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListContent(kTenantB, cat.id, "main", ContentKey::Space::kNamespace, {},
                                std::nullopt, {}),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->Commit(cat.id, {DeleteOp(ns)}, {}, kTenantB), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListCommits(kTenantB, cat.id, "main", {}), IsError(ErrorCode::kNotFound));

  // Tenant A's objects are untouched.
  EXPECT_THAT(store.GetWarehouse(kTenantA, "wh"), IsOk());
  ASSERT_OK_AND_ASSIGN(auto content, this->Get(cat.id, ns));
  EXPECT_TRUE(content.has_value());
}

TYPED_TEST(StoreContract, WarehousesAndCatalogsArePagedByName) {
  auto& store = *this->store_;
  for (int i = 24; i >= 0; --i) {
    std::string name = fmt::format("n{:02}", i);
    ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, name)), IsOk());
    ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, name)), IsOk());
  }
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantB, "n00x")), IsOk());
  std::vector<std::string> warehouse_names, catalog_names;
  std::vector<size_t> sizes;
  PageRequest request{"", 10};
  do {
    ASSERT_OK_AND_ASSIGN(auto page, store.ListWarehouses(kTenantA, request));
    sizes.push_back(page.items.size());
    for (const auto& w : page.items) warehouse_names.push_back(w.name);
    request.token = page.next_token.value_or("");
  } while (!request.token.empty());
  EXPECT_THAT(sizes, ElementsAre(10, 10, 5));
  request = PageRequest{"", 7};
  do {
    ASSERT_OK_AND_ASSIGN(auto page, store.ListCatalogs(kTenantA, request));
    for (const auto& c : page.items) catalog_names.push_back(c.name);
    request.token = page.next_token.value_or("");
  } while (!request.token.empty());
  ASSERT_EQ(warehouse_names.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(warehouse_names[i], fmt::format("n{:02}", i));
  EXPECT_EQ(catalog_names, warehouse_names);
  ASSERT_OK_AND_ASSIGN(auto all, store.ListCatalogs(kTenantA, {}));
  EXPECT_EQ(all.items.size(), 25u);
  EXPECT_FALSE(all.next_token.has_value());
  EXPECT_THAT(store.ListWarehouses(kTenantA, {"%%%", 10}), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(store.ListCatalogs(kTenantA, {"%%%", 10}), IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::store::contract
