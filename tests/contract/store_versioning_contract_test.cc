// Contract: catalog versioning — branches fork without copies and read through to their source
// as of the fork, tags and commits are read-only points in time, history follows first parents,
// and reference names are shared by branches and tags.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::pangolin::testing::IsErrorWithMessage;
using ::testing::ElementsAre;
using ::testing::Optional;
using Space = ContentKey::Space;

template <typename T>
class VersioningContract : public StoreContract<T> {
 protected:
  Result<std::string> CommitOn(const CatalogId& id, std::string branch, std::vector<Operation> ops,
                               std::vector<Precondition> preconditions = {}) {
    CommitRequest request;
    request.branch = std::move(branch);
    request.operations = std::move(ops);
    request.preconditions = std::move(preconditions);
    request.author = "tester";
    request.message = "on a branch";
    request.time_ms = 1700000000000;
    return this->store_->Commit(kTenantA, id, request);
  }
  Result<Branch> Fork(const CatalogId& id, std::string name, std::string from = "main") {
    return this->store_->CreateBranch(
        kTenantA, id,
        NewBranch{
            std::move(name), std::move(from), BranchType::kExperimental, {"db.t"}, 1700000000001});
  }
  // Names of a ref's tables under `ns`, following every page of `limit` entries.
  std::vector<std::string> TableNames(const CatalogId& id, std::string_view ref,
                                      const Namespace& ns, size_t limit = 0) {
    std::vector<std::string> names;
    PageRequest page{"", limit};
    while (true) {
      auto listed =
          this->store_->ListContent(kTenantA, id, ref, Space::kObject, ns, std::nullopt, page);
      EXPECT_TRUE(listed) << listed.error().message;
      if (!listed) return names;
      for (const auto& entry : listed->items) names.push_back(entry.key.name);
      if (!listed->next_token) return names;
      page.token = *listed->next_token;
    }
  }
  std::optional<std::string> Location(const CatalogId& id, std::string_view ref,
                                      const ContentKey& key) {
    auto got = this->store_->GetContent(kTenantA, id, ref, key);
    EXPECT_TRUE(got) << got.error().message;
    if (!got || !*got) return std::nullopt;
    return (*got)->metadata_location;
  }
};
TYPED_TEST_SUITE(VersioningContract, StoreFactories, FactoryNames);

TYPED_TEST(VersioningContract, BranchReadsItsSourceAsOfTheForkAndKeepsItsOwnChanges) {
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db"});
  ContentKey t = Table({"db"}, "t");
  ASSERT_THAT(this->Commit(id, {PutOp(ns, NamespaceContent()), PutOp(t, TableContent("v1"))}),
              IsOk());
  ASSERT_OK_AND_ASSIGN(Branch dev, this->Fork(id, "dev"));
  EXPECT_EQ(dev.type, BranchType::kExperimental);
  EXPECT_THAT(dev.assets, ElementsAre("db.t"));
  EXPECT_EQ(this->Location(id, "dev", t), "v1");

  ASSERT_THAT(this->Commit(id, {PutOp(t, TableContent("v2")),
                                PutOp(Table({"db"}, "late"), TableContent("late"))}),
              IsOk());
  EXPECT_EQ(this->Location(id, "dev", t), "v1");  // main moved on; dev still sees the fork
  EXPECT_EQ(this->Location(id, "dev", Table({"db"}, "late")), std::nullopt);

  ASSERT_THAT(this->CommitOn(
                  id, "dev",
                  {PutOp(t, TableContent("v3")), PutOp(Table({"db"}, "mine"), TableContent("m"))}),
              IsOk());
  EXPECT_EQ(this->Location(id, "dev", t), "v3");
  EXPECT_EQ(this->Location(id, "main", t), "v2");
  EXPECT_EQ(this->Location(id, "main", Table({"db"}, "mine")), std::nullopt);
  EXPECT_THAT(this->TableNames(id, "dev", {"db"}), ElementsAre("mine", "t"));
  EXPECT_THAT(this->TableNames(id, "main", {"db"}), ElementsAre("late", "t"));

  ASSERT_THAT(this->CommitOn(id, "dev", {DeleteOp(t)}), IsOk());
  EXPECT_EQ(this->Location(id, "dev", t), std::nullopt);  // a deletion shadows the source
  EXPECT_EQ(this->Location(id, "main", t), "v2");
  EXPECT_THAT(this->TableNames(id, "dev", {"db"}), ElementsAre("mine"));
}

TYPED_TEST(VersioningContract, ListingMergesLayersAcrossPages) {
  CatalogId id = this->NewCatalog();
  std::vector<Operation> ops{PutOp(catalog::NamespaceKey({"db"}), NamespaceContent())};
  for (const char* name : {"a", "c", "e", "g", "i"}) {
    ops.push_back(PutOp(Table({"db"}, name), TableContent(name)));
  }
  ASSERT_THAT(this->Commit(id, ops), IsOk());
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  ASSERT_THAT(this->CommitOn(id, "dev",
                             {DeleteOp(Table({"db"}, "c")), DeleteOp(Table({"db"}, "g")),
                              PutOp(Table({"db"}, "b"), TableContent("b")),
                              PutOp(Table({"db"}, "h"), TableContent("h"))}),
              IsOk());
  for (size_t limit : {0, 1, 2, 3, 100}) {
    EXPECT_THAT(this->TableNames(id, "dev", {"db"}, limit), ElementsAre("a", "b", "e", "h", "i"))
        << "page size " << limit;
  }
  auto tables = this->store_->ListContent(kTenantA, id, "dev", Space::kObject, {"db"},
                                          ContentType::kIcebergView, {});
  ASSERT_TRUE(tables);
  EXPECT_TRUE(tables->items.empty());
}

TYPED_TEST(VersioningContract, BranchOfABranchReadsThroughBothForks) {
  CatalogId id = this->NewCatalog();
  ContentKey a = Table({}, "a");
  ContentKey b = Table({}, "b");
  ASSERT_THAT(this->Commit(id, {PutOp(a, TableContent("a1")), PutOp(b, TableContent("b1"))}),
              IsOk());
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  ASSERT_THAT(this->CommitOn(id, "dev", {PutOp(a, TableContent("a2"))}), IsOk());
  ASSERT_THAT(this->Fork(id, "feature", "dev"), IsOk());
  ASSERT_THAT(this->CommitOn(id, "dev", {PutOp(a, TableContent("a3"))}), IsOk());
  ASSERT_THAT(this->Commit(id, {PutOp(b, TableContent("b2"))}), IsOk());
  EXPECT_EQ(this->Location(id, "feature", a), "a2");
  EXPECT_EQ(this->Location(id, "feature", b), "b1");
  ASSERT_THAT(this->CommitOn(id, "feature", {DeleteOp(b)}), IsOk());
  EXPECT_EQ(this->Location(id, "feature", b), std::nullopt);
  EXPECT_EQ(this->Location(id, "dev", b), "b1");
  EXPECT_EQ(this->Location(id, "main", b), "b2");
}

TYPED_TEST(VersioningContract, TagsAndCommitsAreReadOnlyPointsInTime) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey t = Table({}, "t");
  ASSERT_OK_AND_ASSIGN(std::string c1, this->Commit(id, {PutOp(t, TableContent("v1"))}));
  ASSERT_OK_AND_ASSIGN(std::string c2, this->Commit(id, {PutOp(t, TableContent("v2"))}));
  ASSERT_OK_AND_ASSIGN(std::string c3, this->Commit(id, {DeleteOp(t)}));
  EXPECT_EQ(this->Location(id, c1, t), "v1");
  EXPECT_EQ(this->Location(id, c2, t), "v2");
  EXPECT_EQ(this->Location(id, c3, t), std::nullopt);
  EXPECT_THAT(this->TableNames(id, c1, {}), ElementsAre("t"));
  EXPECT_TRUE(this->TableNames(id, c3, {}).empty());

  ASSERT_OK_AND_ASSIGN(Tag tag, store.CreateTag(kTenantA, id, "v1", c1, 1700000000002));
  EXPECT_EQ(tag.commit_id, c1);
  EXPECT_EQ(this->Location(id, "v1", t), "v1");
  EXPECT_THAT(this->CommitOn(id, "v1", {PutOp(t, TableContent("x"))}),
              IsErrorWithMessage(ErrorCode::kNotFound, "Branch not found: v1"));
  EXPECT_THAT(this->CommitOn(id, c1, {PutOp(t, TableContent("x"))}), IsError(ErrorCode::kNotFound));

  ASSERT_OK_AND_ASSIGN(RefInfo ref, store.ResolveRef(kTenantA, id, "v1"));
  EXPECT_EQ(ref.kind, RefInfo::Kind::kTag);
  EXPECT_EQ(ref.commit_id, c1);
  ASSERT_OK_AND_ASSIGN(ref, store.ResolveRef(kTenantA, id, c2));
  EXPECT_EQ(ref.kind, RefInfo::Kind::kCommit);
  ASSERT_OK_AND_ASSIGN(ref, store.ResolveRef(kTenantA, id, "main"));
  EXPECT_EQ(ref.kind, RefInfo::Kind::kBranch);
  EXPECT_EQ(ref.commit_id, c3);
  EXPECT_THAT(store.ResolveRef(kTenantA, id, "nope"), IsError(ErrorCode::kNotFound));

  // A branch forked from a tag starts there and is writable.
  ASSERT_OK_AND_ASSIGN(Branch fix, this->Fork(id, "fix", "v1"));
  EXPECT_EQ(fix.fork_commit_id, c1);
  EXPECT_EQ(this->Location(id, "fix", t), "v1");
  ASSERT_OK_AND_ASSIGN(std::string c4, this->CommitOn(id, "fix", {PutOp(t, TableContent("f"))}));
  ASSERT_OK_AND_ASSIGN(CommitRecord first, store.GetCommit(kTenantA, id, c4));
  EXPECT_EQ(first.parent_id, c1);
  EXPECT_EQ(first.branch, "fix");
  ASSERT_EQ(first.operations.size(), 1u);
  EXPECT_EQ(this->Location(id, "v1", t), "v1");
}

TYPED_TEST(VersioningContract, NamesAreSharedByBranchesAndTagsAndMainIsProtected) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ASSERT_OK_AND_ASSIGN(std::string c1,
                       this->Commit(id, {PutOp(Table({}, "t"), TableContent("1"))}));
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  EXPECT_THAT(this->Fork(id, "dev"), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(this->Fork(id, "x", "missing"), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.CreateTag(kTenantA, id, "rel", "dev", 1), IsOk());
  EXPECT_THAT(store.CreateTag(kTenantA, id, "rel", c1, 1), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateTag(kTenantA, id, "dev", c1, 1), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(this->Fork(id, "rel"), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateTag(kTenantA, id, "t2", "no-such-commit", 1),
              IsError(ErrorCode::kNotFound));

  EXPECT_THAT(store.DeleteBranch(kTenantA, id, "main"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store.DeleteBranch(kTenantA, id, "nope"), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.DeleteTag(kTenantA, id, "rel"), IsOk());
  EXPECT_THAT(store.GetTag(kTenantA, id, "rel"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteTag(kTenantA, id, "rel"), IsError(ErrorCode::kNotFound));

  ASSERT_OK_AND_ASSIGN(Branch main, store.GetBranch(kTenantA, id, "main"));
  EXPECT_EQ(main.type, BranchType::kIngest);
  EXPECT_EQ(main.head_commit_id, c1);
  EXPECT_EQ(main.fork_commit_id, std::nullopt);
}

TYPED_TEST(VersioningContract, DeletedBranchFreesItsNameButItsCommitsStayReadable) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey t = Table({}, "t");
  ASSERT_THAT(this->Commit(id, {PutOp(t, TableContent("main"))}), IsOk());
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  ASSERT_OK_AND_ASSIGN(std::string on_dev,
                       this->CommitOn(id, "dev", {PutOp(t, TableContent("d"))}));
  ASSERT_THAT(store.CreateTag(kTenantA, id, "keep", on_dev, 1), IsOk());
  ASSERT_THAT(this->Fork(id, "child", "dev"), IsOk());
  ASSERT_THAT(store.DeleteBranch(kTenantA, id, "dev"), IsOk());
  EXPECT_THAT(store.GetBranch(kTenantA, id, "dev"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->store_->GetContent(kTenantA, id, "dev", t), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(this->Location(id, "keep", t), "d");
  EXPECT_EQ(this->Location(id, "child", t), "d");
  EXPECT_EQ(this->Location(id, on_dev, t), "d");

  ASSERT_OK_AND_ASSIGN(Branch again, this->Fork(id, "dev"));  // the name is free again
  EXPECT_EQ(this->Location(id, "dev", t), "main");
  ASSERT_OK_AND_ASSIGN(auto branches, store.ListBranches(kTenantA, id, {}));
  std::vector<std::string> names;
  for (const auto& b : branches.items) names.push_back(b.name);
  EXPECT_THAT(names, ElementsAre("child", "dev", "main"));
}

TYPED_TEST(VersioningContract, HistoryFollowsFirstParentsAcrossTheFork) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey t = Table({}, "t");
  ASSERT_OK_AND_ASSIGN(std::string m1, this->Commit(id, {PutOp(t, TableContent("1"))}));
  ASSERT_OK_AND_ASSIGN(std::string m2, this->Commit(id, {PutOp(t, TableContent("2"))}));
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  ASSERT_OK_AND_ASSIGN(std::string m3, this->Commit(id, {PutOp(t, TableContent("3"))}));
  ASSERT_OK_AND_ASSIGN(std::string d1, this->CommitOn(id, "dev", {PutOp(t, TableContent("d1"))}));
  ASSERT_OK_AND_ASSIGN(std::string d2, this->CommitOn(id, "dev", {DeleteOp(t)}));

  for (size_t limit : {0, 1, 2, 3}) {
    std::vector<std::string> ids;
    PageRequest page{"", limit};
    while (true) {
      ASSERT_OK_AND_ASSIGN(auto history, store.ListCommits(kTenantA, id, "dev", page));
      for (const auto& c : history.items) ids.push_back(c.id);
      if (!history.next_token) break;
      page.token = *history.next_token;
    }
    EXPECT_THAT(ids, ElementsAre(d2, d1, m2, m1)) << "page size " << limit;
  }
  ASSERT_OK_AND_ASSIGN(auto at_tag, store.ListCommits(kTenantA, id, m2, {}));
  ASSERT_EQ(at_tag.items.size(), 2u);
  EXPECT_EQ(at_tag.items[0].id, m2);
  ASSERT_OK_AND_ASSIGN(CommitRecord d1_record, store.GetCommit(kTenantA, id, d1));
  EXPECT_EQ(d1_record.parent_id, m2);
  EXPECT_GT(d1_record.sequence, 0);
  ASSERT_OK_AND_ASSIGN(CommitRecord m3_record, store.GetCommit(kTenantA, id, m3));
  EXPECT_LT(m3_record.sequence, d1_record.sequence);
  EXPECT_THAT(store.GetCommit(kTenantA, id, NewUuid()), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(VersioningContract, PreconditionsOnABranchSeeInheritedEntries) {
  CatalogId id = this->NewCatalog();
  ContentKey ns = catalog::NamespaceKey({"db"});
  ContentKey t = Table({"db"}, "t");
  Content v1 = TableContent("v1");
  ASSERT_THAT(this->Commit(id, {PutOp(ns, NamespaceContent()), PutOp(t, v1)}), IsOk());
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  EXPECT_THAT(this->CommitOn(id, "dev", {DeleteOp(ns)},
                             {Precondition{Precondition::Kind::kNamespaceEmpty, ns, std::nullopt}}),
              IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(
      this->CommitOn(id, "dev", {PutOp(t, TableContent("v2"))},
                     {Precondition{Precondition::Kind::kEquals, t, v1},
                      Precondition{Precondition::Kind::kNamespaceExists, ns, std::nullopt}}),
      IsOk());
  EXPECT_THAT(this->CommitOn(id, "dev", {PutOp(t, TableContent("v3"))},
                             {Precondition{Precondition::Kind::kEquals, t, v1}}),
              IsError(ErrorCode::kCommitFailed));
  ASSERT_THAT(this->CommitOn(id, "dev", {DeleteOp(t)}), IsOk());
  EXPECT_THAT(this->CommitOn(id, "dev", {DeleteOp(ns)},
                             {Precondition{Precondition::Kind::kNamespaceEmpty, ns, std::nullopt}}),
              IsOk());
  EXPECT_EQ(this->Location(id, "main", t), "v1");
}

TYPED_TEST(VersioningContract, MergeParentIsRecordedAndMustExist) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ASSERT_THAT(this->Commit(id, {PutOp(Table({}, "t"), TableContent("1"))}), IsOk());
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  ASSERT_OK_AND_ASSIGN(std::string d1,
                       this->CommitOn(id, "dev", {PutOp(Table({}, "t"), TableContent("2"))}));
  CommitRequest merge;
  merge.operations = {PutOp(Table({}, "t"), TableContent("2"))};
  merge.merge_parent_id = NewUuid();
  EXPECT_THAT(store.Commit(kTenantA, id, merge), IsError(ErrorCode::kInvalidArgument));
  merge.merge_parent_id = d1;
  ASSERT_OK_AND_ASSIGN(std::string m, store.Commit(kTenantA, id, merge));
  ASSERT_OK_AND_ASSIGN(CommitRecord record, store.GetCommit(kTenantA, id, m));
  EXPECT_EQ(record.merge_parent_id, d1);
}

TYPED_TEST(VersioningContract, ReferencesAreTenantScoped) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ASSERT_THAT(this->Fork(id, "dev"), IsOk());
  EXPECT_THAT(store.GetBranch(kTenantB, id, "dev"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListBranches(kTenantB, id, {}), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.CreateBranch(kTenantB, id, NewBranch{"x"}), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteBranch(kTenantB, id, "dev"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListTags(kTenantB, id, {}), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ResolveRef(kTenantB, id, "dev"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListCommits(kTenantB, id, "main", {}), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(VersioningContract, BranchesAndTagsArePagedByName) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ASSERT_OK_AND_ASSIGN(std::string c1,
                       this->Commit(id, {PutOp(Table({}, "t"), TableContent("1"))}));
  for (const char* name : {"b3", "b1", "b2"}) {
    ASSERT_THAT(this->Fork(id, name), IsOk());
    ASSERT_THAT(store.CreateTag(kTenantA, id, std::string("t") + name, c1, 1), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto first, store.ListBranches(kTenantA, id, PageRequest{"", 2}));
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].name, "b1");
  ASSERT_TRUE(first.next_token);
  ASSERT_OK_AND_ASSIGN(auto rest,
                       store.ListBranches(kTenantA, id, PageRequest{*first.next_token, 2}));
  ASSERT_EQ(rest.items.size(), 2u);
  EXPECT_EQ(rest.items[1].name, "main");
  EXPECT_FALSE(rest.next_token);
  ASSERT_OK_AND_ASSIGN(auto tags, store.ListTags(kTenantA, id, PageRequest{"", 2}));
  ASSERT_EQ(tags.items.size(), 2u);
  EXPECT_EQ(tags.items[0].name, "tb1");
  EXPECT_TRUE(tags.next_token);
}

}  // namespace
}  // namespace pangolin::store::contract
