// NewViewMetadata: the first metadata of a view, built through the same ViewMetadataBuilder as
// view commits so that id assignment and validation are shared.
#include "iceberg/new_view.h"

#include <set>

#include "iceberg/view_metadata_builder.h"

namespace pangolin::iceberg {

namespace {

Status CheckRepresentations(const ViewVersion& version) {
  if (version.representations.empty()) {
    return Err(ErrorCode::kInvalidArgument, "Cannot create view without specifying a query");
  }
  std::set<std::string> unsupported;
  for (const auto& representation : version.representations) {
    if (!representation.IsSql()) unsupported.insert(representation.type);
  }
  if (!unsupported.empty()) {
    return Err(ErrorCode::kInvalidArgument, "Found unsupported view representations: [{}]",
               fmt::join(unsupported, ", "));
  }
  return Ok();
}

}  // namespace

Result<ViewMetadata> NewViewMetadata(const CreateViewRequest& request, const std::string& location,
                                     const std::string& view_uuid, int64_t now_ms) {
  RETURN_IF_ERROR(CheckRepresentations(request.view_version));
  ViewVersion version;
  version.version_id = 1;
  version.timestamp_ms = now_ms;
  version.summary = request.view_version.summary;
  version.default_catalog = request.view_version.default_catalog;
  version.default_namespace = request.view_version.default_namespace;
  for (const auto& representation : request.view_version.representations) {
    version.representations.push_back({representation.type,
                                       representation.sql,
                                       representation.dialect,
                                       {}});  // only the SQL members
  }

  internal::ViewMetadataBuilder builder;
  RETURN_IF_ERROR(builder.AssignUuid(view_uuid));
  builder.SetProperties(request.properties);
  RETURN_IF_ERROR(builder.SetLocation(location));
  RETURN_IF_ERROR(builder.SetCurrentVersion(version, request.schema, now_ms));
  return builder.Build();
}

}  // namespace pangolin::iceberg
