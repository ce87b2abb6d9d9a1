// OpenID login routes; see oidc_routes.h. Every one is public: the provider, the state and the
// one-time code are what they check. Logins and code exchanges are recorded in the audit trail,
// and failed exchanges count against the source address.
#include "api/management/oidc_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/oidc.h"

namespace pangolin::api {
namespace {

using namespace management_internal;

Response Redirect(std::string location) {
  Response response;
  response.status = 302;
  response.content_type.clear();
  response.headers.emplace_back("Location", std::move(location));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void Record(service::AuditLog& audit, const Context& ctx, std::string action,
            const catalog::User* user, const Error* error) {
  Context in_tenant = ctx;
  if (user && user->tenant_id) in_tenant.tenant = *user->tenant_id;
  auto entry = audit.Entry(in_tenant, std::move(action), "user", user ? user->username : "");
  if (user) {
    entry.user_id = user->id;
    entry.username = user->username;
  }
  audit.Record(std::move(entry), error);
}

Result<service::OidcService*> Configured(service::OidcService* oidc) {
  if (oidc == nullptr) return Err(ErrorCode::kNotFound, "No OpenID provider is configured");
  return oidc;
}

}  // namespace

void RegisterOidcRoutes(ApiRouter& router, service::OidcService* oidc, service::AuditLog& audit,
                        service::RateLimiter& limiter) {
  Add(router, "GET", "/api/v1/oauth/providers", RouteRule::Public(),
      [oidc](const Request&, const Context&, const PathParams&) -> Result<Response> {
        auto providers = oidc ? oidc->Providers() : std::vector<std::string>{};
        return Response::Json(200, serde::OAuthProvidersJson(providers));
      });
  Add(router, "GET", "/oauth/authorize/{provider}", RouteRule::Public(),
      [oidc](const Request& req, const Context&, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto* service, Configured(oidc));
        std::optional<std::string> landing;
        if (auto uri = req.Query("redirect_uri")) landing = std::string(*uri);
        ASSIGN_OR_RETURN(auto url, service->Begin(Param(params, "provider"), landing));
        return Redirect(std::move(url));
      });
  Add(router, "GET", "/oauth/callback/{provider}", RouteRule::Public(),
      [oidc, &audit](const Request& req, const Context& ctx,
                     const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto* service, Configured(oidc));
        if (auto error = req.Query("error")) {
          return Err(ErrorCode::kNotAuthorized, "The provider refused the login: {}", *error);
        }
        auto code = req.Query("code");
        auto state = req.Query("state");
        if (!code || !state) return Err(ErrorCode::kBadRequest, "Missing code or state");
        auto finished = service->Finish(Param(params, "provider"), *code, *state);
        if (!finished) {
          Record(audit, ctx, "login_failed", nullptr, &finished.error());
          return tl::unexpected(finished.error());
        }
        Record(audit, ctx, "login", &finished->user, nullptr);
        return Redirect(std::move(finished->landing_url));
      });
  Add(router, "POST", "/api/v1/oauth/exchange", RouteRule::Public(),
      [oidc, &audit, &limiter](const Request& req, const Context& ctx,
                               const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto* service, Configured(oidc));
        ASSIGN_OR_RETURN(std::string code, serde::ParseOAuthExchangeRequest(req.body));
        std::vector<std::string> keys{service::AddressKey(ctx.remote_address)};
        RETURN_IF_ERROR(limiter.Check(keys));
        auto issued = service->Exchange(code);
        if (!issued) {
          limiter.Failure(keys);
          Record(audit, ctx, "login_failed", nullptr, &issued.error());
          return tl::unexpected(issued.error());
        }
        return Response::Json(
            200, serde::OAuthExchangeJson(issued->token,
                                          issued->claims.expires_at - issued->claims.issued_at));
      });
}

}  // namespace pangolin::api
