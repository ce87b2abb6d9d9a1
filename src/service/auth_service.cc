// Authentication and token issuance over the identity store; see auth_service.h.
#include "service/auth_service.h"

#include "auth/api_key.h"
#include "auth/password.h"
#include "common/digest.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "store/access_store.h"

namespace pangolin::service {
namespace {

using catalog::Principal;
using catalog::PrincipalKind;
using catalog::TokenClaims;
using catalog::UserRole;

constexpr int64_t kTouchIntervalMs = 60'000;
// How long a password verified for HTTP Basic is remembered.
constexpr int64_t kPasswordMemoryMs = 60'000;
// How often an unknown `kid` may make a server re-read the key ring (another server rotated).
constexpr int64_t kRingReloadIntervalMs = 5'000;

std::string SigningKeySlot(std::string_view kid) { return fmt::format("signing-key:{}", kid); }

bool Expired(const auth::SigningKey& key, int64_t now_ms) {
  return key.expires_ms && *key.expires_ms <= now_ms;
}

Error Unauthorized(std::string message) { return Error{ErrorCode::kNotAuthorized, message}; }

Principal FromUser(const catalog::User& user) {
  Principal p;
  p.kind = Principal::Kind::kUser;
  p.id = user.id;
  p.name = user.username;
  p.role = user.role;
  p.home_tenant = user.tenant_id;
  return p;
}

Principal FromServiceUser(const catalog::ServiceUser& user) {
  Principal p;
  p.kind = Principal::Kind::kServiceUser;
  p.id = user.id;
  p.name = user.name;
  p.role = user.role;
  p.home_tenant = user.tenant_id;
  return p;
}

bool ServiceUserUsable(const catalog::ServiceUser& user, int64_t now_ms) {
  return user.active && (!user.expires_ms || *user.expires_ms > now_ms);
}

std::string RandomPassword() {
  // 32 characters of a base64url API-key secret: 192 bits, no ambiguity about the alphabet.
  return auth::NewApiKey().secret.substr(0, 32);
}

}  // namespace

AuthService::AuthService(store::MetadataStore& store, const Clock& clock, AuthOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      // Tokens must work without a secrets key too: then the keys are stored in the clear.
      secrets_(SecretsPolicy{options_.secrets_cipher, /*allow_plaintext=*/true}) {}

AuthService::~AuthService() = default;

Result<std::optional<std::string>> AuthService::Bootstrap(const std::string& root_user,
                                                          const std::string& root_password) {
  int64_t now = clock_.NowMs();
  ASSIGN_OR_RETURN(auto keys, store_.ListSigningKeys());
  bool can_sign = false;
  for (const auto& key : keys) {
    if (key.retired_ms) continue;
    bool stale = now - key.created_ms > options_.signing_key_lifetime.count() * 1000;
    if (!stale) {
      can_sign = true;
      continue;
    }
    int64_t expires = now + options_.max_token_ttl.count() * 1000;
    RETURN_IF_ERROR(store_.RetireSigningKey(key.kid, now, expires));
  }
  if (!can_sign) {
    ASSIGN_OR_RETURN(auto key, NewSigningKey(now));
    RETURN_IF_ERROR(store_.AddSigningKey(key));
    log::Info("generated a token signing key").With("kid", key.kid);
  }
  RETURN_IF_ERROR(Ring(Reload::kNow).map([](auto) {}));

  std::optional<std::string> generated;
  auto existing = store_.FindUserByName(std::nullopt, root_user);
  if (existing) return generated;
  if (existing.error().code != ErrorCode::kNotFound) return tl::unexpected(existing.error());
  std::string password = root_password;
  if (password.empty()) {
    password = RandomPassword();
    generated = password;
  }
  if (auto policy = auth::CheckPasswordPolicy(password); !policy) {
    return Err(ErrorCode::kInvalidArgument, "PANGOLIN_ROOT_PASSWORD: {}", policy.error().message);
  }
  catalog::User root;
  root.id = NewUuid();
  root.username = root_user;
  root.role = UserRole::kRoot;
  ASSIGN_OR_RETURN(root.password_hash, auth::HashPassword(password));
  root.created_ms = root.updated_ms = now;
  RETURN_IF_ERROR(store_.CreateUser(root));
  log::Info("created the root account").With("username", root_user);
  return generated;
}

Result<std::shared_ptr<const auth::KeyRing>> AuthService::Ring(Reload reload) {
  std::lock_guard lock(ring_mu_);
  int64_t now = clock_.NowMs();
  bool fresh = reload == Reload::kNo ||
               (reload == Reload::kThrottled && now - ring_loaded_ms_ < kRingReloadIntervalMs);
  if (ring_ && fresh) return ring_;
  ASSIGN_OR_RETURN(auto keys, store_.ListSigningKeys());
  for (auto& key : keys) {
    if (Expired(key, now)) continue;  // not parsed by the ring either
    ASSIGN_OR_RETURN(key.private_key_pem,
                     secrets_.Open(key.private_key_pem, SigningKeySlot(key.kid)));
  }
  ASSIGN_OR_RETURN(ring_, auth::KeyRing::Make(keys, now));
  ring_loaded_ms_ = now;
  return ring_;
}

Result<auth::SigningKey> AuthService::NewSigningKey(int64_t now_ms) {
  ASSIGN_OR_RETURN(auto key, auth::GenerateSigningKey(NewUuid(), now_ms));
  ASSIGN_OR_RETURN(key.private_key_pem, secrets_.Seal(key.private_key_pem, SigningKeySlot(key.kid),
                                                      "signing key " + key.kid));
  return key;
}

Result<SecretCensus> AuthService::SweepSigningKeys(SecretSweep mode) {
  ASSIGN_OR_RETURN(auto keys, store_.ListSigningKeys());
  int64_t now = clock_.NowMs();
  SecretCensus census;
  for (const auto& key : keys) {
    if (Expired(key, now)) continue;
    ASSIGN_OR_RETURN(auto resealed,
                     secrets_.Sweep(key.private_key_pem, SigningKeySlot(key.kid), mode, census));
    if (resealed) RETURN_IF_ERROR(store_.ReplaceSigningKeyPem(key.kid, *resealed));
  }
  return census;
}

Result<Authenticated> AuthService::Authenticate(const Credentials& credentials) {
  if (credentials.bearer) {
    // PyIceberg's `token=` may carry an API key as well as a JWT.
    if (StartsWith(*credentials.bearer, "pgl_")) return FromApiKey(*credentials.bearer);
    return FromBearer(*credentials.bearer);
  }
  if (credentials.basic) {
    ASSIGN_OR_RETURN(Principal principal, FromBasic(*credentials.basic));
    return Authenticated{std::move(principal), std::nullopt};
  }
  if (credentials.api_key) return FromApiKey(*credentials.api_key);
  return Authenticated{};
}

std::optional<AuthService::Known> AuthService::FindKnown(
    const std::unordered_map<std::string, Known>& known, const std::string& id, int64_t version) {
  std::lock_guard lock(verified_mu_);
  auto it = known.find(id);
  if (it == known.end() || it->second.version != version) return std::nullopt;
  return it->second;
}

void AuthService::Remember(std::unordered_map<std::string, Known>& known, const std::string& id,
                           Known entry) {
  std::lock_guard lock(verified_mu_);
  if (known.size() >= kMaxVerifiedTokens) known.clear();
  known.insert_or_assign(id, std::move(entry));
}

Result<Principal> AuthService::FromBasic(const BasicCredentials& basic) {
  int64_t now = clock_.NowMs();
  std::string key = Sha256Hex(basic.username + '\0' + basic.password);
  std::optional<std::string> known;
  {
    std::lock_guard lock(verified_mu_);
    auto it = verified_passwords_.find(key);
    if (it != verified_passwords_.end() && it->second.until_ms > now) known = it->second.user_id;
  }
  auto user = store_.FindUserByName(std::nullopt, basic.username);
  if (!user) {
    if (user.error().code != ErrorCode::kNotFound) return tl::unexpected(user.error());
    auth::VerifyPassword(auth::DummyHash(), basic.password);
    return tl::unexpected(Unauthorized("Invalid username or password"));
  }
  bool matches =
      known ? *known == user->id
            : user->password_hash && auth::VerifyPassword(*user->password_hash, basic.password);
  if (!matches || !user->active || user->role != UserRole::kRoot) {
    return tl::unexpected(Unauthorized("Invalid username or password"));
  }
  if (!known) {
    std::lock_guard lock(verified_mu_);
    if (verified_passwords_.size() >= kMaxVerifiedTokens) verified_passwords_.clear();
    verified_passwords_[key] = {user->id, now + kPasswordMemoryMs};
  }
  return FromUser(*user);
}

Result<TokenClaims> AuthService::VerifiedClaims(const std::string& token) {
  int64_t now_s = clock_.NowMs() / 1000;
  {
    // A signature, once verified, stays valid: only the expiry needs checking again.
    std::lock_guard lock(verified_mu_);
    auto it = verified_.find(token);
    if (it != verified_.end()) {
      if (it->second.expires_at > now_s) return it->second;
      verified_.erase(it);
    }
  }
  auth::VerifyOptions verify{options_.issuer, options_.audience, now_s};
  ASSIGN_OR_RETURN(auto ring, Ring(Reload::kNo));
  auto claims = ring->Verify(token, verify);
  if (!claims && claims.error().message.find("unknown signing key") != std::string::npos) {
    ASSIGN_OR_RETURN(ring, Ring(Reload::kThrottled));
    claims = ring->Verify(token, verify);
  }
  if (!claims) return claims;
  std::lock_guard lock(verified_mu_);
  if (verified_.size() >= kMaxVerifiedTokens) verified_.clear();
  verified_.emplace(token, *claims);
  return claims;
}

Result<Authenticated> AuthService::FromBearer(const std::string& token) {
  ASSIGN_OR_RETURN(TokenClaims claims, VerifiedClaims(token));
  // The version first: a change after it moves it, so what is read next is never taken as
  // current past that change.
  TenantId scope = store::AccessScope(claims.tenant_id);
  ASSIGN_OR_RETURN(int64_t version, store_.AccessVersion(scope));
  int64_t now = clock_.NowMs();
  std::optional<Known> known = FindKnown(known_tokens_, claims.jti, version);
  if (!known || (known->service_user && !ServiceUserUsable(*known->service_user, now))) {
    ASSIGN_OR_RETURN(known, TokenPrincipal(claims, now));
    known->version = version;
    // A root token naming a tenant counts in that tenant's scope, not root's: not remembered.
    if (store::AccessScope(known->principal.home_tenant) != scope) {
      return Authenticated{std::move(known->principal), std::nullopt};
    }
    Remember(known_tokens_, claims.jti, *known);
  }
  return Authenticated{std::move(known->principal), version};
}

Result<AuthService::Known> AuthService::TokenPrincipal(const TokenClaims& claims, int64_t now) {
  ASSIGN_OR_RETURN(auto record, store_.GetToken(claims.jti));
  if (!record || record->principal_id != claims.subject) {
    return tl::unexpected(Unauthorized("Token is not recognized"));
  }
  if (record->revoked_ms) return tl::unexpected(Unauthorized("Token has been revoked"));
  Known known;
  if (claims.principal_kind == PrincipalKind::kServiceUser) {
    if (!claims.tenant_id) return tl::unexpected(Unauthorized("Token is not recognized"));
    auto user = store_.GetServiceUser(*claims.tenant_id, claims.subject);
    if (!user || !ServiceUserUsable(*user, now)) {
      return tl::unexpected(Unauthorized("Service user is inactive or gone"));
    }
    known.principal = FromServiceUser(*user);
    known.service_user = std::move(*user);
  } else {
    auto user = store_.GetUser(std::nullopt, claims.subject);
    if (!user || !user->active) return tl::unexpected(Unauthorized("User is inactive or gone"));
    if (user->tenant_id && user->tenant_id != claims.tenant_id) {
      return tl::unexpected(Unauthorized("Token is not recognized"));
    }
    known.principal = FromUser(*user);
  }
  known.principal.token_id = claims.jti;
  return known;
}

// The key id does not name the tenant whose version covers it: a key met for the first time is
// read, then its tenant's version, then the key again.
Result<Authenticated> AuthService::FromApiKey(const std::string& key) {
  auto parsed = auth::ParseApiKey(key);
  if (!parsed) return tl::unexpected(Unauthorized("Malformed API key"));
  std::optional<Known> known;
  std::optional<TenantId> tenant;
  {
    std::lock_guard lock(verified_mu_);
    auto it = known_keys_.find(parsed->key_id);
    if (it != known_keys_.end()) tenant = it->second.service_user->tenant_id;
  }
  int64_t version = 0;
  if (tenant) {
    ASSIGN_OR_RETURN(version, store_.AccessVersion(*tenant));
    known = FindKnown(known_keys_, parsed->key_id, version);
  }
  if (!known) {
    auto user = store_.FindServiceUserByKeyId(parsed->key_id);
    if (user && user->tenant_id != tenant) {
      tenant = user->tenant_id;
      ASSIGN_OR_RETURN(version, store_.AccessVersion(*tenant));
      user = store_.FindServiceUserByKeyId(parsed->key_id);
    }
    if (!user) return tl::unexpected(Unauthorized("Invalid API key"));
    known = Known{version, FromServiceUser(*user), *user};
    if (user->tenant_id == tenant) Remember(known_keys_, parsed->key_id, *known);
  }
  catalog::ServiceUser& user = *known->service_user;
  if (!auth::SecretMatches(user.key_hash, parsed->secret)) {
    return tl::unexpected(Unauthorized("Invalid API key"));
  }
  int64_t now = clock_.NowMs();
  if (!ServiceUserUsable(user, now)) {
    return tl::unexpected(Unauthorized("Service user is inactive or expired"));
  }
  if (!user.last_used_ms || now - *user.last_used_ms > kTouchIntervalMs) {
    if (auto touched = store_.TouchServiceUser(user.id, now); !touched) {
      log::Warn("cannot record API key use").With("error", touched.error().message);
    } else {
      user.last_used_ms = now;
      Remember(known_keys_, parsed->key_id, *known);
    }
  }
  return Authenticated{std::move(known->principal), version};
}

Result<LoginResult> AuthService::Login(std::string_view username, std::string_view password,
                                       const std::optional<TenantId>& tenant) {
  auto user = store_.FindUserByName(tenant, username);
  if (!user) {
    auth::VerifyPassword(auth::DummyHash(), password);  // same time as a wrong password
    if (user.error().code != ErrorCode::kNotFound) return tl::unexpected(user.error());
    return tl::unexpected(Unauthorized("Invalid username or password"));
  }
  if (!user->password_hash || !auth::VerifyPassword(*user->password_hash, password) ||
      !user->active) {
    return tl::unexpected(Unauthorized("Invalid username or password"));
  }
  ASSIGN_OR_RETURN(auto token, IssueSession(*user));
  user->last_login_ms = clock_.NowMs();
  return LoginResult{std::move(token), std::move(*user)};
}

Result<IssuedToken> AuthService::IssueSession(const catalog::User& user) {
  if (!user.active) return tl::unexpected(Unauthorized("User is inactive"));
  catalog::User updated = user;
  updated.last_login_ms = clock_.NowMs();
  RETURN_IF_ERROR(store_.UpdateUser(updated));
  TokenClaims claims;
  claims.subject = user.id;
  claims.username = user.username;
  claims.tenant_id = user.tenant_id;
  claims.role = user.role;
  return Issue(std::move(claims), options_.session_ttl);
}

Result<IssuedToken> AuthService::ClientCredentials(std::string_view client_id,
                                                   std::string_view client_secret) {
  auto parsed = auth::ParseApiKey(client_secret);
  if (!parsed) return tl::unexpected(Unauthorized("Invalid client credentials"));
  auto user = store_.FindServiceUserByKeyId(parsed->key_id);
  if (!user || user->id != client_id || !auth::SecretMatches(user->key_hash, parsed->secret) ||
      !ServiceUserUsable(*user, clock_.NowMs())) {
    return tl::unexpected(Unauthorized("Invalid client credentials"));
  }
  TokenClaims claims;
  claims.subject = user->id;
  claims.username = user->name;
  claims.tenant_id = user->tenant_id;
  claims.role = user->role;
  claims.principal_kind = PrincipalKind::kServiceUser;
  return Issue(std::move(claims), options_.client_token_ttl);
}

Result<IssuedToken> AuthService::Issue(TokenClaims claims, std::chrono::seconds ttl) {
  int64_t now_ms = clock_.NowMs();
  claims.issuer = options_.issuer;
  claims.audience = options_.audience;
  claims.jti = NewUuid();
  claims.issued_at = now_ms / 1000;
  claims.expires_at = claims.issued_at + ttl.count();
  ASSIGN_OR_RETURN(auto ring, Ring(Reload::kNo));
  ASSIGN_OR_RETURN(std::string token, ring->Sign(claims));
  catalog::TokenRecord record;
  record.jti = claims.jti;
  record.tenant_id = claims.tenant_id;
  record.principal_id = claims.subject;
  record.principal_kind = claims.principal_kind;
  record.username = claims.username;
  record.issued_ms = now_ms;
  record.expires_ms = claims.expires_at * 1000;
  RETURN_IF_ERROR(store_.RecordToken(record));
  return IssuedToken{std::move(token), std::move(claims)};
}

}  // namespace pangolin::service
