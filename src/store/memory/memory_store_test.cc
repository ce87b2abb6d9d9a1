// Memory-store specifics; the shared behaviour is covered by tests/contract.
#include "store/memory/memory_store.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::store {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

TEST(MemoryStoreTest, CatalogsStartWithAnEmptyMainBranch) {
  ASSERT_OK_AND_ASSIGN(auto store, MakeMemoryStore());
  Catalog c{CatalogId{""}, "cat", kDefaultTenant, catalog::CatalogType::kLocal, {}, {}, {}};
  ASSERT_THAT(store->CreateCatalog(c), IsOk());
  ASSERT_OK_AND_ASSIGN(Catalog created, store->GetCatalog(kDefaultTenant, "cat"));
  EXPECT_TRUE(IsUuid(created.id.value));  // an id is assigned when none is given
  ASSERT_OK_AND_ASSIGN(auto commits, store->ListCommits(kDefaultTenant, created.id, "main", {}));
  EXPECT_TRUE(commits.items.empty());
  CommitRequest put;
  put.operations = {Operation{Operation::Kind::kPut, catalog::NamespaceKey({"db"}), std::nullopt}};
  EXPECT_THAT(store->Commit(kDefaultTenant, created.id, put), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace pangolin::store
