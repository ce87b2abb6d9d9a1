// Contract: merge operations are stored losslessly per tenant, listed newest first, updated under
// optimistic concurrency, completed atomically with the merge commit and deleted with their
// catalog; and the namespace preconditions see the branch as the commit leaves it.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using catalog::ConflictResolution;
using catalog::ConflictType;
using catalog::MergeChange;
using catalog::MergeConflict;
using catalog::MergeSide;
using catalog::MergeStatus;
using catalog::ResolutionStrategy;
using ::pangolin::testing::IsErrorWithMessage;
using ::testing::ElementsAre;
using ::testing::Optional;

// Every field set, every enum away from its default, changes with and without a before/after.
MergeOperation FullOperation(const CatalogId& catalog, std::string id) {
  MergeOperation op;
  op.id = std::move(id);
  op.catalog_id = catalog;
  op.catalog_name = "cat";
  op.source_branch = "dev";
  op.target_branch = "main";
  op.base_commit_id = "c-base";
  op.source_commit_id = "c-source";
  op.target_commit_id = "c-target";
  op.status = MergeStatus::kConflicted;
  op.changes = {
      MergeChange{Table({"db"}, "new"), std::nullopt, TableContent("n1")},
      MergeChange{Table({"db"}, "gone"), TableContent("g1"), std::nullopt},
      MergeChange{catalog::NamespaceKey({"db"}), NamespaceContent("a"), NamespaceContent("b")}};
  MergeConflict resolved;
  resolved.id = NewUuid();
  resolved.type = ConflictType::kDeletionConflict;
  resolved.key = Table({"db"}, "t");
  resolved.description = "deleted on target, modified on source";
  resolved.base = TableContent("base");
  resolved.source = TableContent("source");
  resolved.items = {"p=1"};
  resolved.source_schema = R"({"type":"struct","fields":[]})";
  resolved.target_schema = "{}";
  resolved.deleted_in = MergeSide::kTarget;
  resolved.resolution =
      ConflictResolution{ResolutionStrategy::kTakeSource,
                         MergeChange{resolved.key, std::nullopt, TableContent("source")}, "ann", 9};
  resolved.created_ms = 8;
  MergeConflict open;
  open.id = NewUuid();
  open.type = ConflictType::kMetadataConflict;
  open.key = Table({"db"}, "p");
  open.target = ViewContent("v");
  op.conflicts = {resolved, open};
  op.initiated_by = "bob";
  op.initiated_ms = 1700000000000;
  op.completed_ms = 1700000000500;
  op.result_commit_id = "c-result";
  op.version = 7;  // ignored by create
  return op;
}

// Only what every operation has; every optional unset.
MergeOperation BareOperation(const CatalogId& catalog, std::string id, int64_t initiated_ms = 1) {
  MergeOperation op;
  op.id = std::move(id);
  op.catalog_id = catalog;
  op.source_branch = "dev";
  op.target_branch = "main";
  op.initiated_ms = initiated_ms;
  return op;
}

template <typename T>
class MergeContract : public StoreContract<T> {
 protected:
  MergeOperation Stored(std::string_view id) {
    auto got = this->store_->GetMergeOperation(kTenantA, id);
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : MergeOperation{};
  }
  // Ids of the catalog's operations, following every page of `limit`.
  std::vector<std::string> ListedIds(const CatalogId& catalog, size_t limit) {
    std::vector<std::string> ids;
    PageRequest page{"", limit};
    while (true) {
      auto listed = this->store_->ListMergeOperations(kTenantA, catalog, page);
      EXPECT_TRUE(listed) << listed.error().message;
      if (!listed) return ids;
      for (const auto& op : listed->items) ids.push_back(op.id);
      if (!listed->next_token) return ids;
      page.token = *listed->next_token;
    }
  }
  Result<std::string> CommitCompleting(const CatalogId& catalog, std::vector<Operation> ops,
                                       const MergeOperation& op,
                                       std::vector<Precondition> preconditions = {}) {
    CommitRequest request;
    request.operations = std::move(ops);
    request.preconditions = std::move(preconditions);
    request.completes_merge = op;
    request.author = "merger";
    request.message = "merge dev into main";
    return this->store_->Commit(kTenantA, catalog, request);
  }
};
TYPED_TEST_SUITE(MergeContract, StoreFactories, FactoryNames);

TYPED_TEST(MergeContract, CreateAndGetRoundTripEveryField) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  MergeOperation full = FullOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, full), IsOk());
  full.version = 1;  // a new operation starts at version 1
  EXPECT_EQ(this->Stored(full.id), full);

  MergeOperation bare = BareOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, bare), IsOk());
  bare.version = 1;
  EXPECT_EQ(this->Stored(bare.id), bare);
}

TYPED_TEST(MergeContract, CreateAndGetErrors) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  EXPECT_THAT(store.GetMergeOperation(kTenantA, NewUuid()), IsError(ErrorCode::kNotFound));
  MergeOperation op = BareOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, op), IsOk());
  EXPECT_THAT(store.CreateMergeOperation(kTenantA, op), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateMergeOperation(kTenantA, BareOperation(CatalogId{NewUuid()}, NewUuid())),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.CreateMergeOperation(kTenantB, BareOperation(id, NewUuid())),
              IsError(ErrorCode::kNotFound));  // the catalog is tenant A's
  EXPECT_THAT(store.CreateMergeOperation(kTenantA, BareOperation(id, "")),
              IsError(ErrorCode::kInvalidArgument));
}

TYPED_TEST(MergeContract, AnotherTenantCannotReadListOrUpdateIt) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  MergeOperation op = FullOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, op), IsOk());
  EXPECT_THAT(store.GetMergeOperation(kTenantB, op.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListMergeOperations(kTenantB, id, {}), IsError(ErrorCode::kNotFound));
  MergeOperation takeover = op;
  takeover.version = 1;
  takeover.status = MergeStatus::kAborted;
  EXPECT_THAT(store.UpdateMergeOperation(kTenantB, takeover), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(this->Stored(op.id).status, MergeStatus::kConflicted);
  // Tenant B's own catalog of the same name sees nothing of A's.
  CatalogId theirs = this->NewCatalog(kTenantB, "cat");
  ASSERT_OK_AND_ASSIGN(auto listed, store.ListMergeOperations(kTenantB, theirs, {}));
  EXPECT_TRUE(listed.items.empty());
}

TYPED_TEST(MergeContract, ListsNewestFirstInPages) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  CatalogId other = this->NewCatalog(kTenantA, "other");
  // Created out of time order; "c" and "d" share a time, so the later-created "d" comes first.
  for (auto [name, ms] : std::vector<std::pair<std::string, int64_t>>{
           {"b", 20}, {"e", 50}, {"a", 10}, {"c", 30}, {"d", 30}}) {
    ASSERT_THAT(store.CreateMergeOperation(kTenantA, BareOperation(id, name, ms)), IsOk());
  }
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, BareOperation(other, "x", 40)), IsOk());
  for (size_t limit : {0, 1, 2, 3, 5, 6}) {
    EXPECT_THAT(this->ListedIds(id, limit), ElementsAre("e", "d", "c", "b", "a"))
        << "page size " << limit;
  }
  ASSERT_OK_AND_ASSIGN(auto first, store.ListMergeOperations(kTenantA, id, PageRequest{"", 5}));
  EXPECT_EQ(first.items.size(), 5u);
  EXPECT_FALSE(first.next_token);  // no empty last page
  EXPECT_THAT(store.ListMergeOperations(kTenantA, id, PageRequest{"not a token!", 2}),
              IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(store.ListMergeOperations(kTenantA, CatalogId{NewUuid()}, {}),
              IsError(ErrorCode::kNotFound));
}

TYPED_TEST(MergeContract, UpdateRequiresTheStoredVersion) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  MergeOperation op = FullOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, op), IsOk());
  MergeOperation read = this->Stored(op.id);

  MergeOperation stale = read;
  stale.version = 0;
  stale.status = MergeStatus::kAborted;
  EXPECT_THAT(store.UpdateMergeOperation(kTenantA, stale), IsError(ErrorCode::kCommitFailed));
  EXPECT_EQ(this->Stored(op.id), read);

  MergeOperation next = read;
  next.status = MergeStatus::kReady;
  next.conflicts[1].resolution =
      ConflictResolution{ResolutionStrategy::kTakeTarget, std::nullopt, "carl", 11};
  next.completed_ms = std::nullopt;
  next.initiated_by = "mallory";  // initiation, catalog and id are kept as stored
  next.initiated_ms = 1;
  next.catalog_name = "renamed";
  ASSERT_OK_AND_ASSIGN(MergeOperation stored, store.UpdateMergeOperation(kTenantA, next));
  MergeOperation expected = next;
  expected.version = 2;
  expected.initiated_by = read.initiated_by;
  expected.initiated_ms = read.initiated_ms;
  expected.catalog_name = read.catalog_name;
  EXPECT_EQ(stored, expected);
  EXPECT_EQ(this->Stored(op.id), expected);
  EXPECT_THAT(store.UpdateMergeOperation(kTenantA, next), IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(store.UpdateMergeOperation(kTenantA, BareOperation(id, NewUuid())),
              IsError(ErrorCode::kNotFound));
}

TYPED_TEST(MergeContract, CommitCompletingAMergeStoresBothAtomically) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  ContentKey t = Table({}, "t");
  ASSERT_OK_AND_ASSIGN(std::string before, this->Commit(id, {PutOp(t, TableContent("v1"))}));
  MergeOperation op = FullOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, op), IsOk());
  MergeOperation done = this->Stored(op.id);
  done.status = MergeStatus::kCompleted;
  done.result_commit_id = std::nullopt;  // the store sets it

  Content v2 = TableContent("v2");
  ASSERT_OK_AND_ASSIGN(std::string merged, this->CommitCompleting(id, {PutOp(t, v2)}, done));
  EXPECT_THAT(this->Get(id, t), Optional(Optional(v2)));
  MergeOperation stored = this->Stored(op.id);
  EXPECT_EQ(stored.status, MergeStatus::kCompleted);
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.result_commit_id, merged);
  EXPECT_EQ(stored.conflicts, done.conflicts);

  // `done` still says version 1: the commit fails whole.
  done.status = MergeStatus::kAborted;
  EXPECT_THAT(this->CommitCompleting(id, {PutOp(t, TableContent("v3"))}, done),
              IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(this->Get(id, t), Optional(Optional(v2)));
  EXPECT_EQ(this->Stored(op.id), stored);
  ASSERT_OK_AND_ASSIGN(auto history, store.ListCommits(kTenantA, id, "main", {}));
  ASSERT_EQ(history.items.size(), 2u);
  EXPECT_EQ(history.items[0].id, merged);
  EXPECT_EQ(history.items[1].id, before);
}

TYPED_TEST(MergeContract, AFailedCommitLeavesTheOperationAlone) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  CatalogId other = this->NewCatalog(kTenantA, "other");
  ContentKey t = Table({}, "t");
  MergeOperation op = BareOperation(id, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, op), IsOk());
  MergeOperation read = this->Stored(op.id);
  MergeOperation done = read;
  done.status = MergeStatus::kCompleted;
  Precondition absent_is_v1{Precondition::Kind::kEquals, t, TableContent("v1")};
  EXPECT_THAT(this->CommitCompleting(id, {PutOp(t, TableContent("v2"))}, done, {absent_is_v1}),
              IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(this->CommitCompleting(other, {PutOp(t, TableContent("v2"))}, done),
              IsError(ErrorCode::kInvalidArgument));  // the operation merges another catalog
  EXPECT_THAT(this->CommitCompleting(id, {}, BareOperation(id, NewUuid())),
              IsError(ErrorCode::kNotFound));
  EXPECT_EQ(this->Stored(op.id), read);
  EXPECT_THAT(this->Get(id, t), Optional(std::optional<Content>()));
  EXPECT_THAT(this->Get(other, t), Optional(std::optional<Content>()));
}

TYPED_TEST(MergeContract, DeletingTheCatalogDeletesItsOperations) {
  auto& store = *this->store_;
  CatalogId id = this->NewCatalog();
  CatalogId kept = this->NewCatalog(kTenantA, "kept");
  MergeOperation gone = BareOperation(id, NewUuid());
  MergeOperation stays = BareOperation(kept, NewUuid());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, gone), IsOk());
  ASSERT_THAT(store.CreateMergeOperation(kTenantA, stays), IsOk());
  ASSERT_THAT(store.DeleteCatalog(kTenantA, "cat"), IsOk());
  EXPECT_THAT(store.GetMergeOperation(kTenantA, gone.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetMergeOperation(kTenantA, stays.id), IsOk());
  CatalogId again = this->NewCatalog(kTenantA, "cat");
  ASSERT_OK_AND_ASSIGN(auto listed, store.ListMergeOperations(kTenantA, again, {}));
  EXPECT_TRUE(listed.items.empty());
  gone.catalog_id = again;  // its id is free again
  EXPECT_THAT(store.CreateMergeOperation(kTenantA, gone), IsOk());
}

// --- namespace preconditions see the branch after the commit's operations ---

Precondition NamespaceEmpty(const ContentKey& ns) {
  return Precondition{Precondition::Kind::kNamespaceEmpty, ns, std::nullopt};
}
Precondition NamespaceExists(const ContentKey& ns) {
  return Precondition{Precondition::Kind::kNamespaceExists, ns, std::nullopt};
}

TYPED_TEST(MergeContract, NamespacePreconditionsSeeTheStateAfterTheCommit) {
  CatalogId id = this->NewCatalog();
  ContentKey a = catalog::NamespaceKey({"a"});
  ContentKey t = Table({"a"}, "t");
  // Created together with its first table.
  ASSERT_THAT(this->Commit(id, {PutOp(a, NamespaceContent()), PutOp(t, TableContent("l"))},
                           {NamespaceExists(a)}),
              IsOk());
  // Dropped together with everything in it.
  ASSERT_THAT(this->Commit(id, {DeleteOp(t), DeleteOp(a)}, {NamespaceEmpty(a)}), IsOk());
  EXPECT_THAT(this->Get(id, a), Optional(std::optional<Content>()));
  EXPECT_THAT(this->Get(id, t), Optional(std::optional<Content>()));
  // An empty namespace is no longer empty once the commit puts a table in it.
  ASSERT_THAT(this->Commit(id, {PutOp(a, NamespaceContent())}), IsOk());
  EXPECT_THAT(this->Commit(id, {PutOp(t, TableContent("l"))}, {NamespaceEmpty(a)}),
              IsErrorWithMessage(ErrorCode::kCommitFailed, "not empty"));
  // ... and no longer exists once the commit deletes it.
  EXPECT_THAT(this->Commit(id, {DeleteOp(a)}, {NamespaceExists(a)}),
              IsErrorWithMessage(ErrorCode::kCommitFailed, "does not exist"));
  EXPECT_THAT(this->Get(id, a), Optional(Optional(::testing::_)));
}

TYPED_TEST(MergeContract, NamespaceEmptyFailsWhileAChildRemains) {
  CatalogId id = this->NewCatalog();
  ContentKey a = catalog::NamespaceKey({"a"});
  ContentKey b = catalog::NamespaceKey({"a", "b"});
  std::vector<Operation> fill{PutOp(a, NamespaceContent()), PutOp(b, NamespaceContent())};
  for (const char* name : {"t1", "t2", "t3"}) {
    fill.push_back(PutOp(Table({"a"}, name), TableContent(name)));
  }
  ASSERT_THAT(this->Commit(id, fill), IsOk());
  auto drop_a_with = [&](std::vector<Operation> ops) {
    ops.push_back(DeleteOp(a));
    return this->Commit(id, std::move(ops), {NamespaceEmpty(a)});
  };
  std::vector<Operation> all_tables{DeleteOp(Table({"a"}, "t1")), DeleteOp(Table({"a"}, "t2")),
                                    DeleteOp(Table({"a"}, "t3"))};
  EXPECT_THAT(
      drop_a_with({DeleteOp(Table({"a"}, "t1")), DeleteOp(Table({"a"}, "t3")), DeleteOp(b)}),
      IsError(ErrorCode::kCommitFailed));                                   // t2 remains
  EXPECT_THAT(drop_a_with(all_tables), IsError(ErrorCode::kCommitFailed));  // b remains
  std::vector<Operation> readded = all_tables;
  readded.push_back(DeleteOp(b));
  readded.push_back(PutOp(Table({"a"}, "t2"), TableContent("again")));
  EXPECT_THAT(drop_a_with(readded), IsError(ErrorCode::kCommitFailed));  // the last op wins
  EXPECT_THAT(this->Get(id, a), Optional(Optional(::testing::_)));

  // A child put and deleted again within the commit is gone: the last operation wins.
  std::vector<Operation> everything = all_tables;
  everything.push_back(PutOp(Table({"a"}, "tmp"), TableContent("tmp")));
  everything.push_back(DeleteOp(Table({"a"}, "tmp")));
  everything.push_back(DeleteOp(b));
  EXPECT_THAT(drop_a_with(everything), IsOk());
  EXPECT_THAT(this->Get(id, a), Optional(std::optional<Content>()));
}

}  // namespace
}  // namespace pangolin::store::contract
