// JWKS and ID token claim decoding: keys of every type are listed with the members their type
// needs, claims are typed strictly (times may carry fractions), and email_verified is true only
// for a JSON true or the string "true".
#include "serde/id_token.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

TEST(JwksTest, ParsesRsaEcAndOtherKeys) {
  ASSERT_OK_AND_ASSIGN(
      std::vector<Jwk> keys,
      ParseJwks(R"({"keys":[{"kty":"RSA","kid":"r","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB",
                   "x5c":["ignored"]},{"kty":"EC","crv":"P-256","x":"xx","y":"yy"},
                   {"kty":"OKP","crv":"Ed25519","x":"zz"}],"extra":1})"));
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].kty, "RSA");
  EXPECT_EQ(keys[0].kid, "r");
  EXPECT_EQ(keys[0].alg, "RS256");
  EXPECT_EQ(keys[0].use, "sig");
  EXPECT_EQ(keys[0].n, "AQAB");
  EXPECT_EQ(keys[1].kty, "EC");
  EXPECT_FALSE(keys[1].kid);
  EXPECT_EQ(keys[1].crv, "P-256");
  EXPECT_EQ(keys[1].y, "yy");
  EXPECT_EQ(keys[2].kty, "OKP");
  EXPECT_TRUE(keys[2].x.empty());  // members of types nobody verifies with are not read
  ASSERT_OK_AND_ASSIGN(std::vector<Jwk> none, ParseJwks(R"({"keys":[]})"));
  EXPECT_TRUE(none.empty());
}

TEST(JwksTest, RefusesMalformedDocuments) {
  for (const char* text :
       {"", "nope", "[]", "{}", R"({"keys":null})", R"({"keys":{}})", R"({"keys":["k"]})",
        R"({"keys":[{}]})", R"({"keys":[{"kty":1}]})", R"({"keys":[{"kty":"RSA","n":"AQAB"}]})",
        R"({"keys":[{"kty":"EC","crv":"P-256","x":"xx"}]})",
        R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":7}]})"}) {
    EXPECT_THAT(ParseJwks(text), IsError(ErrorCode::kBadRequest)) << text;
  }
}

TEST(IdTokenClaimsTest, ParsesClaims) {
  ASSERT_OK_AND_ASSIGN(
      IdTokenPayload payload,
      ParseIdTokenClaims(R"({"iss":"https://idp","sub":"u1","aud":["a","b"],"azp":"a",
                            "exp":1700003600.75,"iat":1700000000,"nbf":1699999999,"nonce":"n",
                            "email":"e@x","email_verified":"true","name":"N",
                            "preferred_username":"p","groups":["g"]})"));
  EXPECT_EQ(payload.issuer, "https://idp");
  EXPECT_EQ(payload.subject, "u1");
  EXPECT_EQ(payload.audiences, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(payload.authorized_party, "a");
  EXPECT_EQ(payload.expires_at, 1700003600);
  EXPECT_EQ(payload.issued_at, 1700000000);
  EXPECT_EQ(payload.not_before, 1699999999);
  EXPECT_EQ(payload.nonce, "n");
  EXPECT_EQ(payload.email, "e@x");
  EXPECT_TRUE(payload.email_verified);
  EXPECT_EQ(payload.name, "N");
  EXPECT_EQ(payload.preferred_username, "p");

  ASSERT_OK_AND_ASSIGN(IdTokenPayload minimal,
                       ParseIdTokenClaims(R"({"iss":"i","sub":"s","aud":"a","exp":10})"));
  EXPECT_EQ(minimal.audiences, std::vector<std::string>{"a"});
  EXPECT_FALSE(minimal.authorized_party || minimal.issued_at || minimal.not_before ||
               minimal.nonce || minimal.email || minimal.name || minimal.preferred_username);
  EXPECT_FALSE(minimal.email_verified);
}

TEST(IdTokenClaimsTest, EmailVerifiedIsTrueOnlyForTrue) {
  for (const auto& [value, verified] :
       std::vector<std::pair<std::string, bool>>{{"true", true},
                                                 {R"("true")", true},
                                                 {"false", false},
                                                 {R"("TRUE")", false},
                                                 {"1", false},
                                                 {"null", false},
                                                 {"{}", false}}) {
    ASSERT_OK_AND_ASSIGN(IdTokenPayload payload,
                         ParseIdTokenClaims(R"({"iss":"i","sub":"s","aud":"a","exp":10,)"
                                            R"("email_verified":)" +
                                            value + "}"));
    EXPECT_EQ(payload.email_verified, verified) << value;
  }
}

TEST(IdTokenClaimsTest, RefusesMissingOrIllTypedClaims) {
  const std::string base = R"("iss":"i","sub":"s","aud":"a")";
  EXPECT_THAT(ParseIdTokenClaims("{" + base + "}"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "exp"));
  EXPECT_THAT(ParseIdTokenClaims(R"({"sub":"s","aud":"a","exp":1})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "iss"));
  EXPECT_THAT(ParseIdTokenClaims(R"({"iss":"i","aud":"a","exp":1})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "sub"));
  EXPECT_THAT(ParseIdTokenClaims(R"({"iss":"i","sub":"s","exp":1})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "aud"));
  for (const char* extra :
       {R"("exp":"10")", R"("exp":1e300)", R"("exp":1,"iat":"x")", R"("exp":1,"nbf":true)",
        R"("exp":1,"nonce":5)", R"("exp":1,"azp":[])", R"("exp":1,"email":false)"}) {
    EXPECT_THAT(ParseIdTokenClaims("{" + base + "," + extra + "}"), IsError(ErrorCode::kBadRequest))
        << extra;
  }
  EXPECT_THAT(ParseIdTokenClaims("[]"), IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::serde
