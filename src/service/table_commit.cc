// IcebergService::CommitTable: requirements checked against the latest metadata, updates applied,
// a new metadata file written, the pointer compare-and-swapped; a lost swap is retried while the
// requirements still hold (server-side retry), so concurrent writers never lose an update.
#include "common/ids.h"
#include "common/log.h"
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

Result<LoadedTable> IcebergService::CompleteStagedCreate(const Context& ctx,
                                                         const CatalogHandle& cat,
                                                         const TableIdentifier& id,
                                                         const serde::CommitTableRequest& request) {
  if (request.requirements.size() != 1) {
    return Err(ErrorCode::kBadRequest, "Invalid create requirements: assert-create must be alone");
  }
  RETURN_IF_ERROR(catalog::ValidateName("table name", id.name));
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, id.ns));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
  if (existing) return Err(ErrorCode::kAlreadyExists, "Table already exists: {}", ToString(id));
  ASSIGN_OR_RETURN(iceberg::UpdateResult applied,
                   iceberg::ApplyUpdates(nullptr, std::nullopt, request.updates, clock_.NowMs()));
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  RETURN_IF_ERROR(CheckTableLocations(applied.metadata, base));
  std::string location;
  ASSIGN_OR_RETURN(auto written,
                   files_.Write(std::move(applied.metadata), std::nullopt, &location));
  catalog::Content content{ContentType::kIcebergTable, NewUuid(), location, {}};
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, std::nullopt});
  commit.preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(id.ns), {}});
  commit.operations.push_back({Operation::Kind::kPut, key, content});
  auto committed = Commit(ctx, cat, std::move(commit), "create table " + ToString(id));
  if (!committed) {
    files_.DeleteQuietly(location);
    if (committed.error().code == ErrorCode::kCommitFailed) {
      return Err(ErrorCode::kAlreadyExists, "Table already exists: {}", ToString(id));
    }
    return tl::unexpected(committed.error());
  }
  return LoadedTable{location, std::move(written), content.id};
}

Result<LoadedTable> IcebergService::CommitTable(const Context& ctx, const CatalogHandle& cat,
                                                const TableIdentifier& id,
                                                const serde::CommitTableRequest& request) {
  RETURN_IF_ERROR(RequireBranch(
      ctx, cat, IsCreate(request) ? std::optional<TableIdentifier>(id) : std::nullopt));
  std::lock_guard lock(TableLock(cat, id));
  if (IsCreate(request)) return CompleteStagedCreate(ctx, cat, id, request);
  std::optional<std::string> base;
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(TableState state, LoadTableState(ctx, cat, id));
    const iceberg::TableMetadata& current = state.metadata->metadata;
    for (const auto& requirement : request.requirements) {
      RETURN_IF_ERROR(iceberg::CheckRequirement(requirement, &current));
    }
    ASSIGN_OR_RETURN(iceberg::UpdateResult applied,
                     iceberg::ApplyUpdates(&current, state.content.metadata_location,
                                           request.updates, clock_.NowMs()));
    if (!applied.changed) {
      return LoadedTable{state.content.metadata_location, state.metadata, state.content.id};
    }
    if (!base) {
      ASSIGN_OR_RETURN(base, BaseLocation(ctx, cat));
    }
    RETURN_IF_ERROR(CheckTableLocations(applied.metadata, *base));
    std::vector<std::string> removed = iceberg::RemovedMetadataFiles(current, applied.metadata);
    std::string location;
    ASSIGN_OR_RETURN(auto written, files_.Write(std::move(applied.metadata),
                                                state.content.metadata_location, &location));
    catalog::Content next = state.content;
    next.metadata_location = location;
    store::CommitRequest commit;
    ContentKey key = ObjectKey(id);
    commit.preconditions.push_back({Precondition::Kind::kEquals, key, state.content});
    commit.operations.push_back({Operation::Kind::kPut, key, next});
    auto committed = Commit(ctx, cat, std::move(commit), "commit table " + ToString(id));
    if (committed) {
      auto enabled =
          written->metadata.properties.find("write.metadata.delete-after-commit.enabled");
      // Old metadata files may be what another branch or tag reads: only delete on a catalog
      // that has nothing but main.
      if (enabled != written->metadata.properties.end() && enabled->second == "true" &&
          !removed.empty()) {
        auto shared = HasOtherRefs(ctx, cat);
        if (shared && !*shared) {
          for (const auto& file : removed) files_.DeleteQuietly(file);
        }
      }
      return LoadedTable{location, std::move(written), next.id};
    }
    // When the store cannot tell whether the swap happened, the new file may be live: keep it.
    if (committed.error().code == ErrorCode::kCommitStateUnknown) {
      return tl::unexpected(committed.error());
    }
    files_.DeleteQuietly(location);  // the swap did not happen: the new file is garbage
    if (committed.error().code != ErrorCode::kCommitFailed)
      return tl::unexpected(committed.error());
    if (attempt >= kMaxCommitAttempts) {
      return Err(ErrorCode::kCommitFailed, "Commit of {} lost {} races in a row; retry",
                 ToString(id), attempt);
    }
    log::Debug("commit raced; retrying").With("table", ToString(id)).With("attempt", attempt);
  }
}

}  // namespace pangolin::service
