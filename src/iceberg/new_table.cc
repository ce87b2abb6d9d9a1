// NewTableMetadata: fresh ids for a created table, built through the same MetadataBuilder as
// commits so that validation and id rules are shared.
#include "iceberg/new_table.h"

#include <set>

#include "common/strings.h"
#include "iceberg/metadata_builder.h"

namespace pangolin::iceberg {

namespace {

Result<int> FormatVersionOf(const std::map<std::string, std::string>& properties) {
  auto it = properties.find("format-version");
  if (it == properties.end()) return kDefaultFormatVersion;
  auto version = ParseInt(it->second);
  if (!version) {
    return Err(ErrorCode::kInvalidArgument, "Invalid format-version: {}", it->second);
  }
  if (*version < 1 || *version > kMaxFormatVersion) {
    return Err(ErrorCode::kInvalidArgument, "Unsupported format version: v{} (supported: v{})",
               *version, kMaxFormatVersion);
  }
  return static_cast<int>(*version);
}

// The fresh id of the request column `source_id`, resolved through its full name.
Result<int> FreshSourceId(int source_id, const std::map<int, FieldRef>& old_by_id,
                          const std::map<std::string, int>& fresh_by_name, std::string_view what) {
  auto old_field = old_by_id.find(source_id);
  if (old_field == old_by_id.end()) {
    return Err(ErrorCode::kValidation, "Cannot find source column for {}: {}", what, source_id);
  }
  auto fresh = fresh_by_name.find(old_field->second.full_name);
  if (fresh == fresh_by_name.end()) {
    return Err(ErrorCode::kValidation, "Cannot find source column for {}: {}", what, source_id);
  }
  return fresh->second;
}

Result<UnboundPartitionSpec> FreshSpec(const CreateTableRequest& request, const Schema& fresh) {
  UnboundPartitionSpec spec{0, {}};
  if (!request.partition_spec) return spec;
  auto old_by_id = IndexById(request.schema);
  auto fresh_by_name = IndexByName(fresh);
  int next_id = kPartitionDataIdStart;
  for (const auto& field : request.partition_spec->fields) {
    UnboundPartitionField out = field;
    ASSIGN_OR_RETURN(out.source_id,
                     FreshSourceId(field.source_id, old_by_id, fresh_by_name, "partition field"));
    for (int& id : out.source_ids) {
      ASSIGN_OR_RETURN(id, FreshSourceId(id, old_by_id, fresh_by_name, "partition field"));
    }
    out.field_id = next_id++;
    spec.fields.push_back(std::move(out));
  }
  return spec;
}

Result<SortOrder> FreshOrder(const CreateTableRequest& request, const Schema& fresh) {
  SortOrder order{0, {}};
  if (!request.write_order || request.write_order->fields.empty()) return order;
  auto old_by_id = IndexById(request.schema);
  auto fresh_by_name = IndexByName(fresh);
  order.order_id = 1;
  for (const auto& field : request.write_order->fields) {
    SortField out = field;
    ASSIGN_OR_RETURN(out.source_id,
                     FreshSourceId(field.source_id, old_by_id, fresh_by_name, "sort field"));
    for (int& id : out.source_ids) {
      ASSIGN_OR_RETURN(id, FreshSourceId(id, old_by_id, fresh_by_name, "sort field"));
    }
    order.fields.push_back(std::move(out));
  }
  return order;
}

std::map<std::string, std::string> PersistedProperties(
    const std::map<std::string, std::string>& properties) {
  std::map<std::string, std::string> out{{"write.parquet.compression-codec", "zstd"}};
  for (const auto& [key, value] : properties) {
    if (!IsReservedProperty(key)) out[key] = value;
  }
  return out;
}

}  // namespace

bool IsReservedProperty(const std::string& key) {
  static const std::set<std::string> kReserved = {
      "format-version",           "uuid",
      "snapshot-count",           "current-snapshot-id",
      "current-snapshot-summary", "current-snapshot-timestamp-ms",
      "current-schema",           "default-partition-spec",
      "default-sort-order"};
  return kReserved.count(key) > 0;
}

Result<TableMetadata> NewTableMetadata(const CreateTableRequest& request,
                                       const std::string& location, const std::string& table_uuid,
                                       int64_t now_ms) {
  ASSIGN_OR_RETURN(int version, FormatVersionOf(request.properties));
  int last_column_id = 0;
  Schema fresh = AssignFreshIds(request.schema, 0, &last_column_id);
  ASSIGN_OR_RETURN(UnboundPartitionSpec spec, FreshSpec(request, fresh));
  ASSIGN_OR_RETURN(SortOrder order, FreshOrder(request, fresh));

  internal::MetadataBuilder builder(version, table_uuid);
  RETURN_IF_ERROR(builder.AddSchema(fresh));
  RETURN_IF_ERROR(builder.SetCurrentSchema(-1));
  RETURN_IF_ERROR(builder.AddPartitionSpec(spec));
  RETURN_IF_ERROR(builder.SetDefaultSpec(-1));
  RETURN_IF_ERROR(builder.AddSortOrder(order));
  RETURN_IF_ERROR(builder.SetDefaultSortOrder(-1));
  if (location.empty()) return Err(ErrorCode::kInvalidArgument, "Invalid location: empty");
  builder.SetLocation(location);
  builder.SetProperties(PersistedProperties(request.properties));
  ASSIGN_OR_RETURN(TableMetadata metadata, std::move(builder).Build(now_ms));
  metadata.last_column_id = last_column_id;
  return metadata;
}

}  // namespace pangolin::iceberg
