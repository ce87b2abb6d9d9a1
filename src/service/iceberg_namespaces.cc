// IcebergService: catalog resolution and namespaces.
#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"
#include "service/access_version.h"
#include "service/iceberg_service.h"

namespace pangolin::service {

using catalog::ContentKey;
using catalog::ContentType;
using catalog::NamespaceKey;
using catalog::ToString;
using store::Precondition;

IcebergService::IcebergService(store::MetadataStore& store, TableFiles& files,
                               CatalogStorage& storage, const Clock& clock,
                               IcebergServiceOptions options)
    : store_(store), files_(files), storage_(storage), clock_(clock), options_(options) {}

Result<std::shared_ptr<const StorageBinding>> IcebergService::Storage(const CatalogHandle& cat) {
  if (!cat.storage) {
    ASSIGN_OR_RETURN(StorageBinding binding, storage_.Bind(cat.catalog));
    cat.storage = std::make_shared<const StorageBinding>(std::move(binding));
    directory_.Remember(cat.catalog.tenant_id, cat.catalog.name, cat.access_version,
                        {cat.catalog, cat.storage});
  }
  return cat.storage;
}

Result<std::shared_ptr<storage::FileIO>> IcebergService::Io(const CatalogHandle& cat) {
  ASSIGN_OR_RETURN(auto binding, Storage(cat));
  return binding->io;
}

Result<CatalogHandle> IcebergService::ResolveCatalog(const Context& ctx, std::string_view prefix) {
  std::string name(prefix);
  std::string ref(catalog::kMainBranch);
  if (size_t at = name.find('@'); at != std::string::npos) {
    ref = name.substr(at + 1);
    name.resize(at);
    if (ref.empty()) return Err(ErrorCode::kBadRequest, "Empty branch name in '{}'", prefix);
  }
  // The version first: a change after it moves it, so the catalog read next is never taken as
  // current past that change.
  ASSIGN_OR_RETURN(int64_t version, RequestAccessVersion(ctx, store_));
  if (auto known = directory_.Find(ctx.tenant, name, version)) {
    return CatalogHandle{std::move(known->catalog), std::move(ref), std::move(known->storage),
                         version};
  }
  auto found = store_.GetCatalog(ctx.tenant, name);
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "Catalog does not exist: {}", name);
    }
    return tl::unexpected(found.error());
  }
  directory_.Remember(ctx.tenant, name, version, {*found, nullptr});
  return CatalogHandle{std::move(*found), std::move(ref), nullptr, version};
}

Status IcebergService::RequireBranch(const Context& ctx, const CatalogHandle& cat,
                                     const std::optional<TableIdentifier>& create_for) {
  if (cat.ref == catalog::kMainBranch) return Ok();  // every catalog has main
  auto ref = store_.ResolveRef(ctx.tenant, cat.catalog.id, cat.ref);
  if (ref) {
    if (ref->kind == store::RefInfo::Kind::kBranch) return Ok();
    return Err(ErrorCode::kBadRequest,
               "Cannot change '{}': it is a {}, and tags and commits are read-only; write to a "
               "branch",
               cat.ref, ref->kind == store::RefInfo::Kind::kTag ? "tag" : "commit");
  }
  if (ref.error().code != ErrorCode::kNotFound) return tl::unexpected(ref.error());
  if (!create_for) return Err(ErrorCode::kNotFound, "Branch does not exist: {}", cat.ref);
  RETURN_IF_ERROR(catalog::ValidateName("branch", cat.ref));
  if (options_.authorizer != nullptr) {
    // Adding the branch is creating an experimental branch: it needs that permission too.
    RETURN_IF_ERROR(options_.authorizer->Require(
        ctx, catalog::Action::kExperimentalBranching,
        catalog::AccessTarget{cat.catalog.id.value, std::nullopt, std::nullopt, {}}));
  }
  store::NewBranch branch{cat.ref,
                          std::string(catalog::kMainBranch),
                          store::BranchType::kExperimental,
                          {ToString(*create_for)},
                          clock_.NowMs()};
  auto created = store_.CreateBranch(ctx.tenant, cat.catalog.id, branch);
  if (!created && created.error().code != ErrorCode::kAlreadyExists) {
    return tl::unexpected(created.error());
  }
  return Ok();  // created here or, racing, by another request
}

Result<bool> IcebergService::HasOtherRefs(const Context& ctx, const CatalogHandle& cat) {
  if (cat.ref != catalog::kMainBranch) return true;
  ASSIGN_OR_RETURN(auto branches, store_.ListBranches(ctx.tenant, cat.catalog.id, {"", 2}));
  if (branches.items.size() > 1) return true;
  ASSIGN_OR_RETURN(auto tags, store_.ListTags(ctx.tenant, cat.catalog.id, {"", 1}));
  return !tags.items.empty();
}

Result<bool> IcebergService::SharedWithOtherRefs(const Context& ctx, const CatalogHandle& cat,
                                                 const ContentKey& key,
                                                 const std::string& content_id) {
  std::vector<std::string> refs;
  for (store::PageRequest page;;) {
    ASSIGN_OR_RETURN(auto branches, store_.ListBranches(ctx.tenant, cat.catalog.id, page));
    for (auto& branch : branches.items) refs.push_back(std::move(branch.name));
    if (!branches.next_token) break;
    page.token = *branches.next_token;
  }
  for (store::PageRequest page;;) {
    ASSIGN_OR_RETURN(auto tags, store_.ListTags(ctx.tenant, cat.catalog.id, page));
    for (auto& tag : tags.items) refs.push_back(std::move(tag.name));
    if (!tags.next_token) break;
    page.token = *tags.next_token;
  }
  for (const auto& ref : refs) {
    if (ref == cat.ref) continue;
    ASSIGN_OR_RETURN(auto entry, store_.GetContent(ctx.tenant, cat.catalog.id, ref, key));
    if (entry && entry->id == content_id) return true;
  }
  return false;
}

Result<std::optional<catalog::Content>> IcebergService::GetEntry(const Context& ctx,
                                                                 const CatalogHandle& cat,
                                                                 const ContentKey& key) {
  auto& read = ctx.authorized_entry;
  if (read && read->catalog == cat.catalog.id && read->ref == cat.ref && read->key == key) {
    auto entry = std::move(read->entry);
    read.reset();
    return entry;
  }
  return store_.GetContent(ctx.tenant, cat.catalog.id, cat.ref, key);
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
  request.branch = cat.ref;
  request.author = ctx.principal;
  request.message = std::move(message);
  request.time_ms = clock_.NowMs();
  if (ctx.audit && !ctx.audit_recorded) request.audit = ctx.audit;
  auto committed = store_.Commit(ctx.tenant, cat.catalog.id, request);
  if (committed && request.audit) ctx.audit_recorded = true;
  return committed;
}

Result<store::Page<Namespace>> IcebergService::ListNamespaces(const Context& ctx,
                                                              const CatalogHandle& cat,
                                                              const Namespace& parent,
                                                              const store::PageRequest& page) {
  if (!parent.empty()) RETURN_IF_ERROR(RequireNamespace(ctx, cat, parent));
  ASSIGN_OR_RETURN(auto entries, ListVisible(ctx, cat, ContentKey::Space::kNamespace, parent,
                                             std::nullopt, page));
  store::Page<Namespace> out;
  out.next_token = std::move(entries.next_token);
  for (const auto& entry : entries.items) out.items.push_back(catalog::KeyNamespacePath(entry.key));
  return out;
}

Result<Properties> IcebergService::CreateNamespace(const Context& ctx, const CatalogHandle& cat,
                                                   const Namespace& ns,
                                                   const Properties& properties) {
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
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
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
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
  RETURN_IF_ERROR(RequireBranch(ctx, cat));
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
