// Google service accounts: the key file, the RS256-signed JWT assertion (RFC 7523) that proves
// the account's identity, its exchange at the OAuth token endpoint for an access token, and a
// token source that keeps such a token fresh.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "net/http_client.h"
#include "storage/gcs/token_source.h"

namespace pangolin::storage::gcs {

inline constexpr std::string_view kDefaultTokenUri = "https://oauth2.googleapis.com/token";
inline constexpr std::string_view kScopeReadWrite =
    "https://www.googleapis.com/auth/devstorage.read_write";
inline constexpr std::string_view kScopeReadOnly =
    "https://www.googleapis.com/auth/devstorage.read_only";
// What the source credential of a downscoping must carry (Google requires cloud-platform).
inline constexpr std::string_view kScopeCloudPlatform =
    "https://www.googleapis.com/auth/cloud-platform";
// Google accepts assertions valid for at most an hour.
inline constexpr int64_t kMaxAssertionLifetimeSeconds = 3600;

// A service account with its parsed private key. Copies share the key; immutable, thread-safe.
class ServiceAccount {
 public:
  // Parses a key file. Errors: kInvalidArgument (not a service-account key file, or its
  // private_key is not an RSA PEM key); messages never contain the key.
  static Result<ServiceAccount> FromJson(std::string_view key_json);

  const std::string& email() const;
  const std::string& key_id() const;
  const std::string& project_id() const;  // empty when the file names none
  const std::string& token_uri() const;   // the file's, else kDefaultTokenUri

  // The compact JWS `header.claims.signature` (RS256, kid = key_id) asking for `scope`:
  // iss = email, aud = token_uri, iat = now_s, exp = now_s + lifetime_s, the lifetime clamped
  // to 1 .. kMaxAssertionLifetimeSeconds. Errors: kInternal (signing failed).
  Result<std::string> SignAssertion(std::string_view scope, int64_t now_s,
                                    int64_t lifetime_s = kMaxAssertionLifetimeSeconds) const;

 private:
  struct Impl;
  explicit ServiceAccount(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// POSTs grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=… to `token_uri` and
// returns the access token, its expiry computed from `now_ms`. Errors: kForbidden (refused, with
// Google's reason); kUnavailable (unreachable or failing); kIo (any other answer).
Result<AccessToken> ExchangeAssertion(net::HttpClient& client, std::string_view token_uri,
                                      std::string_view assertion, int64_t now_ms);

// A caching source (MakeCachingTokenSource) of tokens for `account` with `scope`, fetched over
// `client` by signing an assertion and exchanging it. `clock` must outlive the source.
// Errors of Token: those of SignAssertion and ExchangeAssertion.
std::unique_ptr<AccessTokenSource> MakeServiceAccountTokenSource(
    ServiceAccount account, std::string scope, std::shared_ptr<net::HttpClient> client,
    const Clock& clock = SystemClock());

}  // namespace pangolin::storage::gcs
