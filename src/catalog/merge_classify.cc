// Merge classification of one key.
#include "catalog/merge_classify.h"

#include "common/strings.h"
#include "iceberg/schema.h"
#include "iceberg/table_merge.h"

namespace pangolin::catalog {
namespace {

using Action = Classification::Action;

Classification Decide(Action action, std::string reason) {
  Classification out;
  out.action = action;
  out.reason = std::move(reason);
  return out;
}

Classification Conflict(ConflictType type, std::string reason,
                        std::vector<std::string> items = {}) {
  Classification out = Decide(Action::kConflict, std::move(reason));
  out.type = type;
  out.items = std::move(items);
  return out;
}

std::vector<std::string> DifferingProperties(const Properties& base, const Properties& source,
                                             const Properties& target) {
  std::vector<std::string> keys;
  auto value = [](const Properties& p, const std::string& key) -> std::optional<std::string> {
    auto it = p.find(key);
    return it == p.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  Properties all = source;
  all.insert(target.begin(), target.end());
  for (const auto& [key, unused] : all) {
    auto b = value(base, key);
    auto s = value(source, key);
    auto t = value(target, key);
    if (s != b && t != b && s != t) keys.push_back(key);
  }
  return keys;
}

Classification ClassifyTables(const KeyStates& st) {
  const Content& source = *st.source;
  const Content& target = *st.target;
  const iceberg::TableMetadata* s = st.source_table;
  const iceberg::TableMetadata* t = st.target_table;
  if (source.id == target.id && s && t) {
    if (iceberg::DescendsFrom(*s, target.metadata_location)) {
      return Decide(Action::kTakeSource, "the source's history extends the target's");
    }
    if (iceberg::DescendsFrom(*t, source.metadata_location)) {
      return Decide(Action::kKeepTarget, "the target's history extends the source's");
    }
  }
  if (!s || !t) return Conflict(ConflictType::kMetadataConflict, "both sides changed it");
  bool common_base = st.base && st.base_table && st.base->id == source.id && source.id == target.id;
  if (!common_base) {
    // No common state to diff against (each side created or replaced the table): the two sides
    // are compared with each other.
    std::string reason = source.id == target.id ? "both sides hold it with different histories"
                         : st.base && (st.base->id == source.id || st.base->id == target.id)
                             ? "one side replaced it with a new table"
                             : "each side created its own table under this name";
    const iceberg::Schema* ss = s->CurrentSchema();
    const iceberg::Schema* ts = t->CurrentSchema();
    if (ss && ts && !iceberg::SameSchema(*ss, *ts)) {
      return Conflict(ConflictType::kSchemaChange, reason);
    }
    if (s->current_snapshot_id && t->current_snapshot_id) {
      return Conflict(ConflictType::kDataOverlap, reason);
    }
    return Conflict(ConflictType::kMetadataConflict, reason,
                    DifferingProperties({}, s->properties, t->properties));
  }
  iceberg::TableChanges sc = iceberg::DiffTables(*st.base_table, *s);
  iceberg::TableChanges tc = iceberg::DiffTables(*st.base_table, *t);
  std::string reason =
      "both sides changed it (source: " + sc.Describe() + "; target: " + tc.Describe() + ")";
  if (sc.schema && tc.schema) return Conflict(ConflictType::kSchemaChange, reason);
  if (!sc.added_snapshots.empty() && !tc.added_snapshots.empty()) {
    return Conflict(ConflictType::kDataOverlap, reason);
  }
  return Conflict(ConflictType::kMetadataConflict, reason, iceberg::ConflictingProperties(sc, tc));
}

}  // namespace

bool SameState(const std::optional<Content>& a, const std::optional<Content>& b) {
  if (!a || !b) return !a && !b;
  if (a->type == ContentType::kNamespace && b->type == ContentType::kNamespace) {
    return a->properties == b->properties;
  }
  return *a == *b;
}

Classification Classify(const KeyStates& st) {
  bool source_changed = !SameState(st.base, st.source);
  bool target_changed = !SameState(st.base, st.target);
  if (!source_changed) return Decide(Action::kKeepTarget, "unchanged in the source");
  if (!target_changed) return Decide(Action::kTakeSource, "changed in the source only");
  if (SameState(st.source, st.target))
    return Decide(Action::kKeepTarget, "identical on both sides");
  if (!st.source || !st.target) {
    MergeSide deleted = st.source ? MergeSide::kTarget : MergeSide::kSource;
    Classification out = Conflict(
        ConflictType::kDeletionConflict,
        fmt::format(
            "deleted in the {} and modified in the {}", ToString(deleted),
            ToString(deleted == MergeSide::kSource ? MergeSide::kTarget : MergeSide::kSource)));
    out.deleted_in = deleted;
    return out;
  }
  if (st.source->type != st.target->type) {
    return Conflict(ConflictType::kMetadataConflict,
                    "the two sides hold different kinds of object under this name");
  }
  if (st.source->type == ContentType::kIcebergTable) return ClassifyTables(st);
  if (st.source->type == ContentType::kNamespace) {
    static const Properties kNone;
    const Properties& base = st.base ? st.base->properties : kNone;
    auto keys = DifferingProperties(base, st.source->properties, st.target->properties);
    return Conflict(ConflictType::kMetadataConflict,
                    keys.empty() ? "both sides changed its properties"
                                 : "both sides set properties " + Join(keys, ", ") + " differently",
                    keys);
  }
  return Conflict(ConflictType::kMetadataConflict, "both sides changed it");
}

}  // namespace pangolin::catalog
