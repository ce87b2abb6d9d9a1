// MetadataBuilder, part 2: snapshots, refs, statistics, and Build(), which rewrites the
// snapshot-log and metadata-log as Java's Builder.build() does (iceberg-rest-notes §4.4, §4.5).
#include <algorithm>

#include "common/strings.h"
#include "iceberg/metadata_builder.h"

namespace pangolin::iceberg::internal {

namespace {
constexpr int kPreviousVersionsMaxDefault = 100;
constexpr const char* kPreviousVersionsMax = "write.metadata.previous-versions-max";

template <typename... Args>
tl::unexpected<Error> Retryable(fmt::format_string<Args...> format, Args&&... args) {
  return MakeError(ErrorCode::kCommitFailed, "Validation failed, please retry: " +
                                                 fmt::format(format, std::forward<Args>(args)...));
}
}  // namespace

Status MetadataBuilder::AddSnapshot(const Snapshot& snapshot) {
  if (md_.schemas.empty()) {
    return Err(ErrorCode::kValidation, "Attempting to add a snapshot before a schema is added");
  }
  if (md_.partition_specs.empty()) {
    return Err(ErrorCode::kValidation,
               "Attempting to add a snapshot before a partition spec is added");
  }
  if (md_.sort_orders.empty()) {
    return Err(ErrorCode::kValidation, "Attempting to add a snapshot before a sort order is added");
  }
  if (md_.FindSnapshot(snapshot.snapshot_id)) {
    return Err(ErrorCode::kValidation, "Snapshot already exists for id: {}", snapshot.snapshot_id);
  }
  if (md_.format_version > 1 && snapshot.parent_snapshot_id &&
      snapshot.SequenceNumber() <= md_.last_sequence_number) {
    return Retryable(
        "Cannot add snapshot with sequence number {} older than last sequence number {}",
        snapshot.SequenceNumber(), md_.last_sequence_number);
  }
  if (md_.format_version >= 3) {
    if (!snapshot.first_row_id) {
      return Err(ErrorCode::kValidation, "Cannot add a snapshot: first-row-id is null");
    }
    if (*snapshot.first_row_id < md_.next_row_id) {
      return Retryable("Cannot add a snapshot, first-row-id is behind table next-row-id: {} < {}",
                       *snapshot.first_row_id, md_.next_row_id);
    }
    if (!snapshot.added_rows) {
      return Err(ErrorCode::kValidation, "Cannot add a snapshot: added-rows is null");
    }
    md_.next_row_id += *snapshot.added_rows;
  }
  last_updated_ms_ = snapshot.timestamp_ms;
  md_.last_sequence_number = snapshot.SequenceNumber();
  md_.snapshots.push_back(snapshot);
  added_snapshot_ids_.insert(snapshot.snapshot_id);
  ++changes_;
  return Ok();
}

Status MetadataBuilder::SetRef(const std::string& name, const SnapshotRef& ref, int64_t now_ms) {
  if (ref.type != "branch" && ref.type != "tag") {
    return Err(ErrorCode::kInvalidArgument, "Invalid snapshot ref type: {}", ref.type);
  }
  if (!ref.IsBranch() && (ref.min_snapshots_to_keep || ref.max_snapshot_age_ms)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     ref.min_snapshots_to_keep ? "Tags do not support setting minSnapshotsToKeep"
                                               : "Tags do not support setting maxSnapshotAgeMs");
  }
  if (ref.min_snapshots_to_keep && *ref.min_snapshots_to_keep <= 0) {
    return Err(ErrorCode::kInvalidArgument, "Min snapshots to keep must be greater than 0");
  }
  if (ref.max_snapshot_age_ms && *ref.max_snapshot_age_ms <= 0) {
    return Err(ErrorCode::kInvalidArgument, "Max snapshot age must be greater than 0 ms");
  }
  if (ref.max_ref_age_ms && *ref.max_ref_age_ms <= 0) {
    return Err(ErrorCode::kInvalidArgument, "Max reference age must be greater than 0");
  }
  if (name == kMainBranch && !ref.IsBranch()) {
    return Err(ErrorCode::kValidation, "Cannot update branch: {} is a tag", name);
  }
  auto existing = md_.refs.find(name);
  if (existing != md_.refs.end() && SameRef(existing->second, ref)) return Ok();
  const Snapshot* snapshot = md_.FindSnapshot(ref.snapshot_id);
  if (!snapshot) {
    return Err(ErrorCode::kValidation, "Cannot set {} to unknown snapshot: {}", name,
               ref.snapshot_id);
  }
  if (added_snapshot_ids_.count(ref.snapshot_id)) last_updated_ms_ = snapshot->timestamp_ms;
  if (name == kMainBranch) {
    md_.current_snapshot_id = ref.snapshot_id;
    if (!last_updated_ms_) last_updated_ms_ = now_ms;
    md_.snapshot_log.push_back({*last_updated_ms_, ref.snapshot_id});
    main_ref_sets_.push_back(ref.snapshot_id);
  }
  SnapshotRef stored = ref;
  stored.extra.clear();
  md_.refs[name] = std::move(stored);
  ++changes_;
  return Ok();
}

void MetadataBuilder::RemoveRef(const std::string& name) {
  if (name == kMainBranch) md_.current_snapshot_id.reset();
  if (md_.refs.erase(name)) ++changes_;
}

void MetadataBuilder::RemoveSnapshots(const std::vector<int64_t>& snapshot_ids) {
  std::vector<int64_t> removing = snapshot_ids;  // sorted: an expiry may remove thousands
  std::sort(removing.begin(), removing.end());
  std::vector<SharedValue<Snapshot>> retained;
  for (auto& snapshot : md_.snapshots) {
    int64_t id = snapshot->snapshot_id;
    if (std::binary_search(removing.begin(), removing.end(), id)) {
      removed_snapshots_ = true;
      ++changes_;
      RemoveStatistics(id);
      RemovePartitionStatistics(id);
    } else {
      retained.push_back(std::move(snapshot));
    }
  }
  md_.snapshots = std::move(retained);
  std::vector<std::string> dangling;
  for (const auto& [name, ref] : md_.refs) {
    if (!md_.FindSnapshot(ref.snapshot_id)) dangling.push_back(name);
  }
  for (const auto& name : dangling) RemoveRef(name);
}

void MetadataBuilder::SetStatistics(const StatisticsFile& file) {
  auto& stats = md_.statistics;
  auto it = std::find_if(stats.begin(), stats.end(), [&](const StatisticsFile& s) {
    return s.snapshot_id == file.snapshot_id;
  });
  size_t position = static_cast<size_t>(it - stats.begin());
  std::erase_if(stats, [&](const StatisticsFile& s) { return s.snapshot_id == file.snapshot_id; });
  stats.insert(stats.begin() + static_cast<std::ptrdiff_t>(std::min(position, stats.size())), file);
  ++changes_;
}

void MetadataBuilder::RemoveStatistics(int64_t snapshot_id) {
  if (std::erase_if(md_.statistics,
                    [&](const StatisticsFile& s) { return s.snapshot_id == snapshot_id; })) {
    ++changes_;
  }
}

void MetadataBuilder::SetPartitionStatistics(const PartitionStatisticsFile& file) {
  std::erase_if(md_.partition_statistics, [&](const PartitionStatisticsFile& s) {
    return s.snapshot_id == file.snapshot_id;
  });
  md_.partition_statistics.push_back(file);
  ++changes_;
}

void MetadataBuilder::RemovePartitionStatistics(int64_t snapshot_id) {
  if (std::erase_if(md_.partition_statistics, [&](const PartitionStatisticsFile& s) {
        return s.snapshot_id == snapshot_id;
      })) {
    ++changes_;
  }
}

Status MetadataBuilder::UpdateSnapshotLog() {
  // Intermediate snapshots: added in this commit, set as main, then replaced as main.
  std::set<int64_t> intermediate;
  int64_t current = md_.current_snapshot_id.value_or(-1);
  for (int64_t id : main_ref_sets_) {
    if (added_snapshot_ids_.count(id) && id != current) intermediate.insert(id);
  }
  if (intermediate.empty() && !removed_snapshots_) return Ok();
  std::vector<SnapshotLogEntry> log;
  SnapshotIds kept(md_);
  for (auto& entry : md_.snapshot_log) {
    if (kept.Contains(entry.snapshot_id)) {
      if (!intermediate.count(entry.snapshot_id)) log.push_back(std::move(entry));
    } else if (removed_snapshots_) {
      log.clear();  // a gap would make time travel wrong: drop the history before it
    }
  }
  if (md_.CurrentSnapshot() && (log.empty() || log.back().snapshot_id != current)) {
    return Err(ErrorCode::kValidation,
               "Cannot set invalid snapshot log: latest entry is not the current snapshot");
  }
  md_.snapshot_log = std::move(log);
  return Ok();
}

void MetadataBuilder::UpdateMetadataLog() {
  if (!has_base_ || !previous_location_) return;
  int max_size = kPreviousVersionsMaxDefault;
  auto it = md_.properties.find(kPreviousVersionsMax);
  if (it != md_.properties.end()) {
    if (auto parsed = ParseInt(it->second)) max_size = static_cast<int>(*parsed);
  }
  max_size = std::max(1, max_size);
  std::vector<MetadataLogEntry>& log = md_.metadata_log;
  if (static_cast<int>(log.size()) >= max_size) {
    log.erase(log.begin(), log.begin() + (static_cast<int>(log.size()) - max_size + 1));
  }
  log.push_back({base_last_updated_ms_, *previous_location_});
}

Result<TableMetadata> MetadataBuilder::Build(int64_t now_ms) && {
  md_.last_updated_ms = last_updated_ms_.value_or(now_ms);
  if (md_.location.empty())
    return Err(ErrorCode::kValidation, "Invalid table metadata: location is required");
  const Schema* schema = md_.CurrentSchema();
  if (!schema) {
    return Err(ErrorCode::kValidation, "Invalid table metadata: current schema {} does not exist",
               md_.current_schema_id);
  }
  const PartitionSpec* spec = md_.FindSpec(md_.default_spec_id);
  if (spec) RETURN_IF_ERROR(CheckSpecCompatible(*spec, *schema));
  const SortOrder* order = md_.FindSortOrder(md_.default_sort_order_id);
  if (order) RETURN_IF_ERROR(CheckOrderCompatible(*order, *schema));
  UpdateMetadataLog();
  RETURN_IF_ERROR(UpdateSnapshotLog());
  RETURN_IF_ERROR(ValidateTableMetadata(md_));
  return std::move(md_);
}

}  // namespace pangolin::iceberg::internal
