// AuditStore: the append-only audit trail, one hash chain per tenant. Part of every
// MetadataStore (it inherits this interface); MetadataStore::Commit can also append an entry in
// the same transaction as a catalog change (CommitRequest::audit).
//
// Tenancy: reads take the tenant they are confined to; nullopt means every tenant (root only).
// Thread-safety: every method may be called concurrently. Atomicity: every method is atomic, and
// appends to one tenant's chain are serialized, so seq has no gaps and no duplicates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "catalog/audit.h"
#include "common/result.h"

namespace pangolin::store {

using catalog::AuditEntry;
using catalog::AuditFilter;

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends `entry` to the chain of `entry.tenant_id`: sets seq (last + 1), prev_hash (the last
  // entry's hash, "" for the first) and hash (catalog::AuditHash), and returns what was stored.
  // Errors: kAlreadyExists (id).
  virtual Result<AuditEntry> AppendAudit(AuditEntry entry) = 0;
  // Entries matching `filter`, newest first (time_ms, then id, descending), skipping `offset`,
  // at most `limit` (0: all).
  virtual Result<std::vector<AuditEntry>> ListAudit(const std::optional<TenantId>& tenant,
                                                    const AuditFilter& filter, size_t offset,
                                                    size_t limit) = 0;
  virtual Result<size_t> CountAudit(const std::optional<TenantId>& tenant,
                                    const AuditFilter& filter) = 0;
  // Errors: kNotFound (also for another tenant's entry).
  virtual Result<AuditEntry> GetAudit(const std::optional<TenantId>& tenant,
                                      std::string_view id) = 0;
  // One tenant's chain in order: entries with seq > `after_seq`, ascending, at most `limit`.
  virtual Result<std::vector<AuditEntry>> ReadAuditChain(const TenantId& tenant, int64_t after_seq,
                                                         size_t limit) = 0;
};

}  // namespace pangolin::store
