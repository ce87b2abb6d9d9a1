// Audit JSON; see audit.h.
#include "serde/audit.h"

#include "serde/identity.h"
#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

json::value Optional(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object EntryObject(const catalog::AuditEntry& e) {
  return json::object{
      {"id", e.id},
      {"tenant_id", e.tenant_id.value},
      {"user_id", Optional(e.user_id)},
      {"username", e.username},
      {"action", e.action},
      {"resource_type", e.resource_type},
      {"resource_id", Optional(e.resource_id)},
      {"resource_name", e.resource_name},
      {"timestamp", Rfc3339(e.time_ms)},
      {"ip_address", Optional(e.ip_address)},
      {"user_agent", Optional(e.user_agent)},
      {"request_id", e.request_id},
      {"result", std::string(catalog::ToString(e.result))},
      {"error_message", Optional(e.error_message)},
      {"metadata", e.metadata_json.empty() ? json::value(nullptr) : FromRawJson(e.metadata_json)},
      {"seq", e.seq},
      {"prev_hash", e.prev_hash},
      {"hash", e.hash}};
}

}  // namespace

std::string AuditEntryJson(const catalog::AuditEntry& entry) {
  return json::serialize(EntryObject(entry));
}

std::string AuditEntryListJson(const std::vector<catalog::AuditEntry>& entries) {
  return ListJson(entries, EntryObject);
}

std::string AuditVerificationJson(const catalog::AuditVerification& result) {
  return json::serialize(json::object{
      {"valid", result.valid},
      {"entries", result.entries},
      {"first_bad_seq",
       result.first_bad_seq ? json::value(*result.first_bad_seq) : json::value(nullptr)},
      {"reason", result.reason.empty() ? json::value(nullptr) : json::value(result.reason)}});
}

std::optional<std::string> ErrorMessageOfBody(std::string_view body) {
  auto parsed = ParseJson(body);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  const json::value* error = Find(parsed->as_object(), "error");
  if (error && error->is_string()) return std::string(error->as_string());
  if (error && error->is_object()) {
    const json::value* message = Find(error->as_object(), "message");
    if (message && message->is_string()) return std::string(message->as_string());
  }
  return std::nullopt;
}

}  // namespace pangolin::serde
