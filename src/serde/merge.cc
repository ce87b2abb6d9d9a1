// Merge operation and conflict JSON of the management API.
#include "serde/merge.h"

#include "serde/asset_internal.h"
#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;
using catalog::MergeConflict;
using catalog::MergeOperation;

namespace {

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptionalInt(const std::optional<int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value State(const catalog::ContentKey& key, const std::optional<catalog::Content>& content) {
  return content ? json::value(AssetObject(key, *content)) : json::value(nullptr);
}

// Externally tagged: {"SchemaChange": {"asset_name", "source_schema", "target_schema"}}, ...
json::object ConflictTypeObject(const MergeConflict& conflict) {
  json::object fields{{"asset_name", catalog::ToString(conflict.key)}};
  switch (conflict.type) {
    case catalog::ConflictType::kSchemaChange:
      fields["source_schema"] = conflict.source_schema;
      fields["target_schema"] = conflict.target_schema;
      break;
    case catalog::ConflictType::kDataOverlap:
      fields["overlapping_partitions"] = ToJson(conflict.items);
      break;
    case catalog::ConflictType::kMetadataConflict:
      fields["conflicting_properties"] = ToJson(conflict.items);
      break;
    case catalog::ConflictType::kDeletionConflict: {
      catalog::MergeSide deleted = conflict.deleted_in.value_or(catalog::MergeSide::kSource);
      fields["deleted_in"] = catalog::ToString(deleted);
      fields["modified_in"] =
          catalog::ToString(deleted == catalog::MergeSide::kSource ? catalog::MergeSide::kTarget
                                                                   : catalog::MergeSide::kSource);
      break;
    }
  }
  return json::object{{catalog::ToString(conflict.type), std::move(fields)}};
}

json::object ConflictObject(const MergeOperation& op, const MergeConflict& conflict) {
  json::value resolution = nullptr;
  if (const auto& r = conflict.resolution) {
    json::value value = nullptr;  // what completion writes: the asset, or null for a deletion
    if (r->change) value = State(r->change->key, r->change->result);
    resolution = json::object{
        {"conflict_id", conflict.id},         {"strategy", catalog::ToString(r->strategy)},
        {"resolved_value", std::move(value)}, {"keeps_target", !r->change.has_value()},
        {"resolved_by", r->resolved_by},      {"resolved_at", r->resolved_ms}};
  }
  const std::optional<catalog::Content>& any = conflict.target   ? conflict.target
                                               : conflict.source ? conflict.source
                                                                 : conflict.base;
  return json::object{{"id", conflict.id},
                      {"merge_operation_id", op.id},
                      {"conflict_type", ConflictTypeObject(conflict)},
                      {"asset_id", any ? json::value(any->id) : json::value(nullptr)},
                      {"description", conflict.description},
                      {"base", State(conflict.key, conflict.base)},
                      {"source", State(conflict.key, conflict.source)},
                      {"target", State(conflict.key, conflict.target)},
                      {"resolution", std::move(resolution)},
                      {"created_at", conflict.created_ms}};
}

json::array ConflictIds(const MergeOperation& op) {
  json::array ids;
  for (const auto& conflict : op.conflicts) ids.emplace_back(conflict.id);
  return ids;
}

}  // namespace

Result<MergeBody> ParseMergeRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "merge request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"source_branch", "target_branch", "catalog"}));
  MergeBody body;
  ASSIGN_OR_RETURN(body.source, GetString(object, "source_branch"));
  ASSIGN_OR_RETURN(body.target, GetString(object, "target_branch"));
  ASSIGN_OR_RETURN(body.catalog, GetString(object, "catalog"));
  return body;
}

Result<catalog::ResolutionStrategy> ParseResolveRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "resolve request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"strategy", "resolution", "resolved_value"}));
  if (const json::value* value = Find(object, "resolved_value"); value && !value->is_null()) {
    return Err(ErrorCode::kBadRequest,
               "resolved_value is not accepted: the strategy determines the resolved state");
  }
  ASSIGN_OR_RETURN(auto strategy, GetOptionalString(object, "strategy"));
  if (!strategy) {
    ASSIGN_OR_RETURN(strategy, GetOptionalString(object, "resolution"));
  }
  if (!strategy) return Err(ErrorCode::kBadRequest, "Missing field: strategy");
  return catalog::ParseResolutionStrategy(*strategy);
}

std::string MergeOperationJson(const TenantId& tenant, const MergeOperation& op) {
  json::array changes;
  for (const auto& change : op.changes) {
    changes.emplace_back(json::object{{"name", catalog::ToString(change.key)},
                                      {"before", State(change.key, change.expected)},
                                      {"after", State(change.key, change.result)}});
  }
  return json::serialize(json::object{{"id", op.id},
                                      {"tenant_id", tenant.value},
                                      {"catalog_name", op.catalog_name},
                                      {"source_branch", op.source_branch},
                                      {"target_branch", op.target_branch},
                                      {"base_commit_id", OptionalString(op.base_commit_id)},
                                      {"source_commit_id", OptionalString(op.source_commit_id)},
                                      {"target_commit_id", OptionalString(op.target_commit_id)},
                                      {"status", catalog::ToString(op.status)},
                                      {"conflicts", ConflictIds(op)},
                                      {"changes", std::move(changes)},
                                      {"initiated_by", op.initiated_by},
                                      {"initiated_at", op.initiated_ms},
                                      {"completed_at", OptionalInt(op.completed_ms)},
                                      {"result_commit_id", OptionalString(op.result_commit_id)}});
}

std::string MergeOperationListJson(const std::vector<MergeOperation>& ops) {
  json::array out;
  for (const auto& op : ops) {
    out.emplace_back(json::object{{"id", op.id},
                                  {"status", catalog::ToString(op.status)},
                                  {"source_branch", op.source_branch},
                                  {"target_branch", op.target_branch},
                                  {"conflicts_count", op.conflicts.size()},
                                  {"initiated_at", op.initiated_ms},
                                  {"completed_at", OptionalInt(op.completed_ms)}});
  }
  return json::serialize(out);
}

std::string ConflictListJson(const MergeOperation& op) {
  json::array out;
  for (const auto& conflict : op.conflicts) out.emplace_back(ConflictObject(op, conflict));
  return json::serialize(out);
}

std::string MergeConflictedJson(const MergeOperation& op) {
  return json::serialize(json::object{
      {"status", "conflicted"},
      {"operation_id", op.id},
      {"conflicts", op.conflicts.size()},
      {"message", fmt::format("Merge of {} into {} has {} conflicts; resolve each, then complete "
                              "the operation",
                              op.source_branch, op.target_branch, op.conflicts.size())}});
}

std::string MergeCompletedJson(const MergeOperation& op) {
  return json::serialize(json::object{{"status", "completed"},
                                      {"operation_id", op.id},
                                      {"commit_id", OptionalString(op.result_commit_id)}});
}

std::string MergeAbortedJson(const MergeOperation& op) {
  return json::serialize(json::object{{"status", "aborted"}, {"operation_id", op.id}});
}

std::string ConflictResolvedJson(const MergeOperation& op, std::string_view conflict_id) {
  return json::serialize(json::object{{"status", "resolved"},
                                      {"conflict_id", conflict_id},
                                      {"operation_id", op.id},
                                      {"operation_status", catalog::ToString(op.status)}});
}

}  // namespace pangolin::serde
