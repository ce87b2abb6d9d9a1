// Iceberg view metadata model (view format v1): representations, versions, the version log and
// ViewMetadata itself, plus the view properties the metadata rules read. Plain values, no JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "iceberg/schema.h"

namespace pangolin::iceberg {

inline constexpr int kViewFormatVersion = 1;  // the only view format version
inline constexpr const char* kSqlRepresentation = "sql";

// ViewProperties: how many versions to keep, and whether a replace may drop a SQL dialect.
inline constexpr const char* kVersionHistorySize = "version.history.num-entries";
inline constexpr int kVersionHistorySizeDefault = 10;
inline constexpr const char* kReplaceDropDialectAllowed = "replace.drop-dialect.allowed";

// One representation of a view definition. Type "sql" carries `sql` and `dialect`; any other type
// is kept as is: every member but `type` lives in `extra`, so it is written back unchanged.
struct ViewRepresentation {
  std::string type = kSqlRepresentation;
  std::string sql;      // type "sql" only
  std::string dialect;  // type "sql" only
  ExtraFields extra;    // unknown members
  bool IsSql() const { return type == kSqlRepresentation; }
  bool operator==(const ViewRepresentation&) const = default;
};

struct ViewVersion {
  int version_id = 0;
  int64_t timestamp_ms = 0;
  int schema_id = 0;  // -1 in add-view-version: the schema added last in the same commit
  std::map<std::string, std::string> summary;
  std::vector<ViewRepresentation> representations;
  std::optional<std::string> default_catalog;
  std::vector<std::string> default_namespace;
  ExtraFields extra;
  bool operator==(const ViewVersion&) const = default;
};

// Java's sameViewVersion: equal summary, representations, default catalog and namespace and
// schema id; version id, timestamp and unknown JSON members are ignored.
bool SameViewVersion(const ViewVersion& a, const ViewVersion& b);

// The lower-cased dialects of the SQL representations of `version`.
std::vector<std::string> SqlDialects(const ViewVersion& version);

struct ViewHistoryEntry {
  int64_t timestamp_ms = 0;
  int version_id = 0;
  ExtraFields extra;
  bool operator==(const ViewHistoryEntry&) const = default;
};

struct ViewMetadata {
  std::string view_uuid;
  int format_version = kViewFormatVersion;
  std::string location;
  std::vector<Schema> schemas;
  int current_version_id = 0;
  std::vector<ViewVersion> versions;
  std::vector<ViewHistoryEntry> version_log;
  std::map<std::string, std::string> properties;
  ExtraFields extra;  // unknown top-level members

  const Schema* FindSchema(int schema_id) const;
  const ViewVersion* FindVersion(int version_id) const;
  const ViewVersion* CurrentVersion() const { return FindVersion(current_version_id); }
  // The property value, or `fallback` when unset.
  std::string Property(const std::string& key, const std::string& fallback) const;
  bool operator==(const ViewMetadata&) const = default;
};

// What a view metadata document must satisfy to be served: a supported format version and a
// current version that exists (Java fails on either as soon as the view is used). Errors:
// kInvalidArgument with Java's message.
Status ValidateViewMetadata(const ViewMetadata& metadata);

}  // namespace pangolin::iceberg
