// Contract: rate-limit counters count per key and per window independently, count every one of
// many concurrent hits exactly once, read 0 when absent, are purged exactly when expired, and (in
// the SQLite store) outlive the process.
#include <algorithm>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::Optional;

constexpr int64_t kWindow = 1700000000000;  // a window's start
constexpr int64_t kNext = kWindow + 60000;  // the next window's start
constexpr int64_t kExpires = kWindow + 120000;

template <typename T>
class RateLimitContract : public StoreContract<T> {};
TYPED_TEST_SUITE(RateLimitContract, StoreFactories, FactoryNames);

TYPED_TEST(RateLimitContract, CountsPerKeyAndPerWindowIndependently) {
  auto& store = *this->store_;
  EXPECT_THAT(store.AddHit("ip:10.0.0.1", kWindow, kExpires), Optional(int64_t{1}));
  EXPECT_THAT(store.AddHit("ip:10.0.0.1", kWindow, kExpires), Optional(int64_t{2}));
  EXPECT_THAT(store.AddHit("ip:10.0.0.1", kWindow, kExpires), Optional(int64_t{3}));
  // Another window of the key, and other keys (one a prefix of it), start from 1.
  EXPECT_THAT(store.AddHit("ip:10.0.0.1", kNext, kExpires), Optional(int64_t{1}));
  EXPECT_THAT(store.AddHit("ip:10.0.0.10", kWindow, kExpires), Optional(int64_t{1}));
  EXPECT_THAT(store.AddHit("ip:10.0.0.", kWindow, kExpires), Optional(int64_t{1}));
  EXPECT_THAT(store.AddHit("account:t1/ann", kWindow, kExpires), Optional(int64_t{1}));
  EXPECT_THAT(store.AddHit("account:t1/ann", kWindow, kExpires), Optional(int64_t{2}));
  EXPECT_THAT(store.CountHits("ip:10.0.0.1", kWindow), Optional(int64_t{3}));
  EXPECT_THAT(store.CountHits("ip:10.0.0.1", kNext), Optional(int64_t{1}));
  EXPECT_THAT(store.CountHits("ip:10.0.0.10", kWindow), Optional(int64_t{1}));
  EXPECT_THAT(store.CountHits("account:t1/ann", kWindow), Optional(int64_t{2}));
  // Counting reads only: it counts no hit.
  EXPECT_THAT(store.CountHits("ip:10.0.0.1", kWindow), Optional(int64_t{3}));
}

TYPED_TEST(RateLimitContract, UnknownKeysAndWindowsCountZero) {
  auto& store = *this->store_;
  EXPECT_THAT(store.CountHits("ip:192.0.2.1", kWindow), Optional(int64_t{0}));
  EXPECT_THAT(store.CountHits("", 0), Optional(int64_t{0}));
  ASSERT_THAT(store.AddHit("ip:192.0.2.1", kWindow, kExpires), IsOk());
  EXPECT_THAT(store.CountHits("ip:192.0.2.1", kNext), Optional(int64_t{0}));
  EXPECT_THAT(store.CountHits("ip:192.0.2.2", kWindow), Optional(int64_t{0}));
}

// 8 threads x 50 hits on one counter: 400, and the returned counts are exactly 1..400, each once
// (no two hits saw the same count).
TYPED_TEST(RateLimitContract, ConcurrentHitsAreAllCounted) {
  auto& store = *this->store_;
  constexpr int kThreads = 8;
  constexpr int kHits = 50;
  std::mutex mu;
  std::vector<int64_t> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kHits; ++i) {
        auto count = store.AddHit("ip:198.51.100.7", kWindow, kExpires);
        ASSERT_THAT(count, IsOk());
        std::lock_guard lock(mu);
        seen.push_back(*count);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(store.CountHits("ip:198.51.100.7", kWindow), Optional(int64_t{kThreads * kHits}));
  std::sort(seen.begin(), seen.end());
  std::vector<int64_t> expected(kThreads * kHits);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(seen, expected);
}

TYPED_TEST(RateLimitContract, PurgeDeletesExactlyTheExpiredCounters) {
  auto& store = *this->store_;
  ASSERT_THAT(store.AddHit("a", kWindow, kWindow + 10), IsOk());
  ASSERT_THAT(store.AddHit("a", kWindow, kWindow + 10), IsOk());
  ASSERT_THAT(store.AddHit("b", kWindow, kWindow + 20), IsOk());
  ASSERT_THAT(store.AddHit("a", kNext, kNext + 10), IsOk());
  EXPECT_THAT(store.PurgeRateLimits(kWindow + 9), Optional(size_t{0}));  // none expired yet
  EXPECT_THAT(store.CountHits("a", kWindow), Optional(int64_t{2}));
  // expires_ms == now is expired: exactly ("a", kWindow) goes.
  EXPECT_THAT(store.PurgeRateLimits(kWindow + 10), Optional(size_t{1}));
  EXPECT_THAT(store.CountHits("a", kWindow), Optional(int64_t{0}));
  EXPECT_THAT(store.CountHits("b", kWindow), Optional(int64_t{1}));
  EXPECT_THAT(store.CountHits("a", kNext), Optional(int64_t{1}));
  EXPECT_THAT(store.PurgeRateLimits(kWindow + 10), Optional(size_t{0}));
  // A purged window counts afresh.
  EXPECT_THAT(store.AddHit("a", kWindow, kWindow + 30), Optional(int64_t{1}));
  EXPECT_THAT(store.PurgeRateLimits(kNext + 10), Optional(size_t{3}));
  EXPECT_THAT(store.CountHits("a", kWindow), Optional(int64_t{0}));
  EXPECT_THAT(store.CountHits("b", kWindow), Optional(int64_t{0}));
  EXPECT_THAT(store.CountHits("a", kNext), Optional(int64_t{0}));
}

// Each hit's own expires_ms holds: a later hit with a later expiry keeps the counter (and its
// earlier hits) past the first hit's expiry; an earlier expiry never shortens it.
TYPED_TEST(RateLimitContract, AHitNeverShortensItsCounterLife) {
  auto& store = *this->store_;
  ASSERT_THAT(store.AddHit("k", kWindow, kWindow + 10), IsOk());
  ASSERT_THAT(store.AddHit("k", kWindow, kWindow + 50), IsOk());
  ASSERT_THAT(store.AddHit("k", kWindow, kWindow + 5), IsOk());
  EXPECT_THAT(store.PurgeRateLimits(kWindow + 49), Optional(size_t{0}));
  EXPECT_THAT(store.CountHits("k", kWindow), Optional(int64_t{3}));
  EXPECT_THAT(store.PurgeRateLimits(kWindow + 50), Optional(size_t{1}));
  EXPECT_THAT(store.CountHits("k", kWindow), Optional(int64_t{0}));
}

// The SQLite store keeps its counters in the file: shared by every store on it, and kept across
// a reopen.
TEST(RateLimitSqliteContract, CountersAreSharedAndSurviveReopeningTheFile) {
  testing::TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto first, SqliteFactory::Make(dir.path()));
    ASSERT_OK_AND_ASSIGN(auto second, SqliteFactory::Make(dir.path()));
    ASSERT_THAT(first->AddHit("ip:10.0.0.1", kWindow, kExpires), IsOk());
    EXPECT_THAT(second->AddHit("ip:10.0.0.1", kWindow, kExpires), Optional(int64_t{2}));
    ASSERT_THAT(first->AddHit("ip:10.0.0.1", kNext, kNext + 10), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
  EXPECT_THAT(store->CountHits("ip:10.0.0.1", kWindow), Optional(int64_t{2}));
  EXPECT_THAT(store->CountHits("ip:10.0.0.1", kNext), Optional(int64_t{1}));
  EXPECT_THAT(store->AddHit("ip:10.0.0.1", kWindow, kExpires), Optional(int64_t{3}));
  EXPECT_THAT(store->PurgeRateLimits(kNext + 10), Optional(size_t{1}));
  EXPECT_THAT(store->CountHits("ip:10.0.0.1", kWindow), Optional(int64_t{3}));
}

}  // namespace
}  // namespace pangolin::store::contract
