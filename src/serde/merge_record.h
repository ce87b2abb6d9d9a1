// The stored form of a merge operation: every field of catalog::MergeOperation as one JSON
// document, for stores that keep it in a single column. Lossless: parsing what
// MergeOperationRecordJson wrote gives back an equal value. Not the management API's wire format.
#pragma once

#include <string>
#include <string_view>

#include "catalog/merge.h"
#include "common/result.h"

namespace pangolin::serde {

std::string MergeOperationRecordJson(const catalog::MergeOperation& op);
// Errors: kBadRequest naming the field that is missing or malformed.
Result<catalog::MergeOperation> ParseMergeOperationRecord(std::string_view json);

}  // namespace pangolin::serde
