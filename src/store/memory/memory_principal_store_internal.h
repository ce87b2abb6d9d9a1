// The identity and access half of the memory store: every IdentityStore and AccessStore method
// but DeleteTenant (which needs the store's own catalogs) forwarded to its component. Deleting a
// user or service user holds the access component's lock around the identity component's, so the
// principal goes together with its grants and role assignments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/memory/memory_access_internal.h"
#include "store/memory/memory_identity_internal.h"
#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

class PrincipalStore : public MetadataStore {
 public:
  Status CreateTenant(const Tenant& tenant) override { return identities_.CreateTenant(tenant); }
  Result<Tenant> GetTenant(const TenantId& id) override { return identities_.GetTenant(id); }
  Result<Page<Tenant>> ListTenants(const PageRequest& page) override {
    return identities_.ListTenants(page);
  }
  Status UpdateTenant(const Tenant& tenant) override { return identities_.UpdateTenant(tenant); }

  Status CreateUser(const User& user) override { return identities_.CreateUser(user); }
  Result<User> GetUser(const std::optional<TenantId>& tenant, std::string_view id) override {
    return identities_.GetUser(tenant, id);
  }
  Result<User> FindUserByName(const std::optional<TenantId>& tenant,
                              std::string_view username) override {
    return identities_.FindUserByName(tenant, username);
  }
  Result<User> FindUserByOidc(std::string_view issuer, std::string_view subject) override {
    return identities_.FindUserByOidc(issuer, subject);
  }
  Result<Page<User>> ListUsers(const std::optional<TenantId>& tenant,
                               const PageRequest& page) override {
    return identities_.ListUsers(tenant, page);
  }
  // Each change that moves an access version does so once it is made (AccessStore).
  Status UpdateUser(const User& user) override {
    ASSIGN_OR_RETURN(User before, identities_.GetUser(user.tenant_id, user.id));
    RETURN_IF_ERROR(identities_.UpdateUser(user));
    if (ChangesPrincipal(before, user)) accesses_.BumpAccessVersion(AccessScope(user.tenant_id));
    return Ok();
  }
  Status DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) override {
    ASSIGN_OR_RETURN(User user, identities_.GetUser(tenant, id));
    RETURN_IF_ERROR(
        accesses_.DeletePrincipal(id, [&] { return identities_.DeleteUser(tenant, id); }));
    accesses_.BumpAccessVersion(AccessScope(user.tenant_id));
    return Ok();
  }

  Status CreateServiceUser(const ServiceUser& user) override {
    return identities_.CreateServiceUser(user);
  }
  Result<ServiceUser> GetServiceUser(const TenantId& tenant, std::string_view id) override {
    return identities_.GetServiceUser(tenant, id);
  }
  Result<ServiceUser> FindServiceUserByKeyId(std::string_view key_id) override {
    return identities_.FindServiceUserByKeyId(key_id);
  }
  Result<Page<ServiceUser>> ListServiceUsers(const TenantId& tenant,
                                             const PageRequest& page) override {
    return identities_.ListServiceUsers(tenant, page);
  }
  Status UpdateServiceUser(const ServiceUser& user) override {
    RETURN_IF_ERROR(identities_.UpdateServiceUser(user));
    accesses_.BumpAccessVersion(user.tenant_id);
    return Ok();
  }
  Status TouchServiceUser(std::string_view id, int64_t used_ms) override {
    return identities_.TouchServiceUser(id, used_ms);
  }
  Status DeleteServiceUser(const TenantId& tenant, std::string_view id) override {
    RETURN_IF_ERROR(
        accesses_.DeletePrincipal(id, [&] { return identities_.DeleteServiceUser(tenant, id); }));
    accesses_.BumpAccessVersion(tenant);
    return Ok();
  }

  Status RecordToken(const TokenRecord& token) override { return identities_.RecordToken(token); }
  Result<std::optional<TokenRecord>> GetToken(std::string_view jti) override {
    return identities_.GetToken(jti);
  }
  Result<Page<TokenRecord>> ListTokens(std::string_view principal_id,
                                       const PageRequest& page) override {
    return identities_.ListTokens(principal_id, page);
  }
  Status RevokeToken(std::string_view jti, int64_t revoked_ms,
                     const std::optional<std::string>& reason) override {
    ASSIGN_OR_RETURN(TenantId scope, identities_.RevokeToken(jti, revoked_ms, reason));
    accesses_.BumpAccessVersion(scope);
    return Ok();
  }
  Result<size_t> RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                                       std::string_view reason) override {
    std::set<TenantId> scopes;
    size_t revoked = identities_.RevokePrincipalTokens(principal_id, revoked_ms, reason, scopes);
    for (const TenantId& scope : scopes) accesses_.BumpAccessVersion(scope);
    return revoked;
  }
  Result<size_t> PurgeExpiredTokens(int64_t now_ms) override {
    return identities_.PurgeExpiredTokens(now_ms);
  }

  Status AddSigningKey(const SigningKey& key) override { return identities_.AddSigningKey(key); }
  Result<std::vector<SigningKey>> ListSigningKeys() override {
    return identities_.ListSigningKeys();
  }
  Status RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms) override {
    return identities_.RetireSigningKey(kid, retired_ms, expires_ms);
  }
  Status ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem) override {
    return identities_.ReplaceSigningKeyPem(kid, private_key_pem);
  }

  Status CreateRole(const Role& role) override { return accesses_.CreateRole(role); }
  Result<Role> GetRole(const TenantId& tenant, std::string_view id) override {
    return accesses_.GetRole(tenant, id);
  }
  Result<Page<Role>> ListRoles(const TenantId& tenant, const PageRequest& page) override {
    return accesses_.ListRoles(tenant, page);
  }
  Status UpdateRole(const Role& role) override { return accesses_.UpdateRole(role); }
  Status DeleteRole(const TenantId& tenant, std::string_view id) override {
    return accesses_.DeleteRole(tenant, id);
  }

  Status AssignRole(const TenantId& tenant, const RoleAssignment& assignment) override {
    return accesses_.AssignRole(tenant, assignment);
  }
  Status UnassignRole(const TenantId& tenant, std::string_view principal_id,
                      std::string_view role_id) override {
    return accesses_.UnassignRole(tenant, principal_id, role_id);
  }
  Result<std::vector<Role>> ListPrincipalRoles(const TenantId& tenant,
                                               std::string_view principal_id) override {
    return accesses_.ListPrincipalRoles(tenant, principal_id);
  }

  Status CreateGrant(const DirectGrant& grant) override { return accesses_.CreateGrant(grant); }
  Result<DirectGrant> GetGrant(const TenantId& tenant, std::string_view id) override {
    return accesses_.GetGrant(tenant, id);
  }
  Result<Page<DirectGrant>> ListGrants(const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page) override {
    return accesses_.ListGrants(tenant, principal_id, page);
  }
  Status DeleteGrant(const TenantId& tenant, std::string_view id) override {
    return accesses_.DeleteGrant(tenant, id);
  }
  Result<std::vector<PermissionGrant>> LoadPermissions(const TenantId& tenant,
                                                       std::string_view principal_id) override {
    return accesses_.LoadPermissions(tenant, principal_id);
  }
  Result<int64_t> AccessVersion(const TenantId& tenant) override {
    return accesses_.AccessVersion(tenant);
  }

 protected:
  // Lock order: MemoryStore's mutex, or accesses_, before identities_; never the reverse.
  Identities identities_;
  Accesses accesses_;
};

}  // namespace pangolin::store::memory_internal
