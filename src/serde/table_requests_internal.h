// serde-private: CommitTableRequest from an already parsed JSON object, for the
// commitTransaction body (`table-changes[]`), which holds one per table.
#pragma once

#include <boost/json.hpp>

#include "serde/table_requests.h"

namespace pangolin::serde::internal {

// Errors: as ParseCommitTableRequest.
Result<CommitTableRequest> CommitTableRequestFromJson(const boost::json::object& object);
Result<iceberg::TableRequirement> TableRequirementFromJson(const boost::json::value& value);
Result<iceberg::TableUpdate> TableUpdateFromJson(const boost::json::value& value);

}  // namespace pangolin::serde::internal
