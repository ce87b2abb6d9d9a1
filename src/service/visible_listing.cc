// IcebergService: listings filtered to what the caller may see, before the page is cut, and the
// ids asset grants name.
#include "service/iceberg_service.h"

namespace pangolin::service {
namespace {

using catalog::AccessTarget;
using catalog::Action;
using catalog::ContentKey;

}  // namespace

Result<std::optional<std::string>> IcebergService::ObjectId(const Context& ctx,
                                                            const CatalogHandle& cat,
                                                            const TableIdentifier& id,
                                                            bool for_reading) {
  catalog::ContentKey key = catalog::ObjectKey(id);
  ASSIGN_OR_RETURN(auto entry, GetEntry(ctx, cat, key));
  std::optional<std::string> object_id;
  if (entry) object_id = entry->id;
  if (!for_reading) return object_id;
  ctx.authorized_entry =
      Context::EntryRead{cat.catalog.id, cat.ref, std::move(key), std::move(entry)};
  return object_id;
}

Result<store::Page<store::Entry>> IcebergService::ListVisible(
    const Context& ctx, const CatalogHandle& cat, ContentKey::Space space, const Namespace& parent,
    std::optional<catalog::ContentType> type, const store::PageRequest& page) {
  auto list = [&](const store::PageRequest& request) {
    return store_.ListContent(ctx.tenant, cat.catalog.id, cat.ref, space, parent, type, request);
  };
  const Authorizer* authorizer = options_.authorizer;
  bool objects = space == ContentKey::Space::kObject;
  AccessTarget container{cat.catalog.id.value, std::nullopt, std::nullopt, {}};
  if (!parent.empty()) container.ns = parent;
  if (authorizer == nullptr) return list(page);
  // Every entry is visible when the caller may list the whole container.
  ASSIGN_OR_RETURN(bool all, authorizer->Allows(ctx, Action::kList, container));
  if (all) return list(page);

  auto visible = [&](const store::Entry& entry) -> Result<bool> {
    AccessTarget target = container;
    if (objects) {
      target.asset_id = entry.content.id;
      return authorizer->Allows(ctx, Action::kList, target);
    }
    target.ns = catalog::KeyNamespacePath(entry.key);
    return authorizer->Reaches(ctx, Action::kList, target);
  };
  // Each store page asks for exactly what is still missing, so its next token is exactly where
  // this page ends.
  store::Page<store::Entry> out;
  store::PageRequest request = page;
  while (true) {
    if (page.limit != 0) request.limit = page.limit - out.items.size();
    ASSIGN_OR_RETURN(auto fetched, list(request));
    for (auto& entry : fetched.items) {
      ASSIGN_OR_RETURN(bool keep, visible(entry));
      if (keep) out.items.push_back(std::move(entry));
    }
    out.next_token = std::move(fetched.next_token);
    if (!out.next_token || (page.limit != 0 && out.items.size() == page.limit)) return out;
    request.token = *out.next_token;
  }
}

}  // namespace pangolin::service
