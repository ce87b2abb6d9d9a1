// OIDC ID tokens signed here with freshly generated RSA 2048, P-256 and P-384 keys and published
// in a JWKS built here: valid tokens pass with their profile claims, and each way a token, its
// key choice or the JWKS can be wrong is refused with kNotAuthorized (kBadRequest for the JWKS).
#include "auth/id_token.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <map>

#include "auth/jwt_internal.h"
#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::auth {
namespace {

using internal::Pkey;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

constexpr int64_t kNow = 1'700'000'000;
constexpr char kIssuer[] = "https://idp.example.com";
constexpr char kClientId[] = "pangolin-ui";
constexpr char kNonce[] = "n-0S6_WzA2Mj";

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

// A big-number parameter of `key`, base64url-encoded; left-padded to `width` bytes when non-zero.
std::string BignumParam(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* value = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &value), 1) << name;
  std::string bytes(static_cast<size_t>(width > 0 ? width : BN_num_bytes(value)), '\0');
  BN_bn2binpad(value, reinterpret_cast<unsigned char*>(bytes.data()),
               static_cast<int>(bytes.size()));
  BN_free(value);
  return Base64UrlEncode(bytes);
}

std::string RsaJwk(const EVP_PKEY* key, std::string_view kid, std::string_view extra = "") {
  return R"({"kty":"RSA","kid":)" + Quote(kid) + R"(,"n":)" +
         Quote(BignumParam(key, OSSL_PKEY_PARAM_RSA_N)) + R"(,"e":)" +
         Quote(BignumParam(key, OSSL_PKEY_PARAM_RSA_E)) + std::string(extra) + "}";
}

std::string EcJwk(const EVP_PKEY* key, std::string_view crv, std::string_view kid) {
  const int width = crv == "P-256" ? 32 : 48;
  return R"({"kty":"EC","crv":)" + Quote(crv) + R"(,"kid":)" + Quote(kid) + R"(,"x":)" +
         Quote(BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, width)) + R"(,"y":)" +
         Quote(BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, width)) + R"(,"use":"sig"})";
}

std::string Jwks(const std::vector<std::string>& keys) {
  return R"({"keys":[)" + Join(keys, ",") + "]}";
}

// RSASSA-PKCS1-v1_5 with SHA-256, as an identity provider signs.
std::string SignRs256(EVP_PKEY* key, std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t size = 0;
  std::string signature;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &size, nullptr, 0) == 1) {
    signature.resize(size);
    EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
              1);
  }
  EVP_MD_CTX_free(ctx);
  return signature;
}

std::string SignHs256(std::string_view secret, std::string_view input) {
  std::string mac(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       reinterpret_cast<unsigned char*>(mac.data()), &size);
  mac.resize(size);
  return mac;
}

class IdTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
    ec_ = Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    ec384_ = Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
    ASSERT_TRUE(rsa_ && ec_ && ec384_);
  }
  static void TearDownTestSuite() {
    rsa_.reset();
    ec_.reset();
    ec384_.reset();
  }

  static std::string DefaultJwks() {
    return Jwks({RsaJwk(rsa_.get(), "rsa-1", R"(,"alg":"RS256","use":"sig")"),
                 EcJwk(ec_.get(), "P-256", "ec-1"), EcJwk(ec384_.get(), "P-384", "ec-384")});
  }

  // The claims of a valid token, as raw JSON values by name; tests edit them.
  std::map<std::string, std::string> claims_ = {{"iss", Quote(kIssuer)},
                                                {"sub", Quote("248289761001")},
                                                {"aud", Quote(kClientId)},
                                                {"exp", std::to_string(kNow + 3600)},
                                                {"iat", std::to_string(kNow - 10)},
                                                {"nonce", Quote(kNonce)},
                                                {"email", Quote("alice@example.com")},
                                                {"email_verified", "true"},
                                                {"name", Quote("Alice Liddell")},
                                                {"preferred_username", Quote("alice")}};

  std::string Payload() const {
    std::vector<std::string> members;
    for (const auto& [name, value] : claims_) members.push_back(Quote(name) + ":" + value);
    return "{" + Join(members, ",") + "}";
  }

  static std::string Header(std::string_view alg, std::optional<std::string_view> kid) {
    std::string header = R"({"alg":)" + Quote(alg) + R"(,"typ":"JWT")";
    if (kid) header += R"(,"kid":)" + Quote(*kid);
    return header + "}";
  }

  // A token over `header` and the current claims, signed as `alg` says with the matching key.
  std::string Token(std::string_view alg, std::optional<std::string_view> kid) const {
    return SignedToken(Header(alg, kid), Payload(), alg);
  }

  static std::string SignedToken(const std::string& header, const std::string& payload,
                                 std::string_view alg) {
    std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    std::string signature;
    if (alg == "RS256") signature = SignRs256(rsa_.get(), input);
    if (alg == "ES256") signature = *internal::SignEs256(ec_.get(), input);
    if (alg == "ES384") signature = *internal::SignEcdsa(ec384_.get(), EVP_sha384(), 48, input);
    if (alg == "HS256") signature = SignHs256(DefaultJwks(), input);
    if (signature.empty()) signature = "x";  // "none" and algorithms nobody here signs with
    return input + "." + Base64UrlEncode(signature);
  }

  Result<IdTokenClaims> Verify(std::string_view token, const std::string& jwks = DefaultJwks()) {
    IdTokenExpectations expected{kIssuer, kClientId, kNonce, kNow, 60};
    return VerifyIdToken(token, jwks, expected);
  }

  static Pkey rsa_;
  static Pkey ec_;
  static Pkey ec384_;
};

Pkey IdTokenTest::rsa_;
Pkey IdTokenTest::ec_;
Pkey IdTokenTest::ec384_;

TEST_F(IdTokenTest, AcceptsRs256) {
  ASSERT_OK_AND_ASSIGN(IdTokenClaims claims, Verify(Token("RS256", "rsa-1")));
  EXPECT_EQ(claims.issuer, kIssuer);
  EXPECT_EQ(claims.subject, "248289761001");
  EXPECT_EQ(claims.email, "alice@example.com");
  EXPECT_TRUE(claims.email_verified);
  EXPECT_EQ(claims.name, "Alice Liddell");
  EXPECT_EQ(claims.preferred_username, "alice");
}

TEST_F(IdTokenTest, AcceptsEs256AndEs384) {
  claims_.erase("email");
  claims_.erase("name");
  claims_.erase("preferred_username");
  claims_.erase("email_verified");
  ASSERT_OK_AND_ASSIGN(IdTokenClaims claims, Verify(Token("ES256", "ec-1")));
  EXPECT_EQ(claims.subject, "248289761001");
  EXPECT_FALSE(claims.email);
  EXPECT_FALSE(claims.email_verified);
  EXPECT_FALSE(claims.name);
  EXPECT_FALSE(claims.preferred_username);
  EXPECT_THAT(Verify(Token("ES384", "ec-384")), IsOk());
}

TEST_F(IdTokenTest, EmailVerifiedOnlyForTrue) {
  for (const auto& [value, verified] :
       std::vector<std::pair<std::string, bool>>{{"true", true},
                                                 {R"("true")", true},
                                                 {"false", false},
                                                 {R"("false")", false},
                                                 {R"("yes")", false},
                                                 {"1", false},
                                                 {"null", false}}) {
    claims_["email_verified"] = value;
    ASSERT_OK_AND_ASSIGN(IdTokenClaims claims, Verify(Token("RS256", "rsa-1")));
    EXPECT_EQ(claims.email_verified, verified) << value;
  }
}

TEST_F(IdTokenTest, SingleKeyServesTokensWithoutKid) {
  const std::string single = Jwks({RsaJwk(rsa_.get(), "rsa-1")});
  EXPECT_THAT(Verify(Token("RS256", std::nullopt), single), IsOk());
  EXPECT_THAT(Verify(Token("RS256", std::nullopt)),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unknown signing key"));
}

TEST_F(IdTokenTest, RefusesUnknownKid) {
  EXPECT_THAT(Verify(Token("RS256", "rsa-2")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unknown signing key"));
  // A key published for encryption does not sign.
  const std::string enc = Jwks({RsaJwk(rsa_.get(), "rsa-1", R"(,"use":"enc")")});
  EXPECT_THAT(Verify(Token("RS256", "rsa-1"), enc),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unknown signing key"));
}

TEST_F(IdTokenTest, RefusesWrongIssuer) {
  claims_["iss"] = Quote("https://evil.example.com");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong token issuer"));
}

TEST_F(IdTokenTest, RefusesWrongAudience) {
  claims_["aud"] = Quote("someone-else");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong token audience"));
  claims_["aud"] = R"(["someone-else","another"])";
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong token audience"));
}

TEST_F(IdTokenTest, SeveralAudiencesNeedOurAzp) {
  claims_["aud"] = R"(["pangolin-ui","other-api"])";
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong authorized party"));
  claims_["azp"] = Quote("other-api");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong authorized party"));
  claims_["azp"] = Quote(kClientId);
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")), IsOk());
  claims_["aud"] = Quote(kClientId);
  claims_["azp"] = Quote("other-api");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong authorized party"));
}

TEST_F(IdTokenTest, RefusesExpiredTokensWithinLeeway) {
  claims_["exp"] = std::to_string(kNow - 59);
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")), IsOk());
  claims_["exp"] = std::to_string(kNow - 60);
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "token expired"));
  claims_.erase("exp");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "exp"));
}

TEST_F(IdTokenTest, RefusesTokensNotYetValid) {
  claims_["iat"] = std::to_string(kNow + 60);
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")), IsOk());
  claims_["iat"] = std::to_string(kNow + 61);
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "not yet valid"));
  claims_["iat"] = std::to_string(kNow);
  claims_["nbf"] = std::to_string(kNow + 120);
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "not yet valid"));
}

TEST_F(IdTokenTest, RefusesNonceMismatch) {
  claims_["nonce"] = Quote("replayed");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "nonce mismatch"));
  claims_.erase("nonce");
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "nonce mismatch"));
}

TEST_F(IdTokenTest, RefusesTamperedPayload) {
  std::vector<std::string> parts = Split(Token("RS256", "rsa-1"), ".");
  std::vector<std::string> ec_parts = Split(Token("ES256", "ec-1"), ".");
  claims_["email"] = Quote("mallory@example.com");
  std::string tampered = parts[0] + "." + Base64UrlEncode(Payload()) + "." + parts[2];
  EXPECT_THAT(Verify(tampered),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token signature"));
  EXPECT_THAT(Verify(ec_parts[0] + "." + Base64UrlEncode(Payload()) + "." + ec_parts[2]),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token signature"));
}

TEST_F(IdTokenTest, RefusesAlgNoneAndHmac) {
  EXPECT_THAT(Verify(Token("none", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unsupported algorithm"));
  std::string unsigned_token = Token("none", "rsa-1");
  unsigned_token.resize(unsigned_token.rfind('.') + 1);
  EXPECT_THAT(Verify(unsigned_token), IsError(ErrorCode::kNotAuthorized));
  // The classic confusion: an HMAC keyed with what the verifier publishes.
  EXPECT_THAT(Verify(Token("HS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unsupported algorithm"));
  EXPECT_THAT(Verify(Token("PS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unsupported algorithm"));
}

TEST_F(IdTokenTest, RefusesAlgorithmThatDoesNotFitKey) {
  // Signed correctly with the RSA key, but naming the EC key.
  EXPECT_THAT(Verify(Token("RS256", "ec-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "does not match the signing key"));
  EXPECT_THAT(Verify(Token("ES256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "does not match the signing key"));
  EXPECT_THAT(Verify(Token("ES384", "ec-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "does not match the signing key"));
  // The JWK's own alg pins the algorithm.
  const std::string pinned = Jwks({RsaJwk(rsa_.get(), "rsa-1", R"(,"alg":"RS512")")});
  EXPECT_THAT(Verify(Token("RS256", "rsa-1"), pinned),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "does not match the signing key"));
}

TEST_F(IdTokenTest, RefusesMalformedTokens) {
  std::string token = Token("RS256", "rsa-1");
  for (const std::string& bad :
       {std::string(""), std::string("abc"), token + ".x", token.substr(0, token.rfind('.')),
        "!!." + token.substr(token.find('.') + 1), token + "=",
        Base64UrlEncode("[]") + token.substr(token.find('.')),
        std::string(size_t{70} * 1024, 'a') + ".b.c"}) {
    EXPECT_THAT(Verify(bad), IsError(ErrorCode::kNotAuthorized)) << bad.substr(0, 80);
  }
  claims_["sub"] = "42";
  EXPECT_THAT(Verify(Token("RS256", "rsa-1")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token claims"));
}

TEST_F(IdTokenTest, RefusesMalformedJwks) {
  const std::string token = Token("RS256", "rsa-1");
  const std::string ec_token = Token("ES256", "ec-1");
  for (const std::string& jwks :
       {std::string("not json"), std::string("[]"), std::string("{}"),
        std::string(R"({"keys":{}})"), std::string(R"({"keys":[1]})"),
        std::string(R"({"keys":[{"kid":"rsa-1"}]})"),
        std::string(R"({"keys":[{"kty":"RSA","kid":"rsa-1","e":"AQAB"}]})"),
        std::string(
            R"({"keys":[{"kty":"EC","kid":"ec-1","crv":"P-256","x":"AAAA","y":"AAAA"}]})")}) {
    EXPECT_THAT(Verify(ec_token, jwks), IsError(ErrorCode::kBadRequest)) << jwks;
  }
  EXPECT_THAT(Verify(token, R"({"keys":[{"kty":"RSA","kid":"rsa-1","n":"!!","e":"AQAB"}]})"),
              IsError(ErrorCode::kBadRequest));
  // Keys of types nobody uses here do not spoil the document.
  EXPECT_THAT(Verify(token, Jwks({R"({"kty":"OKP","crv":"Ed25519","x":"AA","kid":"ed"})",
                                  RsaJwk(rsa_.get(), "rsa-1")})),
              IsOk());
}

TEST_F(IdTokenTest, RefusesShortRsaKeys) {
  Pkey small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}));
  ASSERT_TRUE(small);
  std::string input = Base64UrlEncode(Header("RS256", "small")) + "." + Base64UrlEncode(Payload());
  std::string token = input + "." + Base64UrlEncode(SignRs256(small.get(), input));
  EXPECT_THAT(Verify(token, Jwks({RsaJwk(small.get(), "small")})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "2048"));
}

TEST_F(IdTokenTest, RefusesCriticalHeaders) {
  std::string header = R"({"alg":"RS256","kid":"rsa-1","crit":["exp"],"exp":1})";
  EXPECT_THAT(Verify(SignedToken(header, Payload(), "RS256")),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "critical"));
}

}  // namespace
}  // namespace pangolin::auth
