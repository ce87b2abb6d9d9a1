// ES256 JWTs: the RFC 7515 A.3 example checks out at the signature level, tokens round-trip
// through a key ring, and every way a token can be wrong (time, issuer, audience, key, algorithm,
// encoding, tampering) is refused with kNotAuthorized; rotation keeps old tokens valid.
#include "auth/jwt.h"

#include <gtest/gtest.h>

#include "auth/jwt_internal.h"
#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::auth {
namespace {

using catalog::PrincipalKind;
using catalog::UserRole;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

constexpr int64_t kNow = 1'700'000'000;  // Unix seconds
constexpr int64_t kNowMs = kNow * 1000;
constexpr char kIssuer[] = "https://pangolin.test";
constexpr char kAudience[] = "pangolin";

std::string Decode(std::string_view text) { return *Base64UrlDecode(text); }

// RFC 7515 Appendix A.3: an ES256 JWS and the public half of its key ("d" is
// jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI, not needed to verify).
constexpr char kRfcX[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr char kRfcY[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr char kRfcSigningInput[] =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr char kRfcSignature[] =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

TEST(Es256Test, VerifiesRfc7515AppendixA3) {
  ASSERT_OK_AND_ASSIGN(internal::Pkey key, internal::P256PublicKey(Decode(kRfcX), Decode(kRfcY)));
  std::string signature = Decode(kRfcSignature);
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_TRUE(internal::VerifyEs256(key.get(), kRfcSigningInput, signature));

  for (size_t i : {size_t{0}, size_t{31}, size_t{32}, size_t{63}}) {
    std::string flipped = signature;
    flipped[i] ^= 0x01;
    EXPECT_FALSE(internal::VerifyEs256(key.get(), kRfcSigningInput, flipped)) << i;
  }
  std::string input = kRfcSigningInput;
  input[5] ^= 0x01;
  EXPECT_FALSE(internal::VerifyEs256(key.get(), input, signature));
  EXPECT_FALSE(internal::VerifyEs256(key.get(), kRfcSigningInput, signature.substr(1)));
  EXPECT_FALSE(internal::VerifyEs256(key.get(), kRfcSigningInput, std::string(64, '\0')));
  EXPECT_FALSE(internal::VerifyEs256(key.get(), kRfcSigningInput, std::string(64, '\xFF')));
}

TEST(Es256Test, RefusesPointsOffTheCurve) {
  std::string y = Decode(kRfcY);
  y[31] ^= 0x01;
  EXPECT_THAT(internal::P256PublicKey(Decode(kRfcX), y), IsError(ErrorCode::kInternal));
  EXPECT_THAT(internal::P256PublicKey("short", Decode(kRfcY)), IsError(ErrorCode::kInternal));
}

TEST(Es256Test, SignsInRawFormAndRoundTripsPem) {
  ASSERT_OK_AND_ASSIGN(SigningKey generated, GenerateSigningKey("k", kNowMs));
  EXPECT_EQ(generated.algorithm, "ES256");
  EXPECT_EQ(generated.created_ms, kNowMs);
  EXPECT_TRUE(StartsWith(generated.private_key_pem, "-----BEGIN PRIVATE KEY-----"));
  ASSERT_OK_AND_ASSIGN(internal::Pkey key,
                       internal::ParseP256PrivateKey(generated.private_key_pem));
  ASSERT_OK_AND_ASSIGN(std::string signature, internal::SignEs256(key.get(), "hello"));
  EXPECT_EQ(signature.size(), 64u);
  ASSERT_OK_AND_ASSIGN(internal::Coordinates point, internal::PublicCoordinates(key.get()));
  ASSERT_OK_AND_ASSIGN(internal::Pkey public_key, internal::P256PublicKey(point.x, point.y));
  EXPECT_TRUE(internal::VerifyEs256(public_key.get(), "hello", signature));
  EXPECT_FALSE(internal::VerifyEs256(public_key.get(), "hellO", signature));
}

TEST(Es256Test, StrictBase64Url) {
  EXPECT_EQ(internal::DecodeBase64UrlStrict("YWI"), "ab");
  EXPECT_EQ(internal::DecodeBase64UrlStrict(""), "");
  EXPECT_FALSE(internal::DecodeBase64UrlStrict("YWI="));  // padding
  EXPECT_FALSE(internal::DecodeBase64UrlStrict("YWJ"));   // non-zero trailing bits
  EXPECT_FALSE(internal::DecodeBase64UrlStrict("Y"));     // impossible length
  EXPECT_FALSE(internal::DecodeBase64UrlStrict("YW+"));   // standard alphabet
}

TokenClaims Claims() {
  TokenClaims claims;
  claims.issuer = kIssuer;
  claims.audience = kAudience;
  claims.subject = "user-1";
  claims.jti = "jti-1";
  claims.issued_at = kNow;
  claims.expires_at = kNow + 3600;
  claims.username = "alice";
  claims.tenant_id = TenantId{"tenant-1"};
  claims.role = UserRole::kTenantAdmin;
  claims.principal_kind = PrincipalKind::kUser;
  return claims;
}

VerifyOptions Options(int64_t now = kNow) { return VerifyOptions{kIssuer, kAudience, now, 60}; }

SigningKey Key(std::string kid, int64_t created_ms) {
  return *GenerateSigningKey(std::move(kid), created_ms);
}

std::shared_ptr<const KeyRing> Ring(const std::vector<SigningKey>& keys) {
  return *KeyRing::Make(keys, kNowMs);
}

// A token with arbitrary header and payload JSON, validly signed with `key`.
std::string Forge(const SigningKey& key, std::string_view header, std::string_view payload) {
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  internal::Pkey pkey = *internal::ParseP256PrivateKey(key.private_key_pem);
  return input + "." + Base64UrlEncode(*internal::SignEs256(pkey.get(), input));
}

std::string Payload(std::string_view extra = R"("aud":"pangolin")") {
  return fmt::format(R"({{"iss":"{}","sub":"user-1","jti":"j","iat":{},"exp":{},)"
                     R"("role":"tenant-user",{}}})",
                     kIssuer, kNow, kNow + 600, extra);
}

std::vector<std::string> Parts(const std::string& token) { return Split(token, "."); }

class KeyRingTest : public ::testing::Test {
 protected:
  SigningKey key_ = Key("k1", kNowMs - 1000);
  std::shared_ptr<const KeyRing> ring_ = Ring({key_});
};

TEST_F(KeyRingTest, SignVerifyRoundTrip) {
  EXPECT_EQ(ring_->signing_kid(), "k1");
  for (bool with_tenant : {true, false}) {
    TokenClaims claims = Claims();
    if (!with_tenant) claims.tenant_id.reset();
    ASSERT_OK_AND_ASSIGN(std::string token, ring_->Sign(claims));
    std::vector<std::string> parts = Parts(token);
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(Decode(parts[0]), R"({"alg":"ES256","typ":"JWT","kid":"k1"})");
    EXPECT_EQ(Decode(parts[2]).size(), 64u);
    EXPECT_EQ(token.find('='), std::string::npos);
    ASSERT_OK_AND_ASSIGN(TokenClaims verified, ring_->Verify(token, Options()));
    EXPECT_EQ(verified, claims);
  }
}

TEST_F(KeyRingTest, RefusesExpiredTokens) {
  TokenClaims claims = Claims();
  claims.expires_at = kNow - 61;
  EXPECT_THAT(ring_->Verify(*ring_->Sign(claims), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "token expired"));
  claims.expires_at = kNow - 30;  // within the leeway
  EXPECT_THAT(ring_->Verify(*ring_->Sign(claims), Options()), IsOk());
  EXPECT_THAT(ring_->Verify(*ring_->Sign(Claims()), Options(kNow + 3600 + 60)),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "token expired"));
}

TEST_F(KeyRingTest, RefusesTokensNotYetValid) {
  TokenClaims claims = Claims();
  claims.issued_at = kNow + 3600;
  claims.expires_at = kNow + 7200;
  EXPECT_THAT(ring_->Verify(*ring_->Sign(claims), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "token not yet valid"));
  claims.issued_at = kNow + 30;  // clock skew within the leeway
  EXPECT_THAT(ring_->Verify(*ring_->Sign(claims), Options()), IsOk());
  std::string future_nbf = Forge(key_, R"({"alg":"ES256","kid":"k1"})",
                                 Payload(fmt::format(R"("aud":"pangolin","nbf":{})", kNow + 3600)));
  EXPECT_THAT(ring_->Verify(future_nbf, Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "token not yet valid"));
}

TEST_F(KeyRingTest, RefusesWrongIssuerOrAudience) {
  std::string token = *ring_->Sign(Claims());
  VerifyOptions options = Options();
  options.issuer = "https://elsewhere.test";
  EXPECT_THAT(ring_->Verify(token, options),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong token issuer"));
  options = Options();
  options.audience = "other";
  EXPECT_THAT(ring_->Verify(token, options),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong token audience"));
}

TEST_F(KeyRingTest, AcceptsAudienceArrays) {
  const std::string header = R"({"alg":"ES256","typ":"JWT","kid":"k1"})";
  std::string token = Forge(key_, header, Payload(R"("aud":["other","pangolin"])"));
  ASSERT_OK_AND_ASSIGN(TokenClaims claims, ring_->Verify(token, Options()));
  EXPECT_EQ(claims.audience, kAudience);
  EXPECT_EQ(claims.role, UserRole::kTenantUser);
  EXPECT_THAT(ring_->Verify(Forge(key_, header, Payload(R"("aud":["other"])")), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "wrong token audience"));
}

TEST_F(KeyRingTest, RefusesUnknownKeys) {
  auto other_ring = Ring({Key("k2", kNowMs)});
  EXPECT_THAT(ring_->Verify(*other_ring->Sign(Claims()), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unknown signing key"));
  // The right kid with another key's signature.
  SigningKey impostor = Key("k1", kNowMs);
  EXPECT_THAT(ring_->Verify(Forge(impostor, R"({"alg":"ES256","kid":"k1"})", Payload()), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token signature"));
  EXPECT_THAT(ring_->Verify(Forge(key_, R"({"alg":"ES256"})", Payload()), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unknown signing key"));
}

TEST_F(KeyRingTest, RefusesTamperedTokens) {
  std::vector<std::string> parts = Parts(*ring_->Sign(Claims()));
  std::string payload = Decode(parts[1]);
  size_t role = payload.find("tenant-admin");
  ASSERT_NE(role, std::string::npos);
  payload.replace(role, std::string("tenant-admin").size(), "root");
  std::string forged = parts[0] + "." + Base64UrlEncode(payload) + "." + parts[2];
  EXPECT_THAT(ring_->Verify(forged, Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token signature"));

  // The same signature bytes spelled differently (a non-zero unused trailing bit).
  std::string signature = parts[2];
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  signature.back() = kAlphabet[kAlphabet.find(signature.back()) ^ 1];
  ASSERT_EQ(Decode(signature), Decode(parts[2]));
  EXPECT_THAT(ring_->Verify(parts[0] + "." + parts[1] + "." + signature, Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token signature"));
}

TEST_F(KeyRingTest, RefusesOtherAlgorithms) {
  std::string payload = Base64UrlEncode(Payload());
  std::string none = Base64UrlEncode(R"({"alg":"none","kid":"k1"})") + "." + payload;
  EXPECT_THAT(ring_->Verify(none + ".", Options()), IsError(ErrorCode::kNotAuthorized));
  EXPECT_THAT(ring_->Verify(none + ".c2ln", Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unsupported token algorithm"));
  // Validly signed with the ring's key, but labelled with another algorithm.
  for (std::string_view alg : {"none", "HS256", "ES384", "es256"}) {
    std::string header = fmt::format(R"({{"alg":"{}","kid":"k1"}})", alg);
    EXPECT_THAT(ring_->Verify(Forge(key_, header, Payload()), Options()),
                IsErrorWithMessage(ErrorCode::kNotAuthorized, "unsupported token algorithm"))
        << alg;
  }
  EXPECT_THAT(ring_->Verify(Forge(key_, R"({"alg":"ES256","kid":"k1","crit":["exp"]})", Payload()),
                            Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "critical"));
}

TEST_F(KeyRingTest, RefusesMalformedTokens) {
  std::string token = *ring_->Sign(Claims());
  std::vector<std::string> parts = Parts(token);
  for (const std::string& bad :
       {std::string(), std::string("abc"), parts[0] + "." + parts[1], token + "." + parts[2],
        "." + parts[1] + "." + parts[2], parts[0] + ".." + parts[2],
        parts[0] + "=." + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + "!." + parts[2],
        std::string("a.b.c")}) {
    EXPECT_THAT(ring_->Verify(bad, Options()), IsError(ErrorCode::kNotAuthorized)) << bad;
  }
  EXPECT_THAT(ring_->Verify(parts[0] + "." + parts[1] + "." + parts[2] + "AA", Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token signature"));
  EXPECT_THAT(ring_->Verify(Base64UrlEncode("[]") + "." + parts[1] + "." + parts[2], Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "malformed token header"));
  EXPECT_THAT(ring_->Verify(std::string(8 * 1024 + 1, 'a'), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "token too large"));
}

TEST_F(KeyRingTest, RefusesTokensWithoutTheClaimsPangolinNeeds) {
  const std::string header = R"({"alg":"ES256","kid":"k1"})";
  std::string no_jti = fmt::format(R"({{"iss":"{}","aud":"{}","sub":"s","exp":{},"role":"root"}})",
                                   kIssuer, kAudience, kNow + 60);
  EXPECT_THAT(ring_->Verify(Forge(key_, header, no_jti), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "jti"));
  std::string no_exp = fmt::format(R"({{"iss":"{}","aud":"{}","sub":"s","jti":"j","role":"root"}})",
                                   kIssuer, kAudience);
  EXPECT_THAT(ring_->Verify(Forge(key_, header, no_exp), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "exp"));
  EXPECT_THAT(
      ring_->Verify(Forge(key_, header, Payload(R"("aud":"pangolin","role":"god")")), Options()),
      IsErrorWithMessage(ErrorCode::kNotAuthorized, "role"));
  EXPECT_THAT(ring_->Verify(Forge(key_, header, "not json"), Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "invalid token claims"));
}

TEST(KeyRingRotationTest, RetiredKeysVerifyButDoNotSign) {
  SigningKey old_key = Key("old", kNowMs - 10'000);
  std::string old_token = *Ring({old_key})->Sign(Claims());
  old_key.retired_ms = kNowMs - 5'000;
  SigningKey new_key = Key("new", kNowMs - 5'000);
  auto ring = Ring({new_key, old_key});
  EXPECT_EQ(ring->signing_kid(), "new");
  EXPECT_THAT(ring->Verify(old_token, Options()), IsOk());
  ASSERT_OK_AND_ASSIGN(std::string token, ring->Sign(Claims()));
  EXPECT_EQ(Decode(Parts(token)[0]), R"({"alg":"ES256","typ":"JWT","kid":"new"})");

  auto retired_only = Ring({old_key});
  EXPECT_EQ(retired_only->signing_kid(), "");
  EXPECT_THAT(retired_only->Sign(Claims()), IsError(ErrorCode::kInternal));
  EXPECT_THAT(retired_only->Verify(old_token, Options()), IsOk());
  EXPECT_THAT(Ring({})->Sign(Claims()), IsError(ErrorCode::kInternal));
}

TEST(KeyRingRotationTest, NewestActiveKeySigns) {
  SigningKey older = Key("older", kNowMs - 2'000);
  SigningKey newer = Key("newer", kNowMs - 1'000);
  EXPECT_EQ(Ring({newer, older})->signing_kid(), "newer");
  EXPECT_EQ(Ring({older, newer})->signing_kid(), "newer");
}

TEST(KeyRingRotationTest, ExpiredKeysLeaveTheRing) {
  SigningKey old_key = Key("old", kNowMs - 10'000);
  std::string old_token = *Ring({old_key})->Sign(Claims());
  old_key.retired_ms = kNowMs - 5'000;
  old_key.expires_ms = kNowMs;
  old_key.private_key_pem = "expired keys are not even parsed";
  auto ring = Ring({old_key, Key("new", kNowMs - 5'000)});
  EXPECT_THAT(ring->Verify(old_token, Options()),
              IsErrorWithMessage(ErrorCode::kNotAuthorized, "unknown signing key"));
  EXPECT_EQ(ring->Jwks().find("\"old\""), std::string::npos) << ring->Jwks();
  EXPECT_NE(ring->Jwks().find(R"("kid":"new")"), std::string::npos) << ring->Jwks();
}

TEST(KeyRingRotationTest, RefusesUnparsableKeys) {
  SigningKey broken = Key("broken", kNowMs);
  broken.private_key_pem = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n";
  auto ring = KeyRing::Make({Key("fine", kNowMs), broken}, kNowMs);
  EXPECT_THAT(ring, IsErrorWithMessage(ErrorCode::kInternal, "'broken'"));
  EXPECT_EQ(ring.error().message.find("c2VjcmV0"), std::string::npos);
  SigningKey wrong_alg = Key("rs", kNowMs);
  wrong_alg.algorithm = "RS256";
  EXPECT_THAT(KeyRing::Make({wrong_alg}, kNowMs), IsErrorWithMessage(ErrorCode::kInternal, "'rs'"));
  EXPECT_THAT(KeyRing::Make({Key("dup", kNowMs), Key("dup", kNowMs)}, kNowMs),
              IsErrorWithMessage(ErrorCode::kInternal, "'dup'"));
}

TEST(KeyRingRotationTest, JwksPublishesEachUnexpiredPublicKey) {
  SigningKey first = Key("first", kNowMs - 2'000);
  SigningKey second = Key("second", kNowMs - 1'000);
  second.retired_ms = kNowMs;
  auto ring = Ring({first, second});
  std::string jwks = ring->Jwks();
  std::string token = *ring->Sign(Claims());
  std::vector<std::string> parts = Parts(token);
  for (const SigningKey& key : {first, second}) {
    internal::Pkey pkey = *internal::ParseP256PrivateKey(key.private_key_pem);
    internal::Coordinates point = *internal::PublicCoordinates(pkey.get());
    std::string x = Base64UrlEncode(point.x);
    std::string y = Base64UrlEncode(point.y);
    EXPECT_EQ(x.size(), 43u);
    EXPECT_EQ(y.size(), 43u);
    std::string jwk = fmt::format(
        R"({{"kty":"EC","crv":"P-256","x":"{}","y":"{}","kid":"{}","alg":"ES256","use":"sig"}})", x,
        y, key.kid);
    EXPECT_NE(jwks.find(jwk), std::string::npos) << jwks;
    // What a relying party would do: rebuild the key from the JWK and check a token with it.
    internal::Pkey published = *internal::P256PublicKey(Decode(x), Decode(y));
    EXPECT_EQ(internal::VerifyEs256(published.get(), parts[0] + "." + parts[1], Decode(parts[2])),
              key.kid == "first");
  }
  EXPECT_TRUE(StartsWith(jwks, R"({"keys":[{)")) << jwks;
  EXPECT_EQ(jwks.find(R"("d")"), std::string::npos);
  EXPECT_EQ(Ring({})->Jwks(), R"({"keys":[]})");
}

}  // namespace
}  // namespace pangolin::auth
