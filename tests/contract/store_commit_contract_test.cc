// MetadataStore contract, part 3: commit records, history paging and compare-and-swap under
// concurrency.
#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include "common/strings.h"
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;

TYPED_TEST(StoreContract, CommitsAreRecordedNewestFirstWithParents) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db"});
  ContentKey table = Table({"db"}, "t");
  Content ns_content = NamespaceContent();
  Content table_content = TableContent("loc");
  ASSERT_OK_AND_ASSIGN(std::string c1, this->Commit(id, {PutOp(ns, ns_content)}));
  ASSERT_OK_AND_ASSIGN(std::string c2, this->Commit(id, {PutOp(table, table_content)}));
  CommitRequest third;
  third.operations = {DeleteOp(table), PutOp(ns, ns_content)};
  third.author = "bob";
  third.message = "drop t";
  third.time_ms = 42;
  ASSERT_OK_AND_ASSIGN(std::string c3, store.Commit(kTenantA, id, third));
  EXPECT_TRUE(IsUuid(c1) && IsUuid(c2) && IsUuid(c3));
  EXPECT_EQ((std::set<std::string>{c1, c2, c3}).size(), 3u);

  ASSERT_OK_AND_ASSIGN(auto page, store.ListCommits(kTenantA, id, "main", {}));
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_FALSE(page.next_token.has_value());
  const CommitRecord& newest = page.items[0];
  EXPECT_EQ(newest.id, c3);
  EXPECT_EQ(newest.parent_id, c2);
  EXPECT_EQ(newest.branch, "main");
  EXPECT_EQ(newest.author, "bob");
  EXPECT_EQ(newest.message, "drop t");
  EXPECT_EQ(newest.time_ms, 42);
  ASSERT_EQ(newest.operations.size(), 2u);
  EXPECT_EQ(newest.operations[0].kind, Operation::Kind::kDelete);
  EXPECT_EQ(newest.operations[0].key, table);
  EXPECT_EQ(newest.operations[0].content, std::nullopt);
  EXPECT_EQ(newest.operations[1].kind, Operation::Kind::kPut);
  EXPECT_EQ(newest.operations[1].key, ns);
  EXPECT_EQ(newest.operations[1].content, ns_content);
  EXPECT_EQ(page.items[1].id, c2);
  EXPECT_EQ(page.items[1].parent_id, c1);
  EXPECT_EQ(page.items[1].operations[0].content, table_content);
  EXPECT_EQ(page.items[1].author, "tester");
  EXPECT_EQ(page.items[1].time_ms, 1700000000000);
  EXPECT_EQ(page.items[2].id, c1);
  EXPECT_EQ(page.items[2].parent_id, std::nullopt);
}

TYPED_TEST(StoreContract, CommitHistoryIsPaged) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  CatalogId other = this->NewCatalog(kTenantA, "other");
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    ASSERT_OK_AND_ASSIGN(
        std::string c, this->Commit(id, {PutOp(Table({}, "t"), TableContent(std::to_string(i)))}));
    ids.insert(ids.begin(), c);  // newest first
    ASSERT_THAT(this->Commit(other, {PutOp(Table({}, "t"), TableContent("x"))}), IsOk());
  }
  std::vector<std::string> seen;
  std::vector<size_t> sizes;
  PageRequest request{"", 10};
  do {
    ASSERT_OK_AND_ASSIGN(auto page, store.ListCommits(kTenantA, id, "main", request));
    sizes.push_back(page.items.size());
    for (const auto& c : page.items) seen.push_back(c.id);
    request.token = page.next_token.value_or("");
  } while (!request.token.empty());
  EXPECT_THAT(sizes, ElementsAre(10, 10, 5));
  EXPECT_EQ(seen, ids);
  EXPECT_THAT(store.ListCommits(kTenantA, id, "main", {"###", 10}),
              IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(store.ListCommits(kTenantA, id, "main", {Base64UrlEncode("abc"), 10}),
              IsError(ErrorCode::kBadRequest));
}

TYPED_TEST(StoreContract, CommitsOnUnknownBranchOrCatalogAreNotFound) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  CommitRequest request;
  request.branch = "dev";
  request.operations = {PutOp(catalog::NamespaceKey({"db"}), NamespaceContent())};
  EXPECT_THAT(
      store.Commit(kTenantA, id, request),
      ::pangolin::testing::IsErrorWithMessage(ErrorCode::kNotFound, "Branch not found: dev"));
  EXPECT_THAT(store.ListCommits(kTenantA, id, "dev", {}), IsError(ErrorCode::kNotFound));
  request.branch = "main";
  EXPECT_THAT(store.Commit(kTenantA, CatalogId{NewUuid()}, request), IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto page, store.ListCommits(kTenantA, id, "main", {}));
  EXPECT_TRUE(page.items.empty());
}

// 8 threads each perform 50 increments of one counter by read-modify-write commits guarded by
// kEquals, retrying lost races. No increment may be lost or applied twice.
TYPED_TEST(StoreContract, CompareAndSwapLosesNoUpdate) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey key = Table({}, "counter");
  Content initial{ContentType::kIcebergTable, "counter-id", "0", {}};
  ASSERT_THAT(this->Commit(id, {PutOp(key, initial)}), IsOk());
  constexpr int kThreads = 8, kIncrements = 50;
  std::atomic<int> successes{0}, conflicts{0}, errors{0};
  std::vector<std::thread> threads;
  std::latch start(kThreads);  // all threads race from the same moment
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int done = 0; done < kIncrements;) {
        auto current = store.GetContent(kTenantA, id, "main", key);
        if (!current || !*current) {
          ++errors;
          return;
        }
        Content next = **current;
        next.metadata_location = std::to_string(std::stoi(next.metadata_location) + 1);
        auto committed =
            this->Commit(id, {PutOp(key, next)}, {{Precondition::Kind::kEquals, key, **current}});
        if (committed) {
          ++successes;
          ++done;
        } else if (committed.error().code == ErrorCode::kCommitFailed) {
          ++conflicts;
        } else {
          ++errors;
          return;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  ::testing::Test::RecordProperty("lost_races", conflicts.load());
  EXPECT_EQ(successes.load(), kThreads * kIncrements);
  ASSERT_OK_AND_ASSIGN(auto final_content, this->Get(id, key));
  EXPECT_EQ(final_content->metadata_location, std::to_string(successes.load()));
  ASSERT_OK_AND_ASSIGN(auto history, store.ListCommits(kTenantA, id, "main", {}));
  EXPECT_EQ(history.items.size(), static_cast<size_t>(successes.load() + 1));
  for (size_t i = 0; i + 1 < history.items.size(); ++i) {  // an unbroken parent chain
    EXPECT_EQ(history.items[i].parent_id, history.items[i + 1].id);
  }
}

}  // namespace
}  // namespace pangolin::store::contract
