// How each mutating route appears in the audit trail: its action and resource type from the
// reference's vocabulary (§8), recorded by the pipeline; or recorded by the handler itself
// (login and the OAuth2 token endpoint, which know whose credentials were tried); or not at all
// for POST routes that only read (scan planning, metrics reports). Reads are not recorded.
#pragma once

#include <optional>
#include <string_view>

namespace pangolin::api {

struct AuditAs {
  enum class Mode { kPipeline, kHandler, kNone };
  Mode mode = Mode::kNone;
  std::string_view action;
  std::string_view resource_type;
};

// The entry for `method` and `path_template`; GET and HEAD routes are kNone. nullopt for a
// mutating route missing from the table (the route listing shows it, and a test fails).
std::optional<AuditAs> AuditFor(std::string_view method, std::string_view path_template);

// "pipeline", "handler", "none" or "missing", for `--print-routes`.
std::string_view AuditModeName(const std::optional<AuditAs>& audit);

}  // namespace pangolin::api
