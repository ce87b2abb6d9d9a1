// ID tokens of OpenID Connect providers (OIDC Core §2, §3.1.3.7): signed JWTs checked against
// the provider's JWKS document (RS256, RS384, RS512, ES256 and ES384 with RSA and EC keys), its
// issuer, our client id as audience, the expiry and the nonce of the login that asked for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::auth {

struct IdTokenExpectations {
  std::string issuer;     // `iss` must equal it
  std::string client_id;  // `aud` (string or array) must contain it; `azp`, if present, too
  std::string nonce;      // `nonce` must equal it
  int64_t now = 0;        // Unix seconds
  int64_t leeway = 60;
};

struct IdTokenClaims {
  std::string issuer;
  std::string subject;
  std::optional<std::string> email;
  bool email_verified = false;
  std::optional<std::string> name;
  std::optional<std::string> preferred_username;
};

// Errors: kNotAuthorized with a short reason ("unknown signing key", "token expired", "nonce
// mismatch", "unsupported algorithm", ...); kBadRequest when `jwks_json` is not a JWKS document.
Result<IdTokenClaims> VerifyIdToken(std::string_view token, std::string_view jwks_json,
                                    const IdTokenExpectations& expected);

}  // namespace pangolin::auth
