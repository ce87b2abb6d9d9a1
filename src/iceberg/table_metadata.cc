// Lookups on TableMetadata and the invariant checks of Java's TableMetadata constructor.
#include "iceberg/table_metadata.h"

#include <algorithm>

namespace pangolin::iceberg {

namespace {
constexpr int64_t kOneMinuteMs = 60 * 1000;

template <typename T, typename Pred>
const T* FindIf(const std::vector<T>& items, Pred pred) {
  auto it = std::find_if(items.begin(), items.end(), pred);
  return it == items.end() ? nullptr : &*it;
}

Status ValidateLogs(const TableMetadata& md) {
  const SnapshotLogEntry* last = nullptr;
  for (const auto& entry : md.snapshot_log) {
    if (last && entry.timestamp_ms - last->timestamp_ms < -kOneMinuteMs) {
      return Err(ErrorCode::kValidation, "[BUG] Expected sorted snapshot log entries.");
    }
    last = &entry;
  }
  if (last && md.last_updated_ms - last->timestamp_ms < -kOneMinuteMs) {
    return Err(ErrorCode::kValidation,
               "Invalid update timestamp {}: before last snapshot log entry at {}",
               md.last_updated_ms, last->timestamp_ms);
  }
  const MetadataLogEntry* previous = nullptr;
  for (const auto& entry : md.metadata_log) {
    if (previous && entry.timestamp_ms - previous->timestamp_ms < -kOneMinuteMs) {
      return Err(ErrorCode::kValidation, "[BUG] Expected sorted previous metadata log entries.");
    }
    previous = &entry;
  }
  if (previous && md.last_updated_ms - previous->timestamp_ms < -kOneMinuteMs) {
    return Err(ErrorCode::kValidation,
               "Invalid update timestamp {}: before the latest metadata log entry timestamp {}",
               md.last_updated_ms, previous->timestamp_ms);
  }
  return Ok();
}

Status ValidateSnapshotsAndRefs(const TableMetadata& md) {
  SnapshotIds ids(md);
  for (const Snapshot& snapshot : md.snapshots) {
    if (snapshot.SequenceNumber() > md.last_sequence_number) {
      return Err(ErrorCode::kValidation,
                 "Invalid snapshot with sequence number {} greater than last sequence number {}",
                 snapshot.SequenceNumber(), md.last_sequence_number);
    }
  }
  for (const auto& [name, ref] : md.refs) {
    if (!ids.Contains(ref.snapshot_id)) {
      return Err(ErrorCode::kValidation,
                 "Snapshot for reference {} does not exist in the existing snapshots list", name);
    }
  }
  auto main = md.refs.find(kMainBranch);
  if (md.current_snapshot_id) {
    if (main != md.refs.end() && main->second.snapshot_id != *md.current_snapshot_id) {
      return Err(ErrorCode::kValidation,
                 "Current snapshot ID does not match main branch ({} != {})",
                 *md.current_snapshot_id, main->second.snapshot_id);
    }
    if (!ids.Contains(*md.current_snapshot_id)) {
      return Err(ErrorCode::kValidation, "Invalid table metadata: Cannot find current version");
    }
  } else if (main != md.refs.end()) {
    return Err(ErrorCode::kValidation, "Current snapshot is not set, but main branch exists: {}",
               main->second.snapshot_id);
  }
  return Ok();
}

}  // namespace

int LastAssignedFieldId(const PartitionSpec& spec) {
  int last = kPartitionDataIdStart - 1;
  for (const auto& field : spec.fields) last = std::max(last, field.field_id);
  return last;
}

bool SameRef(const SnapshotRef& a, const SnapshotRef& b) {
  return a.type == b.type && a.snapshot_id == b.snapshot_id &&
         a.min_snapshots_to_keep == b.min_snapshots_to_keep &&
         a.max_snapshot_age_ms == b.max_snapshot_age_ms && a.max_ref_age_ms == b.max_ref_age_ms;
}

const Schema* TableMetadata::FindSchema(int schema_id) const {
  return FindIf(schemas, [&](const Schema& s) { return s.schema_id == schema_id; });
}

const PartitionSpec* TableMetadata::FindSpec(int spec_id) const {
  return FindIf(partition_specs, [&](const PartitionSpec& s) { return s.spec_id == spec_id; });
}

const SortOrder* TableMetadata::FindSortOrder(int order_id) const {
  return FindIf(sort_orders, [&](const SortOrder& s) { return s.order_id == order_id; });
}

SnapshotIds::SnapshotIds(const TableMetadata& md) {
  ids_.reserve(md.snapshots.size());
  for (const Snapshot& snapshot : md.snapshots) ids_.push_back(snapshot.snapshot_id);
  std::sort(ids_.begin(), ids_.end());
}

bool SnapshotIds::Contains(int64_t snapshot_id) const {
  return std::binary_search(ids_.begin(), ids_.end(), snapshot_id);
}

const Snapshot* TableMetadata::FindSnapshot(int64_t snapshot_id) const {
  auto it = std::find_if(snapshots.begin(), snapshots.end(),
                         [&](const Snapshot& s) { return s.snapshot_id == snapshot_id; });
  return it == snapshots.end() ? nullptr : &it->get();
}

const Snapshot* TableMetadata::CurrentSnapshot() const {
  return current_snapshot_id ? FindSnapshot(*current_snapshot_id) : nullptr;
}

std::string TableMetadata::Property(const std::string& key, const std::string& fallback) const {
  auto it = properties.find(key);
  return it == properties.end() ? fallback : it->second;
}

Status ValidateTableMetadata(const TableMetadata& md) {
  if (md.format_version < 1 || md.format_version > kMaxFormatVersion) {
    return Err(ErrorCode::kValidation, "Unsupported format version: v{} (supported: v{})",
               md.format_version, kMaxFormatVersion);
  }
  if (md.format_version > 1 && !md.table_uuid) {
    return Err(ErrorCode::kValidation, "UUID is required in format v{}", md.format_version);
  }
  if (md.format_version == 1 && md.last_sequence_number != 0) {
    return Err(ErrorCode::kValidation, "Sequence number must be 0 in v1: {}",
               md.last_sequence_number);
  }
  if (md.partition_specs.empty()) {
    return Err(ErrorCode::kValidation, "Partition specs cannot be null or empty");
  }
  if (md.sort_orders.empty())
    return Err(ErrorCode::kValidation, "Sort orders cannot be null or empty");
  if (!md.CurrentSchema()) {
    return Err(ErrorCode::kValidation, "Cannot find schema with current-schema-id={} from schemas",
               md.current_schema_id);
  }
  if (!md.FindSpec(md.default_spec_id)) {
    return Err(ErrorCode::kValidation, "Cannot find default partition spec: {}",
               md.default_spec_id);
  }
  if (!md.FindSortOrder(md.default_sort_order_id)) {
    return Err(ErrorCode::kValidation, "Cannot find default sort order: {}",
               md.default_sort_order_id);
  }
  RETURN_IF_ERROR(ValidateSnapshotsAndRefs(md));
  return ValidateLogs(md);
}

}  // namespace pangolin::iceberg
