// The audit trail's values: one entry per mutating action and authentication event, hash-chained
// per tenant so that altering, removing or reordering a stored entry is detectable (reference
// §2.11 and §8). Pure values and rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/result.h"

namespace pangolin::catalog {

enum class AuditResult { kSuccess, kFailure };
std::string_view ToString(AuditResult result);  // "success", "failure"
// Accepts "success"/"failure" and the legacy "Success"/"Failure". Errors: kBadRequest.
Result<AuditResult> ParseAuditResult(std::string_view text);

struct AuditEntry {
  std::string id;      // UUID v7 (time-ordered)
  TenantId tenant_id;  // the tenant the request acted in
  int64_t seq = 0;     // position in the tenant's chain from 1; assigned when appended
  std::optional<std::string> user_id;
  std::string username;       // "anonymous" when nobody authenticated
  std::string action;         // snake_case vocabulary: create_table, login_failed, ...
  std::string resource_type;  // catalog, namespace, table, view, user, token, ...
  std::optional<std::string> resource_id;
  std::string resource_name;
  int64_t time_ms = 0;
  std::optional<std::string> ip_address;
  std::optional<std::string> user_agent;
  std::string request_id;
  AuditResult result = AuditResult::kSuccess;
  std::optional<std::string> error_message;
  std::string metadata_json;  // a JSON object, "" when none
  std::string prev_hash;      // hash of entry seq-1 of the tenant; "" for the first
  std::string hash;           // AuditHash(*this): set when appended
  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// SHA-256 (hex) over `prev_hash` and every other field but `hash`, each length-prefixed in a
// fixed order, so that no two different entries share a text.
std::string AuditHash(const AuditEntry& entry);

// What ListAudit and CountAudit select; unset members match everything. Times are inclusive.
struct AuditFilter {
  std::optional<std::string> user_id;
  std::optional<std::string> action;
  std::optional<std::string> resource_type;
  std::optional<std::string> resource_id;
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
  std::optional<AuditResult> result;
};

bool Matches(const AuditFilter& filter, const AuditEntry& entry);

// The outcome of checking a tenant's chain.
struct AuditVerification {
  bool valid = true;
  int64_t entries = 0;                   // how many were checked
  std::optional<int64_t> first_bad_seq;  // where the chain breaks
  std::string reason;                    // why, when it does
};

// Checks consecutive entries of one tenant's chain (ascending seq, starting after `prev`, which
// is nullopt at the start of the chain): seq continuity, prev_hash links and each hash.
// Accumulates into `result`, stopping at the first break.
void VerifyAuditEntries(const std::vector<AuditEntry>& entries,
                        const std::optional<AuditEntry>& prev, AuditVerification& result);

}  // namespace pangolin::catalog
