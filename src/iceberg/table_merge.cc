// Three-way table comparison and merge. The merge replays the source's changes on the target with
// the metadata builder, so every rule a commit obeys (ids, sequence numbers, row lineage) holds.
#include "iceberg/table_merge.h"

#include <algorithm>

#include "common/strings.h"
#include "iceberg/metadata_builder.h"
#include "iceberg/schema.h"

namespace pangolin::iceberg {
namespace {

using internal::MetadataBuilder;

const std::vector<PartitionField>* DefaultSpecFields(const TableMetadata& md) {
  const PartitionSpec* spec = md.FindSpec(md.default_spec_id);
  return spec ? &spec->fields : nullptr;
}

const std::vector<SortField>* DefaultOrderFields(const TableMetadata& md) {
  const SortOrder* order = md.FindSortOrder(md.default_sort_order_id);
  return order ? &order->fields : nullptr;
}

bool SameCurrentSchema(const TableMetadata& a, const TableMetadata& b) {
  const Schema* sa = a.CurrentSchema();
  const Schema* sb = b.CurrentSchema();
  return sa && sb ? SameSchema(*sa, *sb) : sa == sb;
}

template <typename T>
bool SamePointee(const T* a, const T* b) {
  return a && b ? *a == *b : a == b;
}

std::vector<std::string> Keys(const std::set<std::string>& set) { return {set.begin(), set.end()}; }

// The id under which `schema` exists in `md`, if any.
std::optional<int> FindSameSchema(const TableMetadata& md, const Schema& schema) {
  for (const auto& candidate : md.schemas) {
    if (SameSchema(candidate, schema)) return candidate.schema_id;
  }
  return std::nullopt;
}

// What both sides changed that a merge cannot combine; empty when the changes are disjoint.
std::vector<std::string> Clashes(const TableChanges& s, const TableChanges& t,
                                 const TableMetadata& source, const TableMetadata& target) {
  std::vector<std::string> clashes;
  if (s.schema && t.schema && !SameCurrentSchema(source, target)) clashes.push_back("the schema");
  if (s.partition_spec && t.partition_spec &&
      !SamePointee(DefaultSpecFields(source), DefaultSpecFields(target))) {
    clashes.push_back("the partition spec");
  }
  if (s.sort_order && t.sort_order &&
      !SamePointee(DefaultOrderFields(source), DefaultOrderFields(target))) {
    clashes.push_back("the sort order");
  }
  if (!s.added_snapshots.empty() && !t.added_snapshots.empty()) {
    clashes.push_back("the data (both added snapshots)");
  }
  if (s.location && t.location && source.location != target.location) {
    clashes.push_back("the location");
  }
  if (auto props = ConflictingProperties(s, t); !props.empty()) {
    clashes.push_back("properties " + Join(props, ", "));
  }
  std::vector<std::string> refs;
  std::set_intersection(s.refs.begin(), s.refs.end(), t.refs.begin(), t.refs.end(),
                        std::back_inserter(refs));
  std::erase_if(refs, [&](const std::string& name) {
    auto a = source.refs.find(name);
    auto b = target.refs.find(name);
    bool a_has = a != source.refs.end();
    bool b_has = b != target.refs.end();
    return a_has == b_has && (!a_has || SameRef(a->second, b->second));
  });
  if (!refs.empty()) clashes.push_back("refs " + Join(refs, ", "));
  return clashes;
}

// Schema, spec, order, properties, location and format: what does not involve snapshots.
Status ApplyStructure(MetadataBuilder& builder, const TableChanges& s, const TableMetadata& source,
                      const TableMetadata& target) {
  if (s.format_version && source.format_version > target.format_version) {
    RETURN_IF_ERROR(builder.UpgradeFormatVersion(source.format_version));
  }
  if (s.location) builder.SetLocation(source.location);
  if (s.schema && source.CurrentSchema()) {
    if (auto existing = FindSameSchema(target, *source.CurrentSchema())) {
      RETURN_IF_ERROR(builder.SetCurrentSchema(*existing));
    } else {
      RETURN_IF_ERROR(builder.AddSchema(*source.CurrentSchema()));
      RETURN_IF_ERROR(builder.SetCurrentSchema(-1));
    }
  }
  if (s.partition_spec) {
    const PartitionSpec* spec = source.FindSpec(source.default_spec_id);
    if (const PartitionSpec* same = target.FindSpec(spec->spec_id);
        same && same->fields == spec->fields) {
      RETURN_IF_ERROR(builder.SetDefaultSpec(same->spec_id));
    } else {
      UnboundPartitionSpec unbound{spec->spec_id, {}};
      for (const auto& f : spec->fields) {
        unbound.fields.push_back({f.source_id, f.source_ids, f.field_id, f.name, f.transform});
      }
      RETURN_IF_ERROR(builder.AddPartitionSpec(unbound));
      RETURN_IF_ERROR(builder.SetDefaultSpec(-1));
    }
  }
  if (s.sort_order) {
    const SortOrder* order = source.FindSortOrder(source.default_sort_order_id);
    auto same = std::find_if(target.sort_orders.begin(), target.sort_orders.end(),
                             [&](const SortOrder& o) { return o.fields == order->fields; });
    if (same != target.sort_orders.end()) {
      RETURN_IF_ERROR(builder.SetDefaultSortOrder(same->order_id));
    } else {
      RETURN_IF_ERROR(builder.AddSortOrder(*order));
      RETURN_IF_ERROR(builder.SetDefaultSortOrder(-1));
    }
  }
  std::map<std::string, std::string> set;
  std::vector<std::string> removed;
  for (const auto& [key, value] : s.properties) {
    if (value) {
      set.emplace(key, *value);
    } else {
      removed.push_back(key);
    }
  }
  if (!set.empty()) builder.SetProperties(set);
  if (!removed.empty()) builder.RemoveProperties(removed);
  return Ok();
}

// The source's new snapshots (schema ids mapped into `mid`), the refs it moved, and statistics.
Status ApplySnapshots(MetadataBuilder& builder, const TableChanges& s, const TableMetadata& source,
                      const TableMetadata& mid, int64_t now_ms) {
  for (int64_t id : s.added_snapshots) {
    Snapshot snapshot = *source.FindSnapshot(id);
    if (snapshot.schema_id) {
      const Schema* schema = source.FindSchema(*snapshot.schema_id);
      std::optional<int> mapped = schema ? FindSameSchema(mid, *schema) : std::nullopt;
      if (!mapped) {
        return Err(ErrorCode::kConflict,
                   "Cannot merge snapshot {}: its schema does not exist in the target", id);
      }
      snapshot.schema_id = *mapped;
    }
    RETURN_IF_ERROR(builder.AddSnapshot(snapshot));
  }
  for (const auto& name : s.refs) {
    auto ref = source.refs.find(name);
    if (ref == source.refs.end()) {
      builder.RemoveRef(name);
    } else {
      RETURN_IF_ERROR(builder.SetRef(name, ref->second, now_ms));
    }
  }
  std::set<int64_t> added(s.added_snapshots.begin(), s.added_snapshots.end());
  for (const auto& file : source.statistics) {
    if (added.contains(file.snapshot_id)) builder.SetStatistics(file);
  }
  for (const auto& file : source.partition_statistics) {
    if (added.contains(file.snapshot_id)) builder.SetPartitionStatistics(file);
  }
  return Ok();
}

}  // namespace

bool TableChanges::Empty() const {
  return !format_version && !location && !schema && !partition_spec && !sort_order &&
         added_snapshots.empty() && removed_snapshots.empty() && refs.empty() && properties.empty();
}

std::string TableChanges::Describe() const {
  std::vector<std::string> parts;
  if (format_version) parts.push_back("format version");
  if (location) parts.push_back("location");
  if (schema) parts.push_back("schema");
  if (partition_spec) parts.push_back("partition spec");
  if (sort_order) parts.push_back("sort order");
  if (!added_snapshots.empty()) {
    std::vector<std::string> ids;
    for (int64_t id : added_snapshots) ids.push_back(std::to_string(id));
    parts.push_back("added snapshots " + Join(ids, ", "));
  }
  if (!removed_snapshots.empty()) {
    parts.push_back(std::to_string(removed_snapshots.size()) + " snapshots removed");
  }
  if (!properties.empty()) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : properties) keys.push_back(key);
    parts.push_back("properties " + Join(keys, ", "));
  }
  if (!refs.empty()) parts.push_back("refs " + Join(Keys(refs), ", "));
  return parts.empty() ? "nothing" : Join(parts, "; ");
}

TableChanges DiffTables(const TableMetadata& base, const TableMetadata& side) {
  TableChanges changes;
  changes.format_version = base.format_version != side.format_version;
  changes.location = base.location != side.location;
  changes.schema = !SameCurrentSchema(base, side);
  changes.partition_spec = !SamePointee(DefaultSpecFields(base), DefaultSpecFields(side));
  changes.sort_order = !SamePointee(DefaultOrderFields(base), DefaultOrderFields(side));
  SnapshotIds in_base(base);
  SnapshotIds in_side(side);
  std::vector<const Snapshot*> added;
  for (const Snapshot& snapshot : side.snapshots) {
    if (!in_base.Contains(snapshot.snapshot_id)) added.push_back(&snapshot);
  }
  std::stable_sort(added.begin(), added.end(), [](const Snapshot* a, const Snapshot* b) {
    return a->SequenceNumber() < b->SequenceNumber();
  });
  for (const Snapshot* snapshot : added) changes.added_snapshots.push_back(snapshot->snapshot_id);
  for (const Snapshot& snapshot : base.snapshots) {
    if (!in_side.Contains(snapshot.snapshot_id)) {
      changes.removed_snapshots.push_back(snapshot.snapshot_id);
    }
  }
  for (const auto& [name, ref] : side.refs) {
    auto before = base.refs.find(name);
    if (before == base.refs.end() || !SameRef(before->second, ref)) changes.refs.insert(name);
  }
  for (const auto& [name, ref] : base.refs) {
    if (!side.refs.contains(name)) changes.refs.insert(name);
  }
  for (const auto& [key, value] : side.properties) {
    auto before = base.properties.find(key);
    if (before == base.properties.end() || before->second != value) {
      changes.properties.emplace(key, value);
    }
  }
  for (const auto& [key, value] : base.properties) {
    if (!side.properties.contains(key)) changes.properties.emplace(key, std::nullopt);
  }
  return changes;
}

bool DescendsFrom(const TableMetadata& later, std::string_view earlier_location) {
  return std::any_of(
      later.metadata_log.begin(), later.metadata_log.end(),
      [&](const MetadataLogEntry& e) { return e.metadata_file == earlier_location; });
}

std::vector<std::string> ConflictingProperties(const TableChanges& source,
                                               const TableChanges& target) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : source.properties) {
    auto other = target.properties.find(key);
    if (other != target.properties.end() && other->second != value) keys.push_back(key);
  }
  return keys;
}

Result<TableMetadata> MergeTables(const TableMetadata& base, const TableMetadata& source,
                                  const TableMetadata& target, const std::string& target_location,
                                  int64_t now_ms) {
  if (source.table_uuid != target.table_uuid || base.table_uuid != target.table_uuid) {
    return Err(ErrorCode::kConflict,
               "Cannot merge: the two sides hold different tables (uuid {} and {})",
               source.table_uuid.value_or("none"), target.table_uuid.value_or("none"));
  }
  TableChanges s = DiffTables(base, source);
  TableChanges t = DiffTables(base, target);
  if (auto clashes = Clashes(s, t, source, target); !clashes.empty()) {
    return Err(ErrorCode::kConflict, "Cannot merge: both sides changed {}", Join(clashes, "; "));
  }
  if (!s.removed_snapshots.empty()) {
    return Err(ErrorCode::kConflict,
               "Cannot merge: the source removed {} snapshots; a merge only adds snapshots",
               s.removed_snapshots.size());
  }
  MetadataBuilder structure(target, target_location);
  RETURN_IF_ERROR(ApplyStructure(structure, s, source, target));
  bool structure_changed = structure.changed();
  ASSIGN_OR_RETURN(TableMetadata mid, std::move(structure).Build(now_ms));
  if (s.partition_spec && mid.default_spec_id != source.default_spec_id) {
    return Err(ErrorCode::kConflict,
               "Cannot merge: the source's partition spec {} would get id {} in the target",
               source.default_spec_id, mid.default_spec_id);
  }
  // The target's file enters the metadata-log once, from whichever phase changed something first.
  MetadataBuilder snapshots(
      mid, structure_changed ? std::nullopt : std::optional<std::string>(target_location));
  RETURN_IF_ERROR(ApplySnapshots(snapshots, s, source, mid, now_ms));
  return std::move(snapshots).Build(now_ms);
}

}  // namespace pangolin::iceberg
