// Scan planning: manifest list → manifests → live entries, filtered; deletes matched to data files.
#include "iceberg/scan_plan.h"

#include <set>

namespace pangolin::iceberg {
namespace {

bool Unpartitioned(const TableMetadata& metadata, int spec_id) {
  const PartitionSpec* spec = metadata.FindSpec(spec_id);
  return spec && spec->fields.empty();
}

bool SamePartition(const ScanFile& a, const ScanFile& b) {
  if (a.spec_id != b.spec_id || a.file.partition.size() != b.file.partition.size()) return false;
  for (size_t i = 0; i < a.file.partition.size(); ++i) {
    if (a.file.partition[i].value != b.file.partition[i].value) return false;
  }
  return true;
}

// Whether delete file `d` applies to data file `f` (format spec, "Scan Planning").
bool Applies(const TableMetadata& metadata, const ScanFile& d, const ScanFile& f) {
  if (d.file.content == FileContent::kPositionDeletes) {
    if (d.sequence_number < f.sequence_number) return false;
    if (d.file.referenced_data_file) return *d.file.referenced_data_file == f.file.file_path;
  } else if (d.sequence_number <= f.sequence_number) {
    return false;
  }
  return Unpartitioned(metadata, d.spec_id) || SamePartition(d, f);
}

Result<std::vector<ManifestFile>> Manifests(const Snapshot& snapshot, const ReadFile& read) {
  if (snapshot.manifest_list) {
    ASSIGN_OR_RETURN(std::string bytes, read(*snapshot.manifest_list));
    return ReadManifestList(bytes);
  }
  std::vector<ManifestFile> manifests;  // v1 snapshots may list their manifests inline
  for (const auto& path : snapshot.manifests.value_or(std::vector<std::string>{})) {
    ManifestFile manifest;
    manifest.manifest_path = path;
    manifests.push_back(std::move(manifest));
  }
  return manifests;
}

// The `append` snapshots in (start, end] along end's ancestry. Errors: kBadRequest.
Result<std::set<int64_t>> IncrementalSnapshots(const TableMetadata& metadata,
                                               const ScanRequest& request) {
  if (!request.end_snapshot_id) {
    return Err(ErrorCode::kBadRequest, "Invalid incremental scan: end-snapshot-id is required");
  }
  std::set<int64_t> appends;
  bool reached_start = !request.start_snapshot_id;
  for (const Snapshot* s = metadata.FindSnapshot(*request.end_snapshot_id); s != nullptr;
       s = s->parent_snapshot_id ? metadata.FindSnapshot(*s->parent_snapshot_id) : nullptr) {
    if (request.start_snapshot_id && s->snapshot_id == *request.start_snapshot_id) {
      reached_start = true;
      break;
    }
    if (s->operation.value_or("append") == "append") appends.insert(s->snapshot_id);
  }
  if (!metadata.FindSnapshot(*request.end_snapshot_id)) {
    return Err(ErrorCode::kBadRequest, "Cannot find end snapshot with ID {}",
               *request.end_snapshot_id);
  }
  if (!reached_start) {
    return Err(ErrorCode::kBadRequest,
               "Starting snapshot (exclusive) {} is not a parent ancestor of end snapshot {}",
               *request.start_snapshot_id, *request.end_snapshot_id);
  }
  return appends;
}

}  // namespace

Result<ScanPlan> PlanScan(const TableMetadata& metadata, const ScanRequest& request,
                          const ReadFile& read) {
  ScanPlan plan;
  bool incremental = request.start_snapshot_id || request.end_snapshot_id;
  std::set<int64_t> appends;
  if (incremental) {
    ASSIGN_OR_RETURN(appends, IncrementalSnapshots(metadata, request));
  }
  std::optional<int64_t> planned = incremental ? request.end_snapshot_id : request.snapshot_id;
  const Snapshot* snapshot = planned ? metadata.FindSnapshot(*planned) : metadata.CurrentSnapshot();
  if (planned && !snapshot) {
    return Err(ErrorCode::kBadRequest, "Cannot find snapshot with ID {}", *planned);
  }
  const Schema* schema = metadata.CurrentSchema();
  if (snapshot && request.use_snapshot_schema && snapshot->schema_id) {
    schema = metadata.FindSchema(*snapshot->schema_id);
  }
  if (!schema) return Err(ErrorCode::kBadRequest, "The table has no schema to plan with");
  BoundExpression filter;  // kTrue
  if (request.filter) {
    ASSIGN_OR_RETURN(filter, Bind(*request.filter, *schema, request.case_sensitive));
    filter = RewriteNot(filter);
  }
  if (!snapshot) return plan;
  plan.snapshot_id = snapshot->snapshot_id;
  ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests, Manifests(*snapshot, read));
  std::vector<const ManifestFile*> data, delete_manifests;
  for (const auto& manifest : manifests) {
    bool is_data = manifest.content == ManifestContent::kData;
    // An incremental scan reads the data manifests its append snapshots wrote, and no deletes.
    if (incremental && (!is_data || !appends.count(manifest.added_snapshot_id))) continue;
    if (is_data && request.manifest && manifest.manifest_path != *request.manifest) continue;
    (is_data ? data : delete_manifests).push_back(&manifest);
  }
  if (request.manifest && data.empty()) {
    return Err(ErrorCode::kNoSuchPlanTask,
               "No such plan task: {} is not a data manifest of "
               "snapshot {}",
               *request.manifest, snapshot->snapshot_id);
  }
  if (!request.manifest && !incremental && data.size() > request.max_inline_manifests) {
    for (const ManifestFile* manifest : data)
      plan.deferred_manifests.push_back(manifest->manifest_path);
    return plan;
  }
  std::vector<ScanFile> deletes;
  std::vector<const ManifestFile*> to_read = data;
  to_read.insert(to_read.end(), delete_manifests.begin(), delete_manifests.end());
  for (const ManifestFile* manifest_ptr : to_read) {
    const ManifestFile& manifest = *manifest_ptr;
    // Delete manifests matter only to tasks.
    if (manifest.content == ManifestContent::kDeletes && plan.tasks.empty()) continue;
    ASSIGN_OR_RETURN(std::string bytes, read(manifest.manifest_path));
    ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifest(bytes, manifest));
    const PartitionSpec* spec = metadata.FindSpec(manifest.partition_spec_id);
    for (auto& entry : entries) {
      if (entry.status == ManifestEntryStatus::kDeleted) continue;
      if (incremental && (entry.status != ManifestEntryStatus::kAdded ||
                          !appends.count(entry.snapshot_id.value_or(-1)))) {
        continue;
      }
      ScanFile file{std::move(entry.data_file), manifest.partition_spec_id,
                    entry.sequence_number.value_or(0)};
      if (manifest.content == ManifestContent::kDeletes ||
          file.file.content != FileContent::kData) {
        deletes.push_back(std::move(file));
        continue;
      }
      if (spec && !PartitionMightMatch(filter, *spec, file.file.partition)) continue;
      if (!MetricsMightMatch(filter, file.file)) continue;
      plan.tasks.push_back({std::move(file), {}});
    }
  }
  // Only delete files some task needs are returned, each once.
  std::vector<std::optional<size_t>> index(deletes.size());
  for (auto& task : plan.tasks) {
    for (size_t i = 0; i < deletes.size(); ++i) {
      if (!Applies(metadata, deletes[i], task.data)) continue;
      if (!index[i]) {
        index[i] = plan.delete_files.size();
        plan.delete_files.push_back(deletes[i]);
      }
      task.delete_refs.push_back(*index[i]);
    }
  }
  return plan;
}

}  // namespace pangolin::iceberg
