// MergeService::Analyse: the merge base from the commit graph, the keys each side changed since
// it, and each key's classification. Cost: one commit read per commit since the base and three
// content reads per changed key, whatever the catalog's size.
#include <queue>
#include <set>

#include "catalog/merge_classify.h"
#include "common/ids.h"
#include "serde/table_metadata.h"
#include "service/merge_service.h"

namespace pangolin::service {
namespace {

using catalog::ContentKey;
using catalog::MergeConflict;
using catalog::MergeOperation;

constexpr int kFromSource = 1;
constexpr int kFromTarget = 2;
constexpr int kFromBoth = kFromSource | kFromTarget;

struct GraphWalk {
  std::optional<std::string> base;
  std::set<ContentKey> changed;  // keys written by a commit on one side only since the base
};

// Walks the commit graph from both heads, newest first by sequence number (parents always have
// smaller ones), painting each commit with the heads that reach it. The first commit both reach
// is the merge base; commits only one side reaches are that side's changes since the base.
Result<GraphWalk> WalkSinceBase(store::MetadataStore& store, const TenantId& tenant,
                                const CatalogId& catalog, const std::optional<std::string>& source,
                                const std::optional<std::string>& target) {
  struct Node {
    catalog::CommitRecord record;
    int flags = 0;
  };
  std::map<std::string, Node> nodes;
  std::priority_queue<std::pair<int64_t, std::string>> queue;
  int unsettled = 0;  // queued commits not yet reached from both heads
  auto reach = [&](const std::string& id, int flags) -> Status {
    auto it = nodes.find(id);
    if (it == nodes.end()) {
      ASSIGN_OR_RETURN(catalog::CommitRecord record, store.GetCommit(tenant, catalog, id));
      int64_t sequence = record.sequence;
      it = nodes.emplace(id, Node{std::move(record), 0}).first;
      queue.emplace(sequence, id);
      ++unsettled;
    }
    if (it->second.flags != kFromBoth && (it->second.flags | flags) == kFromBoth) --unsettled;
    it->second.flags |= flags;
    return Ok();
  };
  if (source) RETURN_IF_ERROR(reach(*source, kFromSource));
  if (target) RETURN_IF_ERROR(reach(*target, kFromTarget));
  GraphWalk walk;
  while (!queue.empty() && unsettled > 0) {
    std::string id = queue.top().second;
    queue.pop();
    const Node& node = nodes.at(id);
    if (node.flags != kFromBoth) {
      --unsettled;
      for (const auto& op : node.record.operations) walk.changed.insert(op.key);
    } else if (!walk.base) {
      walk.base = id;
    }
    int flags = node.flags;
    const auto& record = node.record;
    std::vector<std::string> parents;
    if (record.parent_id) parents.push_back(*record.parent_id);
    if (record.merge_parent_id) parents.push_back(*record.merge_parent_id);
    for (const auto& parent : parents) RETURN_IF_ERROR(reach(parent, flags));
  }
  if (!walk.base && !queue.empty()) walk.base = queue.top().second;
  return walk;
}

Result<std::optional<catalog::Content>> StateAt(store::MetadataStore& store, const TenantId& tenant,
                                                const CatalogId& catalog,
                                                const std::optional<std::string>& commit,
                                                const ContentKey& key) {
  if (!commit) return std::optional<catalog::Content>();
  return store.GetContent(tenant, catalog, *commit, key);
}

std::string SchemaJson(const iceberg::TableMetadata* table) {
  const iceberg::Schema* schema = table ? table->CurrentSchema() : nullptr;
  return schema ? serde::SerializeSchema(*schema) : "";
}

MergeConflict ToConflict(const MergeOperation& op, const catalog::MergeChange& change,
                         catalog::MergeSide deleted_in, std::string description) {
  MergeConflict conflict;
  conflict.id = catalog::ConflictId(op.id, op.conflicts.size() + 1);
  conflict.type = catalog::ConflictType::kDeletionConflict;
  conflict.key = change.key;
  conflict.description = std::move(description);
  conflict.deleted_in = deleted_in;
  conflict.source = change.result;
  conflict.target = change.expected;
  conflict.created_ms = op.initiated_ms;
  return conflict;
}

// Clean changes that would break the namespace tree become deletion conflicts: a namespace the
// source deleted while the target put something in it, and an entry the source put in a
// namespace the target deleted.
Status CheckStructure(store::MetadataStore& store, const TenantId& tenant, MergeOperation& op) {
  std::map<ContentKey, const catalog::MergeChange*> by_key;
  for (const auto& change : op.changes) by_key.emplace(change.key, &change);
  auto deleted = [&](const ContentKey& key) {
    auto it = by_key.find(key);
    return it != by_key.end() && !it->second->result;
  };
  std::vector<catalog::MergeChange> kept;
  for (const auto& change : op.changes) {
    if (!change.result && change.key.space == ContentKey::Space::kNamespace) {
      catalog::Namespace path = catalog::KeyNamespacePath(change.key);
      std::optional<std::string> survivor;
      for (const auto& [key, other] : by_key) {
        if (other->result && key.parent == path) survivor = catalog::ToString(key);
      }
      for (auto space : {ContentKey::Space::kNamespace, ContentKey::Space::kObject}) {
        if (survivor || !op.target_commit_id) break;
        ASSIGN_OR_RETURN(auto children,
                         store.ListContent(tenant, op.catalog_id, *op.target_commit_id, space, path,
                                           std::nullopt, {"", by_key.size() + 1}));
        for (const auto& child : children.items) {
          if (!deleted(child.key)) survivor = catalog::ToString(child.key);
        }
      }
      if (survivor) {
        op.conflicts.push_back(
            ToConflict(op, change, catalog::MergeSide::kSource,
                       "deleted in the source while the target holds " + *survivor + " in it"));
        continue;
      }
    }
    if (change.result && !change.key.parent.empty()) {
      ContentKey parent = catalog::NamespaceKey(change.key.parent);
      std::optional<catalog::Content> state;
      if (auto it = by_key.find(parent); it != by_key.end()) {
        state = it->second->result;
      } else if (op.target_commit_id) {
        ASSIGN_OR_RETURN(state,
                         store.GetContent(tenant, op.catalog_id, *op.target_commit_id, parent));
      }
      if (!state) {
        op.conflicts.push_back(ToConflict(
            op, change, catalog::MergeSide::kTarget,
            "its namespace " + catalog::ToString(parent) + " was deleted in the target"));
        continue;
      }
    }
    kept.push_back(change);
  }
  op.changes = std::move(kept);
  return Ok();
}

}  // namespace

Result<MergeOperation> MergeService::Analyse(const Context& ctx, const catalog::Catalog& cat,
                                             std::string_view source, std::string_view target) {
  ASSIGN_OR_RETURN(catalog::RefInfo to, store_.ResolveRef(ctx.tenant, cat.id, target));
  if (to.kind != catalog::RefInfo::Kind::kBranch) {
    return Err(ErrorCode::kBadRequest, "Cannot merge into '{}': only a branch can be merged into",
               target);
  }
  ASSIGN_OR_RETURN(catalog::RefInfo from, store_.ResolveRef(ctx.tenant, cat.id, source));
  if (from.kind == catalog::RefInfo::Kind::kBranch && from.name == to.name) {
    return Err(ErrorCode::kBadRequest, "Cannot merge branch '{}' into itself", target);
  }
  MergeOperation op;
  op.id = NewUuid();
  op.catalog_id = cat.id;
  op.catalog_name = cat.name;
  op.source_branch = std::string(source);
  op.target_branch = std::string(target);
  op.source_commit_id = from.commit_id;
  op.target_commit_id = to.commit_id;
  op.initiated_by = ctx.principal;
  op.initiated_ms = clock_.NowMs();
  ASSIGN_OR_RETURN(GraphWalk walk,
                   WalkSinceBase(store_, ctx.tenant, cat.id, from.commit_id, to.commit_id));
  op.base_commit_id = walk.base;
  std::map<std::string, std::shared_ptr<const CachedMetadata>> tables;
  ASSIGN_OR_RETURN(auto io, Io(cat));
  auto table =
      [&](const std::optional<catalog::Content>& content) -> Result<const iceberg::TableMetadata*> {
    if (!content || content->type != catalog::ContentType::kIcebergTable) return nullptr;
    ASSIGN_OR_RETURN(auto read, files_.Read(*io, content->metadata_location));
    return &tables.emplace(content->metadata_location, std::move(read)).first->second->metadata;
  };
  for (const ContentKey& key : walk.changed) {
    catalog::KeyStates st{key};
    ASSIGN_OR_RETURN(st.base, StateAt(store_, ctx.tenant, cat.id, walk.base, key));
    ASSIGN_OR_RETURN(st.source, StateAt(store_, ctx.tenant, cat.id, from.commit_id, key));
    ASSIGN_OR_RETURN(st.target, StateAt(store_, ctx.tenant, cat.id, to.commit_id, key));
    if (catalog::SameState(st.base, st.source)) continue;  // nothing to bring in
    bool both =
        !catalog::SameState(st.base, st.target) && !catalog::SameState(st.source, st.target);
    if (both) {
      ASSIGN_OR_RETURN(st.base_table, table(st.base));
      ASSIGN_OR_RETURN(st.source_table, table(st.source));
      ASSIGN_OR_RETURN(st.target_table, table(st.target));
    }
    catalog::Classification verdict = catalog::Classify(st);
    switch (verdict.action) {
      case catalog::Classification::Action::kKeepTarget:
        break;
      case catalog::Classification::Action::kTakeSource:
        op.changes.push_back({key, st.target, st.source});
        break;
      case catalog::Classification::Action::kConflict: {
        MergeConflict conflict;
        conflict.id = catalog::ConflictId(op.id, op.conflicts.size() + 1);
        conflict.type = verdict.type;
        conflict.key = key;
        conflict.description = verdict.reason;
        conflict.items = std::move(verdict.items);
        conflict.deleted_in = verdict.deleted_in;
        if (conflict.type == catalog::ConflictType::kSchemaChange) {
          conflict.source_schema = SchemaJson(st.source_table);
          conflict.target_schema = SchemaJson(st.target_table);
        }
        conflict.base = std::move(st.base);
        conflict.source = std::move(st.source);
        conflict.target = std::move(st.target);
        conflict.created_ms = op.initiated_ms;
        op.conflicts.push_back(std::move(conflict));
        break;
      }
    }
  }
  RETURN_IF_ERROR(CheckStructure(store_, ctx.tenant, op));
  op.status =
      op.conflicts.empty() ? catalog::MergeStatus::kPending : catalog::MergeStatus::kConflicted;
  return op;
}

}  // namespace pangolin::service
