// Idempotency records of the memory store.
#include "store/idempotency_rules.h"
#include "store/memory/memory_idempotency_internal.h"

namespace pangolin::store::memory_internal {

Result<std::optional<IdempotencyRecord>> IdempotencyKeys::Claim(
    const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover) {
  std::lock_guard lock(mu_);
  auto it = records_.find({tenant.value, record.key});
  std::optional<IdempotencyRecord> existing;
  if (it != records_.end()) existing = it->second;
  if (!idempotency::MayClaim(existing, now_ms, takeover)) return existing;
  IdempotencyRecord claimed = record;
  claimed.response.reset();
  records_.insert_or_assign({tenant.value, record.key}, std::move(claimed));
  return std::nullopt;
}

Status IdempotencyKeys::Finish(const TenantId& tenant, std::string_view key,
                               std::string_view claim_id,
                               const std::optional<StoredResponse>& response) {
  std::lock_guard lock(mu_);
  auto it = records_.find({tenant.value, std::string(key)});
  if (it == records_.end() || it->second.claim_id != claim_id || it->second.response) return Ok();
  if (response) {
    it->second.response = response;
  } else {
    records_.erase(it);
  }
  return Ok();
}

size_t IdempotencyKeys::Purge(int64_t now_ms) {
  std::lock_guard lock(mu_);
  return std::erase_if(records_,
                       [&](const auto& entry) { return entry.second.expires_ms <= now_ms; });
}

}  // namespace pangolin::store::memory_internal
