// OidcService; see oidc_service.h.
#include "service/oidc_service.h"

#include <algorithm>

#include "common/digest.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"

namespace pangolin::service {
namespace {

// How often an unknown signing key may make a server fetch the provider's keys again.
constexpr int64_t kJwksRefreshIntervalMs = 10'000;
constexpr size_t kMaxProviderAnswer = 1u << 20;

std::string RandomToken() { return Base64UrlEncode(RandomBytes(32)); }

// The store key of a one-time code: a hash, so that the store never holds a usable code.
std::string CodeKey(std::string_view code) { return "code:" + Sha256Hex(code); }

std::string WithQuery(std::string url, const std::vector<std::pair<std::string, std::string>>& q) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + net::FormEncode(q);
}

Result<net::HttpResponse> Fetch(net::HttpClient& http, net::HttpRequest request) {
  request.max_response_bytes = kMaxProviderAnswer;
  ASSIGN_OR_RETURN(auto response, http.Send(request));
  if (response.status / 100 != 2 && response.status != 400 && response.status != 401) {
    return Err(ErrorCode::kUnavailable, "The OpenID provider answered {} at {}", response.status,
               request.url);
  }
  return response;
}

std::string EmailDomain(const std::string& email) {
  auto at = email.rfind('@');
  return at == std::string::npos ? "" : ToLower(email.substr(at + 1));
}

}  // namespace

Result<serde::OidcDiscovery> OidcService::Discovery() {
  {
    std::lock_guard lock(mu_);
    if (discovery_) return *discovery_;
  }
  std::string url = options_.issuer;
  if (!EndsWith(url, "/")) url += '/';
  ASSIGN_OR_RETURN(auto response,
                   Fetch(http_, {"GET", url + ".well-known/openid-configuration", {}, ""}));
  if (response.status != 200) {
    return Err(ErrorCode::kUnavailable, "OpenID discovery failed: HTTP {}", response.status);
  }
  auto parsed = serde::ParseOidcDiscovery(response.body);
  if (!parsed) return Err(ErrorCode::kUnavailable, "{}", parsed.error().message);
  if (parsed->issuer != options_.issuer) {
    return Err(ErrorCode::kUnavailable, "The provider names itself '{}', not '{}'", parsed->issuer,
               options_.issuer);
  }
  std::lock_guard lock(mu_);
  discovery_ = *parsed;
  return *parsed;
}

Result<std::string> OidcService::Jwks(bool refresh) {
  int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    bool fresh = !jwks_.empty() && (!refresh || now - jwks_fetched_ms_ < kJwksRefreshIntervalMs);
    if (fresh) return jwks_;
  }
  ASSIGN_OR_RETURN(auto discovery, Discovery());
  ASSIGN_OR_RETURN(auto response, Fetch(http_, {"GET", discovery.jwks_uri, {}, ""}));
  if (response.status != 200) {
    return Err(ErrorCode::kUnavailable, "Fetching the provider's keys failed: HTTP {}",
               response.status);
  }
  std::lock_guard lock(mu_);
  jwks_ = response.body;
  jwks_fetched_ms_ = now;
  return jwks_;
}

Result<std::string> OidcService::Begin(std::string_view provider,
                                       const std::optional<std::string>& landing) {
  if (provider != options_.provider) return Err(ErrorCode::kNotFound, "No provider {}", provider);
  std::string target =
      landing.value_or(options_.landing_uris.empty() ? "" : options_.landing_uris[0]);
  if (std::find(options_.landing_uris.begin(), options_.landing_uris.end(), target) ==
      options_.landing_uris.end()) {
    return Err(ErrorCode::kBadRequest, "redirect_uri '{}' is not an allowed landing URL", target);
  }
  ASSIGN_OR_RETURN(auto discovery, Discovery());
  serde::OidcLoginState login{RandomToken(), RandomToken() + RandomToken(), target};
  std::string state = RandomToken();
  int64_t expires = clock_.NowMs() + options_.login_lifetime.count() * 1000;
  RETURN_IF_ERROR(
      store_.PutOAuthState({"state:" + state, serde::OidcLoginStateJson(login), expires}));
  return WithQuery(discovery.authorization_endpoint,
                   {{"response_type", "code"},
                    {"client_id", options_.client_id},
                    {"redirect_uri", options_.redirect_uri},
                    {"scope", "openid email profile"},
                    {"state", state},
                    {"nonce", login.nonce},
                    {"code_challenge", Base64UrlEncode(Sha256(login.code_verifier))},
                    {"code_challenge_method", "S256"}});
}

Result<std::string> OidcService::RedeemCode(const serde::OidcDiscovery& discovery,
                                            std::string_view code,
                                            const serde::OidcLoginState& login) {
  // client_secret_basic (RFC 6749 §2.3.1): each part form-encoded, then base64.
  std::string basic =
      PercentEncode(options_.client_id) + ":" + PercentEncode(options_.client_secret);
  net::HttpRequest request{"POST", discovery.token_endpoint, {}, ""};
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"},
                     {"Authorization", "Basic " + Base64Encode(basic)}};
  request.body = net::FormEncode({{"grant_type", "authorization_code"},
                                  {"code", std::string(code)},
                                  {"redirect_uri", options_.redirect_uri},
                                  {"code_verifier", login.code_verifier}});
  ASSIGN_OR_RETURN(auto response, Fetch(http_, std::move(request)));
  return serde::IdTokenOfTokenResponse(response.body);
}

Result<OidcService::Finished> OidcService::Finish(std::string_view provider, std::string_view code,
                                                  std::string_view state) {
  if (provider != options_.provider) return Err(ErrorCode::kNotFound, "No provider {}", provider);
  ASSIGN_OR_RETURN(auto record,
                   store_.TakeOAuthState("state:" + std::string(state), clock_.NowMs()));
  if (!record) return Err(ErrorCode::kBadRequest, "Unknown, used or expired login state");
  ASSIGN_OR_RETURN(auto login, serde::ParseOidcLoginState(record->payload));
  ASSIGN_OR_RETURN(auto discovery, Discovery());
  ASSIGN_OR_RETURN(std::string id_token, RedeemCode(discovery, code, login));
  auth::IdTokenExpectations expected{options_.issuer, options_.client_id, login.nonce,
                                     clock_.NowMs() / 1000};
  ASSIGN_OR_RETURN(std::string jwks, Jwks(false));
  auto claims = auth::VerifyIdToken(id_token, jwks, expected);
  if (!claims && claims.error().message.find("unknown signing key") != std::string::npos) {
    ASSIGN_OR_RETURN(jwks, Jwks(true));
    claims = auth::VerifyIdToken(id_token, jwks, expected);
  }
  if (!claims) return tl::unexpected(claims.error());
  ASSIGN_OR_RETURN(auto user, AccountFor(*claims));
  std::string one_time = RandomToken();
  int64_t expires = clock_.NowMs() + options_.code_lifetime.count() * 1000;
  RETURN_IF_ERROR(store_.PutOAuthState({CodeKey(one_time), user.id, expires}));
  return Finished{WithQuery(login.landing, {{"code", one_time}}), std::move(user)};
}

Result<catalog::User> OidcService::AccountFor(const auth::IdTokenClaims& claims) {
  auto linked = store_.FindUserByOidc(claims.issuer, claims.subject);
  if (linked) {
    if (!linked->active) return Err(ErrorCode::kNotAuthorized, "User is inactive");
    return linked;
  }
  if (linked.error().code != ErrorCode::kNotFound) return tl::unexpected(linked.error());
  const auto& domains = options_.email_domains;
  bool admitted =
      options_.provision_tenant && claims.email && claims.email_verified &&
      std::find(domains.begin(), domains.end(), EmailDomain(*claims.email)) != domains.end();
  if (!admitted) {
    return Err(ErrorCode::kForbidden,
               "No account is linked to this login; ask an admin of your tenant for access");
  }
  const TenantId& tenant = *options_.provision_tenant;
  // An account named by the verified email is linked; otherwise a tenant user is made.
  if (auto existing = store_.FindUserByName(tenant, *claims.email); existing) {
    if (existing->oauth_subject) {
      return Err(ErrorCode::kForbidden, "Account {} is linked to another login", *claims.email);
    }
    existing->oauth_issuer = claims.issuer;
    existing->oauth_subject = claims.subject;
    existing->updated_ms = clock_.NowMs();
    RETURN_IF_ERROR(store_.UpdateUser(*existing));
    return existing;
  }
  catalog::User user;
  user.id = NewUuid();
  user.username = *claims.email;
  user.email = *claims.email;
  user.oauth_issuer = claims.issuer;
  user.oauth_subject = claims.subject;
  user.tenant_id = tenant;
  user.role = catalog::UserRole::kTenantUser;
  user.created_ms = user.updated_ms = clock_.NowMs();
  RETURN_IF_ERROR(store_.CreateUser(user));
  log::Info("provisioned an account from an OpenID login").With("username", user.username);
  return user;
}

Result<IssuedToken> OidcService::Exchange(std::string_view code) {
  ASSIGN_OR_RETURN(auto record, store_.TakeOAuthState(CodeKey(code), clock_.NowMs()));
  if (!record) return Err(ErrorCode::kNotAuthorized, "Unknown, used or expired code");
  ASSIGN_OR_RETURN(auto user, store_.GetUser(std::nullopt, record->payload));
  return auth_.IssueSession(user);
}

}  // namespace pangolin::service
