// Service-account assertions (checked with the public key), their exchange against a scripted
// token endpoint, and the refresh timing of token sources on a manual clock.
#include "storage/gcs/service_account.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "serde/gcs.h"
#include "storage/gcs/test_support_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage::gcs {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;
using namespace ::pangolin::storage::gcs_testing;

constexpr std::string_view kTokenUri = "https://oauth2.example.test/token";

class ServiceAccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = GenerateRsaKey();
    ASSERT_TRUE(key_);
    ASSERT_OK_AND_ASSIGN(
        ServiceAccount account,
        ServiceAccount::FromJson(KeyFileJson(PrivateKeyPem(key_.get()), std::string(kTokenUri))));
    account_ = std::make_unique<ServiceAccount>(std::move(account));
  }

  // Checks the assertion's signature with the public key and returns its claims.
  serde::GcsJwtClaims CheckAssertion(const std::string& jwt) {
    std::vector<std::string> parts = Split(jwt, ".");
    EXPECT_EQ(parts.size(), 3u);
    if (parts.size() != 3) return {};
    EXPECT_EQ(Base64UrlDecode(parts[0]), R"({"alg":"RS256","typ":"JWT","kid":"kid-1"})");
    auto signature = Base64UrlDecode(parts[2]);
    EXPECT_TRUE(signature && VerifyRs256(key_.get(), parts[0] + "." + parts[1], *signature));
    auto claims = serde::ParseGcsJwtClaims(Base64UrlDecode(parts[1]).value_or(""));
    EXPECT_TRUE(claims);
    return claims.value_or(serde::GcsJwtClaims{});
  }

  TestKey key_;
  std::unique_ptr<ServiceAccount> account_;
};

TEST_F(ServiceAccountTest, ReadsTheKeyFile) {
  EXPECT_EQ(account_->email(), "sa@proj.iam.gserviceaccount.com");
  EXPECT_EQ(account_->key_id(), "kid-1");
  EXPECT_EQ(account_->project_id(), "proj");
  EXPECT_EQ(account_->token_uri(), kTokenUri);
  std::string pem = PrivateKeyPem(key_.get());
  ASSERT_OK_AND_ASSIGN(ServiceAccount no_uri, ServiceAccount::FromJson(KeyFileJson(pem, "")));
  EXPECT_EQ(no_uri.token_uri(), kDefaultTokenUri);
}

TEST_F(ServiceAccountTest, AssertionVerifiesWithThePublicKeyAndCarriesTheClaims) {
  ASSERT_OK_AND_ASSIGN(std::string jwt, account_->SignAssertion(kScopeReadWrite, 1'700'000'000));
  serde::GcsJwtClaims claims = CheckAssertion(jwt);
  EXPECT_EQ(claims.issuer, "sa@proj.iam.gserviceaccount.com");
  EXPECT_EQ(claims.scope, "https://www.googleapis.com/auth/devstorage.read_write");
  EXPECT_EQ(claims.audience, kTokenUri);
  EXPECT_EQ(claims.issued_at, 1'700'000'000);
  EXPECT_EQ(claims.expires_at, 1'700'003'600);

  ASSERT_OK_AND_ASSIGN(std::string longer, account_->SignAssertion(kScopeReadOnly, 10, 86'400));
  EXPECT_EQ(CheckAssertion(longer).expires_at, 10 + 3600);  // Google allows an hour at most

  std::vector<std::string> parts = Split(jwt, ".");
  std::string forged = Base64UrlEncode(R"({"iss":"other@proj"})");
  EXPECT_FALSE(
      VerifyRs256(key_.get(), parts[0] + "." + forged, Base64UrlDecode(parts[2]).value_or("")));
  TestKey other = GenerateRsaKey();
  EXPECT_FALSE(
      VerifyRs256(other.get(), parts[0] + "." + parts[1], Base64UrlDecode(parts[2]).value_or("")));
}

TEST(ServiceAccountKeyTest, RefusesFilesThatAreNoRsaServiceAccountKey) {
  const std::string uri = "https://t";
  EXPECT_THAT(ServiceAccount::FromJson("{"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ServiceAccount::FromJson(R"({"type":"authorized_user","client_email":"a",
                                          "private_key":"x"})"),
              IsError(ErrorCode::kInvalidArgument));
  std::string garbage =
      "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n";
  auto refused = ServiceAccount::FromJson(KeyFileJson(garbage, uri));
  EXPECT_THAT(refused, IsErrorWithMessage(ErrorCode::kInvalidArgument, "Invalid private key"));
  EXPECT_EQ(refused.error().message.find("c2VjcmV0"), std::string::npos);  // no key material
  TestKey ec(EVP_EC_gen("P-256"));
  EXPECT_THAT(ServiceAccount::FromJson(KeyFileJson(PrivateKeyPem(ec.get()), uri)),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "not an RSA key"));
}

TEST_F(ServiceAccountTest, ExchangesTheAssertionAtTheTokenEndpoint) {
  ScriptedHttpClient client;
  client.Expect([&](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, kTokenUri);
    EXPECT_EQ(HeaderOf(request, "content-type"), "application/x-www-form-urlencoded");
    auto form = DecodeForm(request.body);
    EXPECT_EQ(form.size(), 2u);
    EXPECT_EQ(form["grant_type"], "urn:ietf:params:oauth:grant-type:jwt-bearer");
    EXPECT_EQ(CheckAssertion(form["assertion"]).audience, kTokenUri);
    return Answer(200, R"({"access_token":"ya29.fresh","expires_in":3599,"token_type":"Bearer"})");
  });
  ASSERT_OK_AND_ASSIGN(std::string jwt, account_->SignAssertion(kScopeReadWrite, 1000));
  ASSERT_OK_AND_ASSIGN(AccessToken token,
                       ExchangeAssertion(client, account_->token_uri(), jwt, 1'000'000));
  EXPECT_EQ(token.value, "ya29.fresh");
  EXPECT_EQ(token.expires_at_ms, 1'000'000 + 3'599'000);
}

TEST(ExchangeAssertionTest, RefusalsAndFailuresAreErrorsWithTheReason) {
  ScriptedHttpClient client;
  client.Expect(
      Reply(400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"));
  EXPECT_THAT(ExchangeAssertion(client, "https://t/token", "a.b.c", 0),
              IsErrorWithMessage(ErrorCode::kForbidden, "invalid_grant: Invalid JWT Signature."));
  client.Expect(Reply(500, "oops"));  // retried
  client.Expect(Reply(200, R"({"access_token":"after-retry"})"));
  ASSERT_OK_AND_ASSIGN(AccessToken token, ExchangeAssertion(client, "https://t/token", "j", 5));
  EXPECT_EQ(token.value, "after-retry");
  EXPECT_EQ(token.expires_at_ms, 0);  // the endpoint did not say
  client.Expect(Reply(200, R"({"token_type":"Bearer"})"));
  EXPECT_THAT(ExchangeAssertion(client, "https://t/token", "j", 5), IsError(ErrorCode::kIo));
  client.Expect(Reply(404, "<html>not here</html>"));
  EXPECT_THAT(ExchangeAssertion(client, "https://t/token", "j", 5),
              IsErrorWithMessage(ErrorCode::kIo, "HTTP 404: <html>not here</html>"));
  EXPECT_EQ(client.pending(), 0u);
}

TEST(CachingTokenSourceTest, RefreshesFiveMinutesBeforeExpiry) {
  ManualClock clock(1'000'000);
  int fetches = 0;
  auto source = MakeCachingTokenSource(
      [&](int64_t now) -> Result<AccessToken> {
        ++fetches;
        return AccessToken{"t" + std::to_string(fetches), now + 3'600'000};
      },
      clock);
  EXPECT_EQ(source->Token()->value, "t1");
  clock.Advance(3'600'000 - 300'000 - 1);
  EXPECT_EQ(source->Token()->value, "t1");
  EXPECT_EQ(fetches, 1);
  clock.Advance(1);
  EXPECT_EQ(source->Token()->value, "t2");
  EXPECT_EQ(source->Token()->expires_at_ms, clock.NowMs() + 3'600'000);
  EXPECT_EQ(fetches, 2);
}

TEST(CachingTokenSourceTest, ShortLivedAndUnknownExpiryTokens) {
  ManualClock clock(0);
  int64_t lifetime = 60'000;  // shorter than the margin: refreshed after half its life
  int fetches = 0;
  auto source = MakeCachingTokenSource(
      [&](int64_t now) -> Result<AccessToken> {
        ++fetches;
        return AccessToken{"t", lifetime == 0 ? 0 : now + lifetime};
      },
      clock);
  ASSERT_THAT(source->Token(), IsOk());
  clock.Advance(29'999);
  ASSERT_THAT(source->Token(), IsOk());
  EXPECT_EQ(fetches, 1);
  clock.Advance(1);
  lifetime = 0;  // no expiry: taken to expire in 30 minutes, so refreshed after 25
  ASSERT_THAT(source->Token(), IsOk());
  EXPECT_EQ(fetches, 2);
  clock.Advance(25 * 60'000 - 1);
  ASSERT_THAT(source->Token(), IsOk());
  EXPECT_EQ(fetches, 2);
  clock.Advance(1);
  ASSERT_THAT(source->Token(), IsOk());
  EXPECT_EQ(fetches, 3);
}

TEST(CachingTokenSourceTest, AFailedRefreshKeepsAValidTokenButNotAnExpiredOne) {
  ManualClock clock(0);
  bool fail = false;
  auto source = MakeCachingTokenSource(
      [&](int64_t now) -> Result<AccessToken> {
        if (fail) return Err(ErrorCode::kUnavailable, "token endpoint down");
        return AccessToken{"good", now + 3'600'000};
      },
      clock);
  ASSERT_THAT(source->Token(), IsOk());
  fail = true;
  clock.Advance(3'400'000);  // in the refresh window, still valid
  EXPECT_EQ(source->Token()->value, "good");
  clock.Advance(200'000);  // expired
  EXPECT_THAT(source->Token(), IsErrorWithMessage(ErrorCode::kUnavailable, "down"));
  EXPECT_THAT(MakeCachingTokenSource([](int64_t) -> Result<AccessToken> {
                return Err(ErrorCode::kForbidden, "refused");
              })->Token(),
              IsError(ErrorCode::kForbidden));
}

TEST(CachingTokenSourceTest, ConcurrentCallersShareOneFetch) {
  ManualClock clock(0);
  std::atomic<int> fetches{0};
  auto source = MakeCachingTokenSource(
      [&](int64_t now) -> Result<AccessToken> {
        ++fetches;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return AccessToken{"shared", now + 3'600'000};
      },
      clock);
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto token = source->Token();
      if (token && token->value == "shared") ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 8);
  EXPECT_EQ(fetches.load(), 1);
}

TEST_F(ServiceAccountTest, TokenSourceSignsExchangesAndRefreshes) {
  auto client = std::make_shared<ScriptedHttpClient>();
  ManualClock clock(1'700'000'000'000);
  int64_t expected_iat = 1'700'000'000;
  for (const char* value : {"first", "second"}) {
    client->Expect([&, value](const net::HttpRequest& request) -> Result<net::HttpResponse> {
      serde::GcsJwtClaims claims = CheckAssertion(DecodeForm(request.body)["assertion"]);
      EXPECT_EQ(claims.issued_at, expected_iat);
      EXPECT_EQ(claims.scope, kScopeCloudPlatform);
      return Answer(200, std::string(R"({"access_token":")") + value + R"(","expires_in":3600})");
    });
  }
  auto source =
      MakeServiceAccountTokenSource(*account_, std::string(kScopeCloudPlatform), client, clock);
  EXPECT_EQ(source->Token()->value, "first");
  clock.Advance(55 * 60'000 - 1);
  EXPECT_EQ(source->Token()->value, "first");
  clock.Advance(1);
  expected_iat += 55 * 60;
  EXPECT_EQ(source->Token()->value, "second");
  EXPECT_EQ(client->sent().size(), 2u);
}

TEST(StaticTokenSourceTest, AlwaysTheSameToken) {
  auto source = MakeStaticTokenSource("fixed");
  EXPECT_EQ(source->Token()->value, "fixed");
  EXPECT_EQ(source->Token()->expires_at_ms, 0);
}

}  // namespace
}  // namespace pangolin::storage::gcs
