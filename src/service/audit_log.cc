// AuditLog; see audit_log.h.
#include "service/audit_log.h"

#include "common/ids.h"
#include "common/log.h"

namespace pangolin::service {
namespace {

constexpr size_t kMaxLimit = 1000;
constexpr size_t kChainBatch = 1000;

}  // namespace

catalog::AuditEntry AuditLog::Entry(const Context& ctx, std::string action,
                                    std::string resource_type, std::string resource_name) const {
  catalog::AuditEntry entry;
  entry.time_ms = clock_.NowMs();
  entry.id = NewUuidV7(entry.time_ms);
  entry.tenant_id = ctx.tenant;
  if (!ctx.caller.id.empty()) entry.user_id = ctx.caller.id;
  entry.username = ctx.caller.authenticated() ? ctx.caller.name : "anonymous";
  entry.action = std::move(action);
  entry.resource_type = std::move(resource_type);
  entry.resource_name = std::move(resource_name);
  if (!ctx.remote_address.empty()) entry.ip_address = ctx.remote_address;
  if (!ctx.user_agent.empty()) entry.user_agent = ctx.user_agent;
  entry.request_id = ctx.request_id;
  return entry;
}

void AuditLog::Record(catalog::AuditEntry entry, const Error* failure) {
  if (failure) {
    entry.result = catalog::AuditResult::kFailure;
    entry.error_message = failure->message;
  }
  auto stored = store_.AppendAudit(std::move(entry));
  if (!stored) {
    metrics_.Increment("audit_write_failures_total");
    log::Error("cannot write an audit entry").With("error", stored.error().message);
  }
}

Result<std::optional<TenantId>> AuditLog::Scope(const Context& ctx, bool all_tenants) const {
  if (ctx.caller.is_root()) {
    return all_tenants ? std::optional<TenantId>() : std::optional<TenantId>(ctx.tenant);
  }
  if (!ctx.IsTenantAdmin()) {
    return Err(ErrorCode::kForbidden, "Only an admin of the tenant may read its audit trail");
  }
  return std::optional<TenantId>(ctx.tenant);
}

Result<std::vector<catalog::AuditEntry>> AuditLog::List(const Context& ctx, bool all_tenants,
                                                        const catalog::AuditFilter& filter,
                                                        size_t offset, size_t limit) {
  if (limit > kMaxLimit) {
    return Err(ErrorCode::kBadRequest, "Invalid limit {}: at most {}", limit, kMaxLimit);
  }
  ASSIGN_OR_RETURN(auto scope, Scope(ctx, all_tenants));
  return store_.ListAudit(scope, filter, offset, limit);
}

Result<size_t> AuditLog::Count(const Context& ctx, bool all_tenants,
                               const catalog::AuditFilter& filter) {
  ASSIGN_OR_RETURN(auto scope, Scope(ctx, all_tenants));
  return store_.CountAudit(scope, filter);
}

Result<catalog::AuditEntry> AuditLog::Get(const Context& ctx, bool all_tenants,
                                          std::string_view id) {
  ASSIGN_OR_RETURN(auto scope, Scope(ctx, all_tenants));
  return store_.GetAudit(scope, id);
}

Result<catalog::AuditVerification> AuditLog::Verify(const Context& ctx) {
  ASSIGN_OR_RETURN(auto scope, Scope(ctx, false));
  catalog::AuditVerification result;
  std::optional<catalog::AuditEntry> last;
  while (result.valid) {
    ASSIGN_OR_RETURN(auto batch, store_.ReadAuditChain(*scope, last ? last->seq : 0, kChainBatch));
    if (batch.empty()) break;
    catalog::VerifyAuditEntries(batch, last, result);
    last = std::move(batch.back());
  }
  return result;
}

}  // namespace pangolin::service
