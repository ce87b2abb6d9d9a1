// Service-account JWT assertions and their exchange for access tokens; see service_account.h.
#include "storage/gcs/service_account.h"

#include <algorithm>

#include "common/strings.h"
#include "serde/gcs.h"
#include "storage/gcs/oauth_internal.h"
#include "storage/gcs/rsa_internal.h"

namespace pangolin::storage::gcs {

struct ServiceAccount::Impl {
  std::string email;
  std::string key_id;
  std::string project_id;
  std::string token_uri;
  gcs_internal::RsaKey key;
};

ServiceAccount::ServiceAccount(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Result<ServiceAccount> ServiceAccount::FromJson(std::string_view key_json) {
  auto file = serde::ParseGcsServiceAccountKey(key_json);
  if (!file) return MakeError(ErrorCode::kInvalidArgument, file.error().message);
  auto key = gcs_internal::ParseRsaPrivateKey(file->private_key);
  if (!key) {
    return Err(ErrorCode::kInvalidArgument, "Service account {}: {}", file->client_email,
               key.error().message);
  }
  auto impl = std::make_shared<Impl>();
  impl->email = std::move(file->client_email);
  impl->key_id = std::move(file->private_key_id);
  impl->project_id = std::move(file->project_id);
  impl->token_uri = file->token_uri.empty() ? std::string(kDefaultTokenUri) : file->token_uri;
  impl->key = std::move(*key);
  return ServiceAccount(std::move(impl));
}

const std::string& ServiceAccount::email() const { return impl_->email; }
const std::string& ServiceAccount::key_id() const { return impl_->key_id; }
const std::string& ServiceAccount::project_id() const { return impl_->project_id; }
const std::string& ServiceAccount::token_uri() const { return impl_->token_uri; }

Result<std::string> ServiceAccount::SignAssertion(std::string_view scope, int64_t now_s,
                                                  int64_t lifetime_s) const {
  lifetime_s = std::clamp<int64_t>(lifetime_s, 1, kMaxAssertionLifetimeSeconds);
  serde::GcsJwtClaims claims{impl_->email, std::string(scope), impl_->token_uri, now_s,
                             now_s + lifetime_s};
  std::string input = Base64UrlEncode(serde::GcsJwtHeaderJson(impl_->key_id)) + "." +
                      Base64UrlEncode(serde::GcsJwtClaimsJson(claims));
  ASSIGN_OR_RETURN(std::string signature, gcs_internal::SignRs256(impl_->key.get(), input));
  return input + "." + Base64UrlEncode(signature);
}

Result<AccessToken> ExchangeAssertion(net::HttpClient& client, std::string_view token_uri,
                                      std::string_view assertion, int64_t now_ms) {
  return gcs_internal::RequestToken(client, token_uri,
                                    {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                                     {"assertion", std::string(assertion)}},
                                    now_ms, "The OAuth token endpoint");
}

std::unique_ptr<AccessTokenSource> MakeServiceAccountTokenSource(
    ServiceAccount account, std::string scope, std::shared_ptr<net::HttpClient> client,
    const Clock& clock) {
  auto fetch = [account = std::move(account), scope = std::move(scope),
                client = std::move(client)](int64_t now_ms) -> Result<AccessToken> {
    ASSIGN_OR_RETURN(std::string assertion, account.SignAssertion(scope, now_ms / 1000));
    return ExchangeAssertion(*client, account.token_uri(), assertion, now_ms);
  };
  return MakeCachingTokenSource(std::move(fetch), clock);
}

}  // namespace pangolin::storage::gcs
