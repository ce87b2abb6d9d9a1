// ID token verification (OIDC Core §3.1.3.7). The JWKS is decoded first, so a broken document is
// reported as such whatever the token; nothing in the token is trusted before its signature checks
// out, except the header fields that pick the key and the algorithm, and those are bound to the
// key's type before use.
#include "auth/id_token.h"

#include <algorithm>
#include <vector>

#include "auth/jwk_internal.h"
#include "auth/jwt_internal.h"
#include "serde/id_token.h"
#include "serde/token_claims.h"

namespace pangolin::auth {
namespace {

using internal::DecodeBase64UrlStrict;
using internal::JwsParts;

constexpr size_t kMaxTokenBytes =
    size_t{64} * 1024;  // room for providers that put groups in the token

tl::unexpected<Error> Unauthorized(std::string reason) {
  return MakeError(ErrorCode::kNotAuthorized, std::move(reason));
}

// The key with the token's kid; without a kid, the JWKS's only key. Keys published for
// encryption are never signing keys.
Result<const serde::Jwk*> SelectKey(const std::vector<serde::Jwk>& keys,
                                    const std::optional<std::string>& kid) {
  auto signs = [](const serde::Jwk& key) { return !key.use || *key.use == "sig"; };
  if (!kid) {
    if (keys.size() == 1 && signs(keys.front())) return &keys.front();
    return Unauthorized("unknown signing key");
  }
  auto key = std::find_if(keys.begin(), keys.end(),
                          [&](const serde::Jwk& key) { return key.kid == kid && signs(key); });
  if (key == keys.end()) return Unauthorized("unknown signing key");
  return &*key;
}

Status CheckSignature(const JwsParts& parts, const std::vector<serde::Jwk>& keys) {
  std::optional<std::string> header_json = DecodeBase64UrlStrict(parts.header);
  if (!header_json) return Unauthorized("malformed token");
  auto header = serde::ParseJwtHeader(*header_json);
  if (!header) return Unauthorized("malformed token header");
  std::optional<internal::JwsAlgorithm> algorithm = internal::ParseJwsAlgorithm(header->alg);
  if (!algorithm) return Unauthorized("unsupported algorithm");
  if (header->has_crit) return Unauthorized("unsupported critical token header");
  ASSIGN_OR_RETURN(const serde::Jwk* jwk, SelectKey(keys, header->kid));
  auto key = internal::VerificationKey(*jwk, *algorithm);
  if (!key && key.error().code == ErrorCode::kUnsupported) {
    return Unauthorized("algorithm does not match the signing key");
  }
  if (!key) return Err(ErrorCode::kBadRequest, "Invalid JWKS document: {}", key.error().message);
  std::optional<std::string> signature = DecodeBase64UrlStrict(parts.signature);
  if (!signature || !internal::VerifyJws(*algorithm, key->get(), parts.signing_input, *signature)) {
    return Unauthorized("invalid token signature");
  }
  return Ok();
}

Status CheckAudience(const serde::IdTokenPayload& payload, const std::string& client_id) {
  const auto& audiences = payload.audiences;
  if (client_id.empty() ||
      std::find(audiences.begin(), audiences.end(), client_id) == audiences.end()) {
    return Unauthorized("wrong token audience");
  }
  // With several audiences the token must say it was issued to us (OIDC Core §3.1.3.7 items 4
  // and 5); a single audience's azp, when present, must name us too.
  const bool azp_ok =
      payload.authorized_party ? *payload.authorized_party == client_id : audiences.size() == 1;
  if (!azp_ok) return Unauthorized("wrong authorized party");
  return Ok();
}

// The window's ends are computed from the verifier's clock, so no arithmetic touches
// token-supplied times (which may be anywhere in int64).
Status CheckTimes(const serde::IdTokenPayload& payload, const IdTokenExpectations& expected) {
  const int64_t earliest = expected.now - expected.leeway;
  const int64_t latest = expected.now + expected.leeway;
  if (payload.expires_at <= earliest) return Unauthorized("token expired");
  if ((payload.issued_at && *payload.issued_at > latest) ||
      (payload.not_before && *payload.not_before > latest)) {
    return Unauthorized("token not yet valid");
  }
  return Ok();
}

Status CheckClaims(const serde::IdTokenPayload& payload, const IdTokenExpectations& expected) {
  if (payload.issuer.empty() || payload.issuer != expected.issuer) {
    return Unauthorized("wrong token issuer");
  }
  RETURN_IF_ERROR(CheckAudience(payload, expected.client_id));
  RETURN_IF_ERROR(CheckTimes(payload, expected));
  if (payload.nonce.value_or("") != expected.nonce) return Unauthorized("nonce mismatch");
  if (payload.subject.empty()) return Unauthorized("invalid token claims: empty sub");
  return Ok();
}

}  // namespace

Result<IdTokenClaims> VerifyIdToken(std::string_view token, std::string_view jwks_json,
                                    const IdTokenExpectations& expected) {
  auto keys = serde::ParseJwks(jwks_json);
  if (!keys) return Err(ErrorCode::kBadRequest, "Invalid JWKS document: {}", keys.error().message);
  if (token.size() > kMaxTokenBytes) return Unauthorized("token too large");
  std::optional<JwsParts> parts = internal::SplitJws(token);
  if (!parts) return Unauthorized("malformed token");
  RETURN_IF_ERROR(CheckSignature(*parts, *keys));
  std::optional<std::string> payload_json = DecodeBase64UrlStrict(parts->payload);
  if (!payload_json) return Unauthorized("malformed token");
  auto payload = serde::ParseIdTokenClaims(*payload_json);
  if (!payload) return Unauthorized("invalid token claims: " + payload.error().message);
  RETURN_IF_ERROR(CheckClaims(*payload, expected));
  return IdTokenClaims{std::move(payload->issuer), std::move(payload->subject),
                       std::move(payload->email),  payload->email_verified,
                       std::move(payload->name),   std::move(payload->preferred_username)};
}

}  // namespace pangolin::auth
