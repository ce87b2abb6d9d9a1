// Contract: the audit trail. Appends chain each tenant's entries (seq from 1, prev_hash, hash)
// with no gap even under concurrent appends; listings filter on every member, newest first with
// ties broken by id, and agree with counts; reads are confined to their tenant; a commit appends
// its audit entry atomically with the change. The SQLite file keeps the chain across a reopen,
// and an entry altered or removed behind the store's back is found by verification.
#include <sqlite3.h>

#include <algorithm>
#include <latch>
#include <thread>

#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using catalog::AuditResult;
using catalog::AuditVerification;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

std::vector<std::string> Ids(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& entry : entries) ids.push_back(entry.id);
  return ids;
}

// Checks `tenant`'s whole chain, read in pages of `page` entries.
AuditVerification VerifyChain(MetadataStore& store, const TenantId& tenant, size_t page = 3) {
  AuditVerification result;
  std::optional<AuditEntry> prev;
  while (true) {
    auto entries = store.ReadAuditChain(tenant, prev ? prev->seq : 0, page);
    if (!entries) {
      ADD_FAILURE() << entries.error().message;
      return result;
    }
    if (entries->empty()) return result;
    catalog::VerifyAuditEntries(*entries, prev, result);
    prev = entries->back();
  }
}

template <typename T>
class AuditContract : public StoreContract<T> {
 protected:
  AuditEntry Append(AuditEntry entry) {
    auto stored = this->store_->AppendAudit(std::move(entry));
    EXPECT_THAT(stored, IsOk());
    return stored.value_or(AuditEntry{});
  }
  std::vector<std::string> List(const std::optional<TenantId>& tenant, const AuditFilter& filter,
                                size_t offset = 0, size_t limit = 0) {
    auto entries = this->store_->ListAudit(tenant, filter, offset, limit);
    EXPECT_THAT(entries, IsOk());
    return Ids(entries.value_or(std::vector<AuditEntry>{}));
  }
  std::vector<AuditEntry> WholeChain(const TenantId& tenant) {
    auto chain = this->store_->ReadAuditChain(tenant, 0, 0);
    EXPECT_THAT(chain, IsOk());
    return chain.value_or(std::vector<AuditEntry>{});
  }
};
TYPED_TEST_SUITE(AuditContract, StoreFactories, FactoryNames);

TYPED_TEST(AuditContract, AppendChainsEachTenantFromSeqOne) {
  auto& store = *this->store_;
  std::vector<AuditEntry> given, stored;
  for (int i = 0; i < 5; ++i) {
    AuditEntry entry = MakeAuditEntry(i % 2 == 0 ? kTenantA : kTenantB, "create_table");
    entry.seq = 99;  // whatever the caller sets, the store assigns these
    entry.prev_hash = "bogus";
    entry.hash = "bogus";
    given.push_back(entry);
    stored.push_back(this->Append(entry));
  }
  std::vector<int64_t> seqs;
  for (const AuditEntry& e : stored) seqs.push_back(e.seq);
  EXPECT_THAT(seqs, ElementsAre(1, 1, 2, 2, 3));  // A, B, A, B, A
  for (size_t i = 0; i < stored.size(); ++i) {
    AuditEntry expected = given[i];
    expected.seq = stored[i].seq;
    expected.prev_hash = i < 2 ? "" : stored[i - 2].hash;
    expected.hash = catalog::AuditHash(expected);
    EXPECT_EQ(stored[i], expected) << i;
    EXPECT_THAT(store.GetAudit(stored[i].tenant_id, stored[i].id), Optional(stored[i]));
  }
  EXPECT_THAT(this->WholeChain(kTenantA), ElementsAre(stored[0], stored[2], stored[4]));
  EXPECT_THAT(this->WholeChain(kTenantB), ElementsAre(stored[1], stored[3]));
  for (const TenantId& tenant : {kTenantA, kTenantB}) {
    AuditVerification result = VerifyChain(store, tenant, 0);
    EXPECT_TRUE(result.valid) << result.reason;
    EXPECT_EQ(result.entries, tenant == kTenantA ? 3 : 2);
  }
}

// Every field is stored as given: optionals present (empty included) and absent, both results.
TYPED_TEST(AuditContract, EntriesRoundTripExactly) {
  auto& store = *this->store_;
  AuditEntry failed = MakeAuditEntry(kTenantA, "login_failed");
  failed.result = AuditResult::kFailure;
  failed.error_message = "Invalid credentials: \"ann\" \xE2\x9C\x97";
  failed.user_agent = "";
  AuditEntry bare = MakeAuditEntry(kTenantA, "bootstrap");
  bare.user_id.reset();
  bare.resource_id.reset();
  bare.ip_address.reset();
  bare.user_agent.reset();
  bare.username = "anonymous";
  bare.metadata_json.clear();
  for (const AuditEntry& entry : {failed, bare}) {
    AuditEntry stored = this->Append(entry);
    EXPECT_THAT(store.GetAudit(kTenantA, entry.id), Optional(stored));
    EXPECT_THAT(store.GetAudit(std::nullopt, entry.id), Optional(stored));
    AuditEntry expected = entry;
    expected.seq = stored.seq;
    expected.prev_hash = stored.prev_hash;
    expected.hash = stored.hash;
    EXPECT_EQ(stored, expected);
  }
  EXPECT_TRUE(VerifyChain(store, kTenantA).valid);
}

// 8 threads append 25 entries each to one tenant (and one to another): one gap-free valid chain.
TYPED_TEST(AuditContract, ConcurrentAppendsFormOneGapFreeChain) {
  auto& store = *this->store_;
  constexpr int kThreads = 8, kAppends = 25;
  std::latch start(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kAppends; ++i) {
        const TenantId& tenant = (t == 0 && i % 5 == 0) ? kTenantB : kTenantA;
        if (!store.AppendAudit(MakeAuditEntry(tenant, "write", 1700000000000 + i))) ++errors;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<AuditEntry> chain = this->WholeChain(kTenantA);
  ASSERT_EQ(chain.size(), static_cast<size_t>(kThreads * kAppends - kAppends / 5));
  for (size_t i = 0; i < chain.size(); ++i) EXPECT_EQ(chain[i].seq, static_cast<int64_t>(i + 1));
  AuditVerification result = VerifyChain(store, kTenantA, 16);
  EXPECT_TRUE(result.valid) << result.reason << " at " << result.first_bad_seq.value_or(0);
  EXPECT_EQ(result.entries, static_cast<int64_t>(chain.size()));
  EXPECT_TRUE(VerifyChain(store, kTenantB).valid);
  EXPECT_EQ(this->WholeChain(kTenantB).size(), static_cast<size_t>(kAppends / 5));
}

// 96 entries over two tenants vary every filtered field, with repeated times. Every combination
// of filter members (each set to a value some entries have) selects what catalog::Matches
// selects, newest first with ties broken by id, in one tenant and across tenants; counts agree.
TYPED_TEST(AuditContract, FiltersSelectOnEveryMemberAndCombination) {
  auto& store = *this->store_;
  std::vector<AuditEntry> all;
  for (int i = 0; i < 96; ++i) {
    AuditEntry e =
        MakeAuditEntry(i % 5 == 4 ? kTenantB : kTenantA,
                       (i / 3) % 2 == 0 ? "create_table" : "drop_table", 1000 + (i * 7) % 50);
    e.id = NewUuid();  // random: ties in time_ms are ordered by id, not by arrival
    e.user_id = std::vector<std::optional<std::string>>{"u1", "u2", std::nullopt}[i % 3];
    e.resource_type = (i / 6) % 2 == 0 ? "table" : "view";
    e.resource_id = (i / 12) % 2 == 0 ? std::optional<std::string>("r1") : std::nullopt;
    e.result = (i / 24) % 2 == 0 ? AuditResult::kSuccess : AuditResult::kFailure;
    all.push_back(this->Append(e));
  }
  auto expected = [&](const std::optional<TenantId>& tenant, const AuditFilter& filter) {
    std::vector<AuditEntry> matching;
    for (const AuditEntry& e : all) {
      if ((!tenant || e.tenant_id == *tenant) && catalog::Matches(filter, e)) matching.push_back(e);
    }
    std::sort(matching.begin(), matching.end(), [](const AuditEntry& a, const AuditEntry& b) {
      return std::tie(a.time_ms, a.id) > std::tie(b.time_ms, b.id);
    });
    return Ids(matching);
  };
  size_t nonempty = 0;
  for (int mask = 0; mask < 128; ++mask) {
    AuditFilter f;
    if (mask & 1) f.user_id = "u1";
    if (mask & 2) f.action = "create_table";
    if (mask & 4) f.resource_type = "table";
    if (mask & 8) f.resource_id = "r1";
    if (mask & 16) f.start_ms = 1010;
    if (mask & 32) f.end_ms = 1040;
    if (mask & 64) f.result = AuditResult::kSuccess;
    for (const std::optional<TenantId>& tenant :
         {std::optional(kTenantA), std::optional<TenantId>()}) {
      std::vector<std::string> want = expected(tenant, f);
      EXPECT_EQ(this->List(tenant, f), want) << "mask " << mask;
      EXPECT_THAT(store.CountAudit(tenant, f), Optional(want.size())) << "mask " << mask;
      nonempty += want.empty() ? 0 : 1;
    }
  }
  EXPECT_EQ(nonempty, 256u);  // every combination selects something: none passes vacuously
  // Values no entry has select nothing; so does an empty range.
  std::vector<AuditFilter> none(5);
  none[0].user_id = "u9";
  none[1].action = "create";
  none[2].resource_type = "Table";
  none[3].resource_id = "";
  none[4].start_ms = 1041;
  none[4].end_ms = 1040;
  for (const AuditFilter& f : none) {
    EXPECT_THAT(this->List(std::nullopt, f), IsEmpty());
    EXPECT_THAT(store.CountAudit(std::nullopt, f), Optional(0u));
  }
  AuditFilter failures;
  failures.result = AuditResult::kFailure;
  EXPECT_EQ(this->List(kTenantB, failures), expected(kTenantB, failures));
}

TYPED_TEST(AuditContract, ListsNewestFirstWithTiesBrokenById) {
  auto with_id = [](std::string id, int64_t time_ms) {
    AuditEntry e = MakeAuditEntry(kTenantA, "write", time_ms);
    e.id = std::move(id);
    return e;
  };
  for (auto [id, time] : std::vector<std::pair<const char*, int64_t>>{
           {"b", 5}, {"c", 5}, {"z", 1}, {"a", 5}, {"d", 9}, {"A", 5}}) {
    this->Append(with_id(id, time));
  }
  EXPECT_THAT(this->List(kTenantA, {}), ElementsAre("d", "c", "b", "a", "A", "z"));
  EXPECT_THAT(this->List(std::nullopt, {}), ElementsAre("d", "c", "b", "a", "A", "z"));
  // Appending order, not time, decides seq.
  std::vector<std::string> chain_ids = Ids(this->WholeChain(kTenantA));
  EXPECT_THAT(chain_ids, ElementsAre("b", "c", "z", "a", "d", "A"));
}

TYPED_TEST(AuditContract, OffsetAndLimitCutTheOrderedListing) {
  auto& store = *this->store_;
  for (int i = 0; i < 10; ++i) this->Append(MakeAuditEntry(kTenantA, "write", 100 + i % 4));
  this->Append(MakeAuditEntry(kTenantB, "write", 100));
  std::vector<std::string> all = this->List(kTenantA, {});
  ASSERT_EQ(all.size(), 10u);
  auto slice = [&](size_t from, size_t to) {
    return std::vector<std::string>(all.begin() + from, all.begin() + std::min(to, all.size()));
  };
  EXPECT_EQ(this->List(kTenantA, {}, 0, 3), slice(0, 3));
  EXPECT_EQ(this->List(kTenantA, {}, 3, 3), slice(3, 6));
  EXPECT_EQ(this->List(kTenantA, {}, 9, 3), slice(9, 10));
  EXPECT_EQ(this->List(kTenantA, {}, 4, 0), slice(4, 10));  // limit 0: all the rest
  EXPECT_THAT(this->List(kTenantA, {}, 10, 3), IsEmpty());
  EXPECT_THAT(this->List(kTenantA, {}, 1000, 0), IsEmpty());
  AuditFilter late;
  late.start_ms = 102;
  std::vector<std::string> late_all = this->List(kTenantA, late);
  ASSERT_EQ(late_all.size(), 4u);  // times 102 and 103
  EXPECT_EQ(this->List(kTenantA, late, 1, 2),
            std::vector<std::string>(late_all.begin() + 1, late_all.begin() + 3));
  EXPECT_THAT(store.CountAudit(kTenantA, late), Optional(4u));  // a count ignores paging
  EXPECT_EQ(this->List(std::nullopt, {}, 0, 11).size(), 11u);
}

TYPED_TEST(AuditContract, ReadsAreConfinedToTheirTenant) {
  auto& store = *this->store_;
  AuditEntry a = this->Append(MakeAuditEntry(kTenantA, "create_table"));
  AuditEntry b = this->Append(MakeAuditEntry(kTenantB, "drop_table"));
  EXPECT_THAT(store.GetAudit(kTenantB, a.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetAudit(kTenantA, b.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetAudit(kTenantA, a.id), Optional(a));
  EXPECT_THAT(store.GetAudit(std::nullopt, a.id), Optional(a));
  EXPECT_THAT(store.GetAudit(std::nullopt, b.id), Optional(b));
  EXPECT_THAT(store.GetAudit(std::nullopt, "no-such-entry"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->List(kTenantB, {}), ElementsAre(b.id));
  EXPECT_THAT(this->List(kTenantA, {}), ElementsAre(a.id));
  AuditFilter by_action;
  by_action.action = "create_table";
  EXPECT_THAT(this->List(kTenantB, by_action), IsEmpty());
  EXPECT_THAT(store.CountAudit(kTenantB, by_action), Optional(0u));
  EXPECT_THAT(store.CountAudit(kTenantB, {}), Optional(1u));
  EXPECT_THAT(store.CountAudit(std::nullopt, {}), Optional(2u));
  EXPECT_THAT(this->List(std::nullopt, {}).size(), 2u);
  EXPECT_THAT(this->WholeChain(kTenantB), ElementsAre(b));
  TenantId empty{NewUuid()};
  EXPECT_THAT(this->WholeChain(empty), IsEmpty());
  EXPECT_THAT(this->List(empty, {}), IsEmpty());
}

TYPED_TEST(AuditContract, ADuplicateIdIsRefusedAndLeavesTheChainAlone) {
  auto& store = *this->store_;
  AuditEntry first = this->Append(MakeAuditEntry(kTenantA, "create_table"));
  AuditEntry again = MakeAuditEntry(kTenantA, "drop_table");
  again.id = first.id;
  EXPECT_THAT(store.AppendAudit(again), IsError(ErrorCode::kAlreadyExists));
  again.tenant_id = kTenantB;  // ids are unique across tenants
  EXPECT_THAT(store.AppendAudit(again), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(this->WholeChain(kTenantA), ElementsAre(first));
  EXPECT_THAT(this->WholeChain(kTenantB), IsEmpty());
  EXPECT_EQ(this->Append(MakeAuditEntry(kTenantA, "write")).seq, 2);
}

TYPED_TEST(AuditContract, ReadAuditChainPagesAfterASeq) {
  auto& store = *this->store_;
  for (int i = 0; i < 7; ++i) this->Append(MakeAuditEntry(kTenantA, "write", 100 - i));
  auto seqs = [&](int64_t after, size_t limit) {
    std::vector<int64_t> out;
    auto chain = store.ReadAuditChain(kTenantA, after, limit);
    EXPECT_THAT(chain, IsOk());
    for (const AuditEntry& e : chain.value_or(std::vector<AuditEntry>{})) out.push_back(e.seq);
    return out;
  };
  EXPECT_THAT(seqs(0, 3), ElementsAre(1, 2, 3));
  EXPECT_THAT(seqs(3, 3), ElementsAre(4, 5, 6));
  EXPECT_THAT(seqs(6, 3), ElementsAre(7));
  EXPECT_THAT(seqs(7, 3), IsEmpty());
  EXPECT_THAT(seqs(2, 0), ElementsAre(3, 4, 5, 6, 7));  // limit 0: the rest of the chain
  EXPECT_THAT(seqs(100, 0), IsEmpty());
  AuditVerification result = VerifyChain(store, kTenantA, 2);
  EXPECT_TRUE(result.valid);
  EXPECT_EQ(result.entries, 7);
}

TYPED_TEST(AuditContract, CommitAppendsItsAuditEntryOnlyWhenItCommits) {
  auto& store = *this->store_;
  CatalogId catalog = this->NewCatalog();
  ContentKey key = Table({}, "t");
  AuditEntry before = this->Append(MakeAuditEntry(kTenantA, "login"));
  CommitRequest request;
  request.operations = {PutOp(key, TableContent("s3://b/t/1"))};
  request.preconditions = {{Precondition::Kind::kEquals, key, std::nullopt}};
  request.audit = MakeAuditEntry(kTenantA, "create_table");
  ASSERT_OK_AND_ASSIGN(std::string commit, store.Commit(kTenantA, catalog, request));
  ASSERT_OK_AND_ASSIGN(AuditEntry recorded, store.GetAudit(kTenantA, request.audit->id));
  EXPECT_EQ(recorded.seq, 2);
  EXPECT_EQ(recorded.prev_hash, before.hash);
  EXPECT_EQ(recorded.action, "create_table");
  // The same request again: its precondition no longer holds, so neither lands.
  request.audit = MakeAuditEntry(kTenantA, "create_table");
  EXPECT_THAT(store.Commit(kTenantA, catalog, request), IsError(ErrorCode::kCommitFailed));
  EXPECT_THAT(store.GetAudit(kTenantA, request.audit->id), IsError(ErrorCode::kNotFound));
  // An audit id already used fails the commit, which then changes nothing.
  request.preconditions.clear();
  request.operations = {PutOp(key, TableContent("s3://b/t/2"))};
  request.audit->id = recorded.id;
  EXPECT_THAT(store.Commit(kTenantA, catalog, request), IsError(ErrorCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(std::optional<Content> current, this->Get(catalog, key));
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->metadata_location, "s3://b/t/1");
  ASSERT_OK_AND_ASSIGN(auto history, store.ListCommits(kTenantA, catalog, "main", {}));
  EXPECT_THAT(history.items.size(), 1u);
  EXPECT_EQ(history.items[0].id, commit);
  // A commit on a branch that does not exist appends nothing either.
  request.branch = "no-such-branch";
  request.audit = MakeAuditEntry(kTenantA, "update_table");
  EXPECT_THAT(store.Commit(kTenantA, catalog, request), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->WholeChain(kTenantA), ElementsAre(before, recorded));
  // The chain goes on from the commit's entry.
  EXPECT_EQ(this->Append(MakeAuditEntry(kTenantA, "logout")).prev_hash, recorded.hash);
  EXPECT_TRUE(VerifyChain(store, kTenantA).valid);
}

// The SQLite file keeps every chain: a reopened store reads and continues them.
TEST(AuditSqliteContract, ChainsSurviveAReopen) {
  testing::TempDir dir;
  std::vector<AuditEntry> a_chain;
  AuditEntry b_entry;
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
    Catalog cat = MakeCatalog(kTenantA, "cat");
    ASSERT_THAT(store->CreateCatalog(cat), IsOk());
    for (int i = 0; i < 3; ++i) {
      ASSERT_OK_AND_ASSIGN(AuditEntry e, store->AppendAudit(MakeAuditEntry(kTenantA, "write")));
      a_chain.push_back(e);
    }
    ASSERT_OK_AND_ASSIGN(b_entry, store->AppendAudit(MakeAuditEntry(kTenantB, "login")));
    CommitRequest request;
    request.operations = {PutOp(Table({}, "t"), TableContent("s3://b/t"))};
    request.audit = MakeAuditEntry(kTenantA, "create_table");
    ASSERT_THAT(store->Commit(kTenantA, cat.id, request), IsOk());
    ASSERT_OK_AND_ASSIGN(AuditEntry committed, store->GetAudit(kTenantA, request.audit->id));
    a_chain.push_back(committed);
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
  EXPECT_THAT(store->ReadAuditChain(kTenantA, 0, 0), Optional(a_chain));
  EXPECT_THAT(store->ReadAuditChain(kTenantB, 0, 0), Optional(ElementsAre(b_entry)));
  ASSERT_OK_AND_ASSIGN(AuditEntry next, store->AppendAudit(MakeAuditEntry(kTenantA, "write")));
  EXPECT_EQ(next.seq, 5);
  EXPECT_EQ(next.prev_hash, a_chain.back().hash);
  AuditVerification result = VerifyChain(*store, kTenantA);
  EXPECT_TRUE(result.valid);
  EXPECT_EQ(result.entries, 5);
}

// Runs `sql` on its own connection to the store's file, as someone with file access could, and
// returns how many rows it changed.
int TamperWith(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  int changed = sqlite3_changes(db);
  sqlite3_close(db);
  return changed;
}

// Changing one stored field, or deleting an entry, is reported at that entry's seq (the one after
// a deleted one) — while the store stays open, and after a reopen.
TEST(AuditSqliteContract, VerificationFindsEntriesAlteredOrRemovedInTheFile) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(store->AppendAudit(MakeAuditEntry(kTenantA, "drop_table")), IsOk());
    ASSERT_THAT(store->AppendAudit(MakeAuditEntry(kTenantB, "drop_table")), IsOk());
  }
  ASSERT_TRUE(VerifyChain(*store, kTenantA).valid);
  std::filesystem::path file = dir.path() / "pangolin.db";
  EXPECT_EQ(TamperWith(file, "UPDATE audit_log SET action = 'read_table' WHERE tenant_id = '" +
                                 kTenantA.value + "' AND seq = 3"),
            1);
  EXPECT_EQ(TamperWith(file, "DELETE FROM audit_log WHERE tenant_id = '" + kTenantB.value +
                                 "' AND seq = 2"),
            1);
  for (int round = 0; round < 2; ++round) {
    AuditVerification a = VerifyChain(*store, kTenantA);
    EXPECT_FALSE(a.valid);
    EXPECT_EQ(a.first_bad_seq, 3);
    EXPECT_EQ(a.entries, 2);
    EXPECT_EQ(a.reason, "its content does not match its hash");
    AuditVerification b = VerifyChain(*store, kTenantB);
    EXPECT_FALSE(b.valid);
    EXPECT_EQ(b.first_bad_seq, 3);
    EXPECT_EQ(b.reason, "entries are missing before this one");
    store.reset();
    ASSERT_OK_AND_ASSIGN(store, SqliteFactory::Make(dir.path()));
  }
}

}  // namespace
}  // namespace pangolin::store::contract
