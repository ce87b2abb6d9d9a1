// The secret fields of a warehouse's vending strategy, an externally tagged JSON value such as
// {"AwsStatic": {"access_key_id": "...", "secret_access_key": "..."}} or "None": visited so that
// they can be encrypted at rest, and kept across updates that leave them out (reads show only the
// strategy's variant, so a client cannot send them back).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::serde {

// Called with the strategy's variant, the name of one of its string fields for which IsSecretKey
// holds, and that field's value; returns what to keep in its place.
using SecretFieldFn = std::function<Result<std::string>(
    std::string_view variant, std::string_view field, std::string_view value)>;

// `strategy_json` with each secret string field replaced by what `fn` returns; "" and strategies
// without an object body ("None") come back unchanged. Errors: those of `fn`; kBadRequest (not
// JSON).
Result<std::string> MapVendingStrategySecrets(std::string_view strategy_json,
                                              const SecretFieldFn& fn);

// An update's strategy completed from the stored one: when both name the same variant, every
// stored field that the update leaves out or sends as `placeholder` keeps its stored value, and a
// field sent as null is removed. A strategy of another variant replaces the stored one as it is.
// Errors: kBadRequest (not JSON; `placeholder` for a field that has no stored value).
Result<std::string> MergeVendingStrategy(std::string_view update_json, std::string_view stored_json,
                                         std::string_view placeholder);

}  // namespace pangolin::serde
