// Contract: business metadata of assets and finding an asset by its id. A record is stored and
// replaced keeping its identity, is confined to its tenant, goes with its catalog, and any change
// of tags moves the tenant's access version; tagged assets are listed by tag. FindAsset finds a
// table or view by its stable id on main first, then on the branch holding it.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Pair = std::pair<std::string, std::string>;

BusinessMetadata MakeMetadata(const TenantId& tenant, std::string asset_id,
                              std::vector<std::string> tags = {}) {
  BusinessMetadata m;
  m.id = NewUuid();
  m.tenant_id = tenant;
  m.asset_id = std::move(asset_id);
  m.description = "orders of the day";
  m.tags = std::move(tags);
  m.properties_json = R"({"owner":"sales","tier":1})";
  m.discoverable = true;
  m.created_by = m.updated_by = "ann";
  m.created_ms = m.updated_ms = 1700000000000;
  return m;
}

template <typename T>
class DiscoveryContract : public StoreContract<T> {
 protected:
  int64_t Version(const TenantId& tenant = kTenantA) {
    auto version = this->store_->AccessVersion(tenant);
    EXPECT_THAT(version, IsOk());
    return version.value_or(-1);
  }
};
TYPED_TEST_SUITE(DiscoveryContract, StoreFactories, FactoryNames);

TYPED_TEST(DiscoveryContract, PutStoresThenReplacesKeepingIdentity) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  BusinessMetadata first = MakeMetadata(kTenantA, "asset-1", {"gold", "pii"});
  ASSERT_OK_AND_ASSIGN(BusinessMetadata stored,
                       store.PutBusinessMetadata(cat, first, std::nullopt));
  EXPECT_EQ(stored, first);
  ASSERT_OK_AND_ASSIGN(BusinessMetadata got, store.GetBusinessMetadata(kTenantA, "asset-1"));
  EXPECT_EQ(got, first);

  BusinessMetadata second = MakeMetadata(kTenantA, "asset-1", {"gold"});
  second.description.reset();
  second.discoverable = false;
  second.properties_json = "[1,2]";
  second.created_by = second.updated_by = "bob";
  second.created_ms = second.updated_ms = 1800000000000;
  ASSERT_OK_AND_ASSIGN(stored, store.PutBusinessMetadata(cat, second, std::nullopt));
  BusinessMetadata expected = second;
  expected.id = first.id;
  expected.created_by = "ann";
  expected.created_ms = first.created_ms;
  EXPECT_EQ(stored, expected);
  ASSERT_OK_AND_ASSIGN(got, store.GetBusinessMetadata(kTenantA, "asset-1"));
  EXPECT_EQ(got, expected);
}

TYPED_TEST(DiscoveryContract, ChangesExpectingOtherTagsChangeNothing) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  using Tags = std::vector<std::string>;
  // No record: it carries no tags.
  EXPECT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "a", {"pii"}), Tags{"pii"}),
              IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(store.GetBusinessMetadata(kTenantA, "a"), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "a", {"pii"}), Tags{}), IsOk());
  int64_t version = this->Version();
  // Someone retagged since the caller read none: refused, whatever the new record says.
  BusinessMetadata stale = MakeMetadata(kTenantA, "a");
  stale.description = "stale";
  EXPECT_THAT(store.PutBusinessMetadata(cat, stale, Tags{}), IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(store.DeleteBusinessMetadata(kTenantA, "a", Tags{"gold"}),
              IsError(ErrorCode::kCommitFailed));
  ASSERT_OK_AND_ASSIGN(BusinessMetadata kept, store.GetBusinessMetadata(kTenantA, "a"));
  EXPECT_EQ(kept.tags, Tags{"pii"});
  EXPECT_NE(kept.description, "stale");
  EXPECT_EQ(this->Version(), version);
  // The tags read are still there: the change goes through.
  ASSERT_THAT(store.PutBusinessMetadata(cat, stale, Tags{"pii"}), IsOk());
  EXPECT_THAT(store.DeleteBusinessMetadata(kTenantA, "a", Tags{}), IsOk());
}

TYPED_TEST(DiscoveryContract, RecordsAreConfinedToTheirTenantAndCatalog) {
  auto& store = *this->store_;
  CatalogId a = this->NewCatalog(kTenantA);
  CatalogId b = this->NewCatalog(kTenantB);
  ASSERT_THAT(
      store.PutBusinessMetadata(a, MakeMetadata(kTenantA, "asset-1", {"pii"}), std::nullopt),
      IsOk());
  EXPECT_THAT(store.GetBusinessMetadata(kTenantB, "asset-1"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteBusinessMetadata(kTenantB, "asset-1", std::nullopt),
              IsError(ErrorCode::kNotFound));
  // Another tenant's catalog is not found.
  EXPECT_THAT(store.PutBusinessMetadata(b, MakeMetadata(kTenantA, "asset-2"), std::nullopt),
              IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto b_tags, store.ListTaggedAssets(kTenantB, {"pii"}));
  EXPECT_THAT(b_tags, IsEmpty());
  ASSERT_THAT(store.GetBusinessMetadata(kTenantA, "asset-1"), IsOk());
}

TYPED_TEST(DiscoveryContract, DeleteRemovesTheRecordAndItsTags) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  ASSERT_THAT(
      store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "asset-1", {"pii"}), std::nullopt),
      IsOk());
  ASSERT_THAT(store.DeleteBusinessMetadata(kTenantA, "asset-1", std::nullopt), IsOk());
  EXPECT_THAT(store.GetBusinessMetadata(kTenantA, "asset-1"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteBusinessMetadata(kTenantA, "asset-1", std::nullopt),
              IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto tagged, store.ListTaggedAssets(kTenantA, {"pii"}));
  EXPECT_THAT(tagged, IsEmpty());
}

TYPED_TEST(DiscoveryContract, RecordsGoWithTheirCatalog) {
  auto& store = *this->store_;
  CatalogId keep = this->NewCatalog(kTenantA, "keep");
  CatalogId drop = this->NewCatalog(kTenantA, "drop");
  ASSERT_THAT(
      store.PutBusinessMetadata(keep, MakeMetadata(kTenantA, "kept", {"pii"}), std::nullopt),
      IsOk());
  ASSERT_THAT(
      store.PutBusinessMetadata(drop, MakeMetadata(kTenantA, "dropped", {"pii"}), std::nullopt),
      IsOk());
  ASSERT_THAT(store.DeleteCatalog(kTenantA, "drop"), IsOk());
  EXPECT_THAT(store.GetBusinessMetadata(kTenantA, "dropped"), IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto tagged, store.ListTaggedAssets(kTenantA, {"pii"}));
  EXPECT_THAT(tagged, ElementsAre(Pair{"kept", "pii"}));
}

TYPED_TEST(DiscoveryContract, TaggedAssetsAreListedByTag) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  ASSERT_THAT(
      store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "b", {"gold", "pii"}), std::nullopt),
      IsOk());
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "a", {"pii"}), std::nullopt),
              IsOk());
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "c", {"raw"}), std::nullopt),
              IsOk());
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "d"), std::nullopt), IsOk());
  ASSERT_OK_AND_ASSIGN(auto tagged, store.ListTaggedAssets(kTenantA, {"pii", "gold", "none"}));
  EXPECT_THAT(tagged, ElementsAre(Pair{"a", "pii"}, Pair{"b", "gold"}, Pair{"b", "pii"}));
  ASSERT_OK_AND_ASSIGN(tagged, store.ListTaggedAssets(kTenantA, {}));
  EXPECT_THAT(tagged, IsEmpty());
  // Retagging moves the asset from one tag to the other.
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "c", {"gold"}), std::nullopt),
              IsOk());
  ASSERT_OK_AND_ASSIGN(tagged, store.ListTaggedAssets(kTenantA, {"raw", "gold"}));
  EXPECT_THAT(tagged, ElementsAre(Pair{"b", "gold"}, Pair{"c", "gold"}));
}

TYPED_TEST(DiscoveryContract, TagChangesMoveTheAccessVersion) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  int64_t v0 = this->Version();
  // Without tags, nothing that grants can see changes.
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "a"), std::nullopt), IsOk());
  EXPECT_EQ(this->Version(), v0);
  ASSERT_THAT(store.PutBusinessMetadata(cat, MakeMetadata(kTenantA, "a", {"pii"}), std::nullopt),
              IsOk());
  int64_t v1 = this->Version();
  EXPECT_GT(v1, v0);
  // The same tags again (other fields changed): no move.
  BusinessMetadata same = MakeMetadata(kTenantA, "a", {"pii"});
  same.description = "changed";
  ASSERT_THAT(store.PutBusinessMetadata(cat, same, std::nullopt), IsOk());
  EXPECT_EQ(this->Version(), v1);
  ASSERT_THAT(store.DeleteBusinessMetadata(kTenantA, "a", std::nullopt), IsOk());
  int64_t v2 = this->Version();
  EXPECT_GT(v2, v1);
  EXPECT_EQ(this->Version(kTenantB), 0);
}

TYPED_TEST(DiscoveryContract, FindAssetByItsStableId) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog(kTenantA, "lake");
  Content table = TableContent("s3://b/t/1");
  Content view = ViewContent("s3://b/v/1");
  Content ns = NamespaceContent();
  ASSERT_THAT(this->Commit(cat, {PutOp(catalog::NamespaceKey({"sales"}), ns),
                                 PutOp(Table({"sales"}, "orders"), table),
                                 PutOp(Table({"sales"}, "daily"), view)}),
              IsOk());
  ASSERT_OK_AND_ASSIGN(catalog::AssetLocation found, store.FindAsset(kTenantA, table.id));
  EXPECT_EQ(found.catalog_id, cat);
  EXPECT_EQ(found.catalog_name, "lake");
  EXPECT_EQ(found.branch, "main");
  EXPECT_EQ(found.key, Table({"sales"}, "orders"));
  EXPECT_EQ(found.content, table);
  ASSERT_OK_AND_ASSIGN(found, store.FindAsset(kTenantA, view.id));
  EXPECT_EQ(found.content, view);
  // Namespaces are not assets; other tenants do not see it; unknown ids are not found.
  EXPECT_THAT(store.FindAsset(kTenantA, ns.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindAsset(kTenantB, table.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindAsset(kTenantA, "no-such-id"), IsError(ErrorCode::kNotFound));

  // A new metadata location keeps the id; a rename too.
  Content updated = table;
  updated.metadata_location = "s3://b/t/2";
  ASSERT_THAT(this->Commit(cat, {DeleteOp(Table({"sales"}, "orders")),
                                 PutOp(Table({"sales"}, "orders_v2"), updated)}),
              IsOk());
  ASSERT_OK_AND_ASSIGN(found, store.FindAsset(kTenantA, table.id));
  EXPECT_EQ(found.key, Table({"sales"}, "orders_v2"));
  EXPECT_EQ(found.content.metadata_location, "s3://b/t/2");
}

TYPED_TEST(DiscoveryContract, FindAssetLooksOnBranchesAfterMain) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  ASSERT_THAT(store.CreateBranch(kTenantA, cat, NewBranch{"dev"}), IsOk());
  CommitRequest request;
  request.branch = "dev";
  Content table = TableContent("s3://b/t/1");
  request.operations = {PutOp(Table({}, "t"), table)};
  ASSERT_THAT(store.Commit(kTenantA, cat, request), IsOk());
  ASSERT_OK_AND_ASSIGN(catalog::AssetLocation found, store.FindAsset(kTenantA, table.id));
  EXPECT_EQ(found.branch, "dev");
  // Merged into main, it is found there.
  ASSERT_THAT(this->Commit(cat, {PutOp(Table({}, "t"), table)}), IsOk());
  ASSERT_OK_AND_ASSIGN(found, store.FindAsset(kTenantA, table.id));
  EXPECT_EQ(found.branch, "main");
  // Dropped everywhere: gone.
  ASSERT_THAT(this->Commit(cat, {DeleteOp(Table({}, "t"))}), IsOk());
  request.operations = {DeleteOp(Table({}, "t"))};
  ASSERT_THAT(store.Commit(kTenantA, cat, request), IsOk());
  EXPECT_THAT(store.FindAsset(kTenantA, table.id), IsError(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace pangolin::store::contract
