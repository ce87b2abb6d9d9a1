// Server-side scan planning over a table's manifests: the live data files of a snapshot that
// might hold rows matching a filter (pruned by identity-partition values and column statistics),
// each with the delete files that apply to it by the spec's sequence-number rules. Pure: files
// are read through the caller's function.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "iceberg/expression.h"
#include "iceberg/manifest.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg {

struct ScanFile {
  DataFile file;
  int spec_id = 0;
  int64_t sequence_number = 0;  // data sequence number (inherited)
};

struct FileScanTask {
  ScanFile data;
  std::vector<size_t> delete_refs;  // indices into ScanPlan::delete_files
};

struct ScanPlan {
  int64_t snapshot_id = -1;  // -1: the table has no snapshot (nothing to scan)
  std::vector<FileScanTask> tasks;
  std::vector<ScanFile> delete_files;
  // Data manifests left for later requests (one plan task each) when there were too many.
  std::vector<std::string> deferred_manifests;
};

struct ScanRequest {
  std::optional<int64_t> snapshot_id;  // default: the current snapshot
  // An incremental append scan: the data files appended by the `append` snapshots after
  // `start_snapshot_id` (exclusive; absent: from the first ancestor) up to `end_snapshot_id`
  // (inclusive), as Java's IncrementalAppendScan. Never deferred to plan tasks.
  std::optional<int64_t> start_snapshot_id;
  std::optional<int64_t> end_snapshot_id;
  std::optional<Expression> filter;
  bool case_sensitive = true;
  bool use_snapshot_schema = false;
  // Plan only this data manifest of the snapshot (a plan task).
  std::optional<std::string> manifest;
  // With more data manifests than this, none is planned now: all are deferred.
  size_t max_inline_manifests = SIZE_MAX;
};

using ReadFile = std::function<Result<std::string>(const std::string& location)>;

// Errors: kBadRequest (unknown snapshot, a filter that does not bind), kNoSuchPlanTask (`manifest`
// is not a data manifest of the snapshot), the reader's errors, and
// the manifest decoder's (kBadRequest for corrupt files, kUnsupported for unknown codecs).
Result<ScanPlan> PlanScan(const TableMetadata& metadata, const ScanRequest& request,
                          const ReadFile& read);

}  // namespace pangolin::iceberg
