// IcebergService: table listing, creation, loading, dropping and renaming, and the metadata-file
// checks that commits share.
#include "catalog/locations.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "iceberg/metadata_files.h"
#include "iceberg/new_table.h"
#include "iceberg/table_update.h"
#include "serde/table_metadata.h"
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

Error NoSuchTable(const TableIdentifier& id) {
  return Error{ErrorCode::kNoSuchTable, "Table does not exist: " + ToString(id)};
}

}  // namespace

Error IcebergService::AlreadyExists(const catalog::Content& existing, const TableIdentifier& id,
                                    ContentType creating) {
  bool same_kind = existing.type == creating;
  bool existing_view = existing.type == ContentType::kIcebergView;
  std::string what = existing_view ? "View" : "Table";
  return Error{
      ErrorCode::kAlreadyExists,
      what + (same_kind ? " already exists: " : " with same name already exists: ") + ToString(id)};
}

Result<std::string> IcebergService::BaseLocation(const Context& ctx, const CatalogHandle& cat) {
  std::optional<catalog::Warehouse> warehouse;
  if (cat.catalog.warehouse_name) {
    ASSIGN_OR_RETURN(warehouse, store_.GetWarehouse(ctx.tenant, *cat.catalog.warehouse_name));
  }
  return catalog::CatalogBaseLocation(cat.catalog, warehouse ? &*warehouse : nullptr);
}

Status IcebergService::CheckLocations(const std::string& location, const Properties& properties,
                                      const std::string& base) {
  RETURN_IF_ERROR(catalog::CheckLocation(location, base));
  auto path = properties.find("write.metadata.path");
  if (path != properties.end()) RETURN_IF_ERROR(catalog::CheckLocation(path->second, base));
  return Ok();
}

Status IcebergService::CheckTableLocations(const iceberg::TableMetadata& metadata,
                                           const std::string& base) {
  return CheckLocations(metadata.location, metadata.properties, base);
}

Result<std::string> IcebergService::NewObjectLocation(const Context& ctx, const CatalogHandle& cat,
                                                      const Namespace& ns, const std::string& name,
                                                      const std::optional<std::string>& requested,
                                                      const std::string& base) {
  if (requested && !requested->empty()) {
    RETURN_IF_ERROR(catalog::CheckLocation(*requested, base));
    // Kept as the client wrote it ("file:/x" stays so): clients compare it with what they sent.
    std::string location = *requested;
    while (location.size() > 1 && location.back() == '/') location.pop_back();
    return location;
  }
  ASSIGN_OR_RETURN(Properties ns_properties, LoadNamespace(ctx, cat, ns));
  auto ns_location = ns_properties.find("location");
  std::string location = ns_location != ns_properties.end()
                             ? catalog::DefaultTableLocation(ns_location->second, {}, name)
                             : catalog::DefaultTableLocation(base, ns, name);
  return catalog::CheckLocation(location, base);
}

std::mutex& IcebergService::TableLock(const CatalogHandle& cat, const TableIdentifier& id) {
  size_t hash = std::hash<std::string>{}(cat.catalog.id.value + '\x1f' + cat.ref + '\x1f' +
                                         Join(id.ns, "\x1f") + '\x1f' + id.name);
  return table_locks_[hash % table_locks_.size()];
}

Result<store::Page<TableIdentifier>> IcebergService::ListTables(const Context& ctx,
                                                                const CatalogHandle& cat,
                                                                const Namespace& ns,
                                                                const store::PageRequest& page) {
  return ListObjects(ctx, cat, ns, ContentType::kIcebergTable, page);
}

Result<store::Page<TableIdentifier>> IcebergService::ListObjects(const Context& ctx,
                                                                 const CatalogHandle& cat,
                                                                 const Namespace& ns,
                                                                 ContentType type,
                                                                 const store::PageRequest& page) {
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, ns));
  ASSIGN_OR_RETURN(auto entries, ListVisible(ctx, cat, ContentKey::Space::kObject, ns, type, page));
  store::Page<TableIdentifier> out;
  out.next_token = std::move(entries.next_token);
  for (const auto& entry : entries.items) out.items.push_back({entry.key.parent, entry.key.name});
  return out;
}

Result<IcebergService::TableState> IcebergService::LoadTableState(const Context& ctx,
                                                                  const CatalogHandle& cat,
                                                                  const TableIdentifier& id) {
  ASSIGN_OR_RETURN(catalog::Content entry, TableEntry(ctx, cat, id));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(auto metadata, files_.Read(*io, entry.metadata_location));
  return TableState{std::move(entry), std::move(metadata)};
}

Result<catalog::Content> IcebergService::TableEntry(const Context& ctx, const CatalogHandle& cat,
                                                    const TableIdentifier& id) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("table name", id.name));
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, ObjectKey(id)));
  if (!entry || entry->type != ContentType::kIcebergTable) return tl::unexpected(NoSuchTable(id));
  return std::move(*entry);
}

Result<LoadedTable> IcebergService::CreateTable(const Context& ctx, const CatalogHandle& cat,
                                                const Namespace& ns,
                                                const iceberg::CreateTableRequest& request) {
  RETURN_IF_ERROR(catalog::ValidateName("table name", request.name));
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  TableIdentifier id{ns, request.name};
  RETURN_IF_ERROR(RequireBranch(ctx, cat, id));
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, ns));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
  if (existing) return tl::unexpected(AlreadyExists(*existing, id, ContentType::kIcebergTable));
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  ASSIGN_OR_RETURN(std::string location,
                   NewObjectLocation(ctx, cat, ns, request.name, request.location, base));
  ASSIGN_OR_RETURN(iceberg::TableMetadata metadata,
                   iceberg::NewTableMetadata(request, location, NewUuid(), clock_.NowMs()));
  RETURN_IF_ERROR(CheckTableLocations(metadata, base));
  if (request.stage_create) {
    auto staged = std::make_shared<CachedMetadata>();
    staged->json = serde::SerializeTableMetadata(metadata);
    staged->metadata = std::move(metadata);
    return LoadedTable{std::nullopt, std::move(staged), ""};
  }
  std::string metadata_location;
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(auto written,
                   files_.Write(*io, std::move(metadata), std::nullopt, &metadata_location));
  catalog::Content content{ContentType::kIcebergTable, NewUuid(), metadata_location, {}};
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, std::nullopt});
  commit.preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(ns), {}});
  commit.operations.push_back({Operation::Kind::kPut, key, content});
  auto committed = Commit(ctx, cat, std::move(commit), "create table " + ToString(id));
  if (!committed) {
    // When the store cannot tell whether the entry landed, the file may be live: keep it.
    if (committed.error().code != ErrorCode::kCommitStateUnknown) {
      files_.DeleteQuietly(*io, metadata_location);
    }
    if (committed.error().code != ErrorCode::kCommitFailed)
      return tl::unexpected(committed.error());
    RETURN_IF_ERROR(RequireNamespace(ctx, cat, ns));
    ASSIGN_OR_RETURN(auto now, GetEntry(ctx, cat, key));
    if (now) return tl::unexpected(AlreadyExists(*now, id, ContentType::kIcebergTable));
    return tl::unexpected(committed.error());
  }
  return LoadedTable{metadata_location, std::move(written), content.id};
}

Result<LoadedTable> IcebergService::UnregisterTable(const Context& ctx, const CatalogHandle& cat,
                                                    const TableIdentifier& id) {
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
  std::lock_guard lock(TableLock(cat, id));
  ASSIGN_OR_RETURN(TableState state, LoadTableState(ctx, cat, id));
  ContentKey key = ObjectKey(id);
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, state.content});
  commit.operations.push_back({Operation::Kind::kDelete, key, std::nullopt});
  auto committed = Commit(ctx, cat, std::move(commit), "unregister table " + ToString(id));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    return Err(ErrorCode::kCommitFailed, "Table {} changed while being unregistered; retry",
               ToString(id));
  }
  RETURN_IF_ERROR(committed);
  return LoadedTable{state.content.metadata_location, std::move(state.metadata), state.content.id};
}

Result<LoadedTable> IcebergService::RegisterTable(const Context& ctx, const CatalogHandle& cat,
                                                  const TableIdentifier& id,
                                                  const std::string& metadata_location,
                                                  bool overwrite) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("table name", id.name));
  if (metadata_location.empty()) {
    return Err(ErrorCode::kBadRequest, "Invalid metadata-location: empty");
  }
  RETURN_IF_ERROR(RequireBranch(ctx, cat, id));
  std::lock_guard lock(TableLock(cat, id));
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, id.ns));
  // Only files inside the catalog can be adopted: a table elsewhere would give its readers (and a
  // later purge) reach into storage the catalog does not own.
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  ASSIGN_OR_RETURN(std::string location, catalog::CheckLocation(metadata_location, base));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  ASSIGN_OR_RETURN(auto metadata, files_.Read(*io, location));
  RETURN_IF_ERROR(CheckTableLocations(metadata->metadata, base));
  ContentKey key = ObjectKey(id);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
  if (existing && !(overwrite && existing->type == ContentType::kIcebergTable)) {
    return tl::unexpected(AlreadyExists(*existing, id, ContentType::kIcebergTable));
  }
  catalog::Content content{ContentType::kIcebergTable, NewUuid(), location, {}};
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, existing});
  commit.preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(id.ns), {}});
  commit.operations.push_back({Operation::Kind::kPut, key, content});
  auto committed = Commit(ctx, cat, std::move(commit), "register table " + ToString(id));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    return Err(ErrorCode::kCommitFailed, "Table {} changed while being registered; retry",
               ToString(id));
  }
  RETURN_IF_ERROR(committed);
  return LoadedTable{location, std::move(metadata), content.id};
}

Result<LoadedTable> IcebergService::LoadTable(
    const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id, SnapshotMode mode,
    const std::function<bool(const std::string& location)>& client_has) {
  ASSIGN_OR_RETURN(catalog::Content entry, TableEntry(ctx, cat, id));
  ASSIGN_OR_RETURN(auto io, Io(cat));
  if (client_has && client_has(entry.metadata_location)) {
    // As a load, a 304 holds only while the metadata file is there.
    RETURN_IF_ERROR(files_.RequireFile(*io, entry.metadata_location));
    return LoadedTable{entry.metadata_location, nullptr, entry.id};
  }
  ASSIGN_OR_RETURN(auto metadata, files_.Read(*io, entry.metadata_location));
  LoadedTable loaded{entry.metadata_location, std::move(metadata), entry.id};
  if (mode == SnapshotMode::kRefs) {
    auto filtered = std::make_shared<CachedMetadata>();
    filtered->metadata = iceberg::WithReferencedSnapshotsOnly(loaded.metadata->metadata);
    filtered->json = serde::SerializeTableMetadata(filtered->metadata);
    loaded.metadata = std::move(filtered);
  }
  return loaded;
}

Status IcebergService::TableExists(const Context& ctx, const CatalogHandle& cat,
                                   const TableIdentifier& id) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("table name", id.name));
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, ObjectKey(id)));
  if (!entry || entry->type != ContentType::kIcebergTable) return tl::unexpected(NoSuchTable(id));
  return Ok();
}

Status IcebergService::DropTable(const Context& ctx, const CatalogHandle& cat,
                                 const TableIdentifier& id, bool purge) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(id.ns));
  RETURN_IF_ERROR(catalog::ValidateName("table name", id.name));
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
  std::lock_guard lock(TableLock(cat, id));
  ContentKey key = ObjectKey(id);
  // The entry alone decides: a table whose metadata file is gone can still be dropped.
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, key));
  if (!entry || entry->type != ContentType::kIcebergTable) return tl::unexpected(NoSuchTable(id));
  if (purge) {
    ASSIGN_OR_RETURN(bool shared, SharedWithOtherRefs(ctx, cat, key, entry->id));
    if (shared) {
      return Err(ErrorCode::kConflict,
                 "Cannot purge table {}: another branch or tag still reads its files; drop it "
                 "without purge, or drop it there first",
                 ToString(id));
    }
  }
  // Read before the drop: once dropped, nothing names the files any more.
  std::shared_ptr<const CachedMetadata> metadata;
  std::shared_ptr<storage::FileIO> io;
  if (purge) {
    ASSIGN_OR_RETURN(io, Io(cat));
    auto read = files_.Read(*io, entry->metadata_location);
    if (read) {
      metadata = std::move(*read);
    } else {
      log::Warn("purge: the table's metadata is unreadable; only the catalog entry is dropped")
          .With("table", ToString(id))
          .With("error", read.error().message);
    }
  }
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, key, entry});
  commit.operations.push_back({Operation::Kind::kDelete, key, std::nullopt});
  auto committed = Commit(ctx, cat, std::move(commit),
                          (purge ? "drop and purge table " : "drop table ") + ToString(id));
  if (!committed) {
    if (committed.error().code == ErrorCode::kCommitFailed) {
      return Err(ErrorCode::kCommitFailed, "Table {} changed while being dropped; retry",
                 ToString(id));
    }
    return tl::unexpected(committed.error());
  }
  if (!metadata) return Ok();
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  PurgeTableFiles(*io, metadata->metadata, entry->metadata_location, base);
  return Ok();
}

Status IcebergService::RenameTable(const Context& ctx, const CatalogHandle& cat,
                                   const TableIdentifier& from, const TableIdentifier& to) {
  return RenameObject(ctx, cat, from, to, ContentType::kIcebergTable);
}

Status IcebergService::RenameObject(const Context& ctx, const CatalogHandle& cat,
                                    const TableIdentifier& from, const TableIdentifier& to,
                                    ContentType type) {
  bool view = type == ContentType::kIcebergView;
  RETURN_IF_ERROR(catalog::ValidateNamespace(from.ns));
  RETURN_IF_ERROR(catalog::ValidateName(view ? "view name" : "table name", to.name));
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
  std::lock_guard lock(TableLock(cat, from));
  ASSIGN_OR_RETURN(auto source, GetEntry(ctx, cat, ObjectKey(from)));
  if (!source || source->type != type) {
    return Err(view ? ErrorCode::kNoSuchView : ErrorCode::kNoSuchTable, "{} does not exist: {}",
               view ? "View" : "Table", ToString(from));
  }
  RETURN_IF_ERROR(RequireNamespace(ctx, cat, to.ns));
  ContentKey target = ObjectKey(to);
  ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, target));
  if (existing) {
    return Err(ErrorCode::kAlreadyExists, "Cannot rename {} to {}. {} already exists",
               ToString(from), ToString(to),
               existing->type == ContentType::kIcebergView ? "View" : "Table");
  }
  store::CommitRequest commit;
  commit.preconditions.push_back({Precondition::Kind::kEquals, ObjectKey(from), source});
  commit.preconditions.push_back({Precondition::Kind::kEquals, target, std::nullopt});
  commit.preconditions.push_back({Precondition::Kind::kNamespaceExists, NamespaceKey(to.ns), {}});
  commit.operations.push_back({Operation::Kind::kDelete, ObjectKey(from), std::nullopt});
  commit.operations.push_back({Operation::Kind::kPut, target, *source});
  auto committed = Commit(
      ctx, cat, std::move(commit),
      fmt::format("rename {} {} to {}", view ? "view" : "table", ToString(from), ToString(to)));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    return Err(ErrorCode::kCommitFailed, "Rename of {} raced with another change; retry",
               ToString(from));
  }
  return committed.map([](auto&&) {});
}

}  // namespace pangolin::service
