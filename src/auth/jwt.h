// Pangolin's access tokens: compact JWS (RFC 7515) signed with ES256 (ECDSA P-256, SHA-256) by
// the newest active key of a key ring, each token naming its key in the `kid` header, and the
// public half of every unexpired key published as a JWKS (RFC 7517) so that other services can
// verify tokens. A key ring is an immutable value: rotation builds a new one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/identity.h"
#include "common/result.h"

namespace pangolin::auth {

using catalog::SigningKey;
using catalog::TokenClaims;

// A new P-256 key named `kid`, created at `now_ms`. Errors: kInternal (OpenSSL failure).
Result<SigningKey> GenerateSigningKey(std::string kid, int64_t now_ms);

struct VerifyOptions {
  std::string issuer;    // `iss` must equal it
  std::string audience;  // `aud` (a string or an array) must contain it
  int64_t now = 0;       // Unix seconds
  int64_t leeway = 60;   // seconds of clock skew tolerated on exp, iat and nbf
};

class KeyRing {
 public:
  // Parses every key not yet expired at `now_ms`; the newest key without retired_ms signs.
  // Errors: kInternal naming a key whose PEM does not parse as a P-256 private key.
  static Result<std::shared_ptr<const KeyRing>> Make(const std::vector<SigningKey>& keys,
                                                     int64_t now_ms);
  ~KeyRing();
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // A signed token carrying `claims`. Errors: kInternal when the ring has no signing key.
  Result<std::string> Sign(const TokenClaims& claims) const;

  // The claims of `token` after checking: three base64url parts; header alg ES256 and a kid in
  // the ring; a valid signature; iss, aud, exp (required), iat and nbf against `options`; the
  // claims Pangolin needs (sub, jti, role). Errors: kNotAuthorized with a short reason that names
  // no key material ("token expired", "unknown signing key", ...).
  Result<TokenClaims> Verify(std::string_view token, const VerifyOptions& options) const;

  // {"keys": [...]} with each unexpired key's public JWK (kty EC, crv P-256, x, y, kid, alg,
  // use "sig").
  std::string Jwks() const;

  // The kid that signs, empty when none.
  const std::string& signing_kid() const;

 private:
  struct Impl;
  explicit KeyRing(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pangolin::auth
