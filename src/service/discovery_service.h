// DiscoveryService: the business metadata of assets (tables and views, found by their stable id)
// and the asset detail. Reading needs `read` on the asset, or a discoverable record; writing needs
// `write` or `manage-discovery` on it, and any change of tags needs `manage-discovery`, because
// tags feed tag grants (the reference's defect 12: tagging must not be a way to gain access).
#pragma once

#include <optional>
#include <string_view>

#include "catalog/discovery.h"
#include "common/clock.h"
#include "service/authorizer.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct AssetDetail {
  catalog::AssetLocation asset;
  std::optional<catalog::BusinessMetadata> metadata;
};

class DiscoveryService {
 public:
  DiscoveryService(store::MetadataStore& store, const Authorizer& authorizer, const Clock& clock)
      : store_(store), authorizer_(authorizer), clock_(clock) {}

  // Errors: kNotFound (asset, or no record); kForbidden.
  Result<catalog::BusinessMetadata> GetMetadata(const Context& ctx, std::string_view asset_id);
  // Creates or replaces the record from `input`'s description, tags, properties and
  // discoverable. Errors: kNotFound (asset); kForbidden; kBadRequest (tags).
  Result<catalog::BusinessMetadata> PutMetadata(const Context& ctx, std::string_view asset_id,
                                                catalog::BusinessMetadata input);
  // Errors: kNotFound (asset, or no record); kForbidden.
  Status DeleteMetadata(const Context& ctx, std::string_view asset_id);
  // The asset and its record, for readers or when discoverable. Errors: kNotFound; kForbidden.
  Result<AssetDetail> GetAsset(const Context& ctx, std::string_view asset_id);

 private:
  struct Located {
    catalog::AssetLocation asset;
    std::optional<catalog::BusinessMetadata> metadata;
    catalog::AccessTarget target;  // with the record's tags
  };
  Result<Located> Locate(const Context& ctx, std::string_view asset_id);
  // `read` on the asset, or a discoverable record.
  Status RequireReadable(const Context& ctx, const Located& located);
  static store::DiscoveryStore::ExpectedTags TagsRead(const Located& located);
  // `write` or `manage-discovery`; `manage-discovery` alone when `retags`.
  Status RequireEditable(const Context& ctx, const Located& located, bool retags);

  store::MetadataStore& store_;
  const Authorizer& authorizer_;
  const Clock& clock_;
};

}  // namespace pangolin::service
