// VersioningService: catalog lookup, name rules and commit diffs over the store.
#include "service/versioning_service.h"

#include "common/ids.h"
#include "service/audited.h"

namespace pangolin::service {
namespace {

// Branch and tag names share one namespace per catalog; '@' separates names from references.
Status ValidateRefName(std::string_view what, std::string_view name) {
  RETURN_IF_ERROR(catalog::ValidateName(what, name));
  if (IsUuid(name)) {
    return Err(ErrorCode::kBadRequest, "Invalid {} '{}': a UUID would hide the commit it names",
               what, name);
  }
  if (name.find('@') != std::string_view::npos) {
    return Err(ErrorCode::kBadRequest, "Invalid {} '{}': '@' separates names from references", what,
               name);
  }
  return Ok();
}

}  // namespace

VersioningService::VersioningService(store::MetadataStore& store, const Clock& clock)
    : store_(store), clock_(clock) {}

Result<CatalogId> VersioningService::FindCatalog(const Context& ctx, std::string_view name) {
  auto found = store_.GetCatalog(ctx.tenant, name);
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
    }
    return tl::unexpected(found.error());
  }
  return found->id;
}

Result<catalog::Branch> VersioningService::CreateBranch(const Context& ctx,
                                                        const BranchInput& input) {
  RETURN_IF_ERROR(ValidateRefName("branch name", input.name));
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, input.catalog));
  return StoreAudited(store_, ctx, [&] {
    return store_.CreateBranch(
        ctx.tenant, id,
        store::NewBranch{input.name, input.from, input.type, input.assets, clock_.NowMs()});
  });
}

Result<catalog::Branch> VersioningService::GetBranch(const Context& ctx, std::string_view catalog,
                                                     std::string_view name) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  return store_.GetBranch(ctx.tenant, id, name);
}

Result<store::Page<catalog::Branch>> VersioningService::ListBranches(
    const Context& ctx, std::string_view catalog, const store::PageRequest& page) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  return store_.ListBranches(ctx.tenant, id, page);
}

Status VersioningService::DeleteBranch(const Context& ctx, std::string_view catalog,
                                       std::string_view name) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  auto deleted =
      StoreAudited(store_, ctx, [&] { return store_.DeleteBranch(ctx.tenant, id, name); });
  if (!deleted && deleted.error().code == ErrorCode::kInvalidArgument) {
    return Err(ErrorCode::kBadRequest, "{}", deleted.error().message);
  }
  return deleted;
}

Result<store::Page<catalog::CommitRecord>> VersioningService::ListCommits(
    const Context& ctx, std::string_view catalog, std::string_view ref,
    const store::PageRequest& page) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  return store_.ListCommits(ctx.tenant, id, ref, page);
}

Result<CommitDiff> VersioningService::GetCommit(const Context& ctx, std::string_view catalog,
                                                std::string_view commit_id) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  CommitDiff diff;
  ASSIGN_OR_RETURN(diff.commit, store_.GetCommit(ctx.tenant, id, commit_id));
  for (const auto& op : diff.commit.operations) {
    std::optional<catalog::Content> before;
    if (diff.commit.parent_id) {
      ASSIGN_OR_RETURN(before, store_.GetContent(ctx.tenant, id, *diff.commit.parent_id, op.key));
    }
    diff.before.push_back(std::move(before));
  }
  return diff;
}

Result<catalog::Tag> VersioningService::CreateTag(const Context& ctx, std::string_view catalog,
                                                  std::string_view name, std::string_view target) {
  RETURN_IF_ERROR(ValidateRefName("tag name", name));
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  auto tag = StoreAudited(
      store_, ctx, [&] { return store_.CreateTag(ctx.tenant, id, name, target, clock_.NowMs()); });
  if (!tag && tag.error().code == ErrorCode::kInvalidArgument) {
    return Err(ErrorCode::kBadRequest, "{}", tag.error().message);
  }
  return tag;
}

Result<store::Page<catalog::Tag>> VersioningService::ListTags(const Context& ctx,
                                                              std::string_view catalog,
                                                              const store::PageRequest& page) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  return store_.ListTags(ctx.tenant, id, page);
}

Status VersioningService::DeleteTag(const Context& ctx, std::string_view catalog,
                                    std::string_view name) {
  ASSIGN_OR_RETURN(CatalogId id, FindCatalog(ctx, catalog));
  return StoreAudited(store_, ctx, [&] { return store_.DeleteTag(ctx.tenant, id, name); });
}

}  // namespace pangolin::service
