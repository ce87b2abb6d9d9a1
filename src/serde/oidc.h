// JSON of OpenID Connect logins: the provider's discovery document and token answer, and the
// payloads Pangolin keeps in the store between the steps of a login.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::serde {

struct OidcDiscovery {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
};
// Errors: kBadRequest naming a missing or ill-typed member.
Result<OidcDiscovery> ParseOidcDiscovery(std::string_view json);

// The `id_token` of a token endpoint answer. Errors: kBadRequest (none, or `error` given: the
// message carries the provider's `error` and `error_description`).
Result<std::string> IdTokenOfTokenResponse(std::string_view json);

// What a login keeps from its start to the provider's callback.
struct OidcLoginState {
  std::string nonce;
  std::string code_verifier;
  std::string landing;  // where the browser goes with the one-time code
};
std::string OidcLoginStateJson(const OidcLoginState& state);
Result<OidcLoginState> ParseOidcLoginState(std::string_view json);

// `{"code": ...}` of POST /api/v1/oauth/exchange. Errors: kBadRequest; kUnprocessable.
Result<std::string> ParseOAuthExchangeRequest(std::string_view json);
// `{"token": ..., "token_type": "bearer", "expires_in": ...}`.
std::string OAuthExchangeJson(const std::string& token, int64_t expires_in);
// `{"providers": [...]}`.
std::string OAuthProvidersJson(const std::vector<std::string>& providers);

}  // namespace pangolin::serde
