// Module-private: a port of the behaviour of Java's TableMetadata.Builder. It tracks what changed
// in this commit (added ids, ref moves) because several rules depend on it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg::internal {

class MetadataBuilder {
 public:
  // Starts from `base`; `base_location` is recorded in the metadata-log when something changes.
  MetadataBuilder(const TableMetadata& base, std::optional<std::string> base_location);
  // Starts from an empty table of `format_version` with `uuid` (a staged create).
  MetadataBuilder(int format_version, std::string uuid);

  Status AssignUuid(const std::string& uuid);
  Status UpgradeFormatVersion(int format_version);
  Status AddSchema(const Schema& schema);
  Status SetCurrentSchema(int schema_id);
  Status AddPartitionSpec(const UnboundPartitionSpec& spec);
  Status SetDefaultSpec(int spec_id);
  Status AddSortOrder(const SortOrder& order);
  Status SetDefaultSortOrder(int order_id);
  Status RemoveSpecs(const std::vector<int>& spec_ids);
  Status RemoveSchemas(const std::vector<int>& schema_ids);
  Status AddSnapshot(const Snapshot& snapshot);
  Status SetRef(const std::string& name, const SnapshotRef& ref, int64_t now_ms);
  void RemoveRef(const std::string& name);
  void RemoveSnapshots(const std::vector<int64_t>& snapshot_ids);
  void SetLocation(const std::string& location);
  void SetProperties(const std::map<std::string, std::string>& updates);
  void RemoveProperties(const std::vector<std::string>& removals);
  void SetStatistics(const StatisticsFile& file);
  void RemoveStatistics(int64_t snapshot_id);
  void SetPartitionStatistics(const PartitionStatisticsFile& file);
  void RemovePartitionStatistics(int64_t snapshot_id);
  void AddEncryptionKey(const EncryptedKey& key);
  void RemoveEncryptionKey(const std::string& key_id);

  bool changed() const { return changes_ > 0; }
  // Finishes the metadata: logs, timestamps and the constructor's validation. The metadata is
  // moved out, not copied: the builder is used up.
  Result<TableMetadata> Build(int64_t now_ms) &&;

 private:
  std::optional<int> ReuseOrNewSchemaId(const Schema& schema, bool* found) const;
  Result<PartitionSpec> BindSpec(const UnboundPartitionSpec& spec, int spec_id) const;
  Result<SortOrder> BindOrder(const SortOrder& order, int order_id) const;
  Status CheckSpecCompatible(const PartitionSpec& spec, const Schema& schema) const;
  Status CheckOrderCompatible(const SortOrder& order, const Schema& schema) const;
  Status UpdateSnapshotLog();
  void UpdateMetadataLog();

  TableMetadata md_;
  bool has_base_ = false;
  int64_t base_last_updated_ms_ = 0;
  std::optional<std::string> previous_location_;
  int changes_ = 0;
  std::optional<int64_t> last_updated_ms_;
  std::optional<int> last_added_schema_id_;
  std::optional<int> last_added_spec_id_;
  std::optional<int> last_added_order_id_;
  std::set<int> added_schema_ids_;
  std::set<int> added_spec_ids_;
  std::set<int> added_order_ids_;
  std::set<int64_t> added_snapshot_ids_;
  std::vector<int64_t> main_ref_sets_;  // snapshot ids main was set to, in order
  bool removed_snapshots_ = false;
};

}  // namespace pangolin::iceberg::internal
