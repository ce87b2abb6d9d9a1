// JWT claim decoding shared by Pangolin's own access tokens (token_claims.cc) and OpenID Connect
// ID tokens (id_token.cc). Include only from serde/*.cc.
#pragma once

#include <string>
#include <vector>

#include "serde/json_internal.h"

namespace pangolin::serde::internal {

// `aud` (RFC 7519 §4.1.3): one string or a non-empty array of strings, as a list. Errors:
// kBadRequest naming aud when it is missing or of another shape.
Result<std::vector<std::string>> ParseAudience(const json::object& object);

}  // namespace pangolin::serde::internal
