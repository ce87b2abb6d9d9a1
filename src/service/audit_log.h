// AuditLog: records who did what, to what, from where and with what result, and answers the
// audit queries of tenant admins (root: every tenant, or the one it selected). Entries are
// hash-chained per tenant by the store; Verify walks a chain and reports the first break.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/audit.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "service/context.h"
#include "store/audit_store.h"

namespace pangolin::service {

class AuditLog {
 public:
  AuditLog(store::AuditStore& store, const Clock& clock, Metrics& metrics)
      : store_(store), clock_(clock), metrics_(metrics) {}

  // An entry for a request of `ctx` (actor, tenant, source address, user agent, request id,
  // time), not yet stored.
  catalog::AuditEntry Entry(const Context& ctx, std::string action, std::string resource_type,
                            std::string resource_name) const;
  // Stores `entry`, as a failure with its message when `failure` is given. A store failure is
  // logged and counted (pangolin_audit_write_failures_total): the request it describes has
  // already happened.
  void Record(catalog::AuditEntry entry, const Error* failure = nullptr);

  // Admins of the tenant; root sees every tenant unless it selected one (`all_tenants` false).
  // Errors: kForbidden; kBadRequest (limit above 1000).
  Result<std::vector<catalog::AuditEntry>> List(const Context& ctx, bool all_tenants,
                                                const catalog::AuditFilter& filter, size_t offset,
                                                size_t limit);
  Result<size_t> Count(const Context& ctx, bool all_tenants, const catalog::AuditFilter& filter);
  // Errors: kForbidden; kNotFound.
  Result<catalog::AuditEntry> Get(const Context& ctx, bool all_tenants, std::string_view id);
  // Checks the whole chain of the tenant the request acts in. Errors: kForbidden.
  Result<catalog::AuditVerification> Verify(const Context& ctx);

 private:
  Result<std::optional<TenantId>> Scope(const Context& ctx, bool all_tenants) const;

  store::AuditStore& store_;
  const Clock& clock_;
  Metrics& metrics_;
};

}  // namespace pangolin::service
