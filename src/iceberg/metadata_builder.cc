// MetadataBuilder, part 1: uuid, format version, schemas, partition specs, sort orders,
// properties and other simple members (Java TableMetadata.Builder behaviour).
#include "iceberg/metadata_builder.h"

#include <algorithm>

namespace pangolin::iceberg::internal {

MetadataBuilder::MetadataBuilder(const TableMetadata& base,
                                 std::optional<std::string> base_location)
    : md_(base),
      has_base_(true),
      base_last_updated_ms_(base.last_updated_ms),
      previous_location_(std::move(base_location)) {}

MetadataBuilder::MetadataBuilder(int format_version, std::string uuid) {
  md_.format_version = format_version;
  md_.table_uuid = std::move(uuid);
}

Status MetadataBuilder::AssignUuid(const std::string& uuid) {
  if (md_.table_uuid == uuid) return Ok();
  md_.table_uuid = uuid;
  ++changes_;
  return Ok();
}

Status MetadataBuilder::UpgradeFormatVersion(int format_version) {
  if (format_version > kMaxFormatVersion) {
    return Err(ErrorCode::kInvalidArgument,
               "Cannot upgrade table to unsupported format version: v{} (supported: v{})",
               format_version, kMaxFormatVersion);
  }
  if (format_version < md_.format_version) {
    return Err(ErrorCode::kInvalidArgument, "Cannot downgrade v{} table to v{}", md_.format_version,
               format_version);
  }
  if (format_version == md_.format_version) return Ok();
  md_.format_version = format_version;
  ++changes_;
  return Ok();
}

std::optional<int> MetadataBuilder::ReuseOrNewSchemaId(const Schema& schema, bool* found) const {
  int new_id = md_.current_schema_id;
  for (const auto& existing : md_.schemas) {
    if (SameSchema(existing, schema)) {
      *found = true;
      return existing.schema_id;
    }
    if (existing.schema_id >= new_id) new_id = existing.schema_id + 1;
  }
  *found = false;
  return new_id;
}

Status MetadataBuilder::AddSchema(const Schema& schema) {
  RETURN_IF_ERROR(CheckSchemaCompatibility(schema, md_.format_version));
  int new_last_column_id = std::max(md_.last_column_id, HighestFieldId(schema));
  bool found = false;
  int new_id = *ReuseOrNewSchemaId(schema, &found);
  if (found && new_last_column_id == md_.last_column_id) {
    bool is_new = last_added_schema_id_ && added_schema_ids_.count(new_id);
    last_added_schema_id_ = is_new ? std::optional<int>(new_id) : std::nullopt;
    return Ok();
  }
  md_.last_column_id = new_last_column_id;
  if (!found) {
    Schema added = schema;
    added.schema_id = new_id;
    md_.schemas.push_back(std::move(added));
  }
  ++changes_;
  added_schema_ids_.insert(new_id);
  last_added_schema_id_ = new_id;
  return Ok();
}

Status MetadataBuilder::SetCurrentSchema(int schema_id) {
  if (schema_id == -1) {
    if (!last_added_schema_id_) {
      return Err(ErrorCode::kValidation, "Cannot set last added schema: no schema has been added");
    }
    return SetCurrentSchema(*last_added_schema_id_);
  }
  if (md_.current_schema_id == schema_id && md_.FindSchema(schema_id)) return Ok();
  if (!md_.FindSchema(schema_id)) {
    return Err(ErrorCode::kInvalidArgument, "Cannot set current schema to unknown schema: {}",
               schema_id);
  }
  // Specs and sort orders keep their ids; the model holds no schema binding to rebuild.
  md_.current_schema_id = schema_id;
  ++changes_;
  return Ok();
}

Status MetadataBuilder::CheckSpecCompatible(const PartitionSpec& spec, const Schema& schema) const {
  auto by_id = IndexById(schema);
  for (const auto& field : spec.fields) {
    auto it = by_id.find(field.source_id);
    if (it == by_id.end()) {
      if (field.transform == "void") continue;  // v1 keeps void fields of dropped columns
      return Err(ErrorCode::kValidation, "Cannot find source column for partition field: {}",
                 field.name);
    }
    if (it->second.type->kind != TypeKind::kPrimitive) {
      return Err(ErrorCode::kValidation, "Cannot partition by non-primitive source field: {}",
                 it->second.full_name);
    }
  }
  return Ok();
}

Result<PartitionSpec> MetadataBuilder::BindSpec(const UnboundPartitionSpec& spec,
                                                int spec_id) const {
  const Schema* schema = md_.CurrentSchema();
  if (!schema) return Err(ErrorCode::kValidation, "Cannot add a partition spec without a schema");
  auto by_id = IndexById(*schema);
  auto by_name = IndexByName(*schema);
  PartitionSpec bound{spec_id, {}};
  int last_id = kPartitionDataIdStart - 1;
  std::set<std::string> names;
  for (const auto& field : spec.fields) {
    if (!IsKnownTransform(field.transform)) {
      return Err(ErrorCode::kInvalidArgument, "Invalid transform in partition field {}: {}",
                 field.name, field.transform);
    }
    if (!by_id.count(field.source_id)) {
      return Err(ErrorCode::kInvalidArgument, "Cannot find source column: {}", field.source_id);
    }
    if (field.name.empty()) {
      return Err(ErrorCode::kInvalidArgument, "Cannot use empty partition name: {}", field.name);
    }
    auto column = by_name.find(field.name);
    if (column != by_name.end() && column->second != field.source_id) {
      if (field.transform == "identity") {
        return Err(ErrorCode::kInvalidArgument,
                   "Cannot create identity partition sourced from different field in schema: {}",
                   field.name);
      }
      return Err(ErrorCode::kInvalidArgument,
                 "Cannot create partition from name that exists in schema: {}", field.name);
    }
    if (!names.insert(field.name).second) {
      return Err(ErrorCode::kInvalidArgument, "Cannot use partition name more than once: {}",
                 field.name);
    }
    int field_id = field.field_id ? *field.field_id : last_id + 1;
    last_id = std::max(last_id, field_id);
    bound.fields.push_back(
        {field.source_id, field.source_ids, field_id, field.name, field.transform});
  }
  return bound;
}

namespace {
bool CompatibleSpecs(const PartitionSpec& a, const PartitionSpec& b) {
  return std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(),
                    [](const PartitionField& x, const PartitionField& y) {
                      return x.source_id == y.source_id && x.source_ids == y.source_ids &&
                             x.transform == y.transform && x.name == y.name;
                    });
}

// Java SortOrder.sameOrder: the fields' typed members; unknown JSON members are ignored.
bool SameSortFields(const SortOrder& a, const SortOrder& b) {
  return std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(),
                    [](const SortField& x, const SortField& y) {
                      return x.transform == y.transform && x.source_id == y.source_id &&
                             x.source_ids == y.source_ids && x.direction == y.direction &&
                             x.null_order == y.null_order;
                    });
}

bool HasSequentialIds(const PartitionSpec& spec) {
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    if (spec.fields[i].field_id != kPartitionDataIdStart + static_cast<int>(i)) return false;
  }
  return true;
}
}  // namespace

Status MetadataBuilder::AddPartitionSpec(const UnboundPartitionSpec& unbound) {
  ASSIGN_OR_RETURN(PartitionSpec spec, BindSpec(unbound, 0));
  int new_id = 0;
  for (const auto& existing : md_.partition_specs) {
    if (CompatibleSpecs(spec, existing)) {
      bool is_new = last_added_spec_id_ && added_spec_ids_.count(*last_added_spec_id_);
      last_added_spec_id_ = is_new ? std::optional<int>(existing.spec_id) : std::nullopt;
      return Ok();
    }
    if (new_id <= existing.spec_id) new_id = existing.spec_id + 1;
  }
  RETURN_IF_ERROR(CheckSpecCompatible(spec, *md_.CurrentSchema()));
  if (md_.format_version == 1 && !HasSequentialIds(spec)) {
    return Err(ErrorCode::kValidation, "Spec does not use sequential IDs that are required in v1");
  }
  spec.spec_id = new_id;
  md_.last_partition_id = std::max(md_.last_partition_id, LastAssignedFieldId(spec));
  md_.partition_specs.push_back(std::move(spec));
  ++changes_;
  added_spec_ids_.insert(new_id);
  last_added_spec_id_ = new_id;
  return Ok();
}

Status MetadataBuilder::SetDefaultSpec(int spec_id) {
  if (spec_id == -1) {
    if (!last_added_spec_id_) {
      return Err(ErrorCode::kValidation, "Cannot set last added spec: no spec has been added");
    }
    return SetDefaultSpec(*last_added_spec_id_);
  }
  if (md_.default_spec_id == spec_id && md_.FindSpec(spec_id)) return Ok();
  if (!md_.FindSpec(spec_id)) {
    return Err(ErrorCode::kInvalidArgument, "Cannot set default partition spec to unknown spec: {}",
               spec_id);
  }
  md_.default_spec_id = spec_id;
  ++changes_;
  return Ok();
}

Status MetadataBuilder::CheckOrderCompatible(const SortOrder& order, const Schema& schema) const {
  auto by_id = IndexById(schema);
  for (const auto& field : order.fields) {
    auto it = by_id.find(field.source_id);
    if (it == by_id.end()) {
      return Err(ErrorCode::kValidation, "Cannot find source column for sort field: {}",
                 field.source_id);
    }
    if (it->second.type->kind != TypeKind::kPrimitive) {
      return Err(ErrorCode::kValidation, "Cannot sort by non-primitive source field: {}",
                 it->second.full_name);
    }
  }
  return Ok();
}

Status MetadataBuilder::AddSortOrder(const SortOrder& order) {
  for (const auto& field : order.fields) {
    if (!IsKnownTransform(field.transform)) {
      return Err(ErrorCode::kInvalidArgument, "Invalid transform in sort field: {}",
                 field.transform);
    }
  }
  int new_id = 0;
  if (!order.fields.empty()) {
    new_id = 1;
    for (const auto& existing : md_.sort_orders) {
      if (SameSortFields(existing, order)) {
        new_id = existing.order_id;
        break;
      }
      if (new_id <= existing.order_id) new_id = existing.order_id + 1;
    }
  }
  if (md_.FindSortOrder(new_id)) {
    bool is_new = last_added_order_id_ && added_order_ids_.count(*last_added_order_id_);
    last_added_order_id_ = is_new ? std::optional<int>(new_id) : std::nullopt;
    return Ok();
  }
  const Schema* schema = md_.CurrentSchema();
  if (!schema) return Err(ErrorCode::kValidation, "Cannot add a sort order without a schema");
  RETURN_IF_ERROR(CheckOrderCompatible(order, *schema));
  md_.sort_orders.push_back(SortOrder{new_id, order.fields});
  ++changes_;
  added_order_ids_.insert(new_id);
  last_added_order_id_ = new_id;
  return Ok();
}

Status MetadataBuilder::SetDefaultSortOrder(int order_id) {
  if (order_id == -1) {
    if (!last_added_order_id_) {
      return Err(ErrorCode::kValidation,
                 "Cannot set last added sort order: no sort order has been added");
    }
    return SetDefaultSortOrder(*last_added_order_id_);
  }
  if (md_.default_sort_order_id == order_id && md_.FindSortOrder(order_id)) return Ok();
  if (!md_.FindSortOrder(order_id)) {
    return Err(ErrorCode::kInvalidArgument, "Cannot set default sort order to unknown order: {}",
               order_id);
  }
  md_.default_sort_order_id = order_id;
  ++changes_;
  return Ok();
}

Status MetadataBuilder::RemoveSpecs(const std::vector<int>& spec_ids) {
  if (std::count(spec_ids.begin(), spec_ids.end(), md_.default_spec_id)) {
    return Err(ErrorCode::kInvalidArgument, "Cannot remove the default partition spec");
  }
  if (spec_ids.empty()) return Ok();
  std::erase_if(md_.partition_specs, [&](const PartitionSpec& spec) {
    return std::count(spec_ids.begin(), spec_ids.end(), spec.spec_id) > 0;
  });
  ++changes_;
  return Ok();
}

Status MetadataBuilder::RemoveSchemas(const std::vector<int>& schema_ids) {
  if (std::count(schema_ids.begin(), schema_ids.end(), md_.current_schema_id)) {
    return Err(ErrorCode::kInvalidArgument, "Cannot remove the current schema");
  }
  if (schema_ids.empty()) return Ok();
  std::erase_if(md_.schemas, [&](const Schema& schema) {
    return std::count(schema_ids.begin(), schema_ids.end(), schema.schema_id) > 0;
  });
  ++changes_;
  return Ok();
}

void MetadataBuilder::SetLocation(const std::string& location) {
  std::string stripped = location;
  while (stripped.size() > 1 && stripped.back() == '/') stripped.pop_back();
  if (md_.location == stripped) return;
  md_.location = stripped;
  ++changes_;
}

void MetadataBuilder::SetProperties(const std::map<std::string, std::string>& updates) {
  if (updates.empty()) return;
  for (const auto& [key, value] : updates) md_.properties[key] = value;
  ++changes_;
}

void MetadataBuilder::RemoveProperties(const std::vector<std::string>& removals) {
  if (removals.empty()) return;
  for (const auto& key : removals) md_.properties.erase(key);
  ++changes_;
}

void MetadataBuilder::AddEncryptionKey(const EncryptedKey& key) {
  for (const auto& existing : md_.encryption_keys) {
    if (existing.key_id == key.key_id) return;
  }
  md_.encryption_keys.push_back(key);
  ++changes_;
}

void MetadataBuilder::RemoveEncryptionKey(const std::string& key_id) {
  if (std::erase_if(md_.encryption_keys,
                    [&](const EncryptedKey& k) { return k.key_id == key_id; })) {
    ++changes_;
  }
}

}  // namespace pangolin::iceberg::internal
