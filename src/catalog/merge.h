// Catalog merges (ARCHITECTURE §3.4): the merge operation a merge of one branch into another
// records, its typed conflicts and their resolutions. Plain values; stores persist them and the
// merge service (service/merge_service.h) computes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "catalog/versioning.h"
#include "common/result.h"

namespace pangolin::catalog {

// Pending → Conflicted → Resolving → Ready → Completed, or Aborted. A merge without conflicts
// goes from Pending straight to Completed.
enum class MergeStatus { kPending, kConflicted, kResolving, kReady, kCompleted, kAborted };
enum class ConflictType { kSchemaChange, kDataOverlap, kMetadataConflict, kDeletionConflict };
// kAutoMerge and kManual exist in the original's vocabulary; Pangolin applies kTakeSource,
// kTakeTarget and kThreeWayMerge, and kManual with an explicit resolved value.
enum class ResolutionStrategy { kAutoMerge, kTakeSource, kTakeTarget, kManual, kThreeWayMerge };
enum class MergeSide { kSource, kTarget };

// PascalCase names, as in the original's JSON ("Pending", "SchemaChange", "TakeSource").
std::string_view ToString(MergeStatus status);
std::string_view ToString(ConflictType type);
std::string_view ToString(ResolutionStrategy strategy);
std::string_view ToString(MergeSide side);  // "source" | "target"
// Case-insensitive; also accepts snake_case ("take_source"). Errors: kBadRequest.
Result<MergeStatus> ParseMergeStatus(std::string_view text);
Result<ConflictType> ParseConflictType(std::string_view text);
Result<ResolutionStrategy> ParseResolutionStrategy(std::string_view text);
Result<MergeSide> ParseMergeSide(std::string_view text);

// Conflict ids are "<operation id>-c<n>" (n from 1), so that a conflict id alone finds its
// operation. OperationIdOf returns "" when `conflict_id` has no such suffix.
std::string ConflictId(std::string_view operation_id, size_t n);
std::string_view OperationIdOf(std::string_view conflict_id);

// One key's change as the merge completes it: the target is guarded to still hold `expected`
// (as seen when the merge was analysed) and then set to `result` (nullopt: deleted).
struct MergeChange {
  ContentKey key;
  std::optional<Content> expected;
  std::optional<Content> result;
  friend bool operator==(const MergeChange&, const MergeChange&) = default;
};

struct ConflictResolution {
  ResolutionStrategy strategy = ResolutionStrategy::kTakeSource;
  // What completing the merge does at the conflict's key; nullopt keeps the target as it is.
  std::optional<MergeChange> change;
  std::string resolved_by;
  int64_t resolved_ms = 0;
  friend bool operator==(const ConflictResolution&, const ConflictResolution&) = default;
};

struct MergeConflict {
  std::string id;  // UUID
  ConflictType type = ConflictType::kMetadataConflict;
  ContentKey key;
  std::string description;
  // The key's state at the merge base and on each side when the merge was analysed.
  std::optional<Content> base;
  std::optional<Content> source;
  std::optional<Content> target;
  // kMetadataConflict: the properties both sides set differently; kDataOverlap: the partitions
  // both sides wrote, when known.
  std::vector<std::string> items;
  // kSchemaChange: each side's current schema (Iceberg schema JSON).
  std::string source_schema;
  std::string target_schema;
  // kDeletionConflict: the side that deleted the key (the other one modified it).
  std::optional<MergeSide> deleted_in;
  std::optional<ConflictResolution> resolution;
  int64_t created_ms = 0;
  friend bool operator==(const MergeConflict&, const MergeConflict&) = default;
};

struct MergeOperation {
  std::string id;  // UUID
  CatalogId catalog_id;
  std::string catalog_name;
  std::string source_branch;
  std::string target_branch;
  std::optional<std::string> base_commit_id;    // none when the two sides share no commit
  std::optional<std::string> source_commit_id;  // the source head merged (the merge parent)
  std::optional<std::string> target_commit_id;  // the target head the merge was analysed on
  MergeStatus status = MergeStatus::kPending;
  std::vector<MergeChange> changes;  // the clean part: keys changed on one side only
  std::vector<MergeConflict> conflicts;
  std::string initiated_by;
  int64_t initiated_ms = 0;
  std::optional<int64_t> completed_ms;
  std::optional<std::string> result_commit_id;
  // Bumped by every stored update; updates compare it (optimistic concurrency).
  int64_t version = 0;
  friend bool operator==(const MergeOperation&, const MergeOperation&) = default;
};

}  // namespace pangolin::catalog
