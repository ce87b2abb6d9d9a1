// IdempotencyService: claim, wait, replay, release, and lazy purge of expired records.
#include "service/idempotency_service.h"

#include <cctype>
#include <thread>

#include "common/ids.h"
#include "common/log.h"

namespace pangolin::service {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr int64_t kPurgeIntervalMs = 60'000;

// 8-4-4-4-12 hexadecimal digits: the spec's `format: uuid` (UUIDv7 in practice).
bool IsUuid(std::string_view key) {
  if (key.size() != 36) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? key[i] != '-' : !std::isxdigit(static_cast<unsigned char>(key[i]))) return false;
  }
  return true;
}

// Final responses are replayed: success and the client errors that retrying cannot change.
// Server errors, throttling and authentication failures are not final.
bool IsFinal(int status) {
  if (status >= 200 && status < 300) return true;
  return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
}

}  // namespace

IdempotencyService::IdempotencyService(store::MetadataStore& store, const Clock& clock,
                                       IdempotencyOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<std::variant<IdempotencyService::Claim, store::StoredResponse>> IdempotencyService::Begin(
    const Context& ctx, std::string_view key, const std::string& fingerprint) {
  if (!IsUuid(key)) {
    return Err(ErrorCode::kBadRequest, "Invalid Idempotency-Key '{}': expected a UUID", key);
  }
  // Keys are compared case-insensitively, as UUIDs are.
  std::string normalized(key);
  for (char& c : normalized) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto deadline = std::chrono::steady_clock::now() + options_.wait;
  std::optional<std::string> takeover;
  while (true) {
    int64_t now = clock_.NowMs();
    PurgeExpiredNow(now);
    store::IdempotencyRecord record{
        normalized, fingerprint, NewUuid(), now, now + options_.lifetime.count(), std::nullopt};
    ASSIGN_OR_RETURN(auto existing, store_.ClaimIdempotencyKey(ctx.tenant, record, now, takeover));
    if (!existing) return Claim{normalized, record.claim_id};
    if (existing->fingerprint != fingerprint) {
      return Err(ErrorCode::kUnprocessable,
                 "Idempotency-Key {} was already used for a different request", key);
    }
    if (existing->response) return *existing->response;
    if (existing->claimed_ms + options_.lease.count() <= now) {
      log::Warn("taking over an abandoned idempotency claim").With("key", normalized);
      takeover = existing->claim_id;
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Err(ErrorCode::kUnavailable,
                 "A request with Idempotency-Key {} is still in progress; retry later", key);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

void IdempotencyService::Finish(const Context& ctx, const Claim& claim,
                                const store::StoredResponse& response) {
  std::optional<store::StoredResponse> kept;
  if (IsFinal(response.status)) kept = response;
  if (auto finished = store_.FinishIdempotencyKey(ctx.tenant, claim.key, claim.claim_id, kept);
      !finished) {
    // The claim stays until its lease ends; a retry then runs the request again.
    log::Warn("could not record an idempotent response")
        .With("key", claim.key)
        .With("error", finished.error().message);
  }
}

std::string IdempotencyService::LifetimeIso8601() const {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options_.lifetime).count();
  return "PT" + std::to_string(seconds) + "S";
}

void IdempotencyService::PurgeExpiredNow(int64_t now_ms) {
  int64_t last = last_purge_ms_.load();
  if (now_ms - last < kPurgeIntervalMs || !last_purge_ms_.compare_exchange_strong(last, now_ms)) {
    return;
  }
  if (auto purged = store_.PurgeIdempotencyKeys(now_ms); !purged) {
    log::Warn("could not purge expired idempotency keys").With("error", purged.error().message);
  }
}

Result<std::chrono::milliseconds> ParseIsoDuration(std::string_view text) {
  auto invalid = [&] {
    return Err(ErrorCode::kInvalidArgument,
               "Invalid duration '{}': expected ISO-8601 such as PT30M or P1DT12H", text);
  };
  if (text.size() < 3 || text[0] != 'P') return invalid();
  int64_t total_ms = 0;
  bool in_time = false;
  bool any = false;
  int64_t number = -1;
  for (size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > 100'000'000) return invalid();
      continue;
    }
    if (c == 'T' && !in_time && number < 0) {
      in_time = true;
      continue;
    }
    if (number < 0) return invalid();
    int64_t unit_ms = 0;
    if (!in_time && c == 'D') unit_ms = 86'400'000;
    if (in_time && c == 'H') unit_ms = 3'600'000;
    if (in_time && c == 'M') unit_ms = 60'000;
    if (in_time && c == 'S') unit_ms = 1'000;
    if (unit_ms == 0) return invalid();
    total_ms += number * unit_ms;
    number = -1;
    any = true;
  }
  if (!any || number >= 0 || total_ms <= 0) return invalid();
  return std::chrono::milliseconds(total_ms);
}

}  // namespace pangolin::service
