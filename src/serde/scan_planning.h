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
  std::string json;  // the request as sent, for plan ids and plan tasks
};

// Errors: kBadRequest for malformed JSON, an unknown predicate type, a transform term, a missing
// operand, a start-snapshot-id without an end-snapshot-id.
Result<PlanScanBody> ParsePlanTableScanRequest(std::string_view json);

// FetchScanTasksRequest: its `plan-task`. Errors: kBadRequest.
Result<std::string> ParseFetchScanTasksRequest(std::string_view json);

// Plan ids and plan tasks are the planning request itself, pinned to `snapshot_id` (and, for a
// task, to one data manifest), in an opaque URL-safe token: the server keeps no plan state, and
// any replica can answer for any plan. A token is checked against the table on every use.
std::string EncodePlanToken(const PlanScanBody& body, int64_t snapshot_id,
                            const std::optional<std::string>& manifest);
// Errors: `not_found` (kNoSuchPlanId or kNoSuchPlanTask) for anything but a token of ours.
Result<PlanScanBody> DecodePlanToken(std::string_view token, ErrorCode not_found);

// A completed result: {"status": "completed", "plan-id" (when given), "file-scan-tasks",
// "delete-files", "plan-tasks"}; without `status` (ScanTasks) for fetchScanTasks. Column
// statistics are included for the fields in `stats_field_types` (field id → primitive type),
// bounds rendered as the spec's primitive values.
std::string ScanTasksJson(const iceberg::ScanPlan& plan,
                          const std::map<int, std::string>& stats_field_types,
                          const std::vector<std::string>& plan_tasks,
                          const std::optional<std::string>& completed_plan_id);

}  // namespace pangolin::serde
