// Google Cloud Storage JSON: key files, JWT parts, token answers, listings, errors and the
// Credential Access Boundary, checked on exact values.
#include "serde/gcs.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

TEST(GcsServiceAccountKeyTest, ParsesTheMembersSigningNeeds) {
  ASSERT_OK_AND_ASSIGN(GcsServiceAccountKey key, ParseGcsServiceAccountKey(R"({
      "type": "service_account", "project_id": "proj", "private_key_id": "kid1",
      "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      "client_email": "sa@proj.iam.gserviceaccount.com", "client_id": "123",
      "token_uri": "https://oauth2.googleapis.com/token"})"));
  EXPECT_EQ(key.client_email, "sa@proj.iam.gserviceaccount.com");
  EXPECT_EQ(key.private_key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  EXPECT_EQ(key.private_key_id, "kid1");
  EXPECT_EQ(key.token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(key.project_id, "proj");
  ASSERT_OK_AND_ASSIGN(GcsServiceAccountKey minimal,
                       ParseGcsServiceAccountKey(R"({"client_email":"a","private_key":"p"})"));
  EXPECT_TRUE(minimal.token_uri.empty());
  EXPECT_TRUE(minimal.private_key_id.empty());
}

TEST(GcsServiceAccountKeyTest, RefusesOtherFilesWithoutEchoingThem) {
  EXPECT_THAT(ParseGcsServiceAccountKey("not json, secret"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "not JSON"));
  EXPECT_THAT(ParseGcsServiceAccountKey(R"({"private_key":"p"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "client_email"));
  EXPECT_THAT(ParseGcsServiceAccountKey(R"({"client_email":"a"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "private_key"));
  EXPECT_THAT(ParseGcsServiceAccountKey(
                  R"({"type":"authorized_user","client_email":"a","private_key":"p"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "authorized_user"));
  auto error = ParseGcsServiceAccountKey("{\"client_email\":\"a\",\"private_key\":7}");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message.find('7'), std::string::npos);
}

TEST(GcsJwtTest, HeaderAndClaimsAreExact) {
  EXPECT_EQ(GcsJwtHeaderJson("k1"), R"({"alg":"RS256","typ":"JWT","kid":"k1"})");
  EXPECT_EQ(GcsJwtHeaderJson(""), R"({"alg":"RS256","typ":"JWT"})");
  GcsJwtClaims claims{"sa@p.iam", "https://www.googleapis.com/auth/devstorage.read_write",
                      "https://oauth2.googleapis.com/token", 1000, 4600};
  std::string json = GcsJwtClaimsJson(claims);
  EXPECT_EQ(json,
            R"({"iss":"sa@p.iam","scope":"https://www.googleapis.com/auth/devstorage.read_write",)"
            R"("aud":"https://oauth2.googleapis.com/token","iat":1000,"exp":4600})");
  ASSERT_OK_AND_ASSIGN(GcsJwtClaims back, ParseGcsJwtClaims(json));
  EXPECT_EQ(back.issuer, claims.issuer);
  EXPECT_EQ(back.scope, claims.scope);
  EXPECT_EQ(back.audience, claims.audience);
  EXPECT_EQ(back.issued_at, 1000);
  EXPECT_EQ(back.expires_at, 4600);
}

TEST(OAuthAccessTokenTest, ParsesAnswersOfTheTokenEndpointAndSts) {
  ASSERT_OK_AND_ASSIGN(OAuthAccessToken token,
                       ParseOAuthAccessToken(
                           R"({"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"})"));
  EXPECT_EQ(token.access_token, "ya29.x");
  EXPECT_EQ(token.expires_in, 3599);
  ASSERT_OK_AND_ASSIGN(OAuthAccessToken sts,
                       ParseOAuthAccessToken(R"({"access_token":"down","issued_token_type":
          "urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer"})"));
  EXPECT_EQ(sts.access_token, "down");
  EXPECT_FALSE(sts.expires_in);
}

TEST(OAuthAccessTokenTest, ErrorsCarryTheServiceReason) {
  std::string refusal = R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})";
  EXPECT_THAT(ParseOAuthAccessToken(refusal),
              IsErrorWithMessage(ErrorCode::kBadRequest, "invalid_grant: Invalid JWT Signature."));
  EXPECT_EQ(OAuthErrorMessage(refusal), "invalid_grant: Invalid JWT Signature.");
  EXPECT_EQ(OAuthErrorMessage(R"({"error":"invalid_request"})"), "invalid_request");
  EXPECT_FALSE(OAuthErrorMessage(R"({"access_token":"x"})"));
  EXPECT_FALSE(OAuthErrorMessage("<html>"));
  EXPECT_THAT(ParseOAuthAccessToken(R"({"token_type":"Bearer"})"), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(ParseOAuthAccessToken(R"({"access_token":""})"), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(ParseOAuthAccessToken(R"({"access_token":"x","expires_in":"soon"})"),
              IsError(ErrorCode::kBadRequest));
}

TEST(GcsObjectPageTest, ParsesItemsSizesAndPaging) {
  ASSERT_OK_AND_ASSIGN(GcsObjectPage page, ParseGcsObjectPage(R"({"kind":"storage#objects",
      "nextPageToken":"abc","items":[{"name":"a/1","size":"12","bucket":"b"},
      {"name":"a/b/2","size":0}]})"));
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].name, "a/1");
  EXPECT_EQ(page.items[0].size, 12);
  EXPECT_EQ(page.items[1].name, "a/b/2");
  EXPECT_EQ(page.items[1].size, 0);
  EXPECT_EQ(page.next_page_token, "abc");
  ASSERT_OK_AND_ASSIGN(GcsObjectPage empty, ParseGcsObjectPage(R"({"kind":"storage#objects"})"));
  EXPECT_TRUE(empty.items.empty());
  EXPECT_TRUE(empty.next_page_token.empty());
  for (const char* bad :
       {"[]", R"({"items":{}})", R"({"items":[{"size":"1"}]})",
        R"({"items":[{"name":"x","size":"-1"}]})", R"({"items":[{"name":"x","size":"big"}]})"}) {
    EXPECT_THAT(ParseGcsObjectPage(bad), IsError(ErrorCode::kBadRequest)) << bad;
  }
}

TEST(GcsErrorMessageTest, ReadsJsonApiAndOAuthErrors) {
  EXPECT_EQ(GcsErrorMessage(
                R"({"error":{"code":403,"message":"no storage.objects.get access","errors":[]}})"),
            "no storage.objects.get access");
  EXPECT_EQ(GcsErrorMessage(R"({"error":"invalid_token"})"), "invalid_token");
  EXPECT_FALSE(GcsErrorMessage("Not Found"));
  EXPECT_FALSE(GcsErrorMessage(R"({"error":{"code":404}})"));
}

TEST(CredentialAccessBoundaryTest, SerializesRulesExactly) {
  AccessBoundaryRule rule{"//storage.googleapis.com/projects/_/buckets/b",
                          {"inRole:roles/storage.objectViewer"},
                          "resource.name.startsWith('projects/_/buckets/b/objects/p\\'q\"/')",
                          ""};
  EXPECT_EQ(CredentialAccessBoundaryJson({rule}),
            R"({"accessBoundary":{"accessBoundaryRules":[{"availableResource":)"
            R"("//storage.googleapis.com/projects/_/buckets/b","availablePermissions":)"
            R"(["inRole:roles/storage.objectViewer"],"availabilityCondition":{"expression":)"
            R"j("resource.name.startsWith('projects/_/buckets/b/objects/p\\'q\"/')"}}]}})j");
  AccessBoundaryRule bare{"//storage.googleapis.com/projects/_/buckets/c", {"a", "b"}, "", ""};
  AccessBoundaryRule titled{"r", {"p"}, "true", "t"};
  EXPECT_EQ(CredentialAccessBoundaryJson({bare, titled}),
            R"({"accessBoundary":{"accessBoundaryRules":[{"availableResource":)"
            R"("//storage.googleapis.com/projects/_/buckets/c","availablePermissions":["a","b"]},)"
            R"({"availableResource":"r","availablePermissions":["p"],)"
            R"("availabilityCondition":{"expression":"true","title":"t"}}]}})");
}

}  // namespace
}  // namespace pangolin::serde
