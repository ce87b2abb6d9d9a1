// IcebergService: views — listing, creation, loading, replacement (view commits), dropping,
// renaming and registration. Views share the object key space with tables, so one name is either.
#include "catalog/locations.h"
#include "common/ids.h"
#include "common/log.h"
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

Error NoSuchView(const TableIdentifier& id) {
  return Error{ErrorCode::kNoSuchView, "View does not exist: " + ToString(id)};
}

}  // namespace

Result<IcebergService::ViewState> IcebergService::LoadViewState(const Context& ctx,
                                                                const CatalogHandle& cat,
                                                                const TableIdentifier& id) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("view name", id.name));
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, ObjectKey(id)));
  if (!entry || entry->type != ContentType::kIcebergView) return tl::unexpected(NoSuchView(id));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(auto metadata, files_.ReadView(*io, entry->metadata_location));
  return ViewState{std::move(*entry), std::move(metadata)};
}

Result<store::Page<TableIdentifier>> IcebergService::ListViews(const Context& ctx,
                                                               const CatalogHandle& cat,
                                                               const Namespace& ns,
                                                               const store::PageRequest& page) {
  return ListObjects(ctx, cat, ns, ContentType::kIcebergView, page);
}

Result<LoadedView> IcebergService::CreateView(const Context& ctx, const CatalogHandle& cat,
                                              const Namespace& ns,
                                              const iceberg::CreateViewRequest& request) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  RETURN_IF_ERROR(catalog::ValidateName("view name", request.name));
  TableIdentifier id{ns, request.name};
  RETURN_IF_ERROR(RequireBranch(ctx, cat, id));
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, ns));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
  if (existing) return tl::unexpected(AlreadyExists(*existing, id, ContentType::kIcebergView));
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  ASSIGN_OR_RETURN(std::string location,
                   NewObjectLocation(ctx, cat, ns, request.name, request.location, base));
  ASSIGN_OR_RETURN(iceberg::ViewMetadata metadata,
                   iceberg::NewViewMetadata(request, location, NewUuid(), clock_.NowMs()));
  RETURN_IF_ERROR(CheckLocations(metadata.location, metadata.properties, base));
  std::string metadata_location;
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(auto written,
                   files_.WriteView(*io, std::move(metadata), std::nullopt, &metadata_location));
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, std::nullopt});
  commit.preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(ns), {}});
  commit.operations.push_back(
      {Operation::Kind::kPut, key,
       catalog::Content{ContentType::kIcebergView, NewUuid(), metadata_location, {}}});
  auto committed = Commit(ctx, cat, std::move(commit), "create view " + ToString(id));
  if (!committed) {
    // When the store cannot tell whether the entry landed, the file may be live: keep it.
    if (committed.error().code != ErrorCode::kCommitStateUnknown) {
      files_.DeleteQuietly(*io, metadata_location);
    }
    if (committed.error().code != ErrorCode::kCommitFailed) {
      return tl::unexpected(committed.error());
    }
    RETURN_IF_ERROR(RequireNamespace(ctx, cat, ns));
    ASSIGN_OR_RETURN(auto now, GetEntry(ctx, cat, key));
    if (now) return tl::unexpected(AlreadyExists(*now, id, ContentType::kIcebergView));
    return tl::unexpected(committed.error());
  }
  return LoadedView{metadata_location, std::move(written)};
}

Result<LoadedView> IcebergService::LoadView(const Context& ctx, const CatalogHandle& cat,
                                            const TableIdentifier& id) {
  ASSIGN_OR_RETURN(ViewState state, LoadViewState(ctx, cat, id));
  return LoadedView{state.content.metadata_location, std::move(state.metadata)};
}

Result<LoadedView> IcebergService::ReplaceView(
    const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id,
    const std::vector<iceberg::ViewRequirement>& requirements,
    const std::vector<iceberg::ViewUpdate>& updates) {
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
  std::lock_guard lock(TableLock(cat, id));
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(ViewState state, LoadViewState(ctx, cat, id));
    ASSIGN_OR_RETURN(
        iceberg::ViewUpdateResult applied,
        iceberg::CommitView(&state.metadata->metadata, requirements, updates, clock_.NowMs()));
    if (!applied.changed) return LoadedView{state.content.metadata_location, state.metadata};
    RETURN_IF_ERROR(CheckLocations(applied.metadata.location, applied.metadata.properties, base));
    std::string location;
    ASSIGN_OR_RETURN(auto written, files_.WriteView(*io, std::move(applied.metadata),
                                                    state.content.metadata_location, &location));
    catalog::Content next = state.content;
    next.metadata_location = location;
    store::CommitRequest commit;
    ContentKey key = ObjectKey(id);
    commit.preconditions.push_back({Precondition::Kind::kEquals, key, state.content});
    commit.operations.push_back({Operation::Kind::kPut, key, next});
    auto committed = Commit(ctx, cat, std::move(commit), "replace view " + ToString(id));
    if (committed) return LoadedView{location, std::move(written)};
    if (committed.error().code == ErrorCode::kCommitStateUnknown) {
      return tl::unexpected(committed.error());
    }
    files_.DeleteQuietly(*io, location);
    if (committed.error().code != ErrorCode::kCommitFailed) {
      return tl::unexpected(committed.error());
    }
    if (attempt >= kMaxCommitAttempts) {
      return Err(ErrorCode::kCommitFailed, "Commit of view {} lost {} races in a row; retry",
                 ToString(id), attempt);
    }
    log::Debug("view commit raced; retrying").With("view", ToString(id)).With("attempt", attempt);
  }
}

Status IcebergService::DropView(const Context& ctx, const CatalogHandle& cat,
                                const TableIdentifier& id) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("view name", id.name));
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
  std::lock_guard lock(TableLock(cat, id));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, key));
  if (!entry || entry->type != ContentType::kIcebergView) return tl::unexpected(NoSuchView(id));
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, entry});
  commit.operations.push_back({Operation::Kind::kDelete, key, std::nullopt});
  auto committed = Commit(ctx, cat, std::move(commit), "drop view " + ToString(id));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    return Err(ErrorCode::kCommitFailed, "View {} changed while being dropped; retry",
               ToString(id));
  }
  return committed.map([](auto&&) {});
}

Status IcebergService::ViewExists(const Context& ctx, const CatalogHandle& cat,
                                  const TableIdentifier& id) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("view name", id.name));
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, ObjectKey(id)));
  if (!entry || entry->type != ContentType::kIcebergView) return tl::unexpected(NoSuchView(id));
  return Ok();
}

Status IcebergService::RenameView(const Context& ctx, const CatalogHandle& cat,
                                  const TableIdentifier& from, const TableIdentifier& to) {
  return RenameObject(ctx, cat, from, to, ContentType::kIcebergView);
}

Result<LoadedView> IcebergService::RegisterView(const Context& ctx, const CatalogHandle& cat,
                                                const TableIdentifier& id,
                                                const std::string& metadata_location) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("view name", id.name));
  if (metadata_location.empty()) {
    return Err(ErrorCode::kBadRequest, "Invalid metadata-location: empty");
  }
  RETURN_IF_ERROR(RequireBranch(ctx, cat, id));
  std::lock_guard lock(TableLock(cat, id));
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, id.ns));
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  ASSIGN_OR_RETURN(std::string location, catalog::CheckLocation(metadata_location, base));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(auto metadata, files_.ReadView(*io, location));
  RETURN_IF_ERROR(CheckLocations(metadata->metadata.location, metadata->metadata.properties, base));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
  if (existing) return tl::unexpected(AlreadyExists(*existing, id, ContentType::kIcebergView));
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, std::nullopt});
  commit.preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(id.ns), {}});
  commit.operations.push_back(
      {Operation::Kind::kPut, key,
       catalog::Content{ContentType::kIcebergView, NewUuid(), location, {}}});
  auto committed = Commit(ctx, cat, std::move(commit), "register view " + ToString(id));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    return Err(ErrorCode::kCommitFailed, "View {} changed while being registered; retry",
               ToString(id));
  }
  RETURN_IF_ERROR(committed);
  return LoadedView{location, std::move(metadata)};
}

}  // namespace pangolin::service
