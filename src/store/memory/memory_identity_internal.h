// The identity records of the memory store: tenants, users, service users, issued tokens and
// signing keys. Thread-safe on its own. MemoryStore::DeleteTenant takes the store's lock before
// this component's and nothing takes them the other way round, so the two never deadlock.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/keyset_token.h"
#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

// Errors and ordering as documented on IdentityStore, method by method.
class Identities {
 public:
  Identities();  // holds the default tenant from the start

  Status CreateTenant(const Tenant& tenant);
  Result<Tenant> GetTenant(const TenantId& id);
  Result<Page<Tenant>> ListTenants(const PageRequest& page);
  Status UpdateTenant(const Tenant& tenant);
  // Deletes the tenant unless anything remains: `remaining` names what the caller still holds
  // for it ("warehouses", "catalogs"); users and service users are checked here.
  Status DeleteTenant(const TenantId& id, std::vector<std::string> remaining);

  Status CreateUser(const User& user);
  Result<User> GetUser(const std::optional<TenantId>& tenant, std::string_view id);
  Result<User> FindUserByName(const std::optional<TenantId>& tenant, std::string_view username);
  Result<User> FindUserByOidc(std::string_view issuer, std::string_view subject);
  Result<Page<User>> ListUsers(const std::optional<TenantId>& tenant, const PageRequest& page);
  Status UpdateUser(const User& user);
  Status DeleteUser(const std::optional<TenantId>& tenant, std::string_view id);

  Status CreateServiceUser(const ServiceUser& user);
  Result<ServiceUser> GetServiceUser(const TenantId& tenant, std::string_view id);
  Result<ServiceUser> FindServiceUserByKeyId(std::string_view key_id);
  Result<Page<ServiceUser>> ListServiceUsers(const TenantId& tenant, const PageRequest& page);
  Status UpdateServiceUser(const ServiceUser& user);
  Status TouchServiceUser(std::string_view id, int64_t used_ms);
  Status DeleteServiceUser(const TenantId& tenant, std::string_view id);

  Status RecordToken(const TokenRecord& token);
  std::optional<TokenRecord> GetToken(std::string_view jti);
  Result<Page<TokenRecord>> ListTokens(std::string_view principal_id, const PageRequest& page);
  // Both say which access scopes (AccessScope) the revoked tokens were in.
  Result<TenantId> RevokeToken(std::string_view jti, int64_t revoked_ms,
                               const std::optional<std::string>& reason);
  size_t RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                               std::string_view reason, std::set<TenantId>& scopes);
  size_t PurgeExpiredTokens(int64_t now_ms);

  Status AddSigningKey(const SigningKey& key);
  std::vector<SigningKey> ListSigningKeys();
  Status RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms);
  Status ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem);

 private:
  using Key = std::pair<std::string, std::string>;

  Result<Tenant*> FindTenant(const TenantId& id);
  Result<User*> FindUser(const std::optional<TenantId>& tenant, std::string_view id);
  Result<ServiceUser*> FindServiceUser(const TenantId& tenant, std::string_view id);
  // kAlreadyExists when another user (not `user.id`) holds the username or the OIDC account.
  Status CheckUserUnique(const User& user) const;
  Status CheckServiceUserUnique(const ServiceUser& user) const;
  void Index(const User& user);
  void Unindex(const User& user);
  void Index(const ServiceUser& user);
  void Unindex(const ServiceUser& user);
  void EraseTokensOf(std::string_view principal_id);

  std::mutex mu_;
  std::map<TenantId, Tenant> tenants_;
  std::map<std::string, TenantId> tenant_names_;
  std::map<std::string, User, std::less<>> users_;  // by id
  std::map<Key, std::string> user_names_;           // (tenant id, "" for root; username) -> id
  std::map<Key, std::string> oidc_links_;           // (issuer, subject) -> id
  std::map<std::string, ServiceUser, std::less<>> service_users_;  // by id
  std::map<Key, std::string> service_user_names_;                  // (tenant id, name) -> id
  std::map<std::string, std::string, std::less<>> key_ids_;        // API key id -> id
  std::map<std::string, TokenRecord, std::less<>> tokens_;         // by jti
  std::map<std::string, SigningKey, std::less<>> signing_keys_;    // by kid
};

// One page of `rows` (in any order) in the listing order `before`, starting after `after`.
template <typename T, typename Position, typename Before>
Page<T> CutPage(std::vector<std::pair<Position, const T*>> rows,
                const std::optional<Position>& after, size_t limit, Before before) {
  if (after) std::erase_if(rows, [&](const auto& row) { return !before(*after, row.first); });
  std::sort(rows.begin(), rows.end(),
            [&](const auto& a, const auto& b) { return before(a.first, b.first); });
  Page<T> page;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (limit != 0 && i == limit) {
      page.next_token = keyset::EncodeToken(rows[i - 1].first);
      break;
    }
    page.items.push_back(*rows[i].second);
  }
  return page;
}

}  // namespace pangolin::store::memory_internal
