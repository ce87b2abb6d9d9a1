// IcebergService::CommitTable and CommitTransaction: for every table, requirements checked
// against the latest metadata, updates applied and a new metadata file written; then all pointers
// are compare-and-swapped in ONE store commit, so a transaction lands whole or not at all. A lost
// swap is retried while the requirements still hold (server-side retry), so concurrent writers
// never lose an update.
#include <algorithm>
#include <set>

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "iceberg/metadata_files.h"
#include "iceberg/table_requirement.h"
#include "iceberg/table_update.h"
#include "service/iceberg_service.h"

namespace pangolin::service {

using catalog::ContentKey;
using catalog::ContentType;
using catalog::NamespaceKey;
using catalog::ObjectKey;
using catalog::ToString;
using store::Operation;
using store::Precondition;

namespace {

constexpr int kMaxCommitAttempts = 32;

bool IsCreate(const serde::CommitTableRequest& request) {
  for (const auto& requirement : request.requirements) {
    if (std::holds_alternative<iceberg::AssertCreate>(requirement)) return true;
  }
  return false;
}

}  // namespace

// One table's change prepared against the latest state: its new metadata file is written and its
// preconditions and operations are appended to the store commit being built.
struct IcebergService::PreparedChange {
  LoadedTable table;                    // the table as it will be after the commit
  std::optional<std::string> new_file;  // written by this attempt: garbage unless committed
  std::vector<std::string> removed;     // metadata files the new metadata-log dropped
};

Result<IcebergService::PreparedChange> IcebergService::PrepareCreate(const Context& ctx,
                                                                     const CatalogHandle& cat,
                                                                     const TableChange& change,
                                                                     const std::string& base,
                                                                     store::CommitRequest* commit) {
  ASSIGN_OR_RETURN(auto io, Io(cat));
  const TableIdentifier& id = change.id;
  if (change.request->requirements.size() != 1) {
    return Err(ErrorCode::kBadRequest, "Invalid create requirements: assert-create must be alone");
  }
  RETURN_IF_ERROR(catalog::ValidateName("table name", id.name));
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, id.ns));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
  if (existing && existing->type == ContentType::kIcebergTable) {
    // The assert-create requirement failed (the Java client's message; it answers 409).
    return Err(ErrorCode::kCommitFailed, "Requirement failed: table already exists");
  }
  if (existing) return tl::unexpected(AlreadyExists(*existing, id, ContentType::kIcebergTable));
  ASSIGN_OR_RETURN(
      iceberg::UpdateResult applied,
      iceberg::ApplyUpdates(nullptr, std::nullopt, change.request->updates, clock_.NowMs()));
  RETURN_IF_ERROR(CheckTableLocations(applied.metadata, base));
  std::string location;
  ASSIGN_OR_RETURN(auto written,
                   files_.Write(*io, std::move(applied.metadata), std::nullopt, &location));
  catalog::Content content{ContentType::kIcebergTable, NewUuid(), location, {}};
  commit->preconditions.push_back({Precondition::Kind::kEquals, key, std::nullopt});
  commit->preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(id.ns), {}});
  commit->operations.push_back({Operation::Kind::kPut, key, content});
  return PreparedChange{{location, std::move(written), content.id}, location, {}};
}

Result<IcebergService::PreparedChange> IcebergService::PrepareUpdate(const Context& ctx,
                                                                     const CatalogHandle& cat,
                                                                     const TableChange& change,
                                                                     const std::string& base,
                                                                     store::CommitRequest* commit) {
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(TableState state, LoadTableState(ctx, cat, change.id));
  const iceberg::TableMetadata& current = state.metadata->metadata;
  for (const auto& requirement : change.request->requirements) {
    RETURN_IF_ERROR(iceberg::CheckRequirement(requirement, &current));
  }
  ASSIGN_OR_RETURN(iceberg::UpdateResult applied,
                   iceberg::ApplyUpdates(&current, state.content.metadata_location,
                                         change.request->updates, clock_.NowMs()));
  ContentKey key = ObjectKey(change.id);
  // The requirements held for this state: the commit is guarded on it even when nothing changes.
  commit->preconditions.push_back({Precondition::Kind::kEquals, key, state.content});
  if (!applied.changed) {
    return PreparedChange{
        {state.content.metadata_location, std::move(state.metadata), state.content.id}, {}, {}};
  }
  RETURN_IF_ERROR(CheckTableLocations(applied.metadata, base));
  std::vector<std::string> removed = iceberg::RemovedMetadataFiles(current, applied.metadata);
  std::string location;
  ASSIGN_OR_RETURN(auto written, files_.Write(*io, std::move(applied.metadata),
                                              state.content.metadata_location, &location));
  catalog::Content next = state.content;
  next.metadata_location = location;
  commit->operations.push_back({Operation::Kind::kPut, key, next});
  return PreparedChange{{location, std::move(written), next.id}, location, std::move(removed)};
}

Result<LoadedTable> IcebergService::CommitTable(const Context& ctx, const CatalogHandle& cat,
                                                const TableIdentifier& id,
                                                const serde::CommitTableRequest& request) {
  ASSIGN_OR_RETURN(auto tables, CommitTables(ctx, cat, {TableChange{id, &request}}));
  return std::move(tables.front());
}

Status IcebergService::CommitTransaction(const Context& ctx, const CatalogHandle& cat,
                                         const std::vector<serde::CommitTableRequest>& changes) {
  std::vector<TableChange> tables;
  std::set<TableIdentifier> seen;
  for (const auto& change : changes) {
    TableIdentifier id{change.identifier->ns, change.identifier->name};
    RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
    if (!seen.insert(id).second) {
      return Err(ErrorCode::kBadRequest, "Invalid table changes: {} appears more than once",
                 ToString(id));
    }
    tables.push_back({std::move(id), &change});
  }
  return CommitTables(ctx, cat, tables).map([](auto&&) {});
}

Result<std::vector<LoadedTable>> IcebergService::CommitTables(
    const Context& ctx, const CatalogHandle& cat, const std::vector<TableChange>& changes) {
  std::optional<TableIdentifier> created;
  for (const auto& change : changes) {
    if (IsCreate(*change.request)) created = change.id;
  }
  RETURN_IF_ERROR(RequireBranch(ctx, cat, created));
  // Every table's lock, in one global order, so two transactions cannot deadlock.
  std::set<std::mutex*> locks;
  for (const auto& change : changes) locks.insert(&TableLock(cat, change.id));
  std::vector<std::unique_lock<std::mutex>> held;
  for (std::mutex* lock : locks) held.emplace_back(*lock);

  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  std::vector<std::string> names;
  for (const auto& change : changes) names.push_back(ToString(change.id));
  std::string message = changes.size() == 1
                            ? (created ? "create table " : "commit table ") + names.front()
                            : "commit transaction: " + Join(names, ", ");
  for (int attempt = 1;; ++attempt) {
    store::CommitRequest commit;
    // Once the commit is visible the next one of these tables may be written, while this one
    // waits for its sync (and shares it).
    commit.on_visible = [&held] { held.clear(); };
    std::vector<PreparedChange> prepared;
    auto discard = [&] {
      for (const auto& change : prepared) {
        if (change.new_file) files_.DeleteQuietly(*io, *change.new_file);
      }
    };
    for (const auto& change : changes) {
      auto next = IsCreate(*change.request) ? PrepareCreate(ctx, cat, change, base, &commit)
                                            : PrepareUpdate(ctx, cat, change, base, &commit);
      if (!next) {
        discard();
        return tl::unexpected(next.error());
      }
      prepared.push_back(std::move(*next));
    }
    std::vector<LoadedTable> tables;
    for (auto& change : prepared) tables.push_back(change.table);
    if (commit.operations.empty()) return tables;  // nothing changed: nothing to write
    auto committed = Commit(ctx, cat, std::move(commit), message);
    if (committed) {
      DeleteRemovedFiles(ctx, cat, prepared);
      return tables;
    }
    // When the store cannot tell whether the swap happened, the new files may be live: keep them.
    if (committed.error().code == ErrorCode::kCommitStateUnknown) {
      return tl::unexpected(committed.error());
    }
    discard();
    if (committed.error().code != ErrorCode::kCommitFailed) {
      return tl::unexpected(committed.error());
    }
    if (attempt >= kMaxCommitAttempts) {
      return Err(ErrorCode::kCommitFailed, "Commit of {} lost {} races in a row; retry",
                 Join(names, ", "), attempt);
    }
    // The next attempt re-reads every table: a create now finds its table (409), an update
    // re-checks its requirements against the state that won.
    log::Debug("commit raced; retrying").With("tables", Join(names, ", ")).With("attempt", attempt);
  }
}

void IcebergService::DeleteRemovedFiles(const Context& ctx, const CatalogHandle& cat,
                                        const std::vector<PreparedChange>& committed) {
  std::optional<bool> shared;
  for (const auto& change : committed) {
    const auto& properties = change.table.metadata->metadata.properties;
    auto enabled = properties.find("write.metadata.delete-after-commit.enabled");
    if (change.removed.empty() || enabled == properties.end() || enabled->second != "true") {
      continue;
    }
    // Old metadata files may be what another branch or tag reads: only delete on a catalog
    // that has nothing but main.
    if (!shared) {
      auto other_refs = HasOtherRefs(ctx, cat);
      shared = !other_refs || *other_refs;
    }
    if (*shared) return;
    auto io = Io(cat);
    if (!io) return;  // best effort, as every deletion here
    for (const auto& file : change.removed) files_.DeleteQuietly(**io, file);
  }
}

}  // namespace pangolin::service
