// OidcService: interactive login through an OpenID Connect provider given by its issuer. The
// authorization-code flow with PKCE (S256), a state and a nonce; every step's record lives in the
// store, so any server can finish a login another began. The browser never sees a token: the
// callback hands it a one-time code that the application trades at /api/v1/oauth/exchange.
// Accounts are linked by (issuer, subject); nobody becomes root this way, and an unknown account
// gets in only under the configured provisioning policy.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/id_token.h"
#include "common/clock.h"
#include "net/http_client.h"
#include "serde/oidc.h"
#include "service/auth_service.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct OidcOptions {
  std::string provider = "oidc";  // the {provider} path segment
  std::string issuer;
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;  // this server's callback, as registered at the provider
  // Where the browser may be sent back with the one-time code (exact matches).
  std::vector<std::string> landing_uris;
  // Unknown accounts with a verified email in one of `email_domains` become tenant users of
  // this tenant; without it (or without domains), only linked accounts log in.
  std::optional<TenantId> provision_tenant;
  std::vector<std::string> email_domains;
  std::chrono::seconds login_lifetime{600};  // state, nonce and PKCE verifier
  std::chrono::seconds code_lifetime{120};   // the one-time code
};

class OidcService {
 public:
  OidcService(net::HttpClient& http, store::MetadataStore& store, AuthService& auth,
              const Clock& clock, OidcOptions options)
      : http_(http), store_(store), auth_(auth), clock_(clock), options_(std::move(options)) {}

  std::vector<std::string> Providers() const { return {options_.provider}; }

  // The provider's authorization URL for a new login that ends at `landing` (default: the first
  // allowed landing URL). Errors: kNotFound (provider); kBadRequest (landing not allowed);
  // kUnavailable (the provider cannot be reached).
  Result<std::string> Begin(std::string_view provider, const std::optional<std::string>& landing);

  struct Finished {
    std::string landing_url;  // the landing URL with `code`
    catalog::User user;
  };
  // Finishes a login from the provider's callback. Errors: kNotFound (provider); kBadRequest
  // (unknown, used or expired state; the provider refused the code); kNotAuthorized (the ID
  // token); kForbidden (no linked account, and the provisioning policy does not admit it);
  // kUnavailable.
  Result<Finished> Finish(std::string_view provider, std::string_view code, std::string_view state);

  // Trades a one-time code (single use) for a session token. Errors: kNotAuthorized.
  Result<IssuedToken> Exchange(std::string_view code);

 private:
  Result<serde::OidcDiscovery> Discovery();
  Result<std::string> Jwks(bool refresh);
  Result<std::string> RedeemCode(const serde::OidcDiscovery& discovery, std::string_view code,
                                 const serde::OidcLoginState& state);
  Result<catalog::User> AccountFor(const auth::IdTokenClaims& claims);

  net::HttpClient& http_;
  store::MetadataStore& store_;
  AuthService& auth_;
  const Clock& clock_;
  OidcOptions options_;
  std::mutex mu_;
  std::optional<serde::OidcDiscovery> discovery_;
  std::string jwks_;
  int64_t jwks_fetched_ms_ = 0;
};

}  // namespace pangolin::service
