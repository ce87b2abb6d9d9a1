// ApplyViewUpdates: dispatches each ViewUpdate to the ViewMetadataBuilder, then builds the new
// metadata (or reports that nothing changed).
#include "iceberg/view_update.h"

#include <optional>

#include "iceberg/view_metadata_builder.h"

namespace pangolin::iceberg {

namespace {

using internal::ViewMetadataBuilder;

struct Applier {
  ViewMetadataBuilder* b;
  int64_t now_ms;

  Status operator()(const AssignUuid& u) const { return b->AssignUuid(u.uuid); }
  Status operator()(const UpgradeFormatVersion& u) const {
    return b->UpgradeFormatVersion(u.format_version);
  }
  Status operator()(const AddSchema& u) const {
    b->AddSchema(u.schema);
    return Ok();
  }
  Status operator()(const SetLocation& u) const { return b->SetLocation(u.location); }
  Status operator()(const SetProperties& u) const {
    b->SetProperties(u.updates);
    return Ok();
  }
  Status operator()(const RemoveProperties& u) const {
    b->RemoveProperties(u.removals);
    return Ok();
  }
  Status operator()(const AddViewVersion& u) const {
    return b->AddVersion(u.view_version).map([](int) {});
  }
  Status operator()(const SetCurrentViewVersion& u) const {
    return b->SetCurrentVersionId(u.view_version_id, now_ms);
  }
};

constexpr std::string_view kActions[] = {
    "assign-uuid",    "upgrade-format-version", "add-schema",       "set-location",
    "set-properties", "remove-properties",      "add-view-version", "set-current-view-version"};
static_assert(std::size(kActions) == std::variant_size_v<ViewUpdate>);

}  // namespace

std::string_view ViewUpdateAction(const ViewUpdate& update) { return kActions[update.index()]; }

Result<ViewUpdateResult> ApplyViewUpdates(const ViewMetadata* base,
                                          const std::vector<ViewUpdate>& updates, int64_t now_ms) {
  std::optional<ViewMetadataBuilder> builder;
  if (base) {
    builder.emplace(*base);
  } else {
    builder.emplace();
  }
  for (const auto& update : updates) {
    RETURN_IF_ERROR(std::visit(Applier{&*builder, now_ms}, update));
  }
  if (base && !builder->changed()) return ViewUpdateResult{*base, false};
  ASSIGN_OR_RETURN(ViewMetadata metadata, builder->Build());
  return ViewUpdateResult{std::move(metadata), true};
}

}  // namespace pangolin::iceberg
