// Login, logout, tokens, revocation, the OAuth2 client-credentials endpoint and the public keys.
#include "api/iceberg/request_parsing.h"
#include "api/management/identity_routes.h"
#include "api/management/management_internal.h"
#include "common/clock.h"
#include "serde/identity.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using service::AuthService;

Response TokenResponse(const service::IssuedToken& issued) {
  return Response::Json(200, serde::IssuedTokenJson(issued.token, issued.claims));
}

// RFC 6749 §5.2 error answer, which OAuth2 clients (PyIceberg, the Java client) read.
Response OAuthError(int status, std::string_view error, std::string_view description) {
  return Response::Json(status, serde::OAuthErrorJson(error, description));
}

// A login or token request's outcome in the audit trail, in the tenant of the account tried
// (the default tenant when there is none).
void RecordCredentialCheck(service::AuditLog& audit, AuthService& auth, const Context& ctx,
                           std::string action, std::string resource_type, std::string_view username,
                           const std::optional<TenantId>& tenant,
                           const std::optional<std::string>& user_id, const Error* error) {
  Context in_tenant = ctx;
  if (tenant && auth.TenantExists(*tenant)) in_tenant.tenant = *tenant;
  auto entry =
      audit.Entry(in_tenant, std::move(action), std::move(resource_type), std::string(username));
  entry.username = std::string(username);
  entry.user_id = user_id;
  audit.Record(std::move(entry), error);
}

// What the credential endpoints need: verification, the audit trail and the throttle.
struct CredentialChecks {
  AuthService& auth;
  service::AuditLog& audit;
  service::RateLimiter& limiter;
};

// POST /v1/oauth/tokens: client_credentials with a service user's id and API key.
Response OAuthToken(const CredentialChecks& checks, const Request& request, const Context& ctx) {
  AuthService& auth = checks.auth;
  service::AuditLog& audit = checks.audit;
  auto form = http::ParseQuery(request.body);
  if (!form) return OAuthError(400, "invalid_request", "Malformed form body");
  auto field = [&](std::string_view name) -> std::optional<std::string> {
    for (const auto& [key, value] : *form) {
      if (key == name) return value;
    }
    return std::nullopt;
  };
  auto grant = field("grant_type");
  if (!grant) return OAuthError(400, "invalid_request", "Missing grant_type");
  if (*grant != "client_credentials") {
    return OAuthError(400, "unsupported_grant_type",
                      "Only the client_credentials grant is supported");
  }
  auto id = field("client_id");
  auto secret = field("client_secret");
  if (!id || !secret) {
    return OAuthError(400, "invalid_request", "client_id and client_secret are required");
  }
  std::vector<std::string> keys{service::AddressKey(ctx.remote_address), service::ClientKey(*id)};
  if (auto allowed = checks.limiter.Check(keys); !allowed) {
    return OAuthError(429, "temporarily_unavailable", allowed.error().message);
  }
  auto issued = auth.ClientCredentials(*id, *secret);
  if (!issued) checks.limiter.Failure(keys);
  if (issued) {
    RecordCredentialCheck(audit, auth, ctx, "generate_token", "service_user",
                          issued->claims.username, issued->claims.tenant_id, *id, nullptr);
  } else {
    RecordCredentialCheck(audit, auth, ctx, "api_key_rejected", "service_user", *id, std::nullopt,
                          std::nullopt, &issued.error());
  }
  if (!issued) {
    if (issued.error().code == ErrorCode::kNotAuthorized) {
      return OAuthError(401, "invalid_client", issued.error().message);
    }
    return IcebergError(issued.error());
  }
  return Response::Json(200, serde::OAuthTokenJson(issued->token, issued->claims.expires_at -
                                                                      issued->claims.issued_at));
}

void AddSessionRoutes(ApiRouter& router, const CredentialChecks& checks,
                      service::IdentityService& identity) {
  AuthService& auth = checks.auth;
  Add(router, "POST", "/api/v1/users/login", RouteRule::Public(),
      [checks](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseLoginRequest(req.body));
        std::vector<std::string> keys{service::AddressKey(ctx.remote_address),
                                      service::AccountKey(body.tenant, body.username)};
        RETURN_IF_ERROR(checks.limiter.Check(keys));
        auto login = checks.auth.Login(body.username, body.password, body.tenant);
        if (!login) checks.limiter.Failure(keys);
        RecordCredentialCheck(checks.audit, checks.auth, ctx, login ? "login" : "login_failed",
                              "user", body.username, body.tenant,
                              login ? std::optional<std::string>(login->user.id) : std::nullopt,
                              login ? nullptr : &login.error());
        if (!login) return tl::unexpected(login.error());
        return Response::Json(
            200, serde::LoginJson(login->token.token, login->user, login->token.claims.expires_at));
      });
  Add(router, "POST", "/api/v1/users/logout", RouteRule::Authenticated(),
      [&auth](const Request&, const Context& ctx, const PathParams&) -> Result<Response> {
        RETURN_IF_ERROR(auth.Logout(ctx, std::nullopt));
        return Response::NoContent();
      });
  Add(router, "GET", "/api/v1/users/me", RouteRule::Authenticated(),
      [&identity](const Request&, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto user, identity.Me(ctx));
        return Response::Json(200, serde::UserJson(user));
      });
  Add(router, "POST", "/api/v1/auth/revoke", RouteRule::Authenticated(),
      [&auth](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto reason, serde::ParseRevokeRequest(req.body));
        RETURN_IF_ERROR(auth.Logout(ctx, reason));
        return Response::Json(200, serde::StatusJson("message", "Token revoked"));
      });
  Add(router, "POST", "/api/v1/auth/revoke/{token_id}", RouteRule::Authenticated(),
      [&auth](const Request& req, const Context& ctx,
              const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto reason, serde::ParseRevokeRequest(req.body));
        RETURN_IF_ERROR(auth.RevokeToken(ctx, Param(params, "token_id"), reason));
        return Response::Json(200, serde::StatusJson("message", "Token revoked"));
      });
  Add(router, "POST", "/api/v1/auth/cleanup-tokens", RouteRule::Root(),
      [&auth](const Request&, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(size_t count, auth.PurgeExpiredTokens(ctx));
        return Response::Json(
            200, fmt::format(R"({{"message":"Expired tokens removed","count":{}}})", count));
      });
  Add(router, "POST", "/api/v1/auth/signing-keys/rotate", RouteRule::Root(),
      [&auth](const Request&, const Context& ctx, const PathParams&) -> Result<Response> {
        RETURN_IF_ERROR(auth.RotateSigningKey(ctx));
        return Response::Json(200, auth.Jwks());
      });
}

void AddTokenRoutes(ApiRouter& router, AuthService& auth) {
  Add(router, "POST", "/api/v1/tokens", RouteRule::Authenticated(),
      [&auth](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseTokenRequest(req.body));
        service::TokenRequest request{body.tenant, body.username, body.role, std::nullopt};
        if (body.expires_in_hours) {
          if (*body.expires_in_hours <= 0) {
            return Err(ErrorCode::kBadRequest, "expires_in_hours must be positive");
          }
          request.ttl = std::chrono::hours(*body.expires_in_hours);
        }
        ASSIGN_OR_RETURN(auto issued, auth.IssueToken(ctx, request));
        return TokenResponse(issued);
      });
  Add(router, "POST", "/api/v1/tokens/rotate", RouteRule::Authenticated(),
      [&auth](const Request&, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto issued, auth.RotateToken(ctx));
        return TokenResponse(issued);
      });
  Add(router, "DELETE", "/api/v1/tokens/{token_id}", RouteRule::Authenticated(),
      [&auth](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(auth.RevokeToken(ctx, Param(params, "token_id"), std::nullopt));
        return Response::NoContent();
      });
  auto list = [&auth](const Request& req, const Context& ctx,
                      std::string_view principal) -> Result<Response> {
    ASSIGN_OR_RETURN(Window window, ParseWindow(req));
    ASSIGN_OR_RETURN(
        auto items,
        (Slice<catalog::TokenRecord>(
            [&](const store::PageRequest& page) { return auth.ListTokens(ctx, principal, page); },
            window)));
    return Response::Json(200, serde::TokenListJson(items, SystemClock().NowMs()));
  };
  Add(router, "GET", "/api/v1/users/me/tokens", RouteRule::Authenticated(),
      [list](const Request& req, const Context& ctx, const PathParams&) {
        return list(req, ctx, ctx.caller.id);
      });
  Add(router, "GET", "/api/v1/users/{user_id}/tokens", RouteRule::Authenticated(),
      [list](const Request& req, const Context& ctx, const PathParams& params) {
        return list(req, ctx, Param(params, "user_id"));
      });
}

}  // namespace

void RegisterAuthRoutes(ApiRouter& router, AuthService& auth, service::IdentityService& identity,
                        service::AuditLog& audit, service::RateLimiter& limiter) {
  CredentialChecks checks{auth, audit, limiter};
  AddSessionRoutes(router, checks, identity);
  AddTokenRoutes(router, auth);
  for (const char* path : {"/v1/oauth/tokens", "/v1/{prefix}/oauth/tokens"}) {
    router.Add("POST", path, RouteRule::Public(),
               [checks](const Request& req, const Context& ctx, const PathParams&) {
                 return OAuthToken(checks, req, ctx);
               });
  }
  for (const char* path : {"/.well-known/jwks.json", "/api/v1/auth/jwks"}) {
    router.Add("GET", path, RouteRule::Public(),
               [&auth](const Request&, const Context&, const PathParams&) {
                 return Response::Json(200, auth.Jwks());
               });
  }
}

}  // namespace pangolin::api
