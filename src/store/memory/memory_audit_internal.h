// The audit trail of the memory store: every tenant's hash chain, thread-safe on its own. The
// memory store's Commit holds its own lock while it calls AppendWith (which takes this one), and
// nothing takes the two the other way round, so they never deadlock.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/audit_store.h"

namespace pangolin::store::memory_internal {

// Errors, ordering and confinement as documented on AuditStore, method by method.
class Audits {
 public:
  Result<AuditEntry> Append(AuditEntry entry) {
    return AppendWith(std::move(entry), [] { return Ok(); });
  }
  // Appends `entry` only when `change` (run under this component's lock, after the entry has been
  // chained and its id checked) succeeds: the change and the entry happen together or not at all,
  // and no other append comes between. Returns the stored entry, or the first error.
  template <typename Change>
  Result<AuditEntry> AppendWith(AuditEntry entry, Change&& change) {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(AuditEntry chained, Chain(std::move(entry)));
    RETURN_IF_ERROR(change());
    Store(chained);
    return chained;
  }

  std::vector<AuditEntry> List(const std::optional<TenantId>& tenant, const AuditFilter& filter,
                               size_t offset, size_t limit);
  size_t Count(const std::optional<TenantId>& tenant, const AuditFilter& filter);
  Result<AuditEntry> Get(const std::optional<TenantId>& tenant, std::string_view id);
  std::vector<AuditEntry> ReadChain(const TenantId& tenant, int64_t after_seq, size_t limit);

 private:
  // `entry` with seq, prev_hash and hash set after its tenant's last entry. Errors: kAlreadyExists.
  Result<AuditEntry> Chain(AuditEntry entry) const;
  void Store(const AuditEntry& entry);
  // The entries of `tenant` (every tenant for nullopt) matching `filter`, newest first.
  std::vector<const AuditEntry*> Matching(const std::optional<TenantId>& tenant,
                                          const AuditFilter& filter) const;

  std::mutex mu_;
  std::map<TenantId, std::vector<AuditEntry>> chains_;                    // entry seq at [seq - 1]
  std::map<std::string, std::pair<TenantId, int64_t>, std::less<>> ids_;  // id -> (tenant, seq)
};

}  // namespace pangolin::store::memory_internal
