// commitTransaction parsing: each entry of `table-changes` is a CommitTableRequest.
#include "serde/transaction_request.h"

#include "serde/json_internal.h"
#include "serde/table_requests_internal.h"

namespace pangolin::serde {

Result<std::vector<CommitTableRequest>> ParseCommitTransactionRequest(std::string_view json) {
  using namespace internal;  // NOLINT
  ASSIGN_OR_RETURN(auto object, ParseObject(json, "commit transaction request"));
  ASSIGN_OR_RETURN(const json::array* changes, GetArray(object, "table-changes"));
  if (changes->empty()) {
    return Err(ErrorCode::kBadRequest, "Invalid table changes: the list is empty");
  }
  std::vector<CommitTableRequest> out;
  for (const auto& change : *changes) {
    if (!change.is_object()) {
      return Err(ErrorCode::kBadRequest, "Invalid table change: expected an object");
    }
    ASSIGN_OR_RETURN(CommitTableRequest request, CommitTableRequestFromJson(change.as_object()));
    if (!request.identifier) {
      return Err(ErrorCode::kBadRequest, "Invalid table change: missing identifier");
    }
    out.push_back(std::move(request));
  }
  return out;
}

}  // namespace pangolin::serde
