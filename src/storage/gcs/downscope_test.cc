// Credential Access Boundaries on exact values, and the STS exchange against a scripted STS.
#include "storage/gcs/downscope.h"

#include <gtest/gtest.h>

#include "storage/gcs/test_support_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage::gcs {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using namespace ::pangolin::storage::gcs_testing;

constexpr std::string_view kSts = "https://sts.example.test/v1/token";

TEST(AccessBoundaryTest, ReadOnlyBoundaryForATablePrefix) {
  ASSERT_OK_AND_ASSIGN(std::string json, AccessBoundaryJson("warehouse", "tenant/db/t1", false));
  EXPECT_EQ(json,
            R"({"accessBoundary":{"accessBoundaryRules":[{"availableResource":)"
            R"("//storage.googleapis.com/projects/_/buckets/warehouse",)"
            R"("availablePermissions":["inRole:roles/storage.objectViewer"],)"
            R"("availabilityCondition":{"expression":)"
            R"("resource.name.startsWith('projects/_/buckets/warehouse/objects/tenant/db/t1/') || )"
            R"(api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith()"
            R"j('tenant/db/t1/')"}}]}})j");
}

TEST(AccessBoundaryTest, WriteGrantsObjectAdminAndTrailingSlashesDoNotMatter) {
  ASSERT_OK_AND_ASSIGN(std::string write, AccessBoundaryJson("b-1", "t1", true));
  EXPECT_NE(write.find(R"("availablePermissions":["inRole:roles/storage.objectAdmin"])"),
            std::string::npos);
  EXPECT_EQ(write.find("objectViewer"), std::string::npos);
  EXPECT_EQ(AccessBoundaryJson("b-1", "t1//", true), write);
}

TEST(AccessBoundaryTest, QuotesAndBackslashesInThePrefixAreEscaped) {
  // CEL escapes ' and \ inside the single-quoted literal; JSON then escapes \ and ".
  ASSERT_OK_AND_ASSIGN(std::string json, AccessBoundaryJson("bkt", R"(it's "x"\y)", false));
  EXPECT_NE(json.find(R"j(startsWith('projects/_/buckets/bkt/objects/it\\'s \"x\"\\\\y/'))j"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"j(startsWith('it\\'s \"x\"\\\\y/'))j"), std::string::npos) << json;
  EXPECT_EQ(json.find("it's"), std::string::npos);  // no unescaped quote ends the literal
}

TEST(AccessBoundaryTest, RefusesWholeBucketsAndInvalidNames) {
  EXPECT_THAT(AccessBoundaryJson("bkt", "", false),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "whole bucket"));
  EXPECT_THAT(AccessBoundaryJson("bkt", "/", true), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(AccessBoundaryJson("Bad Bucket", "p", false), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(AccessBoundaryJson("bkt", "p\nq", false), IsError(ErrorCode::kInvalidArgument));
}

TEST(DownscopeTest, ExchangesTheSourceTokenAtSts) {
  ScriptedHttpClient client;
  ASSERT_OK_AND_ASSIGN(std::string boundary, AccessBoundaryJson("warehouse", "ns/t", true));
  client.Expect([&](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, kSts);
    EXPECT_EQ(HeaderOf(request, "content-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(HeaderOf(request, "authorization"), "");  // the subject token is in the form
    std::map<std::string, std::string> expected{
        {"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
        {"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"},
        {"requested_token_type", "urn:ietf:params:oauth:token-type:access_token"},
        {"subject_token", "ya29.source"},
        {"options", boundary}};
    EXPECT_EQ(DecodeForm(request.body), expected);
    EXPECT_NE(request.body.find("options=%7B%22accessBoundary%22"), std::string::npos);
    return Answer(200, R"({"access_token":"ya29.down","issued_token_type":)"
                       R"("urn:ietf:params:oauth:token-type:access_token",)"
                       R"("token_type":"Bearer","expires_in":3000})");
  });
  ASSERT_OK_AND_ASSIGN(
      AccessToken token,
      ExchangeForDownscopedToken(client, kSts, {"ya29.source", 9'000'000}, boundary, 1'000));
  EXPECT_EQ(token.value, "ya29.down");
  EXPECT_EQ(token.expires_at_ms, 1'000 + 3'000'000);
}

TEST(DownscopeTest, WithoutExpiresInTheTokenLivesAsLongAsItsSource) {
  ScriptedHttpClient client;
  client.Expect(Reply(200, R"({"access_token":"down","token_type":"Bearer"})"));
  auto source = MakeStaticTokenSource("src");
  ASSERT_OK_AND_ASSIGN(AccessToken token,
                       DownscopedToken(client, *source, "warehouse", "a/b", false, 0, kSts));
  EXPECT_EQ(token.value, "down");
  EXPECT_EQ(token.expires_at_ms, 0);
  auto form = DecodeForm(client.sent().at(0).body);
  EXPECT_EQ(form["subject_token"], "src");
  EXPECT_EQ(form["options"], AccessBoundaryJson("warehouse", "a/b", false).value());
}

TEST(DownscopeTest, StsRefusalsAreErrorsNeverPlaceholderTokens) {
  ScriptedHttpClient client;
  client.Expect(Reply(400, R"({"error":"invalid_grant","error_description":)"
                           R"("The access boundary is invalid."})"));
  auto refused = ExchangeForDownscopedToken(client, kSts, {"src", 0}, "{}", 0);
  EXPECT_THAT(refused, IsErrorWithMessage(ErrorCode::kForbidden,
                                          "invalid_grant: The access boundary is invalid."));
  EXPECT_THAT(refused, IsErrorWithMessage(ErrorCode::kForbidden, "Security Token Service"));
  client.Expect(
      Reply(401, R"({"error":{"code":401,"message":"Request had invalid credentials."}})"));
  EXPECT_THAT(ExchangeForDownscopedToken(client, kSts, {"src", 0}, "{}", 0),
              IsErrorWithMessage(ErrorCode::kForbidden, "Request had invalid credentials."));
  client.Expect(Reply(200, R"({"access_token":""})"));
  EXPECT_THAT(ExchangeForDownscopedToken(client, kSts, {"src", 0}, "{}", 0),
              IsError(ErrorCode::kIo));
  for (int i = 0; i < 5; ++i) client.Expect(Reply(503));
  EXPECT_THAT(ExchangeForDownscopedToken(client, kSts, {"src", 0}, "{}", 0),
              IsError(ErrorCode::kUnavailable));
  for (int i = 0; i < 5; ++i) {
    client.Expect([](const net::HttpRequest&) -> Result<net::HttpResponse> {
      return Err(ErrorCode::kUnavailable, "connection refused");
    });
  }
  EXPECT_THAT(ExchangeForDownscopedToken(client, kSts, {"src", 0}, "{}", 0),
              IsErrorWithMessage(ErrorCode::kUnavailable, "unreachable"));
  EXPECT_EQ(client.pending(), 0u);
}

TEST(DownscopeTest, BoundaryAndSourceErrorsStopBeforeSts) {
  ScriptedHttpClient client;
  auto source = MakeStaticTokenSource("src");
  EXPECT_THAT(DownscopedToken(client, *source, "warehouse", "", true, 0, kSts),
              IsError(ErrorCode::kInvalidArgument));
  auto broken = MakeCachingTokenSource(
      [](int64_t) -> Result<AccessToken> { return Err(ErrorCode::kForbidden, "bad key"); });
  EXPECT_THAT(DownscopedToken(client, *broken, "warehouse", "t", true, 0, kSts),
              IsErrorWithMessage(ErrorCode::kForbidden, "bad key"));
  EXPECT_TRUE(client.sent().empty());
}

}  // namespace
}  // namespace pangolin::storage::gcs
