// MetadataStore contract, part 2: catalog content through Commit, every precondition kind, and
// keyset-paginated listing of direct children.
#include <set>

#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;
using Space = ContentKey::Space;

std::vector<std::string> Names(const Page<Entry>& page) {
  std::vector<std::string> names;
  for (const auto& entry : page.items) names.push_back(entry.key.name);
  return names;
}

TYPED_TEST(StoreContract, PutGetDeleteThroughCommits) {
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db"});
  ContentKey table = Table({"db"}, "t");
  Content ns_content = NamespaceContent("alice");
  Content table_content = TableContent("s3://b/db/t/metadata/00000.metadata.json");
  ASSERT_THAT(this->Commit(id, {PutOp(ns, ns_content), PutOp(table, table_content)}), IsOk());
  EXPECT_THAT(this->Get(id, ns), ::testing::Optional(::testing::Optional(ns_content)));
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(::testing::Optional(table_content)));

  Content moved = table_content;
  moved.metadata_location = "s3://b/db/t/metadata/00001.metadata.json";
  ASSERT_THAT(this->Commit(id, {PutOp(table, moved)}), IsOk());
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(::testing::Optional(moved)));

  ASSERT_THAT(this->Commit(id, {DeleteOp(table)}), IsOk());
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(std::optional<Content>()));
  EXPECT_THAT(this->Get(id, ns), ::testing::Optional(::testing::Optional(ns_content)));
}

TYPED_TEST(StoreContract, MalformedOperationsAndMissingDeletes) {
  CatalogId id = this->NewCatalog();
  ContentKey table = Table({"db"}, "t");
  Operation no_content{Operation::Kind::kPut, table, std::nullopt};
  EXPECT_THAT(this->Commit(id, {PutOp(Table({"db"}, "u"), TableContent("l")), no_content}),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(this->Get(id, Table({"db"}, "u")), ::testing::Optional(std::optional<Content>()));
  EXPECT_THAT(this->Commit(id, {DeleteOp(table)}), IsOk());  // deleting nothing is no error
  // Operations apply in order: the last write to a key wins.
  Content last = TableContent("second");
  ASSERT_THAT(
      this->Commit(id, {PutOp(table, TableContent("first")), DeleteOp(table), PutOp(table, last)}),
      IsOk());
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(::testing::Optional(last)));
}

TYPED_TEST(StoreContract, UnknownCatalogOrBranchIsNotFound) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db"});
  EXPECT_THAT(store.GetContent(kTenantA, CatalogId{NewUuid()}, "main", ns),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(
      store.GetContent(kTenantA, id, "dev", ns),
      ::pangolin::testing::IsErrorWithMessage(ErrorCode::kNotFound, "Reference not found: dev"));
  EXPECT_THAT(store.ListContent(kTenantA, id, "dev", Space::kNamespace, {}, std::nullopt, {}),
              IsError(ErrorCode::kNotFound));
}

TYPED_TEST(StoreContract, NamespacesAndObjectsAreSeparateKeySpaces) {
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db", "x"});
  ContentKey table = Table({"db"}, "x");
  ASSERT_THAT(this->Commit(id, {PutOp(ns, NamespaceContent()), PutOp(table, TableContent("l"))}),
              IsOk());
  ASSERT_OK_AND_ASSIGN(auto got_ns, this->Get(id, ns));
  ASSERT_OK_AND_ASSIGN(auto got_table, this->Get(id, table));
  EXPECT_EQ(got_ns->type, ContentType::kNamespace);
  EXPECT_EQ(got_table->type, ContentType::kIcebergTable);
}

TYPED_TEST(StoreContract, EqualsPreconditionGuardsEveryOperation) {
  CatalogId id = this->NewCatalog();
  ContentKey table = Table({"db"}, "t");
  ContentKey other = Table({"db"}, "other");
  Content v1 = TableContent("v1");
  Precondition absent{Precondition::Kind::kEquals, table, std::nullopt};
  ASSERT_THAT(this->Commit(id, {PutOp(table, v1)}, {absent}), IsOk());
  // Creating again must fail, and the other operation of that commit must not land either.
  EXPECT_THAT(this->Commit(id, {PutOp(other, v1), PutOp(table, TableContent("v2"))}, {absent}),
              ::pangolin::testing::IsErrorWithMessage(ErrorCode::kCommitFailed, "db.t"));
  EXPECT_THAT(this->Get(id, other), ::testing::Optional(std::optional<Content>()));
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(::testing::Optional(v1)));

  Precondition is_v1{Precondition::Kind::kEquals, table, v1};
  Content v2 = TableContent("v2");
  ASSERT_THAT(this->Commit(id, {PutOp(table, v2)}, {is_v1}), IsOk());
  EXPECT_THAT(this->Commit(id, {DeleteOp(table)}, {is_v1}), IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(::testing::Optional(v2)));
  Content same_location_new_id = TableContent("v2");  // every field counts, not just the location
  Precondition wrong_id{Precondition::Kind::kEquals, table, same_location_new_id};
  EXPECT_THAT(this->Commit(id, {DeleteOp(table)}, {wrong_id}), IsError(ErrorCode::kCommitFailed));
  ASSERT_OK_AND_ASSIGN(auto commits, this->store_->ListCommits(kTenantA, id, "main", {}));
  EXPECT_EQ(commits.items.size(), 2u);  // failed commits record nothing
}

TYPED_TEST(StoreContract, NamespaceExistsPrecondition) {
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db"});
  ContentKey table = Table({"db"}, "t");
  Precondition exists{Precondition::Kind::kNamespaceExists, ns, std::nullopt};
  EXPECT_THAT(this->Commit(id, {PutOp(table, TableContent("l"))}, {exists}),
              IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(std::optional<Content>()));
  ASSERT_THAT(this->Commit(id, {PutOp(ns, NamespaceContent())}), IsOk());
  EXPECT_THAT(this->Commit(id, {PutOp(table, TableContent("l"))}, {exists}), IsOk());
  Precondition nested{Precondition::Kind::kNamespaceExists, catalog::NamespaceKey({"db", "x"}),
                      std::nullopt};
  EXPECT_THAT(this->Commit(id, {DeleteOp(table)}, {exists, nested}),
              ::pangolin::testing::IsErrorWithMessage(ErrorCode::kCommitFailed, "db.x"));
  EXPECT_THAT(this->Get(id, table), ::testing::Optional(::testing::Optional(::testing::_)));
}

TYPED_TEST(StoreContract, NamespaceEmptyPrecondition) {
  CatalogId id = this->NewCatalog();
  ContentKey db = catalog::NamespaceKey({"db"});
  ContentKey child = catalog::NamespaceKey({"db", "child"});
  ContentKey table = Table({"db"}, "t");
  Precondition empty{Precondition::Kind::kNamespaceEmpty, db, std::nullopt};
  ASSERT_THAT(this->Commit(id, {PutOp(db, NamespaceContent())}), IsOk());
  ASSERT_THAT(this->Commit(id, {PutOp(Table({"dbx"}, "t"), TableContent("l")),
                                PutOp(Table({}, "db"), TableContent("l"))}),
              IsOk());  // neither is a child of db
  EXPECT_THAT(this->Commit(id, {}, {empty}), IsOk());

  ASSERT_THAT(this->Commit(id, {PutOp(child, NamespaceContent())}), IsOk());
  EXPECT_THAT(this->Commit(id, {DeleteOp(db)}, {empty}), IsError(ErrorCode::kCommitFailed));
  ASSERT_THAT(this->Commit(id, {DeleteOp(child), PutOp(table, TableContent("l"))}), IsOk());
  EXPECT_THAT(this->Commit(id, {DeleteOp(db)}, {empty}),
              ::pangolin::testing::IsErrorWithMessage(ErrorCode::kCommitFailed, "db"));
  EXPECT_THAT(this->Get(id, db), ::testing::Optional(::testing::Optional(::testing::_)));
  ASSERT_THAT(this->Commit(id, {DeleteOp(table)}), IsOk());
  EXPECT_THAT(this->Commit(id, {DeleteOp(db)}, {empty}), IsOk());
  EXPECT_THAT(this->Get(id, db), ::testing::Optional(std::optional<Content>()));
}

TYPED_TEST(StoreContract, ListContentReturnsDirectChildrenOnly) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ASSERT_THAT(this->Commit(id, {PutOp(catalog::NamespaceKey({"a"}), NamespaceContent()),
                                PutOp(catalog::NamespaceKey({"a", "b"}), NamespaceContent()),
                                PutOp(catalog::NamespaceKey({"a", "b", "c"}), NamespaceContent()),
                                PutOp(catalog::NamespaceKey({"z"}), NamespaceContent()),
                                PutOp(Table({"a"}, "t1"), TableContent("l1")),
                                PutOp(Table({"a"}, "v"), ViewContent("lv")),
                                PutOp(Table({"a", "b"}, "t2"), TableContent("l2"))}),
              IsOk());
  auto list = [&](Space space, Namespace parent, std::optional<ContentType> type = std::nullopt) {
    auto page = store.ListContent(kTenantA, id, "main", space, parent, type, {});
    EXPECT_THAT(page, IsOk());
    return page ? Names(*page) : std::vector<std::string>{};
  };
  EXPECT_THAT(list(Space::kNamespace, {}), ElementsAre("a", "z"));
  EXPECT_THAT(list(Space::kNamespace, {"a"}), ElementsAre("b"));
  EXPECT_THAT(list(Space::kNamespace, {"a", "b"}), ElementsAre("c"));
  EXPECT_THAT(list(Space::kObject, {"a"}), ElementsAre("t1", "v"));
  EXPECT_THAT(list(Space::kObject, {"a"}, ContentType::kIcebergTable), ElementsAre("t1"));
  EXPECT_THAT(list(Space::kObject, {"a"}, ContentType::kIcebergView), ElementsAre("v"));
  EXPECT_THAT(list(Space::kObject, {"a", "b"}), ElementsAre("t2"));
  EXPECT_THAT(list(Space::kObject, {"z"}), ElementsAre());
  auto page = store.ListContent(kTenantA, id, "main", Space::kObject, {"a"}, std::nullopt, {});
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->items[0].key, Table({"a"}, "t1"));
  EXPECT_EQ(page->items[0].content.metadata_location, "l1");
}

// Pages through `parent` with `limit`, returning names and page sizes.
template <typename Store>
void PageThrough(Store& store, const CatalogId& id, std::optional<ContentType> type, size_t limit,
                 std::vector<std::string>& names, std::vector<size_t>& sizes) {
  PageRequest request{"", limit};
  do {
    auto page = store.ListContent(kTenantA, id, "main", Space::kObject, {"db"}, type, request);
    ASSERT_THAT(page, IsOk());
    sizes.push_back(page->items.size());
    for (const auto& name : Names(*page)) names.push_back(name);
    request.token = page->next_token.value_or("");
  } while (!request.token.empty());
}

TYPED_TEST(StoreContract, ListContentPagesAreStableAndComplete) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  std::vector<Operation> ops;
  for (int i = 0; i < 250; ++i)
    ops.push_back(PutOp(Table({"db"}, fmt::format("t{:03}", i)), TableContent("l")));
  for (int i = 0; i < 30; ++i)
    ops.push_back(PutOp(Table({"db"}, fmt::format("t{:03}v", i)), ViewContent("l")));
  ASSERT_THAT(this->Commit(id, std::move(ops)), IsOk());

  std::vector<std::string> names;
  std::vector<size_t> sizes;
  PageThrough(store, id, ContentType::kIcebergTable, 100, names, sizes);
  EXPECT_THAT(sizes, ElementsAre(100, 100, 50));
  ASSERT_EQ(names.size(), 250u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 250u);

  names.clear();
  sizes.clear();
  PageThrough(store, id, std::nullopt, 100, names, sizes);
  EXPECT_THAT(sizes, ElementsAre(100, 100, 80));

  auto all = store.ListContent(kTenantA, id, "main", Space::kObject, {"db"}, std::nullopt, {});
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->items.size(), 280u);
  EXPECT_FALSE(all->next_token.has_value());
  EXPECT_THAT(store.ListContent(kTenantA, id, "main", Space::kObject, {"db"}, std::nullopt,
                                {"not a token!", 10}),
              IsError(ErrorCode::kBadRequest));
}

TYPED_TEST(StoreContract, PageTokensSurviveConcurrentChanges) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  std::vector<Operation> ops;
  for (int i = 0; i < 250; i += 2)
    ops.push_back(PutOp(Table({"db"}, fmt::format("t{:03}", i)), TableContent("l")));
  ASSERT_THAT(this->Commit(id, std::move(ops)), IsOk());
  auto first =
      store.ListContent(kTenantA, id, "main", Space::kObject, {"db"}, std::nullopt, {"", 50});
  ASSERT_THAT(first, IsOk());
  ASSERT_TRUE(first->next_token.has_value());
  EXPECT_EQ(first->items.back().key.name, "t098");
  // Insert before and after the cursor, and delete the entry the cursor points at.
  ASSERT_THAT(this->Commit(id, {PutOp(Table({"db"}, "t001"), TableContent("l")),
                                PutOp(Table({"db"}, "t099"), TableContent("l")),
                                DeleteOp(Table({"db"}, "t098"))}),
              IsOk());
  auto second = store.ListContent(kTenantA, id, "main", Space::kObject, {"db"}, std::nullopt,
                                  {*first->next_token, 50});
  ASSERT_THAT(second, IsOk());
  ASSERT_FALSE(second->items.empty());
  EXPECT_EQ(second->items.front().key.name, "t099");
  EXPECT_EQ(second->items[1].key.name, "t100");
  EXPECT_EQ(second->items.back().key.name, "t196");
}

}  // namespace
}  // namespace pangolin::store::contract
