// Gatekeeper; see gatekeeper.h.
#include "api/gatekeeper.h"

#include "api/audit_actions.h"
#include "common/ids.h"
#include "common/strings.h"
#include "serde/audit.h"

namespace pangolin::api {
namespace {

using http::Request;

Result<service::Credentials> CredentialsOf(const Request& request) {
  service::Credentials credentials;
  if (auto header = request.Header("authorization")) {
    std::string_view value = *header;
    if (value.size() >= 6 && ToLower(value.substr(0, 6)) == "bearer") {
      // PyIceberg without credentials sends "Bearer None": no token at all.
      std::string_view token = Trim(value.substr(6));
      if (!token.empty() && token != "None") credentials.bearer = std::string(token);
    } else if (value.size() >= 6 && ToLower(value.substr(0, 6)) == "basic ") {
      auto decoded = Base64Decode(Trim(value.substr(6)));
      auto colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        return Err(ErrorCode::kNotAuthorized, "Malformed Basic credentials");
      }
      credentials.basic = {decoded->substr(0, colon), decoded->substr(colon + 1)};
    } else {
      return Err(ErrorCode::kNotAuthorized,
                 "Unsupported Authorization scheme: send 'Bearer <token>', Basic (root) or "
                 "X-API-Key");
    }
  }
  if (auto key = request.Header("x-api-key")) credentials.api_key = std::string(Trim(*key));
  return credentials;
}

catalog::Principal DevelopmentPrincipal() {
  catalog::Principal p;
  p.kind = catalog::Principal::Kind::kDevelopment;
  p.name = "development";
  p.role = catalog::UserRole::kTenantAdmin;
  p.home_tenant = kDefaultTenant;
  return p;
}

// The route's rule against the caller. Permission routes let every authenticated caller through
// to their handler, which checks the object it acts on (and must: the pipeline refuses an
// answer that checked nothing).
Status Allow(const RouteRule& rule, const service::Context& ctx) {
  if (rule.kind == RouteRule::Kind::kPublic) return Ok();
  if (!ctx.caller.authenticated()) return Err(ErrorCode::kNotAuthorized, "Authentication required");
  switch (rule.kind) {
    case RouteRule::Kind::kPublic:
    case RouteRule::Kind::kAuthenticated:
    case RouteRule::Kind::kPermission:
      return Ok();
    case RouteRule::Kind::kRoot:
      if (ctx.caller.is_root()) return Ok();
      break;
    case RouteRule::Kind::kTenantAdmin:
      if (ctx.IsTenantAdmin()) return Ok();
      break;
  }
  return Err(ErrorCode::kForbidden, "Permission denied: this route needs {}", rule.ToString());
}

// "lake/sales/orders": the route's path parameters in template order.
std::string ResourceName(const RouteInfo& route, const http::PathParams& params) {
  std::string name;
  for (const auto& segment : Split(route.path_template, "/")) {
    if (segment.size() < 3 || segment.front() != '{') continue;
    auto it = params.find(segment.substr(1, segment.size() - 2));
    if (it == params.end()) continue;
    if (!name.empty()) name += '/';
    name += it->second;
  }
  return name;
}

}  // namespace

std::string ErrorMessageOf(const http::Response& response) {
  return serde::ErrorMessageOfBody(response.JoinedBody())
      .value_or("HTTP " + std::to_string(response.status));
}

Result<service::Context> Gatekeeper::Admit(const Request& request, const RouteInfo& route,
                                           const http::PathParams& params) {
  ASSIGN_OR_RETURN(service::Context ctx, Authenticate(request, route.rule));
  if (auto allowed = Allow(route.rule, ctx); !allowed) {
    // A request without credentials is not an authentication event; a refused caller is.
    if (allowed.error().code == ErrorCode::kForbidden) {
      RecordRefusal(ctx, "permission_denied", route, allowed.error());
    }
    return tl::unexpected(allowed.error());
  }
  auto audit = AuditFor(route.method, route.path_template);
  if (audit && audit->mode == AuditAs::Mode::kPipeline) {
    ctx.audit = audit_.Entry(ctx, std::string(audit->action), std::string(audit->resource_type),
                             ResourceName(route, params));
  }
  return ctx;
}

Result<service::Context> Gatekeeper::Authenticate(const Request& request, const RouteRule& rule) {
  service::Context ctx;
  ctx.request_id = request.request_id;
  ctx.remote_address = request.remote_address;
  ctx.user_agent = std::string(request.Header("user-agent").value_or(""));
  auto credentials = CredentialsOf(request);
  // A password is throttled before it is checked, so that a guess past the limit learns
  // nothing; tokens and keys (far too long to guess) only once they fail.
  std::vector<std::string> keys{service::AddressKey(ctx.remote_address)};
  bool password = credentials && credentials->basic && !credentials->bearer;
  if (password) {
    keys.push_back(service::AccountKey(std::nullopt, credentials->basic->username));
    RETURN_IF_ERROR(limiter_.Check(keys));
  }
  auto principal = credentials
                       ? auth_.Authenticate(*credentials)
                       : Result<service::Authenticated>(tl::unexpected(credentials.error()));
  if (!principal) {
    if (rule.kind == RouteRule::Kind::kPublic) return ctx;
    if (!password) RETURN_IF_ERROR(limiter_.Check(keys));
    limiter_.Failure(keys);
    bool key = credentials && credentials->api_key && !credentials->bearer && !password;
    std::string action = password ? "login_failed" : key ? "api_key_rejected" : "token_rejected";
    audit_.Record(audit_.Entry(ctx, action, "token", request.path), &principal.error());
    return tl::unexpected(principal.error());
  }
  ctx.caller = std::move(principal->principal);
  if (!ctx.caller.authenticated() && no_auth_) ctx.caller = DevelopmentPrincipal();
  if (ctx.caller.authenticated()) {
    ctx.principal = ctx.caller.name;
    ctx.tenant = ctx.caller.home_tenant.value_or(kDefaultTenant);
  }
  if (auto selected = request.Header("x-pangolin-tenant"); selected && !selected->empty()) {
    ASSIGN_OR_RETURN(ctx.tenant, SelectTenant(ctx, *selected));
  }
  if (ctx.caller.home_tenant == ctx.tenant) ctx.access_version = principal->access_version;
  return ctx;
}

// X-Pangolin-Tenant: root picks the tenant it acts in (recorded there); anyone else may only
// name its own.
Result<TenantId> Gatekeeper::SelectTenant(const service::Context& ctx, std::string_view selected) {
  if (!IsUuid(selected)) {
    return Err(ErrorCode::kBadRequest, "Invalid X-Pangolin-Tenant '{}'", selected);
  }
  TenantId tenant{ToLower(selected)};
  if (!ctx.caller.is_root()) {
    if (tenant == ctx.tenant) return tenant;
    return Err(ErrorCode::kForbidden, "Only root may act in another tenant");
  }
  RETURN_IF_ERROR(identities_.GetTenant(tenant).map([](auto) {}));
  service::Context in_tenant = ctx;
  in_tenant.tenant = tenant;
  audit_.Record(audit_.Entry(in_tenant, "tenant_impersonation", "tenant", tenant.value));
  return tenant;
}

void Gatekeeper::RecordRefusal(const service::Context& ctx, std::string action,
                               const RouteInfo& route, const Error& error) {
  audit_.Record(
      audit_.Entry(ctx, std::move(action), "route", route.method + " " + route.path_template),
      &error);
}

void Gatekeeper::Settle(const RouteInfo& route, const service::Context& ctx,
                        const http::Response& response) {
  if (response.status == 403) {
    RecordRefusal(ctx, "permission_denied", route,
                  Error{ErrorCode::kForbidden, ErrorMessageOf(response)});
    return;
  }
  if (!ctx.audit || ctx.audit_recorded) return;
  if (response.status < 400) {
    audit_.Record(*ctx.audit);
    return;
  }
  Error failure{ErrorCode::kInternal, ErrorMessageOf(response)};
  audit_.Record(*ctx.audit, &failure);
}

}  // namespace pangolin::api
