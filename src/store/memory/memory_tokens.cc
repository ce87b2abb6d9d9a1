// Issued token records and signing keys of the memory store (part of memory_internal::Identities,
// declared in memory_identity_internal.h).
#include "store/memory/memory_identity_internal.h"

namespace pangolin::store::memory_internal {
namespace {

using keyset::TimeKey;

// Newest first: later time first, equal times by id.
bool NewerFirst(const TimeKey& a, const TimeKey& b) {
  if (a.time_ms != b.time_ms) return a.time_ms > b.time_ms;
  return a.id < b.id;
}

}  // namespace

void Identities::EraseTokensOf(std::string_view principal_id) {
  std::erase_if(tokens_,
                [&](const auto& entry) { return entry.second.principal_id == principal_id; });
}

Status Identities::RecordToken(const TokenRecord& token) {
  std::lock_guard lock(mu_);
  if (!tokens_.emplace(token.jti, token).second) {
    return Err(ErrorCode::kAlreadyExists, "Token already recorded: {}", token.jti);
  }
  return Ok();
}

std::optional<TokenRecord> Identities::GetToken(std::string_view jti) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(jti);
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}

Result<Page<TokenRecord>> Identities::ListTokens(std::string_view principal_id,
                                                 const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  std::lock_guard lock(mu_);
  std::vector<std::pair<TimeKey, const TokenRecord*>> rows;
  for (const auto& [jti, token] : tokens_) {
    if (token.principal_id == principal_id)
      rows.emplace_back(TimeKey{token.issued_ms, jti}, &token);
  }
  return CutPage(std::move(rows), after, page.limit, &NewerFirst);
}

Result<TenantId> Identities::RevokeToken(std::string_view jti, int64_t revoked_ms,
                                         const std::optional<std::string>& reason) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(jti);
  if (it == tokens_.end()) return Err(ErrorCode::kNotFound, "Token not found: {}", jti);
  if (!it->second.revoked_ms) {  // the first revocation stands
    it->second.revoked_ms = revoked_ms;
    it->second.revoke_reason = reason;
  }
  return AccessScope(it->second.tenant_id);
}

size_t Identities::RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                                         std::string_view reason, std::set<TenantId>& scopes) {
  std::lock_guard lock(mu_);
  size_t revoked = 0;
  for (auto& [jti, token] : tokens_) {
    if (token.principal_id != principal_id || token.revoked_ms || token.expires_ms <= revoked_ms) {
      continue;
    }
    token.revoked_ms = revoked_ms;
    token.revoke_reason = std::string(reason);
    scopes.insert(AccessScope(token.tenant_id));
    ++revoked;
  }
  return revoked;
}

size_t Identities::PurgeExpiredTokens(int64_t now_ms) {
  std::lock_guard lock(mu_);
  return std::erase_if(tokens_,
                       [&](const auto& entry) { return entry.second.expires_ms <= now_ms; });
}

Status Identities::AddSigningKey(const SigningKey& key) {
  std::lock_guard lock(mu_);
  if (!signing_keys_.emplace(key.kid, key).second) {
    return Err(ErrorCode::kAlreadyExists, "Signing key already exists: {}", key.kid);
  }
  return Ok();
}

std::vector<SigningKey> Identities::ListSigningKeys() {
  std::lock_guard lock(mu_);
  std::vector<SigningKey> keys;
  for (const auto& [kid, key] : signing_keys_) keys.push_back(key);
  std::sort(keys.begin(), keys.end(), [](const SigningKey& a, const SigningKey& b) {
    return NewerFirst(TimeKey{a.created_ms, a.kid}, TimeKey{b.created_ms, b.kid});
  });
  return keys;
}

Status Identities::RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms) {
  std::lock_guard lock(mu_);
  auto it = signing_keys_.find(kid);
  if (it == signing_keys_.end()) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  if (!it->second.retired_ms) {  // the first retirement stands
    it->second.retired_ms = retired_ms;
    it->second.expires_ms = expires_ms;
  }
  return Ok();
}

Status Identities::ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem) {
  std::lock_guard lock(mu_);
  auto it = signing_keys_.find(kid);
  if (it == signing_keys_.end()) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  it->second.private_key_pem = private_key_pem;
  return Ok();
}

}  // namespace pangolin::store::memory_internal
