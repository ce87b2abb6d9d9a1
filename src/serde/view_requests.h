// REST wire formats of the view routes: CreateViewRequest, CommitViewRequest (view requirements
// and updates) and the LoadViewResult answered by createView, loadView, replaceView and
// registerView. Unknown members of request bodies are ignored, as the spec allows.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "iceberg/new_view.h"
#include "iceberg/view_requirement.h"
#include "iceberg/view_update.h"
#include "serde/table_requests.h"

namespace pangolin::serde {

struct CommitViewRequest {
  std::optional<TableIdentifier> identifier;
  std::vector<iceberg::ViewRequirement> requirements;  // absent: none
  std::vector<iceberg::ViewUpdate> updates;
};

// Errors: kBadRequest for malformed JSON or missing/wrong members (name, schema, view-version).
Result<iceberg::CreateViewRequest> ParseCreateViewRequest(std::string_view json);

// Errors: kBadRequest for malformed JSON, missing/wrong members, or a requirement `type` / update
// `action` that is not a view kind ("Unknown view requirement type: assert-create",
// "Unknown view update action: add-spec").
Result<CommitViewRequest> ParseCommitViewRequest(std::string_view json);

// LoadViewResult: {metadata-location, metadata, config (only when non-empty, as Java writes it)}.
// `metadata_json` is spliced in as is: it must be a serialized ViewMetadata.
std::string LoadViewResultJson(const std::string& metadata_location, std::string_view metadata_json,
                               const std::map<std::string, std::string>& config);

}  // namespace pangolin::serde
