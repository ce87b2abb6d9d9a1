// Three-way comparison and merge of one table's metadata, for catalog merges (ARCHITECTURE §3.4):
// what each side changed since the merge base, whether one side's history contains the other's,
// and the target with the source's changes applied when the two sides' changes can be combined.
// Pure functions on values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg {

// What one side changed in a table since the merge base.
struct TableChanges {
  bool format_version = false;
  bool location = false;
  bool schema = false;                     // the current schema differs in structure
  bool partition_spec = false;             // the default spec differs in its fields
  bool sort_order = false;                 // the default sort order differs in its fields
  std::vector<int64_t> added_snapshots;    // in the side, not in the base; oldest first
  std::vector<int64_t> removed_snapshots;  // in the base, not in the side
  std::set<std::string> refs;              // refs added, moved or removed (main included)
  // Keys set or removed (nullopt) since the base.
  std::map<std::string, std::optional<std::string>> properties;

  bool Empty() const;
  // "schema, 2 snapshots, properties a, b": for messages.
  std::string Describe() const;
};

TableChanges DiffTables(const TableMetadata& base, const TableMetadata& side);

// Whether `later` was produced from the metadata file `earlier_location` by further commits: its
// metadata-log names that file. Then `later` contains everything `earlier_location` holds.
bool DescendsFrom(const TableMetadata& later, std::string_view earlier_location);

// Properties both sides changed, to different values.
std::vector<std::string> ConflictingProperties(const TableChanges& source,
                                               const TableChanges& target);

// The target with everything the source changed since `base` applied on top: schema, partition
// spec and sort order changes, properties, location, format upgrades, added snapshots with the
// refs that point at them, and their statistics. `target_location` is the target's metadata file
// (recorded in the result's metadata-log). Errors: kConflict naming what both sides changed that
// cannot be combined (both changed the schema, spec or sort order, both added snapshots, both set
// a property or ref differently, different tables); kValidation when the result would be invalid.
Result<TableMetadata> MergeTables(const TableMetadata& base, const TableMetadata& source,
                                  const TableMetadata& target, const std::string& target_location,
                                  int64_t now_ms);

}  // namespace pangolin::iceberg
