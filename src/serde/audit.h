// Wire format of the audit routes: AuditLogEntry in snake_case (reference §2.11) with its place
// in the tenant's hash chain (seq, prev_hash, hash), and the chain verification answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/audit.h"

namespace pangolin::serde {

std::string AuditEntryJson(const catalog::AuditEntry& entry);
std::string AuditEntryListJson(const std::vector<catalog::AuditEntry>& entries);
// {"valid", "entries", "first_bad_seq", "reason"}.
std::string AuditVerificationJson(const catalog::AuditVerification& result);

// The message of an error body of either API: {"error": {"message": ...}} or {"error": "..."};
// nullopt for anything else.
std::optional<std::string> ErrorMessageOfBody(std::string_view body);

}  // namespace pangolin::serde
