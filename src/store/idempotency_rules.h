// What every store does with idempotency keys (MetadataStore's idempotency methods), written once
// so the stores cannot drift apart: when a key may be claimed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/metadata_store.h"

namespace pangolin::store::idempotency {

// Whether a claim may replace `existing` (absent: always): it expired, or `takeover` names its
// unfinished claim.
inline bool MayClaim(const std::optional<IdempotencyRecord>& existing, int64_t now_ms,
                     const std::optional<std::string>& takeover) {
  if (!existing || existing->expires_ms <= now_ms) return true;
  return takeover && !existing->response && existing->claim_id == *takeover;
}

}  // namespace pangolin::store::idempotency
