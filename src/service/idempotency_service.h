// IdempotencyService: the Iceberg REST `Idempotency-Key` semantics over the store's shared
// records, so that every replica honours a key claimed on another. The first request with a key
// claims it and runs; its final response (2xx and deterministic 4xx, never 5xx) is kept for the
// key's lifetime and replayed to every retry without running anything again. A retry arriving
// while the first request still runs waits for it; a claim left behind by a crashed server is
// taken over once its lease ends. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <variant>

#include "common/clock.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct IdempotencyOptions {
  std::chrono::milliseconds lifetime = std::chrono::minutes(30);  // advertised to clients
  // How long a claim may run before a retry may take it over (longer than any request runs).
  std::chrono::milliseconds lease = std::chrono::minutes(2);
  // How long a retry waits for the first request before answering 503 (retry later).
  std::chrono::milliseconds wait = std::chrono::seconds(10);
};

class IdempotencyService {
 public:
  IdempotencyService(store::MetadataStore& store, const Clock& clock, IdempotencyOptions options);

  // The claim a request holds while it runs.
  struct Claim {
    std::string key;
    std::string claim_id;
  };

  // Claims `key` for the request identified by `fingerprint` (the same logical request has the
  // same fingerprint), or returns the response to replay. Errors: kBadRequest (the key is not a
  // UUID), kUnprocessable (the key was used for another request), kUnavailable (the first request
  // is still running after the wait), the store's errors.
  Result<std::variant<Claim, store::StoredResponse>> Begin(const Context& ctx, std::string_view key,
                                                           const std::string& fingerprint);
  // Ends a claim with the request's response: kept for replay when final, released otherwise.
  void Finish(const Context& ctx, const Claim& claim, const store::StoredResponse& response);

  // The advertised lifetime as an ISO-8601 duration ("PT30M").
  std::string LifetimeIso8601() const;

 private:
  void PurgeExpiredNow(int64_t now_ms);

  store::MetadataStore& store_;
  const Clock& clock_;
  IdempotencyOptions options_;
  std::atomic<int64_t> last_purge_ms_{0};
};

// Parses an ISO-8601 duration of days, hours, minutes and seconds ("PT30M", "P1DT12H", "PT90S").
// Errors: kInvalidArgument.
Result<std::chrono::milliseconds> ParseIsoDuration(std::string_view text);

}  // namespace pangolin::service
