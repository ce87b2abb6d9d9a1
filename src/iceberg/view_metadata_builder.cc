// ViewMetadataBuilder: Java ViewMetadata.Builder behaviour (id reuse, version log, dialect and
// retention rules) with Java's messages, since clients match them.
#include "iceberg/view_metadata_builder.h"

#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"

namespace pangolin::iceberg::internal {

namespace {

constexpr int kLastAdded = -1;

std::string SetText(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return fmt::format("[{}]", fmt::join(items, ", "));
}

}  // namespace

ViewMetadataBuilder::ViewMetadataBuilder(const ViewMetadata& base)
    : md_(base), uuid_(base.view_uuid), current_version_id_(base.current_version_id) {
  if (const ViewVersion* current = base.CurrentVersion()) previous_version_ = *current;
}

Status ViewMetadataBuilder::AssignUuid(const std::string& uuid) {
  if (uuid_ && *uuid_ != uuid) return Err(ErrorCode::kInvalidArgument, "Cannot reassign uuid");
  if (uuid_ == uuid) return Ok();
  uuid_ = uuid;
  ++changes_;
  return Ok();
}

Status ViewMetadataBuilder::UpgradeFormatVersion(int format_version) {
  if (format_version < md_.format_version) {
    return Err(ErrorCode::kInvalidArgument, "Cannot downgrade v{} view to v{}", md_.format_version,
               format_version);
  }
  if (format_version == md_.format_version) return Ok();
  md_.format_version = format_version;
  ++changes_;
  return Ok();
}

int ViewMetadataBuilder::AddSchema(const Schema& schema) {
  int new_id = 0;
  for (const auto& existing : md_.schemas) {
    if (SameSchema(existing, schema)) return existing.schema_id;  // nothing added
    if (existing.schema_id >= new_id) new_id = existing.schema_id + 1;
  }
  Schema added = schema;
  added.schema_id = new_id;
  md_.schemas.push_back(std::move(added));
  ++changes_;
  last_added_schema_id_ = new_id;
  return new_id;
}

Status ViewMetadataBuilder::SetLocation(const std::string& location) {
  if (location.empty()) return Err(ErrorCode::kInvalidArgument, "Invalid location: empty");
  if (md_.location == location) return Ok();
  md_.location = location;
  ++changes_;
  return Ok();
}

void ViewMetadataBuilder::SetProperties(const std::map<std::string, std::string>& updates) {
  if (updates.empty()) return;
  for (const auto& [key, value] : updates) md_.properties[key] = value;
  ++changes_;
}

void ViewMetadataBuilder::RemoveProperties(const std::vector<std::string>& removals) {
  if (removals.empty()) return;
  for (const auto& key : removals) md_.properties.erase(key);
  ++changes_;
}

int ViewMetadataBuilder::ReuseOrNewVersionId(const ViewVersion& version) const {
  int new_id = version.version_id;
  for (const auto& existing : md_.versions) {
    if (SameViewVersion(existing, version)) return existing.version_id;
    if (existing.version_id >= new_id) new_id = existing.version_id + 1;
  }
  return new_id;
}

Result<int> ViewMetadataBuilder::AddVersion(const ViewVersion& added) {
  ViewVersion version = added;
  version.version_id = ReuseOrNewVersionId(added);
  if (md_.FindVersion(version.version_id)) {  // an equivalent version exists
    bool added_here = added_version_ids_.count(version.version_id) > 0;
    last_added_version_id_ = added_here ? std::optional<int>(version.version_id) : std::nullopt;
    return version.version_id;
  }
  if (version.schema_id == kLastAdded) {
    if (!last_added_schema_id_) {
      return Err(ErrorCode::kValidation, "Cannot set last added schema: no schema has been added");
    }
    version.schema_id = *last_added_schema_id_;
  }
  if (!md_.FindSchema(version.schema_id)) {
    return Err(ErrorCode::kInvalidArgument, "Cannot add version with unknown schema: {}",
               version.schema_id);
  }
  std::set<std::string> dialects;
  for (const std::string& dialect : SqlDialects(version)) {
    if (!dialects.insert(dialect).second) {
      return Err(ErrorCode::kInvalidArgument,
                 "Invalid view version: Cannot add multiple queries for dialect {}", dialect);
    }
  }
  md_.versions.push_back(version);
  added_version_ids_.insert(version.version_id);
  ++changes_;
  last_added_version_id_ = version.version_id;
  return version.version_id;
}

Status ViewMetadataBuilder::SetCurrentVersionId(int version_id, int64_t now_ms) {
  if (version_id == kLastAdded) {
    if (!last_added_version_id_) {
      return Err(ErrorCode::kValidation,
                 "Cannot set last version id: no current version id has been set");
    }
    return SetCurrentVersionId(*last_added_version_id_, now_ms);
  }
  if (current_version_id_ == version_id) return Ok();
  const ViewVersion* version = md_.FindVersion(version_id);
  if (!version) {
    return Err(ErrorCode::kInvalidArgument, "Cannot set current version to unknown version: {}",
               version_id);
  }
  current_version_id_ = version_id;
  ++changes_;
  // A version added in this commit is logged at its own time; a re-activated one at commit time.
  bool added_here = added_version_ids_.count(version_id) > 0;
  history_entry_ = ViewHistoryEntry{added_here ? version->timestamp_ms : now_ms, version_id, {}};
  return Ok();
}

Status ViewMetadataBuilder::SetCurrentVersion(const ViewVersion& version, const Schema& schema,
                                              int64_t now_ms) {
  ViewVersion with_schema = version;
  with_schema.schema_id = AddSchema(schema);
  ASSIGN_OR_RETURN(int version_id, AddVersion(with_schema));
  return SetCurrentVersionId(version_id, now_ms);
}

Status ViewMetadataBuilder::CheckNoDialectDropped() const {
  if (!previous_version_) return Ok();
  if (ToLower(md_.Property(kReplaceDropDialectAllowed, "false")) == "true") return Ok();
  std::vector<std::string> before = SqlDialects(*previous_version_);
  std::vector<std::string> after = SqlDialects(*md_.FindVersion(*current_version_id_));
  for (const auto& dialect : before) {
    if (std::find(after.begin(), after.end(), dialect) == after.end()) {
      return Err(ErrorCode::kInvalidArgument,
                 "Cannot replace view due to loss of view dialects ({}=false):\n"
                 "Previous dialects: {}\nNew dialects: {}",
                 kReplaceDropDialectAllowed, SetText(before), SetText(after));
    }
  }
  return Ok();
}

Result<int> ViewMetadataBuilder::HistorySize() const {
  auto it = md_.properties.find(kVersionHistorySize);
  if (it == md_.properties.end()) return kVersionHistorySizeDefault;
  auto size = ParseInt(it->second);
  if (!size || *size < INT32_MIN || *size > INT32_MAX) {
    return Err(ErrorCode::kInvalidArgument, "Invalid value for {}: {}", kVersionHistorySize,
               it->second);
  }
  if (*size <= 0) {
    return Err(ErrorCode::kInvalidArgument, "{} must be positive but was {}", kVersionHistorySize,
               *size);
  }
  return static_cast<int>(*size);
}

// Java expireVersions + updateHistory: keep the current version and the highest other ids, then
// drop log entries of expired versions, clearing the log before any entry of an unknown version.
void ViewMetadataBuilder::ExpireVersions(size_t keep) {
  std::vector<int> ids;
  for (const auto& version : md_.versions) ids.push_back(version.version_id);
  std::sort(ids.rbegin(), ids.rend());
  std::set<int> retained{*current_version_id_};
  for (size_t i = 0; i < ids.size() && i < keep && retained.size() < keep; ++i) {
    retained.insert(ids[i]);
  }
  std::erase_if(md_.versions,
                [&](const ViewVersion& v) { return retained.count(v.version_id) == 0; });
  std::vector<ViewHistoryEntry> log;
  for (const auto& entry : md_.version_log) {
    if (retained.count(entry.version_id)) {
      log.push_back(entry);
    } else {
      log.clear();
    }
  }
  md_.version_log = std::move(log);
}

Result<ViewMetadata> ViewMetadataBuilder::Build() {
  if (md_.location.empty()) return Err(ErrorCode::kInvalidArgument, "Invalid location: null");
  if (md_.versions.empty()) {
    return Err(ErrorCode::kInvalidArgument, "Invalid view: no versions were added");
  }
  if (!current_version_id_) {
    return Err(ErrorCode::kInvalidArgument, "Invalid view: no current version was set");
  }
  md_.current_version_id = *current_version_id_;
  RETURN_IF_ERROR(ValidateViewMetadata(md_));  // format version, current version exists
  if (history_entry_) md_.version_log.push_back(*history_entry_);
  RETURN_IF_ERROR(CheckNoDialectDropped());
  ASSIGN_OR_RETURN(int history_size, HistorySize());
  std::set<int> must_keep = added_version_ids_;
  must_keep.insert(md_.current_version_id);
  size_t keep = std::max(must_keep.size(), static_cast<size_t>(history_size));
  if (md_.versions.size() > keep) ExpireVersions(keep);
  md_.view_uuid = uuid_ ? *uuid_ : NewUuid();
  return md_;
}

}  // namespace pangolin::iceberg::internal
