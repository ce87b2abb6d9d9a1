// The commitTransaction request body: `table-changes`, one CommitTableRequest per table, each
// naming its table in `identifier`.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "serde/table_requests.h"

namespace pangolin::serde {

// Errors: kBadRequest for malformed JSON, an empty `table-changes`, a change without
// `identifier`, or anything ParseCommitTableRequest refuses.
Result<std::vector<CommitTableRequest>> ParseCommitTransactionRequest(std::string_view json);

}  // namespace pangolin::serde
