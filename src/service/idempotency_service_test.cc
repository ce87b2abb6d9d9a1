// IdempotencyService over the real in-memory store.
#include "service/idempotency_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "store/memory/memory_store.h"
#include "testing/matchers.h"

namespace pangolin::service {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;
using namespace std::chrono_literals;

constexpr char kKey[] = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
const store::StoredResponse kOk{200, "application/json", {{"ETag", "\"1\""}}, "{}"};

class IdempotencyServiceTest : public ::testing::Test {
 protected:
  IdempotencyServiceTest() : store_(std::move(*store::MakeMemoryStore())) {}

  IdempotencyService Make(IdempotencyOptions options = {}) {
    return IdempotencyService(*store_, clock_, options);
  }

  std::unique_ptr<store::MetadataStore> store_;
  ManualClock clock_{1700000000000};
  Context ctx_;
};

TEST_F(IdempotencyServiceTest, FinalResponsesAreReplayedOthersReleased) {
  auto service = Make();
  auto first = service.Begin(ctx_, kKey, "POST /a");
  ASSERT_THAT(first, IsOk());
  service.Finish(ctx_, std::get<IdempotencyService::Claim>(*first), kOk);
  auto replay = service.Begin(ctx_, "017F22E2-79B0-7CC3-98C4-DC0C0C07398F", "POST /a");
  ASSERT_THAT(replay, IsOk());
  EXPECT_EQ(std::get<store::StoredResponse>(*replay), kOk);  // keys compare case-insensitively
  EXPECT_THAT(service.Begin(ctx_, kKey, "POST /b"), IsError(ErrorCode::kUnprocessable));

  const char* other = "017f22e2-79b0-7cc3-98c4-dc0c0c07398e";
  auto failed = service.Begin(ctx_, other, "POST /a");
  ASSERT_THAT(failed, IsOk());
  service.Finish(ctx_, std::get<IdempotencyService::Claim>(*failed), {503, "", {}, "{}"});
  auto again = service.Begin(ctx_, other, "POST /a");  // a 5xx is not final: runs again
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(std::holds_alternative<IdempotencyService::Claim>(*again));
}

TEST_F(IdempotencyServiceTest, ExpiredKeysRunAgainAndBadKeysAreRefused) {
  auto service = Make({.lifetime = 1min});
  auto first = service.Begin(ctx_, kKey, "POST /a");
  ASSERT_THAT(first, IsOk());
  service.Finish(ctx_, std::get<IdempotencyService::Claim>(*first), kOk);
  clock_.Advance(61'000);
  auto later = service.Begin(ctx_, kKey, "POST /b");
  ASSERT_THAT(later, IsOk());
  EXPECT_TRUE(std::holds_alternative<IdempotencyService::Claim>(*later));
  EXPECT_THAT(service.Begin(ctx_, "not-a-uuid", "POST /a"), IsError(ErrorCode::kBadRequest));
  EXPECT_EQ(service.LifetimeIso8601(), "PT60S");
}

TEST_F(IdempotencyServiceTest, ARetryWaitsForTheFirstRequestOrTakesOverAnAbandonedClaim) {
  auto service = Make({.lease = 2min, .wait = 2s});
  auto first = service.Begin(ctx_, kKey, "POST /a");
  ASSERT_THAT(first, IsOk());
  std::thread finisher([&] {
    std::this_thread::sleep_for(100ms);
    service.Finish(ctx_, std::get<IdempotencyService::Claim>(*first), kOk);
  });
  auto waited = service.Begin(ctx_, kKey, "POST /a");
  finisher.join();
  ASSERT_THAT(waited, IsOk());
  EXPECT_EQ(std::get<store::StoredResponse>(*waited), kOk);

  const char* other = "017f22e2-79b0-7cc3-98c4-dc0c0c07398e";
  auto abandoned = service.Begin(ctx_, other, "POST /a");
  ASSERT_THAT(abandoned, IsOk());
  auto impatient = Make({.lease = 2min, .wait = 50ms});
  EXPECT_THAT(impatient.Begin(ctx_, other, "POST /a"), IsError(ErrorCode::kUnavailable));
  clock_.Advance(121'000);
  auto taken = service.Begin(ctx_, other, "POST /a");
  ASSERT_THAT(taken, IsOk());
  ASSERT_TRUE(std::holds_alternative<IdempotencyService::Claim>(*taken));
  // The abandoned claim can no longer record its answer.
  service.Finish(ctx_, std::get<IdempotencyService::Claim>(*abandoned), kOk);
  service.Finish(ctx_, std::get<IdempotencyService::Claim>(*taken), {204, "", {}, ""});
  auto replay = service.Begin(ctx_, other, "POST /a");
  ASSERT_THAT(replay, IsOk());
  EXPECT_EQ(std::get<store::StoredResponse>(*replay).status, 204);
}

TEST(IsoDurationTest, ParsesDaysHoursMinutesSeconds) {
  EXPECT_EQ(*ParseIsoDuration("PT30M"), 30min);
  EXPECT_EQ(*ParseIsoDuration("P1DT12H"), 36h);
  EXPECT_EQ(*ParseIsoDuration("PT90S"), 90s);
  EXPECT_EQ(*ParseIsoDuration("P2D"), 48h);
  for (const char* bad : {"", "P", "PT", "30M", "PT30", "P1H", "PTM", "PT0S", "PT1M2"}) {
    EXPECT_THAT(ParseIsoDuration(bad), IsError(ErrorCode::kInvalidArgument)) << bad;
  }
}

}  // namespace
}  // namespace pangolin::service
