// MergeService: the merge operation's lifecycle — start, resolve, complete, abort, rebase.
#include "service/merge_service.h"

#include <set>

#include "common/strings.h"
#include "iceberg/table_merge.h"
#include "service/audited.h"

namespace pangolin::service {
namespace {

using catalog::MergeChange;
using catalog::MergeConflict;
using catalog::MergeOperation;
using catalog::MergeStatus;
using catalog::ResolutionStrategy;
using store::Operation;
using store::Precondition;

bool Finished(MergeStatus status) {
  return status == MergeStatus::kCompleted || status == MergeStatus::kAborted;
}

// Everything completion writes: the clean changes and the resolved conflicts that change a key.
std::vector<MergeChange> ChangesOf(const MergeOperation& op) {
  std::vector<MergeChange> changes = op.changes;
  for (const auto& conflict : op.conflicts) {
    if (conflict.resolution && conflict.resolution->change) {
      changes.push_back(*conflict.resolution->change);
    }
  }
  return changes;
}

// The commit that applies `changes`, each guarded to still hold what the analysis saw, with the
// namespace structure checked on the result.
store::CommitRequest MergeCommit(const std::vector<MergeChange>& changes) {
  store::CommitRequest commit;
  for (const auto& change : changes) {
    commit.preconditions.push_back({Precondition::Kind::kEquals, change.key, change.expected});
    if (change.result) {
      commit.operations.push_back({Operation::Kind::kPut, change.key, change.result});
      if (!change.key.parent.empty()) {
        commit.preconditions.push_back({Precondition::Kind::kNamespaceExists,
                                        catalog::NamespaceKey(change.key.parent), std::nullopt});
      }
    } else {
      commit.operations.push_back({Operation::Kind::kDelete, change.key, std::nullopt});
      if (change.key.space == catalog::ContentKey::Space::kNamespace) {
        commit.preconditions.push_back(
            {Precondition::Kind::kNamespaceEmpty, change.key, std::nullopt});
      }
    }
  }
  return commit;
}

Result<MergeConflict*> FindConflict(MergeOperation& op, std::string_view id) {
  for (auto& conflict : op.conflicts) {
    if (conflict.id == id) return &conflict;
  }
  return Err(ErrorCode::kNotFound, "Conflict not found: {}", id);
}

// Namespaces: per property, the side that changed it wins; both changing it apart is refused.
Result<catalog::Content> MergeNamespaces(const MergeConflict& conflict) {
  static const catalog::Properties kNone;
  const catalog::Properties& base = conflict.base ? conflict.base->properties : kNone;
  const catalog::Properties& source = conflict.source->properties;
  catalog::Content merged = *conflict.target;
  merged.properties.clear();
  auto value = [](const catalog::Properties& p, const std::string& key) {
    auto it = p.find(key);
    return it == p.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  std::set<std::string> keys;
  for (const auto* props : {&base, &source, &conflict.target->properties}) {
    for (const auto& [key, unused] : *props) keys.insert(key);
  }
  std::vector<std::string> clashes;
  for (const auto& key : keys) {
    auto b = value(base, key);
    auto s = value(source, key);
    auto t = value(conflict.target->properties, key);
    std::optional<std::string> result = s == b ? t : t == b || s == t ? s : std::nullopt;
    if (s != b && t != b && s != t) clashes.push_back(key);
    if (result) merged.properties.emplace(key, *result);
  }
  if (!clashes.empty()) {
    return Err(ErrorCode::kConflict, "Cannot merge {}: both sides set properties {} differently",
               catalog::ToString(conflict.key), Join(clashes, ", "));
  }
  return merged;
}

}  // namespace

MergeService::MergeService(store::MetadataStore& store, TableFiles& files, CatalogStorage& storage,
                           const Clock& clock)
    : store_(store), files_(files), storage_(storage), clock_(clock) {}

Result<std::shared_ptr<storage::FileIO>> MergeService::Io(const catalog::Catalog& cat) {
  ASSIGN_OR_RETURN(StorageBinding binding, storage_.Bind(cat));
  return std::move(binding.io);
}

Result<catalog::Catalog> MergeService::FindCatalog(const Context& ctx, std::string_view name) {
  auto found = store_.GetCatalog(ctx.tenant, name);
  if (!found && found.error().code == ErrorCode::kNotFound) {
    return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  }
  return found;
}

Result<MergeOperation> MergeService::Merge(const Context& ctx, std::string_view catalog,
                                           std::string_view source, std::string_view target) {
  ASSIGN_OR_RETURN(catalog::Catalog cat, FindCatalog(ctx, catalog));
  ASSIGN_OR_RETURN(MergeOperation op, Analyse(ctx, cat, source, target));
  if (!op.conflicts.empty()) {
    // Left for resolution: the new operation is the request's whole change.
    RETURN_IF_ERROR(
        StoreAudited(store_, ctx, [&] { return store_.CreateMergeOperation(ctx.tenant, op); }));
    op.version = 1;
    return op;
  }
  RETURN_IF_ERROR(store_.CreateMergeOperation(ctx.tenant, op));
  op.version = 1;
  return CommitMerge(ctx, std::move(op));
}

Result<MergeOperation> MergeService::Rebase(const Context& ctx, std::string_view catalog,
                                            std::string_view branch, std::string_view onto) {
  ASSIGN_OR_RETURN(catalog::Catalog cat, FindCatalog(ctx, catalog));
  ASSIGN_OR_RETURN(MergeOperation op, Analyse(ctx, cat, onto, branch));
  if (!op.conflicts.empty()) {
    std::vector<std::string> keys;
    for (const auto& conflict : op.conflicts) {
      keys.push_back(catalog::ToString(conflict.key));
    }
    return Err(ErrorCode::kConflict,
               "Cannot rebase {} onto {}: both changed {}; merge and resolve the conflicts instead",
               branch, onto, Join(keys, ", "));
  }
  RETURN_IF_ERROR(store_.CreateMergeOperation(ctx.tenant, op));
  op.version = 1;
  return CommitMerge(ctx, std::move(op));
}

Result<store::Page<MergeOperation>> MergeService::List(const Context& ctx, std::string_view catalog,
                                                       const store::PageRequest& page) {
  ASSIGN_OR_RETURN(catalog::Catalog cat, FindCatalog(ctx, catalog));
  return store_.ListMergeOperations(ctx.tenant, cat.id, page);
}

Result<MergeOperation> MergeService::Get(const Context& ctx, std::string_view id) {
  auto op = store_.GetMergeOperation(ctx.tenant, id);
  if (!op && op.error().code == ErrorCode::kNotFound) {
    return Err(ErrorCode::kNotFound, "Merge operation not found: {}", id);
  }
  return op;
}

Result<MergeChange> MergeService::ThreeWay(storage::FileIO& io, const MergeConflict& conflict) {
  if (!conflict.source || !conflict.target) {
    return Err(ErrorCode::kConflict,
               "Cannot merge a deletion with a modification three ways; choose TakeSource or "
               "TakeTarget");
  }
  if (conflict.source->type == catalog::ContentType::kNamespace &&
      conflict.target->type == catalog::ContentType::kNamespace) {
    ASSIGN_OR_RETURN(catalog::Content merged, MergeNamespaces(conflict));
    return MergeChange{conflict.key, conflict.target, std::move(merged)};
  }
  if (conflict.source->type != catalog::ContentType::kIcebergTable ||
      conflict.target->type != catalog::ContentType::kIcebergTable) {
    return Err(ErrorCode::kConflict,
               "Cannot merge these objects three ways; choose TakeSource or TakeTarget");
  }
  if (!conflict.base || conflict.base->id != conflict.source->id ||
      conflict.source->id != conflict.target->id) {
    return Err(ErrorCode::kConflict,
               "Cannot merge three ways: the two sides hold different tables (one was created or "
               "replaced separately); choose TakeSource or TakeTarget");
  }
  ASSIGN_OR_RETURN(auto base, files_.Read(io, conflict.base->metadata_location));
  ASSIGN_OR_RETURN(auto source, files_.Read(io, conflict.source->metadata_location));
  ASSIGN_OR_RETURN(auto target, files_.Read(io, conflict.target->metadata_location));
  ASSIGN_OR_RETURN(iceberg::TableMetadata merged,
                   iceberg::MergeTables(base->metadata, source->metadata, target->metadata,
                                        conflict.target->metadata_location, clock_.NowMs()));
  std::string location;
  RETURN_IF_ERROR(
      files_.Write(io, std::move(merged), conflict.target->metadata_location, &location));
  catalog::Content result = *conflict.target;
  result.metadata_location = location;
  return MergeChange{conflict.key, conflict.target, std::move(result)};
}

Result<MergeOperation> MergeService::Resolve(const Context& ctx, std::string_view conflict_id,
                                             const Resolution& resolution) {
  std::string_view op_id = catalog::OperationIdOf(conflict_id);
  auto found = store_.GetMergeOperation(ctx.tenant, op_id);
  if (!found && found.error().code == ErrorCode::kNotFound) {
    return Err(ErrorCode::kNotFound, "Conflict not found: {}", conflict_id);
  }
  ASSIGN_OR_RETURN(MergeOperation op, std::move(found));
  if (Finished(op.status)) {
    return Err(ErrorCode::kBadRequest, "Merge operation {} is {}: its conflicts are closed", op.id,
               catalog::ToString(op.status));
  }
  ASSIGN_OR_RETURN(MergeConflict * conflict, FindConflict(op, conflict_id));
  catalog::ConflictResolution resolved;
  resolved.strategy = resolution.strategy;
  resolved.resolved_by = ctx.principal;
  resolved.resolved_ms = clock_.NowMs();
  switch (resolution.strategy) {
    case ResolutionStrategy::kTakeSource:
      resolved.change = MergeChange{conflict->key, conflict->target, conflict->source};
      break;
    case ResolutionStrategy::kTakeTarget:
      break;
    case ResolutionStrategy::kThreeWayMerge: {
      ASSIGN_OR_RETURN(catalog::Catalog cat, FindCatalog(ctx, op.catalog_name));
      ASSIGN_OR_RETURN(auto io, Io(cat));
      ASSIGN_OR_RETURN(resolved.change, ThreeWay(*io, *conflict));
      break;
    }
    case ResolutionStrategy::kAutoMerge:
    case ResolutionStrategy::kManual:
      return Err(ErrorCode::kBadRequest,
                 "Resolution strategy {} is not applied by Pangolin; use TakeSource, TakeTarget "
                 "or ThreeWayMerge",
                 catalog::ToString(resolution.strategy));
  }
  conflict->resolution = std::move(resolved);
  bool all = std::all_of(op.conflicts.begin(), op.conflicts.end(),
                         [](const MergeConflict& c) { return c.resolution.has_value(); });
  op.status = all ? MergeStatus::kReady : MergeStatus::kResolving;
  auto stored =
      StoreAudited(store_, ctx, [&] { return store_.UpdateMergeOperation(ctx.tenant, op); });
  if (!stored && stored.error().code == ErrorCode::kCommitFailed) {
    return Err(ErrorCode::kConflict, "Merge operation {} changed concurrently; retry", op.id);
  }
  return stored;
}

Result<MergeOperation> MergeService::Complete(const Context& ctx, std::string_view id) {
  ASSIGN_OR_RETURN(MergeOperation op, Get(ctx, id));
  bool ready = op.status == MergeStatus::kReady ||
               (op.status == MergeStatus::kPending && op.conflicts.empty());
  if (!ready) {
    size_t open = std::count_if(op.conflicts.begin(), op.conflicts.end(),
                                [](const MergeConflict& c) { return !c.resolution; });
    return Err(ErrorCode::kBadRequest, "Merge operation {} is {}{}", op.id,
               catalog::ToString(op.status),
               open ? fmt::format(": {} conflicts are unresolved", open) : std::string());
  }
  return CommitMerge(ctx, std::move(op));
}

Result<MergeOperation> MergeService::CommitMerge(const Context& ctx, MergeOperation op) {
  MergeOperation done = op;
  done.status = MergeStatus::kCompleted;
  done.completed_ms = clock_.NowMs();
  // Nothing to bring in: the target already contains the source; no commit is needed.
  bool up_to_date = !op.source_commit_id || op.base_commit_id == op.source_commit_id;
  if (up_to_date && ChangesOf(op).empty()) {
    auto stored =
        StoreAudited(store_, ctx, [&] { return store_.UpdateMergeOperation(ctx.tenant, done); });
    if (!stored && stored.error().code == ErrorCode::kCommitFailed) {
      return Err(ErrorCode::kConflict, "Merge operation {} changed concurrently", op.id);
    }
    return stored;
  }
  store::CommitRequest commit = MergeCommit(ChangesOf(op));
  commit.branch = op.target_branch;
  commit.merge_parent_id = op.source_commit_id;
  commit.completes_merge = done;
  commit.author = ctx.principal;
  commit.message = fmt::format("merge {} into {}", op.source_branch, op.target_branch);
  commit.time_ms = *done.completed_ms;
  if (ctx.audit && !ctx.audit_recorded) commit.audit = ctx.audit;
  auto committed = store_.Commit(ctx.tenant, op.catalog_id, commit);
  if (committed && commit.audit) ctx.audit_recorded = true;
  if (!committed) {
    if (committed.error().code == ErrorCode::kCommitFailed) {
      return Err(ErrorCode::kConflict,
                 "Merge of {} into {} not completed, nothing changed: {}. The target changed "
                 "since the merge was analysed; abort this operation and merge again",
                 op.source_branch, op.target_branch, committed.error().message);
    }
    if (committed.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "Merge of {} into {} not completed: {}", op.source_branch,
                 op.target_branch, committed.error().message);
    }
    return tl::unexpected(committed.error());
  }
  done.result_commit_id = *committed;
  done.version = op.version + 1;
  return done;
}

Result<MergeOperation> MergeService::Abort(const Context& ctx, std::string_view id) {
  ASSIGN_OR_RETURN(MergeOperation op, Get(ctx, id));
  if (Finished(op.status)) {
    return Err(ErrorCode::kBadRequest, "Merge operation {} is already {}", op.id,
               catalog::ToString(op.status));
  }
  op.status = MergeStatus::kAborted;
  op.completed_ms = clock_.NowMs();
  auto stored =
      StoreAudited(store_, ctx, [&] { return store_.UpdateMergeOperation(ctx.tenant, op); });
  if (!stored) {
    if (stored.error().code == ErrorCode::kCommitFailed) {
      return Err(ErrorCode::kConflict, "Merge operation {} changed concurrently; retry", op.id);
    }
    return stored;
  }
  // Metadata files written by three-way resolutions are referenced by nothing now (best effort).
  auto cat = FindCatalog(ctx, op.catalog_name);
  auto io = cat ? Io(*cat) : tl::unexpected(cat.error());
  for (const auto& conflict : op.conflicts) {
    if (!io) break;
    if (conflict.resolution &&
        conflict.resolution->strategy == ResolutionStrategy::kThreeWayMerge &&
        conflict.resolution->change && conflict.resolution->change->result &&
        conflict.resolution->change->result->type == catalog::ContentType::kIcebergTable) {
      files_.DeleteQuietly(**io, conflict.resolution->change->result->metadata_location);
    }
  }
  return stored;
}

}  // namespace pangolin::service
