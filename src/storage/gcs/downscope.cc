// Credential Access Boundaries and the STS token exchange; see downscope.h.
#include "storage/gcs/downscope.h"

#include "common/strings.h"
#include "serde/gcs.h"
#include "storage/gcs/gcs_location_internal.h"
#include "storage/gcs/oauth_internal.h"

namespace pangolin::storage::gcs {
namespace {

constexpr std::string_view kTokenType = "urn:ietf:params:oauth:token-type:access_token";

// `text` as the body of a single-quoted CEL string literal.
std::string CelQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Result<std::string> AccessBoundaryJson(std::string_view bucket, std::string_view object_prefix,
                                       bool write) {
  if (!gcs_internal::IsValidBucketName(bucket)) {
    return Err(ErrorCode::kInvalidArgument, "Invalid bucket name '{}'", bucket);
  }
  while (EndsWith(object_prefix, "/")) object_prefix.remove_suffix(1);
  if (object_prefix.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "A downscoped token needs an object prefix (it would grant the whole bucket {})",
               bucket);
  }
  for (char c : object_prefix) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Err(ErrorCode::kInvalidArgument, "Control character in object prefix");
    }
  }
  const std::string directory = CelQuote(object_prefix) + "/";
  const std::string bucket_name = "projects/_/buckets/" + std::string(bucket);
  serde::AccessBoundaryRule rule;
  rule.available_resource = "//storage.googleapis.com/" + bucket_name;
  rule.available_permissions = {std::string(write ? kRoleObjectAdmin : kRoleObjectViewer)};
  rule.condition_expression =
      "resource.name.startsWith('" + bucket_name + "/objects/" + directory +
      "') || api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith('" +
      directory + "')";
  return serde::CredentialAccessBoundaryJson({rule});
}

Result<AccessToken> ExchangeForDownscopedToken(net::HttpClient& client,
                                               std::string_view sts_endpoint,
                                               const AccessToken& source_token,
                                               std::string_view boundary_json, int64_t now_ms) {
  ASSIGN_OR_RETURN(
      AccessToken token,
      gcs_internal::RequestToken(client, sts_endpoint,
                                 {{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                                  {"subject_token_type", std::string(kTokenType)},
                                  {"requested_token_type", std::string(kTokenType)},
                                  {"subject_token", source_token.value},
                                  {"options", std::string(boundary_json)}},
                                 now_ms, "The Security Token Service"));
  if (token.expires_at_ms == 0) token.expires_at_ms = source_token.expires_at_ms;
  return token;
}

Result<AccessToken> DownscopedToken(net::HttpClient& client, AccessTokenSource& source,
                                    std::string_view bucket, std::string_view object_prefix,
                                    bool write, int64_t now_ms, std::string_view sts_endpoint) {
  ASSIGN_OR_RETURN(std::string boundary, AccessBoundaryJson(bucket, object_prefix, write));
  ASSIGN_OR_RETURN(AccessToken source_token, source.Token());
  return ExchangeForDownscopedToken(client, sts_endpoint, source_token, boundary, now_ms);
}

}  // namespace pangolin::storage::gcs
