// The memory store's audit chains. Each tenant's entries sit in a vector in seq order, so the
// chain read is a slice; listings filter and sort, which is fine at the sizes tests use.
#include <algorithm>
#include <tuple>

#include "store/memory/memory_audit_internal.h"

namespace pangolin::store::memory_internal {

Result<AuditEntry> Audits::Chain(AuditEntry entry) const {
  if (ids_.contains(entry.id)) {
    return Err(ErrorCode::kAlreadyExists, "Audit entry already exists: {}", entry.id);
  }
  auto chain = chains_.find(entry.tenant_id);
  if (chain == chains_.end() || chain->second.empty()) {
    entry.seq = 1;
    entry.prev_hash.clear();
  } else {
    entry.seq = chain->second.back().seq + 1;
    entry.prev_hash = chain->second.back().hash;
  }
  entry.hash = catalog::AuditHash(entry);
  return entry;
}

void Audits::Store(const AuditEntry& entry) {
  ids_.emplace(entry.id, std::make_pair(entry.tenant_id, entry.seq));
  chains_[entry.tenant_id].push_back(entry);
}

std::vector<const AuditEntry*> Audits::Matching(const std::optional<TenantId>& tenant,
                                                const AuditFilter& filter) const {
  std::vector<const AuditEntry*> found;
  for (const auto& [chain_tenant, chain] : chains_) {
    if (tenant && chain_tenant != *tenant) continue;
    for (const AuditEntry& entry : chain) {
      if (catalog::Matches(filter, entry)) found.push_back(&entry);
    }
  }
  std::sort(found.begin(), found.end(), [](const AuditEntry* a, const AuditEntry* b) {
    return std::tie(a->time_ms, a->id) > std::tie(b->time_ms, b->id);
  });
  return found;
}

std::vector<AuditEntry> Audits::List(const std::optional<TenantId>& tenant,
                                     const AuditFilter& filter, size_t offset, size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<const AuditEntry*> found = Matching(tenant, filter);
  std::vector<AuditEntry> page;
  for (size_t i = offset; i < found.size() && (limit == 0 || page.size() < limit); ++i) {
    page.push_back(*found[i]);
  }
  return page;
}

size_t Audits::Count(const std::optional<TenantId>& tenant, const AuditFilter& filter) {
  std::lock_guard lock(mu_);
  size_t count = 0;
  for (const auto& [chain_tenant, chain] : chains_) {
    if (tenant && chain_tenant != *tenant) continue;
    count += std::count_if(chain.begin(), chain.end(), [&](const AuditEntry& entry) {
      return catalog::Matches(filter, entry);
    });
  }
  return count;
}

Result<AuditEntry> Audits::Get(const std::optional<TenantId>& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = ids_.find(id);
  if (it == ids_.end() || (tenant && it->second.first != *tenant)) {
    return Err(ErrorCode::kNotFound, "Audit entry not found: {}", id);
  }
  return chains_.at(it->second.first).at(static_cast<size_t>(it->second.second - 1));
}

std::vector<AuditEntry> Audits::ReadChain(const TenantId& tenant, int64_t after_seq, size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<AuditEntry> entries;
  auto chain = chains_.find(tenant);
  if (chain == chains_.end()) return entries;
  size_t first = static_cast<size_t>(std::max<int64_t>(after_seq, 0));
  for (size_t i = first; i < chain->second.size() && (limit == 0 || entries.size() < limit); ++i) {
    entries.push_back(chain->second[i]);
  }
  return entries;
}

}  // namespace pangolin::store::memory_internal
