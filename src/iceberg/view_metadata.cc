// Lookups on ViewMetadata, version equivalence and the checks a served view must pass.
#include "iceberg/view_metadata.h"

#include <algorithm>

#include "common/strings.h"

namespace pangolin::iceberg {

namespace {

// Java's representation equality: typed members for SQL, everything for other types.
bool SameRepresentation(const ViewRepresentation& a, const ViewRepresentation& b) {
  if (a.type != b.type) return false;
  if (a.IsSql()) return a.sql == b.sql && a.dialect == b.dialect;
  return a.extra == b.extra;
}

std::string VersionIds(const ViewMetadata& md) {
  std::vector<int> ids;
  for (const auto& version : md.versions) ids.push_back(version.version_id);
  std::sort(ids.begin(), ids.end());
  return fmt::format("[{}]", fmt::join(ids, ", "));
}

}  // namespace

bool SameViewVersion(const ViewVersion& a, const ViewVersion& b) {
  return a.summary == b.summary &&
         std::equal(a.representations.begin(), a.representations.end(), b.representations.begin(),
                    b.representations.end(), SameRepresentation) &&
         a.default_catalog == b.default_catalog && a.default_namespace == b.default_namespace &&
         a.schema_id == b.schema_id;
}

std::vector<std::string> SqlDialects(const ViewVersion& version) {
  std::vector<std::string> dialects;
  for (const auto& representation : version.representations) {
    if (representation.IsSql()) dialects.push_back(ToLower(representation.dialect));
  }
  return dialects;
}

const Schema* ViewMetadata::FindSchema(int schema_id) const {
  auto it = std::find_if(schemas.begin(), schemas.end(),
                         [&](const Schema& s) { return s.schema_id == schema_id; });
  return it == schemas.end() ? nullptr : &*it;
}

const ViewVersion* ViewMetadata::FindVersion(int version_id) const {
  auto it = std::find_if(versions.begin(), versions.end(),
                         [&](const ViewVersion& v) { return v.version_id == version_id; });
  return it == versions.end() ? nullptr : &*it;
}

std::string ViewMetadata::Property(const std::string& key, const std::string& fallback) const {
  auto it = properties.find(key);
  return it == properties.end() ? fallback : it->second;
}

Status ValidateViewMetadata(const ViewMetadata& md) {
  if (md.format_version < 1 || md.format_version > kViewFormatVersion) {
    return Err(ErrorCode::kInvalidArgument, "Unsupported format version: {}", md.format_version);
  }
  if (!md.CurrentVersion()) {
    return Err(ErrorCode::kInvalidArgument, "Cannot find current version {} in view versions: {}",
               md.current_version_id, VersionIds(md));
  }
  return Ok();
}

}  // namespace pangolin::iceberg
