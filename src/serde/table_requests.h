// REST request bodies of table commits: CreateTableRequest and CommitTableRequest (requirements
// and updates). Unknown members of request bodies are ignored, as the spec allows.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "iceberg/new_table.h"
#include "iceberg/table_requirement.h"
#include "iceberg/table_update.h"

namespace pangolin::serde {

struct TableIdentifier {
  std::vector<std::string> ns;
  std::string name;
  bool operator==(const TableIdentifier&) const = default;
};

struct CommitTableRequest {
  std::optional<TableIdentifier> identifier;  // required inside commitTransaction
  std::vector<iceberg::TableRequirement> requirements;
  std::vector<iceberg::TableUpdate> updates;
};

// Errors: kBadRequest for malformed JSON, missing/wrong members, an unknown requirement `type` or
// update `action` (the message names it).
Result<iceberg::CreateTableRequest> ParseCreateTableRequest(std::string_view json);
Result<CommitTableRequest> ParseCommitTableRequest(std::string_view json);

}  // namespace pangolin::serde
