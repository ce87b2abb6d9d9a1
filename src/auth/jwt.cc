// Compact JWS with ES256: signing with the ring's active key and verification that trusts nothing
// in the token before its signature checks out, except the header fields needed to pick the key.
#include "auth/jwt.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "auth/jwt_internal.h"
#include "common/strings.h"
#include "serde/token_claims.h"

namespace pangolin::auth {
namespace {

using internal::DecodeBase64UrlStrict;
using internal::JwsParts;
using internal::Pkey;

constexpr size_t kMaxTokenBytes = 8 * 1024;
constexpr std::string_view kAlgorithm = "ES256";

tl::unexpected<Error> Unauthorized(std::string reason) {
  return MakeError(ErrorCode::kNotAuthorized, std::move(reason));
}

// iss, aud and the validity window. The window's ends are computed from the verifier's clock, so
// no arithmetic touches token-supplied times (which may be anywhere in int64).
Status CheckClaims(const serde::JwtPayload& payload, const VerifyOptions& options) {
  const TokenClaims& claims = payload.claims;
  if (claims.issuer != options.issuer) return Unauthorized("wrong token issuer");
  if (std::find(payload.audiences.begin(), payload.audiences.end(), options.audience) ==
      payload.audiences.end()) {
    return Unauthorized("wrong token audience");
  }
  const int64_t earliest = options.now - options.leeway;
  const int64_t latest = options.now + options.leeway;
  if (claims.expires_at <= earliest) return Unauthorized("token expired");
  if (claims.issued_at > latest || (payload.not_before && *payload.not_before > latest)) {
    return Unauthorized("token not yet valid");
  }
  if (claims.subject.empty() || claims.jti.empty()) return Unauthorized("invalid token claims");
  return Ok();
}

}  // namespace

struct KeyRing::Impl {
  std::map<std::string, Pkey, std::less<>> keys;  // by kid: every unexpired key
  EVP_PKEY* signer = nullptr;
  std::string signing_kid;
  std::string jwks;

  Status CheckSignature(const JwsParts& parts) const;
};

Status KeyRing::Impl::CheckSignature(const JwsParts& parts) const {
  std::optional<std::string> header_json = DecodeBase64UrlStrict(parts.header);
  if (!header_json) return Unauthorized("malformed token");
  auto header = serde::ParseJwtHeader(*header_json);
  if (!header) return Unauthorized("malformed token header");
  if (header->alg != kAlgorithm) return Unauthorized("unsupported token algorithm");
  if (header->has_crit) return Unauthorized("unsupported critical token header");
  auto key = header->kid ? keys.find(*header->kid) : keys.end();
  if (key == keys.end()) return Unauthorized("unknown signing key");
  std::optional<std::string> signature = DecodeBase64UrlStrict(parts.signature);
  if (!signature || !internal::VerifyEs256(key->second.get(), parts.signing_input, *signature)) {
    return Unauthorized("invalid token signature");
  }
  return Ok();
}

Result<SigningKey> GenerateSigningKey(std::string kid, int64_t now_ms) {
  ASSIGN_OR_RETURN(Pkey key, internal::GenerateP256Key());
  SigningKey out;
  out.kid = std::move(kid);
  out.algorithm = std::string(kAlgorithm);
  ASSIGN_OR_RETURN(out.private_key_pem, internal::PrivateKeyPem(key.get()));
  out.created_ms = now_ms;
  return out;
}

Result<std::shared_ptr<const KeyRing>> KeyRing::Make(const std::vector<SigningKey>& keys,
                                                     int64_t now_ms) {
  auto impl = std::make_unique<Impl>();
  std::vector<serde::PublicJwk> jwks;
  const SigningKey* newest = nullptr;
  for (const SigningKey& key : keys) {
    if (key.expires_ms && *key.expires_ms <= now_ms) continue;
    auto parsed = internal::ParseP256PrivateKey(key.private_key_pem);
    if (key.algorithm != kAlgorithm || !parsed) {
      return Err(ErrorCode::kInternal, "Signing key '{}' is not an ES256 (P-256) private key",
                 key.kid);
    }
    ASSIGN_OR_RETURN(internal::Coordinates point, internal::PublicCoordinates(parsed->get()));
    jwks.push_back({key.kid, Base64UrlEncode(point.x), Base64UrlEncode(point.y)});
    if (!impl->keys.emplace(key.kid, std::move(*parsed)).second) {
      return Err(ErrorCode::kInternal, "Duplicate signing key id '{}'", key.kid);
    }
    if (!key.retired_ms && (!newest || key.created_ms >= newest->created_ms)) newest = &key;
  }
  if (newest) {
    impl->signing_kid = newest->kid;
    impl->signer = impl->keys.at(newest->kid).get();
  }
  impl->jwks = serde::JwksJson(jwks);
  return std::shared_ptr<const KeyRing>(new KeyRing(std::move(impl)));
}

KeyRing::KeyRing(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KeyRing::~KeyRing() = default;

Result<std::string> KeyRing::Sign(const TokenClaims& claims) const {
  if (!impl_->signer) return Err(ErrorCode::kInternal, "No active token signing key");
  std::string input = Base64UrlEncode(serde::JwtHeaderJson(impl_->signing_kid)) + "." +
                      Base64UrlEncode(serde::TokenClaimsJson(claims));
  ASSIGN_OR_RETURN(std::string signature, internal::SignEs256(impl_->signer, input));
  return input + "." + Base64UrlEncode(signature);
}

Result<TokenClaims> KeyRing::Verify(std::string_view token, const VerifyOptions& options) const {
  if (token.size() > kMaxTokenBytes) return Unauthorized("token too large");
  std::optional<JwsParts> parts = internal::SplitJws(token);
  if (!parts) return Unauthorized("malformed token");
  RETURN_IF_ERROR(impl_->CheckSignature(*parts));
  std::optional<std::string> payload_json = DecodeBase64UrlStrict(parts->payload);
  if (!payload_json) return Unauthorized("malformed token");
  auto payload = serde::ParseTokenClaims(*payload_json);
  if (!payload) return Unauthorized("invalid token claims: " + payload.error().message);
  RETURN_IF_ERROR(CheckClaims(*payload, options));
  payload->claims.audience = options.audience;  // the audience this verifier accepted it for
  return std::move(payload->claims);
}

std::string KeyRing::Jwks() const { return impl_->jwks; }

const std::string& KeyRing::signing_kid() const { return impl_->signing_kid; }

}  // namespace pangolin::auth
