// Business metadata of the MongoDB store. A record is a sequence of numbered versions of one
// document, (record "<tenant id>:<asset id>", version) under a unique index; the newest version is
// the record, a version marked deleted means none. A change reads the newest version, checks the
// caller's expected tags against it and inserts the next version: of two changes from one version
// exactly one insert wins and the other re-reads (then fails its tag check if the tags moved), a
// compare-and-swap made of a unique insert, which FerretDB serializes. Older versions are dropped
// afterwards. A change of tags moves the tenant's access version after the write, since tags feed
// tag grants.
#include <algorithm>
#include <set>

#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

std::string RecordKey(const TenantId& tenant, std::string_view asset_id) {
  return tenant.value + ":" + std::string(asset_id);
}

Doc MutableFields(const BusinessMetadata& m) {
  Doc doc;
  doc.OptStr("description", m.description)
      .StrArray("tags", m.tags)
      .Str("properties_json", m.properties_json)
      .Bool("discoverable", m.discoverable)
      .Str("updated_by", m.updated_by)
      .Int("updated_ms", m.updated_ms);
  return doc;
}

BusinessMetadata ReadMetadata(const bson_t* doc) {
  View v(doc);
  BusinessMetadata m;
  m.id = v.Str("id");
  m.tenant_id.value = v.Str("tenant_id");
  m.asset_id = v.Str("asset_id");
  m.description = v.OptStr("description");
  m.tags = v.StrArray("tags");
  m.properties_json = v.Str("properties_json");
  m.discoverable = v.Bool("discoverable");
  m.created_by = v.Str("created_by");
  m.created_ms = v.Int("created_ms");
  m.updated_by = v.Str("updated_by");
  m.updated_ms = v.Int("updated_ms");
  return m;
}

// The record a version document holds, nullopt for none or a deletion.
std::optional<BusinessMetadata> Live(const bson_t* version) {
  if (version == nullptr || View(version).Bool("deleted")) return std::nullopt;
  return ReadMetadata(version);
}

Result<std::optional<BusinessMetadata>> Newest(Client& client, const std::string& key) {
  Doc sort = Sort("version", -1);
  ASSIGN_OR_RETURN(auto doc,
                   client.FindOne(kBusinessMetadata, Doc().Str("record", key), {sort.get()}));
  return Live(doc ? doc->get() : nullptr);
}

Status DropOlderVersions(Client& client, const std::string& key, int64_t version) {
  Doc older;
  older.Str("record", key).Op("version", "$lt", version);
  RETURN_IF_ERROR(client.DeleteMany(kBusinessMetadata, older));
  return {};
}

}  // namespace

Result<BusinessMetadata> MongoStore::PutBusinessMetadata(const CatalogId& catalog,
                                                         const BusinessMetadata& metadata,
                                                         const ExpectedTags& expected) {
  Client client = Acquire();
  std::string key = RecordKey(metadata.tenant_id, metadata.asset_id);
  BusinessMetadata stored;
  std::vector<std::string> tags_before;
  ASSIGN_OR_RETURN(
      int64_t version,
      AppendNext(client, kBusinessMetadata, Doc().Str("record", key), "version",
                 [&](int64_t n, const bson_t* last) -> Result<Doc> {
                   std::optional<BusinessMetadata> before = Live(last);
                   tags_before = before ? before->tags : std::vector<std::string>{};
                   RETURN_IF_ERROR(CheckExpectedTags(expected, tags_before, metadata.asset_id));
                   stored = metadata;
                   std::string catalog_id = catalog.value;
                   if (before) {
                     stored.id = before->id;
                     stored.created_by = before->created_by;
                     stored.created_ms = before->created_ms;
                     catalog_id = View(last).Str("catalog_id");
                   } else {
                     RETURN_IF_ERROR(FindCatalogById(client, metadata.tenant_id, catalog));
                   }
                   Doc doc;
                   doc.Str("record", key)
                       .Int("version", n)
                       .Bool("deleted", false)
                       .Str("id", stored.id)
                       .Str("tenant_id", stored.tenant_id.value)
                       .Str("asset_id", stored.asset_id)
                       .Str("catalog_id", catalog_id)
                       .Str("created_by", stored.created_by)
                       .Int("created_ms", stored.created_ms)
                       .Concat(MutableFields(stored));
                   return doc;
                 }));
  RETURN_IF_ERROR(DropOlderVersions(client, key, version));
  if (tags_before != stored.tags) RETURN_IF_ERROR(BumpAccessVersion(client, stored.tenant_id));
  return stored;
}

Result<BusinessMetadata> MongoStore::GetBusinessMetadata(const TenantId& tenant,
                                                         std::string_view asset_id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto record, Newest(client, RecordKey(tenant, asset_id)));
  if (!record) return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  return *record;
}

Status MongoStore::DeleteBusinessMetadata(const TenantId& tenant, std::string_view asset_id,
                                          const ExpectedTags& expected) {
  Client client = Acquire();
  std::string key = RecordKey(tenant, asset_id);
  std::vector<std::string> tags_before;
  ASSIGN_OR_RETURN(int64_t version,
                   AppendNext(client, kBusinessMetadata, Doc().Str("record", key), "version",
                              [&](int64_t n, const bson_t* last) -> Result<Doc> {
                                std::optional<BusinessMetadata> before = Live(last);
                                if (!before) {
                                  return Err(ErrorCode::kNotFound,
                                             "No business metadata for asset {}", asset_id);
                                }
                                tags_before = before->tags;
                                RETURN_IF_ERROR(CheckExpectedTags(expected, tags_before, asset_id));
                                Doc doc;
                                doc.Str("record", key)
                                    .Int("version", n)
                                    .Bool("deleted", true)
                                    .Str("tenant_id", tenant.value)
                                    .Str("catalog_id", View(last).Str("catalog_id"));
                                return doc;
                              }));
  RETURN_IF_ERROR(DropOlderVersions(client, key, version));
  if (!tags_before.empty()) RETURN_IF_ERROR(BumpAccessVersion(client, tenant));
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> MongoStore::ListTaggedAssets(
    const TenantId& tenant, const std::vector<std::string>& tags) {
  Client client = Acquire();
  // Versions carrying a tag may be older than their record's newest (not dropped yet): each
  // candidate counts only when its record's newest version still carries the tag.
  std::set<std::string> records;
  for (const std::string& tag : tags) {
    ASSIGN_OR_RETURN(auto docs, client.Find(kBusinessMetadata,
                                            Doc().Str("tenant_id", tenant.value).Str("tags", tag)));
    for (const auto& doc : docs) records.insert(View(doc.get()).Str("record"));
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& key : records) {
    ASSIGN_OR_RETURN(auto record, Newest(client, key));
    if (!record) continue;
    for (const std::string& tag : record->tags) {
      if (std::find(tags.begin(), tags.end(), tag) != tags.end()) {
        pairs.emplace_back(record->asset_id, tag);
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace pangolin::store::mongo_internal
