// The idempotency records of every tenant in the memory store. Thread-safe on its own: no other
// state of the store is involved.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

class IdempotencyKeys {
 public:
  Result<std::optional<IdempotencyRecord>> Claim(const TenantId& tenant,
                                                 const IdempotencyRecord& record, int64_t now_ms,
                                                 const std::optional<std::string>& takeover);
  Status Finish(const TenantId& tenant, std::string_view key, std::string_view claim_id,
                const std::optional<StoredResponse>& response);
  size_t Purge(int64_t now_ms);

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, IdempotencyRecord> records_;  // (tenant, key)
};

}  // namespace pangolin::store::memory_internal
