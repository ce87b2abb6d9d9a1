// IcebergService: catalog resolution and namespaces.
#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"
#include "service/iceberg_service.h"

namespace pangolin::service {

using catalog::ContentKey;
using catalog::ContentType;
using catalog::NamespaceKey;
using catalog::ToString;
using store::Precondition;

IcebergService::IcebergService(store::MetadataStore& store, storage::FileIO& file_io,
                               const Clock& clock, size_t metadata_cache_bytes)
    : store_(store), file_io_(file_io), clock_(clock), cache_(metadata_cache_bytes) {}

Result<CatalogHandle> IcebergService::ResolveCatalog(const Context& ctx, std::string_view prefix) {
  std::string name(prefix);
  std::string branch(catalog::kMainBranch);
  if (size_t at = name.find('@'); at != std::string::npos) {
    branch = name.substr(at + 1);
    name.resize(at);
    if (branch.empty()) return Err(ErrorCode::kBadRequest, "Empty branch name in '{}'", prefix);
  }
  auto found = store_.GetCatalog(ctx.tenant, name);
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "Catalog does not exist: {}", name);
    }
    return tl::unexpected(found.error());
  }
  return CatalogHandle{std::move(*found), std::move(branch)};
}

Result<std::optional<catalog::Content>> IcebergService::GetEntry(const Context& ctx,
                                                                 const CatalogHandle& cat,
                                                                 const ContentKey& key) {
  return store_.GetContent(ctx.tenant, cat.catalog.id, cat.branch, key);
}

Status IcebergService::RequireNamespace(const Context& ctx, const CatalogHandle& cat,
                                        const Namespace& ns) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, NamespaceKey(ns)));
  if (!entry) return Err(ErrorCode::kNoSuchNamespace, "Namespace does not exist: {}", ToString(ns));
  return Ok();
}

Result<std::string> IcebergService::Commit(const Context& ctx, const CatalogHandle& cat,
                                           store::CommitRequest request, std::string message) {
  request.branch = cat.branch;
  request.author = ctx.principal;
  request.message = std::move(message);
  request.time_ms = clock_.NowMs();
  return store_.Commit(ctx.tenant, cat.catalog.id, request);
}

Result<store::Page<Namespace>> IcebergService::ListNamespaces(const Context& ctx,
                                                              const CatalogHandle& cat,
                                                              const Namespace& parent,
                                                              const store::PageRequest& page) {
  if (!parent.empty()) RETURN_IF_ERROR(RequireNamespace(ctx, cat, parent));
  ASSIGN_OR_RETURN(auto entries,
                   store_.ListContent(ctx.tenant, cat.catalog.id, cat.branch,
                                      ContentKey::Space::kNamespace, parent, std::nullopt, page));
  store::Page<Namespace> out;
  out.next_token = std::move(entries.next_token);
  for (const auto& entry : entries.items) out.items.push_back(catalog::KeyNamespacePath(entry.key));
  return out;
}

Result<Properties> IcebergService::CreateNamespace(const Context& ctx, const CatalogHandle& cat,
                                                   const Namespace& ns,
                                                   const Properties& properties) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  ContentKey key = NamespaceKey(ns);
  store::CommitRequest request;
  request.preconditions.push_back({Precondition::Kind::kEquals, key, std::nullopt});
  if (ns.size() > 1) {
    Namespace parent(ns.begin(), ns.end() - 1);
    request.preconditions.push_back(
        {Precondition::Kind::kNamespaceExists, NamespaceKey(parent), {}});
  }
  catalog::Content content{ContentType::kNamespace, NewUuid(), "", properties};
  request.operations.push_back({store::Operation::Kind::kPut, key, content});
  auto committed = Commit(ctx, cat, std::move(request), "create namespace " + ToString(ns));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    ASSIGN_OR_RETURN(auto existing, GetEntry(ctx, cat, key));
    if (existing)
      return Err(ErrorCode::kAlreadyExists, "Namespace already exists: {}", ToString(ns));
    return Err(ErrorCode::kNoSuchNamespace, "Namespace does not exist: {}",
               ToString(Namespace(ns.begin(), ns.end() - 1)));
  }
  RETURN_IF_ERROR(committed);
  return properties;
}

Result<Properties> IcebergService::LoadNamespace(const Context& ctx, const CatalogHandle& cat,
                                                 const Namespace& ns) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, NamespaceKey(ns)));
  if (!entry) return Err(ErrorCode::kNoSuchNamespace, "Namespace does not exist: {}", ToString(ns));
  return entry->properties;
}

Status IcebergService::DropNamespace(const Context& ctx, const CatalogHandle& cat,
                                     const Namespace& ns) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  ContentKey key = NamespaceKey(ns);
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, key));
  if (!entry) return Err(ErrorCode::kNoSuchNamespace, "Namespace does not exist: {}", ToString(ns));
  store::CommitRequest request;
  request.preconditions.push_back({Precondition::Kind::kEquals, key, entry});
  request.preconditions.push_back({Precondition::Kind::kNamespaceEmpty, key, {}});
  request.operations.push_back({store::Operation::Kind::kDelete, key, std::nullopt});
  auto committed = Commit(ctx, cat, std::move(request), "drop namespace " + ToString(ns));
  if (!committed && committed.error().code == ErrorCode::kCommitFailed) {
    ASSIGN_OR_RETURN(auto now, GetEntry(ctx, cat, key));
    if (!now) return Err(ErrorCode::kNoSuchNamespace, "Namespace does not exist: {}", ToString(ns));
    return Err(ErrorCode::kNamespaceNotEmpty, "Namespace is not empty: {}", ToString(ns));
  }
  RETURN_IF_ERROR(committed);
  return Ok();
}

Result<PropertiesUpdateResult> IcebergService::UpdateNamespaceProperties(
    const Context& ctx, const CatalogHandle& cat, const Namespace& ns,
    const std::vector<std::string>& removals, const Properties& updates) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  for (const auto& key : removals) {
    if (updates.count(key)) {
      return Err(ErrorCode::kUnprocessable,
                 "Invalid property update: key '{}' is both updated and removed", key);
    }
  }
  ContentKey key = NamespaceKey(ns);
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, key));
    if (!entry)
      return Err(ErrorCode::kNoSuchNamespace, "Namespace does not exist: {}", ToString(ns));
    PropertiesUpdateResult result;
    catalog::Content next = *entry;
    for (const auto& name : removals) {
      if (next.properties.erase(name))
        result.removed.push_back(name);
      else
        result.missing.push_back(name);
    }
    for (const auto& [name, value] : updates) {
      next.properties[name] = value;
      result.updated.push_back(name);
    }
    store::CommitRequest request;
    request.preconditions.push_back({Precondition::Kind::kEquals, key, entry});
    request.operations.push_back({store::Operation::Kind::kPut, key, next});
    auto committed = Commit(ctx, cat, std::move(request), "update namespace " + ToString(ns));
    if (committed) return result;
    if (committed.error().code != ErrorCode::kCommitFailed || attempt >= 16) {
      return tl::unexpected(committed.error());
    }
  }
}

}  // namespace pangolin::service
