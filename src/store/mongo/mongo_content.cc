// Reading versioned content in the MongoDB store: the LayerSource over version documents (the
// walk through layers is store/layered_view.h's), GetContent, ListContent and FindAsset. A
// version counts only when its commit exists (MongoLayers::Valid): versions are written before
// their commit, and those of a commit that lost its race or never landed are skipped.
#include <algorithm>

#include "common/strings.h"
#include "store/mongo/mongo_versions_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

constexpr int64_t kBatch = 64;  // versions fetched per round trip

int64_t TypeCode(ContentType type) { return static_cast<int64_t>(type); }

Doc KeyFilter(const std::string& catalog_id, int64_t branch_no, int64_t space,
              const std::string& parent) {
  Doc doc;
  doc.Str("catalog_id", catalog_id)
      .Int("branch_no", branch_no)
      .Int("space", space)
      .Str("parent", parent);
  return doc;
}

// Versions after `last` in (seq desc, ordinal desc) order, so that a batch boundary holds while
// leftovers of failed commits are deleted (skip counts would shift).
Doc OlderThan(const bson_t* last) {
  View v(last);
  Doc any;
  any.Sub("0", Doc().Op("seq", "$lt", v.Int("seq")));
  any.Sub("1", Doc().Int("seq", v.Int("seq")).Op("ordinal", "$lt", v.Int("ordinal")));
  Doc filter;
  filter.Array("$or", any);
  return filter;
}

// Versions after `last` in (name asc, seq desc, ordinal desc) order.
Doc AfterInListing(const bson_t* last) {
  View v(last);
  std::string name = v.Str("name");
  Doc any;
  any.Sub("0", Doc().Op("name", "$gt", name));
  any.Sub("1", Doc().Str("name", name).Op("seq", "$lt", v.Int("seq")));
  any.Sub("2",
          Doc().Str("name", name).Int("seq", v.Int("seq")).Op("ordinal", "$lt", v.Int("ordinal")));
  Doc filter;
  filter.Array("$or", any);
  return filter;
}

}  // namespace

int64_t SpaceCode(ContentKey::Space space) { return space == ContentKey::Space::kObject ? 1 : 0; }

std::string EncodeParent(const Namespace& ns) {
  std::string out;
  for (const auto& level : ns) {
    out += level;
    out += '\x1f';
  }
  return out;
}

Namespace DecodeParent(std::string_view text) {
  Namespace ns;
  size_t start = 0;
  for (size_t end; (end = text.find('\x1f', start)) != std::string_view::npos; start = end + 1) {
    ns.emplace_back(text.substr(start, end - start));
  }
  return ns;
}

Doc ContentFields(const Content& c) {
  Doc doc;
  doc.Int("type", TypeCode(c.type))
      .Str("content_id", c.id)
      .Str("metadata_location", c.metadata_location)
      .Props("properties", c.properties);
  return doc;
}

Result<Content> ReadContent(const bson_t* doc) {
  View v(doc);
  int64_t type = v.Int("type");
  if (type < 0 || type > 2) return Err(ErrorCode::kInternal, "corrupt content type {}", type);
  return Content{static_cast<ContentType>(type), v.Str("content_id"), v.Str("metadata_location"),
                 v.Props("properties")};
}

Result<Version> MongoLayers::StateOf(const bson_t* version) {
  if (View(version).Int("op") == 1) return Version();
  ASSIGN_OR_RETURN(Content content, ReadContent(version));
  return Version(std::move(content));
}

Result<bool> MongoLayers::Valid(const bson_t* version) {
  View v(version);
  auto key = std::make_pair(v.Str("commit_id"), v.Int("seq"));
  if (auto known = valid_.find(key); known != valid_.end()) return known->second;
  Doc filter;
  filter.Str("_id", key.first).Str("catalog_id", catalog_id_).Int("seq", key.second);
  ASSIGN_OR_RETURN(auto commit, client_.FindOne(kCommits, filter));
  valid_[key] = commit.has_value();
  return commit.has_value();
}

Result<std::optional<Version>> MongoLayers::Get(const Layer& layer, const ContentKey& key) {
  Doc base = KeyFilter(catalog_id_, layer.branch, SpaceCode(key.space), EncodeParent(key.parent));
  base.Str("name", key.name);
  if (layer.bound) base.Op("seq", "$lte", *layer.bound);
  Doc sort = Sort("seq", -1, "ordinal", -1);
  std::optional<BsonPtr> last;
  while (true) {
    Doc filter;
    filter.Concat(base);
    if (last) filter.Concat(OlderThan(last->get()));
    ASSIGN_OR_RETURN(auto docs, client_.Find(kVersions, filter, {sort.get(), nullptr, kBatch}));
    for (const auto& doc : docs) {
      ASSIGN_OR_RETURN(bool valid, Valid(doc.get()));
      if (!valid) continue;
      ASSIGN_OR_RETURN(Version version, StateOf(doc.get()));
      return std::optional<Version>(std::move(version));
    }
    if (static_cast<int64_t>(docs.size()) < kBatch) return std::optional<Version>();
    last = std::move(docs.back());
  }
}

// Versions sorted by (name, seq desc, ordinal desc): the first valid one of each name decides it.
Result<std::vector<NamedVersion>> MongoLayers::List(const Layer& layer, ContentKey::Space space,
                                                    const Namespace& parent,
                                                    const std::optional<std::string>& after,
                                                    size_t limit) {
  Doc base = KeyFilter(catalog_id_, layer.branch, SpaceCode(space), EncodeParent(parent));
  if (layer.bound) base.Op("seq", "$lte", *layer.bound);
  Doc sort = Sort("name", 1, "seq", -1);
  sort.Int("ordinal", -1);
  std::vector<NamedVersion> out;
  std::optional<std::string> decided;  // the last name decided (or found to hold nothing valid)
  std::optional<BsonPtr> last;
  while (out.size() < limit) {
    Doc filter;
    filter.Concat(base);
    if (last) {
      filter.Concat(AfterInListing(last->get()));
    } else if (after) {
      filter.Op("name", "$gt", *after);
    }
    ASSIGN_OR_RETURN(auto docs, client_.Find(kVersions, filter, {sort.get(), nullptr, kBatch}));
    for (const auto& doc : docs) {
      std::string name = View(doc.get()).Str("name");
      if (decided && name == *decided) continue;
      ASSIGN_OR_RETURN(bool valid, Valid(doc.get()));
      if (!valid) continue;
      ASSIGN_OR_RETURN(Version version, StateOf(doc.get()));
      out.push_back(NamedVersion{name, std::move(version)});
      decided = name;
      if (out.size() == limit) break;
    }
    if (static_cast<int64_t>(docs.size()) < kBatch) break;
    last = std::move(docs.back());
  }
  return out;
}

Result<std::optional<Content>> MongoStore::GetContent(const TenantId& tenant,
                                                      const CatalogId& catalog,
                                                      std::string_view ref, const ContentKey& key) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(auto layers, LayersFor(client, catalog.value, ref));
  MongoLayers source(client, catalog.value);
  return versioning::Get(source, layers, key);
}

Result<Page<Entry>> MongoStore::ListContent(const TenantId& tenant, const CatalogId& catalog,
                                            std::string_view ref, ContentKey::Space space,
                                            const Namespace& parent,
                                            std::optional<ContentType> type,
                                            const PageRequest& page) {
  std::optional<std::string> after;
  if (!page.token.empty()) {
    auto decoded = Base64UrlDecode(page.token);
    if (!decoded) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", page.token);
    after = std::move(*decoded);
  }
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(auto layers, LayersFor(client, catalog.value, ref));
  MongoLayers source(client, catalog.value);
  ASSIGN_OR_RETURN(Page<Entry> result,
                   versioning::List(source, layers, space, parent, type, after, page.limit));
  if (result.next_token) result.next_token = Base64UrlEncode(*result.next_token);
  return result;
}

// Candidates come from the (tenant_id, content_id) index; each is kept when it is still its
// branch's own live entry at that key. Main first, then other branches by name.
Result<catalog::AssetLocation> MongoStore::FindAsset(const TenantId& tenant,
                                                     std::string_view asset_id) {
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value).Str("content_id", asset_id).Int("op", 0);
  ASSIGN_OR_RETURN(auto docs, client.Find(kVersions, filter));
  std::optional<catalog::AssetLocation> best;
  for (const auto& doc : docs) {
    View v(doc.get());
    std::string catalog_id = v.Str("catalog_id");
    ASSIGN_OR_RETURN(auto branch_doc, client.FindOne(kRefs, Doc()
                                                                .Str("catalog_id", catalog_id)
                                                                .Int("no", v.Int("branch_no"))
                                                                .Str("kind", "branch")));
    if (!branch_doc) continue;
    std::string branch = View(branch_doc->get()).Str("name");
    ContentKey key{v.Int("space") == 1 ? ContentKey::Space::kObject : ContentKey::Space::kNamespace,
                   DecodeParent(v.Str("parent")), v.Str("name")};
    MongoLayers source(client, catalog_id);
    ASSIGN_OR_RETURN(auto own, source.Get(Layer{v.Int("branch_no"), std::nullopt}, key));
    if (!own || !*own || (*own)->id != asset_id || (*own)->type == ContentType::kNamespace)
      continue;
    bool better = !best ||
                  (branch == catalog::kMainBranch && best->branch != catalog::kMainBranch) ||
                  (best->branch != catalog::kMainBranch && branch < best->branch);
    if (!better) continue;
    ASSIGN_OR_RETURN(auto catalog_doc, client.FindOne(kCatalogs, Doc().Str("_id", catalog_id)));
    if (!catalog_doc) continue;
    best = catalog::AssetLocation{CatalogId{catalog_id}, View(catalog_doc->get()).Str("name"),
                                  branch, key, **own};
  }
  if (!best) return Err(ErrorCode::kNotFound, "Asset not found: {}", asset_id);
  return std::move(*best);
}

}  // namespace pangolin::store::mongo_internal
