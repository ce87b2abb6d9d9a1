// Token claims survive a round trip, `aud` may be an array, and a missing or ill-typed claim is
// refused with its name; the JWT header and JWKS have the shapes RFC 7515/7517 ask for.
#include "serde/token_claims.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using catalog::PrincipalKind;
using catalog::TokenClaims;
using catalog::UserRole;
using ::pangolin::testing::IsErrorWithMessage;

TokenClaims Claims() {
  TokenClaims claims;
  claims.issuer = "https://pangolin.test";
  claims.audience = "pangolin";
  claims.subject = "user-1";
  claims.jti = "jti-1";
  claims.issued_at = 1700000000;
  claims.expires_at = 1700003600;
  claims.username = "alice";
  claims.tenant_id = TenantId{"tenant-1"};
  claims.role = UserRole::kTenantAdmin;
  claims.principal_kind = PrincipalKind::kServiceUser;
  return claims;
}

TEST(TokenClaimsTest, RoundTrips) {
  for (bool with_tenant : {true, false}) {
    TokenClaims claims = Claims();
    if (!with_tenant) claims.tenant_id.reset();
    std::string text = TokenClaimsJson(claims);
    EXPECT_EQ(text.find("tenant_id") != std::string::npos, with_tenant) << text;
    ASSERT_OK_AND_ASSIGN(JwtPayload payload, ParseTokenClaims(text));
    EXPECT_EQ(payload.claims, claims);
    EXPECT_EQ(payload.audiences, std::vector<std::string>{"pangolin"});
    EXPECT_FALSE(payload.not_before);
  }
  EXPECT_NE(TokenClaimsJson(Claims()).find(R"("role":"tenant-admin")"), std::string::npos);
  EXPECT_NE(TokenClaimsJson(Claims()).find(R"("principal_type":"service_user")"),
            std::string::npos);
}

TEST(TokenClaimsTest, AcceptsAudienceArrayAndNotBefore) {
  ASSERT_OK_AND_ASSIGN(JwtPayload payload,
                       ParseTokenClaims(R"({"iss":"i","aud":["a","b"],"sub":"s","jti":"j",)"
                                        R"("exp":10,"nbf":5,"role":"root"})"));
  EXPECT_EQ(payload.audiences, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(payload.claims.audience, "a");
  EXPECT_EQ(payload.not_before, 5);
  EXPECT_EQ(payload.claims.role, UserRole::kRoot);
  EXPECT_EQ(payload.claims.principal_kind, PrincipalKind::kUser);
  EXPECT_FALSE(payload.claims.tenant_id);
}

TEST(TokenClaimsTest, RefusesMissingOrIllTypedClaims) {
  const std::string base = R"("iss":"i","sub":"s","jti":"j","exp":10,"role":"root")";
  EXPECT_THAT(ParseTokenClaims("{" + base + "}"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "aud"));
  EXPECT_THAT(ParseTokenClaims(R"({"aud":[],)" + base + "}"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "aud"));
  EXPECT_THAT(ParseTokenClaims(R"({"aud":["a",1],)" + base + "}"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "aud"));
  EXPECT_THAT(ParseTokenClaims(R"({"aud":"a","iss":"i","sub":"s","jti":"j","role":"root"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "exp"));
  EXPECT_THAT(
      ParseTokenClaims(R"({"aud":"a","iss":"i","sub":"s","jti":"j","exp":"10","role":"root"})"),
      IsErrorWithMessage(ErrorCode::kBadRequest, "exp"));
  EXPECT_THAT(
      ParseTokenClaims(R"({"aud":"a","iss":"i","sub":"s","jti":"j","exp":10,"role":"god"})"),
      IsErrorWithMessage(ErrorCode::kBadRequest, "role"));
  EXPECT_THAT(ParseTokenClaims(R"({"aud":"a",)" + base + R"(,"principal_type":"robot"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "principal_type"));
  EXPECT_THAT(ParseTokenClaims(R"({"aud":"a",)" + base + R"(,"tenant_id":7})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "tenant_id"));
  EXPECT_THAT(ParseTokenClaims(R"({"aud":"a","sub":"s","jti":"j","exp":10,"role":"root"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "iss"));
  EXPECT_THAT(ParseTokenClaims("[1]"), IsErrorWithMessage(ErrorCode::kBadRequest, "JWT claims"));
}

TEST(TokenClaimsTest, HeaderAndJwks) {
  EXPECT_EQ(JwtHeaderJson("k1"), R"({"alg":"ES256","typ":"JWT","kid":"k1"})");
  ASSERT_OK_AND_ASSIGN(JwtHeader header, ParseJwtHeader(R"({"alg":"none","crit":["x"]})"));
  EXPECT_EQ(header.alg, "none");
  EXPECT_FALSE(header.kid);
  EXPECT_TRUE(header.has_crit);
  EXPECT_THAT(ParseJwtHeader(R"({"kid":"k"})"), IsErrorWithMessage(ErrorCode::kBadRequest, "alg"));
  EXPECT_THAT(ParseJwtHeader(R"({"alg":"ES256","kid":3})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "kid"));
  EXPECT_EQ(JwksJson({{"k1", "X", "Y"}}),
            R"({"keys":[{"kty":"EC","crv":"P-256","x":"X","y":"Y","kid":"k1","alg":"ES256",)"
            R"("use":"sig"}]})");
  EXPECT_EQ(JwksJson({}), R"({"keys":[]})");
}

}  // namespace
}  // namespace pangolin::serde
