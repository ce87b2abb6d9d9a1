// Merge classification (ARCHITECTURE §3.4): what a merge does with one key that changed on at
// least one side since the merge base. Pure: the caller reads the states and table metadata.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/merge.h"
#include "catalog/model.h"
#include "iceberg/table_metadata.h"

namespace pangolin::catalog {

// One key's state at the merge base and on each side (nullopt: absent). For Iceberg tables the
// parsed metadata of each present state is given too.
struct KeyStates {
  ContentKey key;
  std::optional<Content> base;
  std::optional<Content> source;
  std::optional<Content> target;
  const iceberg::TableMetadata* base_table = nullptr;
  const iceberg::TableMetadata* source_table = nullptr;
  const iceberg::TableMetadata* target_table = nullptr;
};

struct Classification {
  enum class Action {
    kKeepTarget,  // unchanged on the source, identical on both, or the target already extends it
    kTakeSource,  // changed on the source only, or the source's history extends the target's
    kConflict,
  };
  Action action = Action::kKeepTarget;
  std::string reason;  // why, in words: for conflict descriptions and logs
  // kConflict only.
  ConflictType type = ConflictType::kMetadataConflict;
  std::vector<std::string> items;       // MergeConflict::items
  std::optional<MergeSide> deleted_in;  // kDeletionConflict
};

// Whether two states are the same for a merge: namespaces compare by their properties (each side
// may have created the same namespace separately), everything else by the whole content.
bool SameState(const std::optional<Content>& a, const std::optional<Content>& b);

// The rules, in order: unchanged on one side → the other side's state; identical → nothing;
// deleted on one side and changed on the other → kDeletionConflict; an Iceberg table whose one
// side descends from the other's metadata file → fast-forward to the later one; otherwise a
// conflict typed by what both sides changed: kSchemaChange (both changed the schema), kDataOverlap
// (both added snapshots), kMetadataConflict (anything else; `items` are the properties both sides
// set differently).
Classification Classify(const KeyStates& states);

}  // namespace pangolin::catalog
