// Gatekeeper: the pipeline's security steps around a handler. Admit authenticates the request,
// selects the tenant it acts in and applies the route's rule; Settle records the request in the
// audit trail once it is answered. Refusals (bad credentials, a rule not met, a permission the
// handler denied) are recorded too.
#pragma once

#include "api/api_handler.h"
#include "service/audit_log.h"
#include "service/auth_service.h"
#include "service/rate_limiter.h"
#include "store/identity_store.h"

namespace pangolin::api {

class Gatekeeper {
 public:
  Gatekeeper(service::AuthService& auth, store::IdentityStore& identities, service::AuditLog& audit,
             service::RateLimiter& limiter, bool no_auth)
      : auth_(auth), identities_(identities), audit_(audit), limiter_(limiter), no_auth_(no_auth) {}

  // The context the handler runs in, with the audit entry of a mutating route prepared.
  // Errors: kNotAuthorized (credentials); kTooManyRequests (credentials refused once the source
  // address failed too often); kForbidden (the rule, X-Pangolin-Tenant); kBadRequest; kNotFound
  // (a selected tenant that does not exist).
  Result<service::Context> Admit(const http::Request& request, const RouteInfo& route,
                                 const http::PathParams& params);
  // Records the answered request: its prepared entry (unless a catalog commit already stored
  // it) with success or failure, or a permission denial.
  void Settle(const RouteInfo& route, const service::Context& ctx, const http::Response& response);

 private:
  Result<service::Context> Authenticate(const http::Request& request, const RouteRule& rule);
  Result<TenantId> SelectTenant(const service::Context& ctx, std::string_view selected);
  void RecordRefusal(const service::Context& ctx, std::string action, const RouteInfo& route,
                     const Error& error);

  service::AuthService& auth_;
  store::IdentityStore& identities_;
  service::AuditLog& audit_;
  service::RateLimiter& limiter_;
  bool no_auth_;
};

// The message of an error response body of either shape, or "HTTP <status>".
std::string ErrorMessageOf(const http::Response& response);

}  // namespace pangolin::api
