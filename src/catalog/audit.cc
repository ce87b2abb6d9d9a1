// Audit trail rules; see audit.h.
#include "catalog/audit.h"

#include "common/digest.h"

namespace pangolin::catalog {
namespace {

void Field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

void OptionalField(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    Field(out, std::string_view(*value));
  } else {
    out += "-;";  // distinct from every present value, the empty string included ("0:;")
  }
}

}  // namespace

std::string_view ToString(AuditResult result) {
  return result == AuditResult::kSuccess ? "success" : "failure";
}

Result<AuditResult> ParseAuditResult(std::string_view text) {
  if (text == "success" || text == "Success") return AuditResult::kSuccess;
  if (text == "failure" || text == "Failure") return AuditResult::kFailure;
  return Err(ErrorCode::kBadRequest, "Invalid result '{}': use success or failure", text);
}

std::string AuditHash(const AuditEntry& e) {
  std::string text;
  Field(text, e.prev_hash);
  Field(text, e.id);
  Field(text, e.tenant_id.value);
  Field(text, std::to_string(e.seq));
  OptionalField(text, e.user_id);
  Field(text, e.username);
  Field(text, e.action);
  Field(text, e.resource_type);
  OptionalField(text, e.resource_id);
  Field(text, e.resource_name);
  Field(text, std::to_string(e.time_ms));
  OptionalField(text, e.ip_address);
  OptionalField(text, e.user_agent);
  Field(text, e.request_id);
  Field(text, ToString(e.result));
  OptionalField(text, e.error_message);
  Field(text, e.metadata_json);
  return Sha256Hex(text);
}

bool Matches(const AuditFilter& f, const AuditEntry& e) {
  return (!f.user_id || e.user_id == f.user_id) && (!f.action || e.action == *f.action) &&
         (!f.resource_type || e.resource_type == *f.resource_type) &&
         (!f.resource_id || e.resource_id == f.resource_id) &&
         (!f.start_ms || e.time_ms >= *f.start_ms) && (!f.end_ms || e.time_ms <= *f.end_ms) &&
         (!f.result || e.result == *f.result);
}

void VerifyAuditEntries(const std::vector<AuditEntry>& entries,
                        const std::optional<AuditEntry>& prev, AuditVerification& result) {
  const AuditEntry* last = prev ? &*prev : nullptr;
  for (const AuditEntry& entry : entries) {
    if (!result.valid) return;
    int64_t expected_seq = last ? last->seq + 1 : 1;
    std::string expected_prev = last ? last->hash : "";
    if (entry.seq != expected_seq) {
      result.reason = "entries are missing before this one";
    } else if (entry.prev_hash != expected_prev) {
      result.reason = "does not link to the entry before it";
    } else if (AuditHash(entry) != entry.hash) {
      result.reason = "its content does not match its hash";
    } else {
      ++result.entries;
      last = &entry;
      continue;
    }
    result.valid = false;
    result.first_bad_seq = entry.seq;
  }
}

}  // namespace pangolin::catalog
