// Contract: an OAuth state is taken at most once (also by many concurrent takers), never after it
// expired (an expired record is deleted by the take), keys are unique and exact, payloads come
// back byte for byte, the purge deletes exactly the expired records, and (in the SQLite store)
// records are shared by every store on the file, taken once across them, and outlive the process.
#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::Eq;
using ::testing::Optional;

constexpr int64_t kNow = 1700000000000;
constexpr int64_t kLater = kNow + 600000;  // a live record's expiry

const std::optional<OAuthState> kNone;

OAuthState MakeState(std::string key, std::string payload, int64_t expires_ms = kLater) {
  return OAuthState{std::move(key), std::move(payload), expires_ms};
}

template <typename T>
class OAuthStateContract : public StoreContract<T> {};
TYPED_TEST_SUITE(OAuthStateContract, StoreFactories, FactoryNames);

TYPED_TEST(OAuthStateContract, ARecordIsTakenOnce) {
  auto& store = *this->store_;
  OAuthState state = MakeState("state-1", R"({"nonce":"n","verifier":"v"})");
  ASSERT_THAT(store.PutOAuthState(state), IsOk());
  EXPECT_THAT(store.TakeOAuthState("state-1", kNow), Optional(Eq(state)));
  EXPECT_THAT(store.TakeOAuthState("state-1", kNow), Optional(kNone));
  EXPECT_THAT(store.TakeOAuthState("never-put", kNow), Optional(kNone));
}

// A duplicate key is refused and leaves the first record as it was, even when that record has
// expired (the store cannot know: Put takes no time); once the key was taken it is free again.
TYPED_TEST(OAuthStateContract, ADuplicateKeyIsRefused) {
  auto& store = *this->store_;
  OAuthState first = MakeState("dup", "first");
  ASSERT_THAT(store.PutOAuthState(first), IsOk());
  EXPECT_THAT(store.PutOAuthState(MakeState("dup", "second")), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.PutOAuthState(MakeState("dup", "first", kLater + 1)),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.TakeOAuthState("dup", kNow), Optional(Eq(first)));
  OAuthState again = MakeState("dup", "again");
  ASSERT_THAT(store.PutOAuthState(again), IsOk());
  EXPECT_THAT(store.TakeOAuthState("dup", kNow), Optional(Eq(again)));

  ASSERT_THAT(store.PutOAuthState(MakeState("stale", "old", kNow - 1)), IsOk());
  EXPECT_THAT(store.PutOAuthState(MakeState("stale", "new")), IsError(ErrorCode::kAlreadyExists));
}

// expires_ms <= now is expired: the take answers nullopt and deletes the record, so a purge finds
// nothing and the key can be put again. One millisecond earlier the same record is returned.
TYPED_TEST(OAuthStateContract, AnExpiredRecordIsNotReturnedAndIsGone) {
  auto& store = *this->store_;
  ASSERT_THAT(store.PutOAuthState(MakeState("expired", "p", kNow)), IsOk());
  ASSERT_THAT(store.PutOAuthState(MakeState("long-expired", "p", kNow - 60000)), IsOk());
  OAuthState live = MakeState("live", "p", kNow + 1);
  ASSERT_THAT(store.PutOAuthState(live), IsOk());
  EXPECT_THAT(store.TakeOAuthState("expired", kNow), Optional(kNone));
  EXPECT_THAT(store.TakeOAuthState("long-expired", kNow), Optional(kNone));
  EXPECT_THAT(store.TakeOAuthState("live", kNow), Optional(Eq(live)));
  EXPECT_THAT(store.PurgeOAuthStates(kLater), Optional(size_t{0}));
  EXPECT_THAT(store.TakeOAuthState("expired", kNow - 1), Optional(kNone));
  OAuthState fresh = MakeState("expired", "fresh");
  ASSERT_THAT(store.PutOAuthState(fresh), IsOk());
  EXPECT_THAT(store.TakeOAuthState("expired", kNow), Optional(Eq(fresh)));
}

// Keys match exactly (no prefix, case or padding folding); payloads are opaque bytes, empty or
// binary included.
TYPED_TEST(OAuthStateContract, KeysAreExactAndPayloadsOpaque) {
  auto& store = *this->store_;
  constexpr char kBinary[] = "\0\x01\xff{\"k\":\"v\"}\n\t";
  std::vector<OAuthState> states = {
      MakeState("abc", "lower"),
      MakeState("ABC", "upper"),
      MakeState("abc ", "padded"),
      MakeState("ab", ""),
      MakeState("abcd", std::string(kBinary, sizeof(kBinary) - 1)),
  };
  for (const auto& state : states) ASSERT_THAT(store.PutOAuthState(state), IsOk());
  EXPECT_THAT(store.TakeOAuthState("", kNow), Optional(kNone));
  EXPECT_THAT(store.TakeOAuthState("a", kNow), Optional(kNone));
  for (auto it = states.rbegin(); it != states.rend(); ++it) {
    EXPECT_THAT(store.TakeOAuthState(it->key, kNow), Optional(Eq(*it))) << it->key;
  }
  EXPECT_THAT(store.PurgeOAuthStates(kLater), Optional(size_t{0}));
}

// 8 threads take every one of 40 keys, released together: each key is taken exactly once, with
// its own payload, and every other take answers nullopt (not an error).
TYPED_TEST(OAuthStateContract, ConcurrentTakesGetARecordExactlyOnce) {
  auto& store = *this->store_;
  constexpr int kThreads = 8;
  constexpr int kKeys = 40;
  for (int k = 0; k < kKeys; ++k) {
    std::string key = "race-" + std::to_string(k);
    ASSERT_THAT(store.PutOAuthState(MakeState(key, "payload of " + key)), IsOk());
  }
  std::mutex mu;
  std::map<std::string, int> taken;  // key -> how many takes got it
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int k = 0; k < kKeys; ++k) {
        std::string key = "race-" + std::to_string(k);
        auto state = store.TakeOAuthState(key, kNow);
        ASSERT_THAT(state, IsOk());
        if (!*state) continue;
        EXPECT_EQ((*state)->payload, "payload of " + key);
        std::lock_guard lock(mu);
        ++taken[key];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(taken.size(), size_t{kKeys});
  for (const auto& [key, count] : taken) EXPECT_EQ(count, 1) << key;
}

TYPED_TEST(OAuthStateContract, PurgeDeletesExactlyTheExpiredRecords) {
  auto& store = *this->store_;
  EXPECT_THAT(store.PurgeOAuthStates(kNow), Optional(size_t{0}));  // an empty store
  ASSERT_THAT(store.PutOAuthState(MakeState("a", "p", kNow - 10)), IsOk());
  ASSERT_THAT(store.PutOAuthState(MakeState("b", "p", kNow)), IsOk());
  OAuthState c = MakeState("c", "p", kNow + 1);
  OAuthState d = MakeState("d", "p", kLater);
  ASSERT_THAT(store.PutOAuthState(c), IsOk());
  ASSERT_THAT(store.PutOAuthState(d), IsOk());
  EXPECT_THAT(store.PurgeOAuthStates(kNow - 11), Optional(size_t{0}));  // none expired yet
  // expires_ms == now is expired: exactly "a" and "b" go.
  EXPECT_THAT(store.PurgeOAuthStates(kNow), Optional(size_t{2}));
  EXPECT_THAT(store.PurgeOAuthStates(kNow), Optional(size_t{0}));
  // Purged keys are free again; the live records are untouched (a take before expiry gets them).
  ASSERT_THAT(store.PutOAuthState(MakeState("a", "p", kLater)), IsOk());
  EXPECT_THAT(store.TakeOAuthState("c", kNow - 10), Optional(Eq(c)));
  EXPECT_THAT(store.PurgeOAuthStates(kLater), Optional(size_t{2}));  // "a" again, and "d"
  EXPECT_THAT(store.TakeOAuthState("d", kNow), Optional(kNone));
  EXPECT_THAT(store.TakeOAuthState("a", kNow), Optional(kNone));
}

// The SQLite store keeps its records in the file: a record put through one store is taken once
// through any store on the file, and kept across a reopen.
TEST(OAuthStateSqliteContract, RecordsAreSharedAndSurviveReopeningTheFile) {
  testing::TempDir dir;
  OAuthState kept = MakeState("kept", R"({"verifier":"v1"})");
  OAuthState shared = MakeState("shared", "s");
  {
    ASSERT_OK_AND_ASSIGN(auto first, SqliteFactory::Make(dir.path()));
    ASSERT_OK_AND_ASSIGN(auto second, SqliteFactory::Make(dir.path()));
    ASSERT_THAT(first->PutOAuthState(kept), IsOk());
    ASSERT_THAT(first->PutOAuthState(shared), IsOk());
    ASSERT_THAT(first->PutOAuthState(MakeState("expiring", "e", kNow)), IsOk());
    EXPECT_THAT(second->PutOAuthState(MakeState("kept", "x")), IsError(ErrorCode::kAlreadyExists));
    EXPECT_THAT(second->TakeOAuthState("shared", kNow), Optional(Eq(shared)));
    EXPECT_THAT(first->TakeOAuthState("shared", kNow), Optional(kNone));
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
  EXPECT_THAT(store->PurgeOAuthStates(kNow), Optional(size_t{1}));  // "expiring"
  EXPECT_THAT(store->TakeOAuthState("kept", kNow), Optional(Eq(kept)));
  EXPECT_THAT(store->TakeOAuthState("kept", kNow), Optional(kNone));
  EXPECT_THAT(store->TakeOAuthState("shared", kNow), Optional(kNone));
}

// Two stores on one file (as two servers would be), 4 threads on each, race for every key: each
// key is still taken exactly once.
TEST(OAuthStateSqliteContract, StoresOnOneFileTakeARecordOnce) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto first, SqliteFactory::Make(dir.path()));
  ASSERT_OK_AND_ASSIGN(auto second, SqliteFactory::Make(dir.path()));
  constexpr int kThreads = 8;
  constexpr int kKeys = 20;
  for (int k = 0; k < kKeys; ++k) {
    ASSERT_THAT(first->PutOAuthState(MakeState("k" + std::to_string(k), "p")), IsOk());
  }
  std::atomic<int> taken{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    MetadataStore* store = t % 2 == 0 ? first.get() : second.get();
    threads.emplace_back([&, store] {
      start.arrive_and_wait();
      for (int k = 0; k < kKeys; ++k) {
        auto state = store->TakeOAuthState("k" + std::to_string(k), kNow);
        ASSERT_THAT(state, IsOk());
        if (*state) ++taken;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(taken.load(), kKeys);
}

}  // namespace
}  // namespace pangolin::store::contract
