// AuthService: who a request is. Verifies bearer tokens (ES256 JWTs of a key ring kept in the
// store), API keys and passwords; issues, rotates, lists and revokes tokens; bootstraps the
// signing keys and the root account on first start. Every token issued is recorded by its id,
// and a token without a live record is refused, so revocation and logout take effect at once on
// every server sharing the store. The principal found behind a token or an API key is
// remembered with the access version of its tenant (AccessStore::AccessVersion), which every
// change to a principal, its tokens or its keys moves in the store: a request reads that version
// once, and reads the records again only when it moved. The signing keys' private halves are
// encrypted at rest when a secrets key is configured (slot "signing-key:<kid>"); keys stored in
// the clear still load.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/jwt.h"
#include "catalog/identity.h"
#include "common/clock.h"
#include "service/context.h"
#include "service/stored_secrets.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct AuthOptions {
  std::string issuer = "pangolin";
  std::string audience = "pangolin";
  std::chrono::seconds session_ttl{24 * 3600};  // login tokens
  std::chrono::seconds client_token_ttl{3600};  // OAuth2 client-credentials tokens
  std::chrono::seconds max_token_ttl{365 * 24 * 3600};
  std::chrono::seconds signing_key_lifetime{30 * 24 * 3600};  // rotation period
  // Encrypts the signing keys' private halves in the store; null: they are stored in the clear.
  const auth::SecretCipher* secrets_cipher = nullptr;
};

// HTTP Basic credentials: accepted for root accounts only (the reference's env-root access).
struct BasicCredentials {
  std::string username;
  std::string password;
};

// What a request presented; at most one of them is used (bearer, Basic, then API key).
struct Credentials {
  std::optional<std::string> bearer;
  std::optional<BasicCredentials> basic;
  std::optional<std::string> api_key;
};

// Who presented the credentials, and the access version of the principal's own scope
// (store::AccessScope(principal.home_tenant)) when it was read to establish that: the request
// reuses it for whatever else is cached under that version.
struct Authenticated {
  catalog::Principal principal;
  std::optional<int64_t> access_version;
};

struct IssuedToken {
  std::string token;
  catalog::TokenClaims claims;
};

struct LoginResult {
  IssuedToken token;
  catalog::User user;
};

// POST /api/v1/tokens: a token for an existing principal of `tenant`.
struct TokenRequest {
  std::optional<TenantId> tenant;           // default: the caller's tenant
  std::optional<std::string> username;      // default: the caller
  std::optional<catalog::UserRole> role;    // must equal the principal's role when given
  std::optional<std::chrono::seconds> ttl;  // default session_ttl, at most max_token_ttl
};

class AuthService {
 public:
  AuthService(store::MetadataStore& store, const Clock& clock, AuthOptions options);
  ~AuthService();

  // First start: makes a signing key when none can sign, and the root account `root_user` when
  // no root user exists, with `root_password` or, when that is empty, a generated one, which is
  // returned so that the caller prints it once. Errors: kInvalidArgument (weak password).
  Result<std::optional<std::string>> Bootstrap(const std::string& root_user,
                                               const std::string& root_password);

  // The principal behind `credentials`; anonymous when none were presented.
  // Errors: kNotAuthorized (bad, expired, revoked or unknown token or key; inactive principal).
  Result<Authenticated> Authenticate(const Credentials& credentials);

  // Password login. Tenant users name their tenant; root users name none.
  // Errors: kNotAuthorized (one message for every failure).
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const std::optional<TenantId>& tenant);
  // A session token for `user` (an interactive login that proved who it is another way).
  Result<IssuedToken> IssueSession(const catalog::User& user);
  // OAuth2 client credentials: `client_id` is a service user's id, `client_secret` its API key.
  // Errors: kNotAuthorized.
  Result<IssuedToken> ClientCredentials(std::string_view client_id, std::string_view client_secret);

  // Errors: kForbidden (another tenant, a role above the caller's, someone else for a tenant
  // user); kNotFound (no such principal); kBadRequest (ttl).
  Result<IssuedToken> IssueToken(const Context& ctx, const TokenRequest& request);
  // A new token for the caller, revoking the one presented. Errors: kBadRequest (no bearer).
  Result<IssuedToken> RotateToken(const Context& ctx);
  // Revokes the presented token. Errors: kBadRequest (no bearer token presented).
  Status Logout(const Context& ctx, const std::optional<std::string>& reason);
  // Revokes `jti`: the caller's own, or any of its tenant's for an admin (root: any).
  // Errors: kNotFound (no such token, or not the caller's to revoke).
  Status RevokeToken(const Context& ctx, std::string_view jti,
                     const std::optional<std::string>& reason);
  // The tokens of `principal_id` (self, an admin of its tenant, or root). Errors: kNotFound.
  Result<store::Page<catalog::TokenRecord>> ListTokens(const Context& ctx,
                                                       std::string_view principal_id,
                                                       const store::PageRequest& page);
  // Deletes the records of expired tokens; root only. Returns how many.
  Result<size_t> PurgeExpiredTokens(const Context& ctx);

  // Retires the signing key and starts signing with a new one; tokens already issued stay
  // valid until they expire. Also re-encrypts the other keys with the current secrets key. Root
  // only.
  Status RotateSigningKey(const Context& ctx);
  // The private halves of the unexpired signing keys: counted (kCheck), or re-encrypted with the
  // current secrets key (kReencrypt: those stored in the clear or under a previous key).
  Result<SecretCensus> SweepSigningKeys(SecretSweep mode);
  // The public keys ({"keys": [...]}).
  std::string Jwks();
  // True when `tenant` exists (to place an audit entry of a credential check in it).
  bool TenantExists(const TenantId& tenant) { return store_.GetTenant(tenant).has_value(); }

 private:
  // The key ring: cached; re-read from the store (kThrottled: at most every few seconds, for
  // tokens naming a key another server made); kNow after a change made here.
  enum class Reload { kNo, kThrottled, kNow };
  Result<std::shared_ptr<const auth::KeyRing>> Ring(Reload reload);
  Result<IssuedToken> Issue(catalog::TokenClaims claims, std::chrono::seconds ttl);
  // A new signing key, its private half sealed for the store.
  Result<auth::SigningKey> NewSigningKey(int64_t now_ms);
  // IssueToken without the request's audit entry (RotateToken stores it with the revocation).
  Result<IssuedToken> IssueFor(const Context& ctx, const TokenRequest& request);
  // The claims of a token whose signature, issuer and audience check out and which has not
  // expired; signatures verified once are remembered.
  Result<catalog::TokenClaims> VerifiedClaims(const std::string& token);
  // A token's record and principal, and an API key's service user, are read again whenever
  // the access version of their scope moved since they were last read, which is what
  // revocation relies on.
  Result<Authenticated> FromBearer(const std::string& token);
  Result<Authenticated> FromApiKey(const std::string& key);
  // Root accounts by password. A verified password is remembered (by its SHA-256 with the user
  // name) for a minute, so that Basic clients do not pay for argon2id on every request.
  Result<catalog::Principal> FromBasic(const BasicCredentials& basic);

  store::MetadataStore& store_;
  const Clock& clock_;
  AuthOptions options_;
  StoredSecrets secrets_;
  std::mutex ring_mu_;
  std::shared_ptr<const auth::KeyRing> ring_;
  int64_t ring_loaded_ms_ = 0;
  static constexpr size_t kMaxVerifiedTokens = 10'000;
  std::mutex verified_mu_;
  std::unordered_map<std::string, catalog::TokenClaims> verified_;
  // A principal found behind a token (by jti) or an API key (by key id), with the access version
  // of its scope read before its records were.
  struct Known {
    int64_t version = 0;
    catalog::Principal principal;
    std::optional<catalog::ServiceUser> service_user;  // rechecked for expiry, the key's secret
  };
  std::unordered_map<std::string, Known> known_tokens_;  // under verified_mu_
  std::unordered_map<std::string, Known> known_keys_;    // under verified_mu_
  Result<Known> TokenPrincipal(const catalog::TokenClaims& claims, int64_t now_ms);
  std::optional<Known> FindKnown(const std::unordered_map<std::string, Known>& known,
                                 const std::string& id, int64_t version);
  void Remember(std::unordered_map<std::string, Known>& known, const std::string& id, Known entry);
  struct VerifiedPassword {
    std::string user_id;
    int64_t until_ms = 0;
  };
  std::unordered_map<std::string, VerifiedPassword> verified_passwords_;  // under verified_mu_
};

}  // namespace pangolin::service
