// Branch, tag and commit JSON of the management API.
#include "serde/versioning.h"

#include "common/strings.h"
#include "serde/asset_internal.h"

namespace pangolin::serde {
using namespace internal;
using catalog::ContentKey;

namespace {

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object BranchObject(const catalog::Branch& branch) {
  return json::object{
      {"name", branch.name},
      {"head_commit_id", OptionalString(branch.head_commit_id)},
      {"branch_type", branch.type == catalog::BranchType::kIngest ? "ingest" : "experimental"},
      {"assets", ToJson(branch.assets)},
      {"fork_commit_id", OptionalString(branch.fork_commit_id)},
      {"created_at", branch.created_ms}};
}

json::object TagObject(const catalog::Tag& tag) {
  return json::object{
      {"name", tag.name}, {"commit_id", tag.commit_id}, {"created_at", tag.created_ms}};
}

const char* KindName(catalog::ContentType type) {
  switch (type) {
    case catalog::ContentType::kNamespace:
      return "NAMESPACE";
    case catalog::ContentType::kIcebergTable:
      return "ICEBERG_TABLE";
    case catalog::ContentType::kIcebergView:
      return "VIEW";
  }
  return "OTHER";
}

// {"Put": {"asset": Asset}} | {"Delete": {"name": "ns.t", "kind": "NAMESPACE"|"OBJECT"}}
json::object OperationObject(const catalog::Operation& op) {
  if (op.kind == catalog::Operation::Kind::kPut) {
    return json::object{{"Put", json::object{{"asset", AssetObject(op.key, *op.content)}}}};
  }
  const char* space = op.key.space == ContentKey::Space::kNamespace ? "NAMESPACE" : "OBJECT";
  return json::object{
      {"Delete", json::object{{"name", catalog::ToString(op.key)}, {"kind", space}}}};
}

json::object CommitObject(const catalog::CommitRecord& commit) {
  json::array operations;
  for (const auto& op : commit.operations) operations.emplace_back(OperationObject(op));
  return json::object{{"id", commit.id},
                      {"parent_id", OptionalString(commit.parent_id)},
                      {"merge_parent_id", OptionalString(commit.merge_parent_id)},
                      {"branch", commit.branch},
                      {"timestamp", commit.time_ms / 1000},
                      {"timestamp_ms", commit.time_ms},
                      {"author", commit.author},
                      {"message", commit.message},
                      {"operations", std::move(operations)}};
}

}  // namespace

json::object internal::AssetObject(const ContentKey& key, const catalog::Content& content) {
  json::array ns;
  for (const auto& level : key.parent) ns.emplace_back(level);
  json::object properties = ToJson(content.properties);
  if (!content.metadata_location.empty()) {
    properties["metadata_location"] = content.metadata_location;
  }
  return json::object{{"id", content.id},
                      {"name", key.name},
                      {"namespace", std::move(ns)},
                      {"kind", KindName(content.type)},
                      {"properties", std::move(properties)}};
}

Result<BranchBody> ParseBranchRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "branch request"));
  RETURN_IF_ERROR(
      RejectUnknownFields(object, {"name", "catalog", "branch_type", "from_branch", "assets"}));
  BranchBody body;
  ASSIGN_OR_RETURN(body.name, GetString(object, "name"));
  ASSIGN_OR_RETURN(body.catalog, GetString(object, "catalog"));
  ASSIGN_OR_RETURN(auto type, GetOptionalString(object, "branch_type"));
  if (type && ToLower(*type) == "ingest") body.type = catalog::BranchType::kIngest;
  ASSIGN_OR_RETURN(auto from, GetOptionalString(object, "from_branch"));
  body.from = from.value_or(std::string(catalog::kMainBranch));
  if (const json::value* assets = Find(object, "assets"); assets && !assets->is_null()) {
    ASSIGN_OR_RETURN(body.assets, GetStringList(object, "assets"));
  }
  return body;
}

std::string BranchJson(const catalog::Branch& branch) {
  return json::serialize(BranchObject(branch));
}

std::string BranchListJson(const std::vector<catalog::Branch>& branches) {
  return ListJson(branches, BranchObject);
}

Result<TagBody> ParseTagRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "tag request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"name", "catalog", "commit_id"}));
  TagBody body;
  ASSIGN_OR_RETURN(body.name, GetString(object, "name"));
  ASSIGN_OR_RETURN(auto catalog, GetOptionalString(object, "catalog"));
  body.catalog = catalog.value_or("default");
  ASSIGN_OR_RETURN(body.target, GetString(object, "commit_id"));
  return body;
}

std::string TagJson(const catalog::Tag& tag) { return json::serialize(TagObject(tag)); }

std::string TagListJson(const std::vector<catalog::Tag>& tags) { return ListJson(tags, TagObject); }

std::string CommitListJson(const std::vector<catalog::CommitRecord>& commits) {
  return ListJson(commits, CommitObject);
}

std::string CommitDiffJson(const catalog::CommitRecord& commit,
                           const std::vector<std::optional<catalog::Content>>& before) {
  json::object out = CommitObject(commit);
  json::array changes;
  for (size_t i = 0; i < commit.operations.size(); ++i) {
    const auto& op = commit.operations[i];
    json::value old = nullptr;
    if (i < before.size() && before[i]) old = AssetObject(op.key, *before[i]);
    json::value now = nullptr;
    if (op.content) now = AssetObject(op.key, *op.content);
    changes.emplace_back(json::object{
        {"key", catalog::ToString(op.key)}, {"before", std::move(old)}, {"after", std::move(now)}});
  }
  out["diff"] = std::move(changes);
  return json::serialize(out);
}

}  // namespace pangolin::serde
