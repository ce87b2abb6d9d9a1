// Server-side scan planning wire formats: PlanTableScanRequest (with the spec's predicate JSON)
// and the completed PlanTableScanResult with its file scan tasks and delete files.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "iceberg/scan_plan.h"
#include "iceberg/schema.h"

namespace pangolin::serde {

struct PlanScanBody {
  iceberg::ScanRequest scan;
  std::optional<std::vector<std::string>> select;
  std::optional<std::vector<std::string>> stats_fields;
};

// Errors: kBadRequest for malformed JSON, an unknown predicate type, a transform term, a missing
// operand; kUnsupported (406) for incremental scans (start-snapshot-id / end-snapshot-id).
Result<PlanScanBody> ParsePlanTableScanRequest(std::string_view json);

// {"status": "completed", "plan-id", "file-scan-tasks", "delete-files"}. Column statistics are
// included for the fields named in `stats_field_types` (field id → primitive type), bounds
// rendered as the spec's primitive values.
std::string PlanCompletedJson(const std::string& plan_id, const iceberg::ScanPlan& plan,
                              const std::map<int, std::string>& stats_field_types);

}  // namespace pangolin::serde
