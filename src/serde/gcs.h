// JSON of Google Cloud Storage and Google's token services: the service-account key file, the
// JWT that a service account signs, OAuth token answers (token endpoint and STS), object listings
// and error bodies of the JSON API, and the Credential Access Boundary of a downscoped token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::serde {

// The members of a service-account key file (the JSON downloaded from Google Cloud) that signing
// needs. `token_uri` and `project_id` may be empty when the file has none.
struct GcsServiceAccountKey {
  std::string client_email;
  std::string private_key;  // PEM (PKCS#8)
  std::string private_key_id;
  std::string token_uri;
  std::string project_id;
};
// Errors: kBadRequest naming a missing member, or when `type` is present and not
// "service_account" (e.g. an authorized-user file). The message never contains the key.
Result<GcsServiceAccountKey> ParseGcsServiceAccountKey(std::string_view json);

// `{"alg":"RS256","typ":"JWT","kid":key_id}` (no kid when `key_id` is empty).
std::string GcsJwtHeaderJson(std::string_view key_id);

// The claims of the JWT a service account exchanges for an access token.
struct GcsJwtClaims {
  std::string issuer;      // the service account's email
  std::string scope;       // space-separated OAuth scopes
  std::string audience;    // the token endpoint
  int64_t issued_at = 0;   // seconds since the epoch
  int64_t expires_at = 0;  // seconds since the epoch
};
// `{"iss":…,"scope":…,"aud":…,"iat":…,"exp":…}`.
std::string GcsJwtClaimsJson(const GcsJwtClaims& claims);
Result<GcsJwtClaims> ParseGcsJwtClaims(std::string_view json);

// An answer of Google's OAuth token endpoint or of STS: `{"access_token":…,"expires_in":…}`.
struct OAuthAccessToken {
  std::string access_token;
  std::optional<int64_t> expires_in;  // seconds; absent when the service does not say
};
// Errors: kBadRequest when the answer carries an `error` (the message holds `error` and
// `error_description`) or no `access_token`.
Result<OAuthAccessToken> ParseOAuthAccessToken(std::string_view json);
// A readable message for an OAuth error answer (`error`, `error_description`), or nullopt when
// `json` is not one.
std::optional<std::string> OAuthErrorMessage(std::string_view json);

// One page of `GET storage/v1/b/B/o`.
struct GcsObject {
  std::string name;
  int64_t size = 0;
};
struct GcsObjectPage {
  std::vector<GcsObject> items;
  std::string next_page_token;  // empty on the last page
};
// `size` may be a string (as the JSON API sends it) or a number. Errors: kBadRequest.
Result<GcsObjectPage> ParseGcsObjectPage(std::string_view json);

// The `error.message` of a JSON API error body (`{"error":{"code":…,"message":…}}`), or nullopt.
std::optional<std::string> GcsErrorMessage(std::string_view json);

// One rule of a Credential Access Boundary.
struct AccessBoundaryRule {
  std::string available_resource;
  std::vector<std::string> available_permissions;
  std::string condition_expression;  // CEL; empty = no availabilityCondition
  std::string condition_title;       // optional
};
// `{"accessBoundary":{"accessBoundaryRules":[{"availableResource":…,"availablePermissions":[…],
// "availabilityCondition":{"expression":…}}]}}`: the `options` of an STS token exchange.
std::string CredentialAccessBoundaryJson(const std::vector<AccessBoundaryRule>& rules);

}  // namespace pangolin::serde
