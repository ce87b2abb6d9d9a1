// ApplyUpdates: dispatches each TableUpdate to the MetadataBuilder, then builds the new metadata
// (or reports that nothing changed).
#include "iceberg/table_update.h"

#include "common/ids.h"
#include "iceberg/metadata_builder.h"

namespace pangolin::iceberg {

namespace {

using internal::MetadataBuilder;

struct Applier {
  MetadataBuilder* b;
  int64_t now_ms;

  Status operator()(const AssignUuid& u) const { return b->AssignUuid(u.uuid); }
  Status operator()(const UpgradeFormatVersion& u) const {
    return b->UpgradeFormatVersion(u.format_version);
  }
  Status operator()(const AddSchema& u) const { return b->AddSchema(u.schema); }
  Status operator()(const SetCurrentSchema& u) const { return b->SetCurrentSchema(u.schema_id); }
  Status operator()(const AddPartitionSpec& u) const { return b->AddPartitionSpec(u.spec); }
  Status operator()(const SetDefaultSpec& u) const { return b->SetDefaultSpec(u.spec_id); }
  Status operator()(const AddSortOrder& u) const { return b->AddSortOrder(u.sort_order); }
  Status operator()(const SetDefaultSortOrder& u) const {
    return b->SetDefaultSortOrder(u.sort_order_id);
  }
  Status operator()(const AddSnapshot& u) const { return b->AddSnapshot(u.snapshot); }
  Status operator()(const SetSnapshotRef& u) const { return b->SetRef(u.ref_name, u.ref, now_ms); }
  Status operator()(const RemoveSnapshots& u) const {
    b->RemoveSnapshots(u.snapshot_ids);
    return Ok();
  }
  Status operator()(const RemoveSnapshotRef& u) const {
    b->RemoveRef(u.ref_name);
    return Ok();
  }
  Status operator()(const SetLocation& u) const {
    if (u.location.empty()) return Err(ErrorCode::kInvalidArgument, "Invalid location: empty");
    b->SetLocation(u.location);
    return Ok();
  }
  Status operator()(const SetProperties& u) const {
    b->SetProperties(u.updates);
    return Ok();
  }
  Status operator()(const RemoveProperties& u) const {
    b->RemoveProperties(u.removals);
    return Ok();
  }
  Status operator()(const SetStatistics& u) const {
    b->SetStatistics(u.statistics);
    return Ok();
  }
  Status operator()(const RemoveStatistics& u) const {
    b->RemoveStatistics(u.snapshot_id);
    return Ok();
  }
  Status operator()(const SetPartitionStatistics& u) const {
    b->SetPartitionStatistics(u.partition_statistics);
    return Ok();
  }
  Status operator()(const RemovePartitionStatistics& u) const {
    b->RemovePartitionStatistics(u.snapshot_id);
    return Ok();
  }
  Status operator()(const RemovePartitionSpecs& u) const { return b->RemoveSpecs(u.spec_ids); }
  Status operator()(const RemoveSchemas& u) const { return b->RemoveSchemas(u.schema_ids); }
  Status operator()(const AddEncryptionKey& u) const {
    b->AddEncryptionKey(u.key);
    return Ok();
  }
  Status operator()(const RemoveEncryptionKey& u) const {
    b->RemoveEncryptionKey(u.key_id);
    return Ok();
  }
};

constexpr std::string_view kActions[] = {"assign-uuid",
                                         "upgrade-format-version",
                                         "add-schema",
                                         "set-current-schema",
                                         "add-spec",
                                         "set-default-spec",
                                         "add-sort-order",
                                         "set-default-sort-order",
                                         "add-snapshot",
                                         "set-snapshot-ref",
                                         "remove-snapshots",
                                         "remove-snapshot-ref",
                                         "set-location",
                                         "set-properties",
                                         "remove-properties",
                                         "set-statistics",
                                         "remove-statistics",
                                         "set-partition-statistics",
                                         "remove-partition-statistics",
                                         "remove-partition-specs",
                                         "remove-schemas",
                                         "add-encryption-key",
                                         "remove-encryption-key"};
static_assert(std::size(kActions) == std::variant_size_v<TableUpdate>);

// Format version of a staged create: the first upgrade-format-version, else the default.
Result<int> CreateFormatVersion(const std::vector<TableUpdate>& updates) {
  for (const auto& update : updates) {
    if (const auto* upgrade = std::get_if<UpgradeFormatVersion>(&update)) {
      int version = upgrade->format_version;
      if (version < 1 || version > kMaxFormatVersion) {
        return Err(ErrorCode::kInvalidArgument, "Unsupported format version: v{} (supported: v{})",
                   version, kMaxFormatVersion);
      }
      return version;
    }
  }
  return kDefaultFormatVersion;
}

}  // namespace

std::string_view UpdateAction(const TableUpdate& update) { return kActions[update.index()]; }

Result<UpdateResult> ApplyUpdates(const TableMetadata* base,
                                  std::optional<std::string> base_metadata_location,
                                  const std::vector<TableUpdate>& updates, int64_t now_ms) {
  std::optional<MetadataBuilder> builder;
  if (base) {
    builder.emplace(*base, std::move(base_metadata_location));
  } else {
    ASSIGN_OR_RETURN(int version, CreateFormatVersion(updates));
    builder.emplace(version, NewUuid());  // replaced by the create's assign-uuid when present
  }
  for (const auto& update : updates) {
    RETURN_IF_ERROR(std::visit(Applier{&*builder, now_ms}, update));
  }
  if (base && !builder->changed()) return UpdateResult{*base, false};
  ASSIGN_OR_RETURN(TableMetadata metadata, std::move(*builder).Build(now_ms));
  return UpdateResult{std::move(metadata), true};
}

}  // namespace pangolin::iceberg
