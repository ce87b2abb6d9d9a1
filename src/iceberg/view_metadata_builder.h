// Module-private: a port of the behaviour of Java's ViewMetadata.Builder. It tracks what changed
// in this commit (added schema and version ids, the pending version-log entry) because id reuse,
// the version-log timestamp and version retention depend on it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "iceberg/view_metadata.h"

namespace pangolin::iceberg::internal {

class ViewMetadataBuilder {
 public:
  // A new view: no uuid, location, schema or version yet.
  ViewMetadataBuilder() = default;
  // Starts from `base`, whose current version is the one a replace must not lose dialects of.
  explicit ViewMetadataBuilder(const ViewMetadata& base);

  // Errors: kInvalidArgument "Cannot reassign uuid" when a different uuid is already set.
  Status AssignUuid(const std::string& uuid);
  // Errors: kInvalidArgument "Cannot downgrade v1 view to v0"; versions above 1 fail in Build.
  Status UpgradeFormatVersion(int format_version);
  // Reuses the id of an equal schema (Schema.sameSchema), otherwise max id + 1 (first id 0).
  int AddSchema(const Schema& schema);
  // Errors: kInvalidArgument for an empty location.
  Status SetLocation(const std::string& location);
  void SetProperties(const std::map<std::string, std::string>& updates);
  void RemoveProperties(const std::vector<std::string>& removals);
  // Reuses the id of an equivalent version (SameViewVersion), otherwise max id + 1; schema id -1
  // is the schema added last. Errors: kValidation (no schema added for -1), kInvalidArgument
  // (unknown schema, two SQL representations of one dialect).
  Result<int> AddVersion(const ViewVersion& version);
  // -1 is the version added last. The version-log entry is stamped with the version's timestamp
  // when it was added by this builder, else `now_ms`. Errors: kValidation (-1 with nothing added),
  // kInvalidArgument (unknown version).
  Status SetCurrentVersionId(int version_id, int64_t now_ms);
  // Adds `schema`, then `version` with that schema's id, and makes it current (create/replace).
  Status SetCurrentVersion(const ViewVersion& version, const Schema& schema, int64_t now_ms);

  bool changed() const { return changes_ > 0; }
  // Validates and finishes: location and a version present, format version supported, no SQL
  // dialect of the base's current version dropped unless replace.drop-dialect.allowed, versions
  // beyond version.history.num-entries expired and the version log trimmed with them. A new view
  // without an assigned uuid gets a random one. Call once. Errors: kInvalidArgument with Java's
  // messages.
  Result<ViewMetadata> Build();

 private:
  int ReuseOrNewVersionId(const ViewVersion& version) const;
  Status CheckNoDialectDropped() const;
  Result<int> HistorySize() const;
  void ExpireVersions(size_t keep);

  ViewMetadata md_;
  std::optional<std::string> uuid_;
  std::optional<int> current_version_id_;
  std::optional<ViewVersion> previous_version_;  // base's current version, if it has one
  int changes_ = 0;
  std::optional<int> last_added_schema_id_;
  std::optional<int> last_added_version_id_;
  std::set<int> added_version_ids_;
  std::optional<ViewHistoryEntry> history_entry_;
};

}  // namespace pangolin::iceberg::internal
