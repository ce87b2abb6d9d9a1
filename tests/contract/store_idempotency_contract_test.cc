// Contract: Idempotency-Key records are claimed once per tenant and key, keep the final response
// of their claim, can be released for a retry, taken over only by naming the unfinished claim,
// claimed afresh after expiry, and purged when expired.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::Optional;

constexpr int64_t kNow = 1700000000000;

IdempotencyRecord Claim(std::string key, std::string claim_id, int64_t expires_ms = kNow + 60000) {
  return IdempotencyRecord{std::move(key), "POST /v1/x", std::move(claim_id),
                           kNow,           expires_ms,   std::nullopt};
}

const StoredResponse kResponse{200, "application/json", {{"ETag", "\"e1\""}}, R"({"a":1})"};

template <typename T>
class IdempotencyContract : public StoreContract<T> {};
TYPED_TEST_SUITE(IdempotencyContract, StoreFactories, FactoryNames);

TYPED_TEST(IdempotencyContract, FirstClaimWinsAndItsResponseIsKept) {
  auto& store = *this->store_;
  EXPECT_THAT(store.ClaimIdempotencyKey(kTenantA, Claim("k", "c1"), kNow, std::nullopt),
              Optional(std::optional<IdempotencyRecord>()));
  auto second = store.ClaimIdempotencyKey(kTenantA, Claim("k", "c2"), kNow, std::nullopt);
  ASSERT_THAT(second, IsOk());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ(**second, Claim("k", "c1"));  // in progress: no response yet
  ASSERT_THAT(store.FinishIdempotencyKey(kTenantA, "k", "c1", kResponse), IsOk());
  auto done = store.ClaimIdempotencyKey(kTenantA, Claim("k", "c3"), kNow, std::nullopt);
  ASSERT_THAT(done, IsOk());
  ASSERT_TRUE(done->has_value());
  EXPECT_EQ((*done)->response, kResponse);
  EXPECT_EQ((*done)->claim_id, "c1");
  // A finished record cannot be taken over, and finishing it again changes nothing.
  auto takeover = store.ClaimIdempotencyKey(kTenantA, Claim("k", "c4"), kNow, std::string("c1"));
  ASSERT_THAT(takeover, IsOk());
  EXPECT_TRUE(takeover->has_value());
  ASSERT_THAT(store.FinishIdempotencyKey(kTenantA, "k", "c1", std::nullopt), IsOk());
  auto still = store.ClaimIdempotencyKey(kTenantA, Claim("k", "c5"), kNow, std::nullopt);
  ASSERT_THAT(still, IsOk());
  EXPECT_EQ((*still)->response, kResponse);
}

TYPED_TEST(IdempotencyContract, KeysAreScopedByTenant) {
  auto& store = *this->store_;
  ASSERT_THAT(store.ClaimIdempotencyKey(kTenantA, Claim("k", "a"), kNow, std::nullopt),
              Optional(std::optional<IdempotencyRecord>()));
  EXPECT_THAT(store.ClaimIdempotencyKey(kTenantB, Claim("k", "b"), kNow, std::nullopt),
              Optional(std::optional<IdempotencyRecord>()));
  ASSERT_THAT(store.FinishIdempotencyKey(kTenantB, "k", "a", kResponse), IsOk());  // not B's claim
  auto a = store.ClaimIdempotencyKey(kTenantA, Claim("k", "x"), kNow, std::nullopt);
  ASSERT_THAT(a, IsOk());
  EXPECT_FALSE((*a)->response.has_value());
}

TYPED_TEST(IdempotencyContract, ReleasedTakenOverAndExpiredClaimsCanBeClaimedAgain) {
  auto& store = *this->store_;
  ASSERT_THAT(store.ClaimIdempotencyKey(kTenantA, Claim("k", "c1"), kNow, std::nullopt), IsOk());
  ASSERT_THAT(store.FinishIdempotencyKey(kTenantA, "k", "c1", std::nullopt), IsOk());  // release
  EXPECT_THAT(store.ClaimIdempotencyKey(kTenantA, Claim("k", "c2"), kNow, std::nullopt),
              Optional(std::optional<IdempotencyRecord>()));
  // Taking over needs the current claim's id; the old claim can no longer finish.
  auto wrong = store.ClaimIdempotencyKey(kTenantA, Claim("k", "c3"), kNow, std::string("c1"));
  ASSERT_THAT(wrong, IsOk());
  EXPECT_TRUE(wrong->has_value());
  EXPECT_THAT(store.ClaimIdempotencyKey(kTenantA, Claim("k", "c3"), kNow, std::string("c2")),
              Optional(std::optional<IdempotencyRecord>()));
  ASSERT_THAT(store.FinishIdempotencyKey(kTenantA, "k", "c2", kResponse), IsOk());
  auto current = store.ClaimIdempotencyKey(kTenantA, Claim("k", "c4"), kNow, std::nullopt);
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ((*current)->claim_id, "c3");
  EXPECT_FALSE((*current)->response.has_value());
  // Once expired, anyone may claim it.
  EXPECT_THAT(store.ClaimIdempotencyKey(kTenantA, Claim("k", "c5"), kNow + 60000, std::nullopt),
              Optional(std::optional<IdempotencyRecord>()));
}

TYPED_TEST(IdempotencyContract, PurgeDeletesOnlyExpiredRecords) {
  auto& store = *this->store_;
  ASSERT_THAT(
      store.ClaimIdempotencyKey(kTenantA, Claim("old", "c1", kNow + 10), kNow, std::nullopt),
      IsOk());
  ASSERT_THAT(
      store.ClaimIdempotencyKey(kTenantB, Claim("new", "c2", kNow + 1000), kNow, std::nullopt),
      IsOk());
  EXPECT_THAT(store.PurgeIdempotencyKeys(kNow + 10), Optional(size_t{1}));
  auto kept = store.ClaimIdempotencyKey(kTenantB, Claim("new", "c3"), kNow, std::nullopt);
  ASSERT_THAT(kept, IsOk());
  EXPECT_TRUE(kept->has_value());
  EXPECT_THAT(store.PurgeIdempotencyKeys(kNow + 10), Optional(size_t{0}));
}

}  // namespace
}  // namespace pangolin::store::contract
