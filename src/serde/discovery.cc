// Business metadata JSON; see discovery.h.
#include "serde/discovery.h"

#include "common/strings.h"
#include "serde/identity.h"
#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

json::object MetadataObject(const catalog::BusinessMetadata& m) {
  return json::object{{"id", m.id},
                      {"asset-id", m.asset_id},
                      {"description", m.description ? json::value(*m.description) : nullptr},
                      {"tags", ToJson(m.tags)},
                      {"properties", FromRawJson(m.properties_json)},
                      {"discoverable", m.discoverable},
                      {"created-by", m.created_by},
                      {"created-at", Rfc3339(m.created_ms)},
                      {"updated-by", m.updated_by},
                      {"updated-at", Rfc3339(m.updated_ms)}};
}

}  // namespace

std::string BusinessMetadataResponseJson(const catalog::BusinessMetadata& metadata) {
  return json::serialize(json::object{{"metadata", MetadataObject(metadata)}});
}

Result<catalog::BusinessMetadata> ParseBusinessMetadataRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "business metadata"));
  RETURN_IF_ERROR(
      RejectUnknownFields(object, {"description", "tags", "properties", "discoverable"}));
  catalog::BusinessMetadata body;
  ASSIGN_OR_RETURN(body.description, GetOptionalString(object, "description"));
  if (const json::value* tags = Find(object, "tags"); tags && !tags->is_null()) {
    ASSIGN_OR_RETURN(body.tags, GetStringList(object, "tags"));
  }
  if (const json::value* properties = Find(object, "properties");
      properties && !properties->is_null()) {
    body.properties_json = ToRawJson(*properties);
  }
  ASSIGN_OR_RETURN(body.discoverable, GetBool(object, "discoverable", false));
  return body;
}

std::string AssetDetailJson(const catalog::AssetLocation& asset,
                            const std::optional<catalog::BusinessMetadata>& metadata) {
  bool view = asset.content.type == catalog::ContentType::kIcebergView;
  json::object detail{{"id", asset.content.id},
                      {"name", asset.key.name},
                      {"kind", view ? "IcebergView" : "IcebergTable"},
                      {"metadata-location", asset.content.metadata_location},
                      {"branch", asset.branch}};
  return json::serialize(
      json::object{{"asset", std::move(detail)},
                   {"metadata", metadata ? json::value(MetadataObject(*metadata)) : nullptr},
                   {"catalog", asset.catalog_name},
                   {"namespace", Join(asset.key.parent, ".")}});
}

}  // namespace pangolin::serde
