// PostgresStore, part 2: tenants, users, service users, tokens, signing keys, roles and grants,
// the audit trail, business metadata, rate-limit counters and OAuth states. One-statement reads run
// on their own; LoadPermissions reads in one snapshot; every write is a transaction.
#include "store/postgres/postgres_identity_internal.h"
#include "store/postgres/postgres_store_internal.h"

namespace pangolin::store::postgres_internal {

Status PostgresStore::CreateTenant(const Tenant& tenant) {
  return db_.Write([&](Connection& c) { return InsertTenant(c, tenant); });
}
Result<Tenant> PostgresStore::GetTenant(const TenantId& id) {
  return db_.Query([&](Connection& c) { return SelectTenant(c, id); });
}
Result<Page<Tenant>> PostgresStore::ListTenants(const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectTenants(c, page); });
}
Status PostgresStore::UpdateTenant(const Tenant& tenant) {
  return db_.Write([&](Connection& c) { return ReplaceTenant(c, tenant); });
}
Status PostgresStore::DeleteTenant(const TenantId& id) {
  return db_.Write([&](Connection& c) { return RemoveTenant(c, id); });
}

Status PostgresStore::CreateUser(const User& user) {
  return db_.Write([&](Connection& c) { return InsertUser(c, user); });
}
Result<User> PostgresStore::GetUser(const std::optional<TenantId>& tenant, std::string_view id) {
  return db_.Query([&](Connection& c) { return SelectUser(c, tenant, id); });
}
Result<User> PostgresStore::FindUserByName(const std::optional<TenantId>& tenant,
                                           std::string_view username) {
  return db_.Query([&](Connection& c) { return SelectUserByName(c, tenant, username); });
}
Result<User> PostgresStore::FindUserByOidc(std::string_view issuer, std::string_view subject) {
  return db_.Query([&](Connection& c) { return SelectUserByOidc(c, issuer, subject); });
}
Result<Page<User>> PostgresStore::ListUsers(const std::optional<TenantId>& tenant,
                                            const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectUsers(c, tenant, page); });
}
Status PostgresStore::UpdateUser(const User& user) {
  return db_.Write([&](Connection& c) { return ReplaceUser(c, user); });
}
Status PostgresStore::DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) {
  return db_.Write([&](Connection& c) { return RemoveUser(c, tenant, id); });
}

Status PostgresStore::CreateServiceUser(const ServiceUser& user) {
  return db_.Write([&](Connection& c) { return InsertServiceUser(c, user); });
}
Result<ServiceUser> PostgresStore::GetServiceUser(const TenantId& tenant, std::string_view id) {
  return db_.Query([&](Connection& c) { return SelectServiceUser(c, tenant, id); });
}
Result<ServiceUser> PostgresStore::FindServiceUserByKeyId(std::string_view key_id) {
  return db_.Query([&](Connection& c) { return SelectServiceUserByKeyId(c, key_id); });
}
Result<Page<ServiceUser>> PostgresStore::ListServiceUsers(const TenantId& tenant,
                                                          const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectServiceUsers(c, tenant, page); });
}
Status PostgresStore::UpdateServiceUser(const ServiceUser& user) {
  return db_.Write([&](Connection& c) { return ReplaceServiceUser(c, user); });
}
Status PostgresStore::TouchServiceUser(std::string_view id, int64_t used_ms) {
  return db_.Write([&](Connection& c) { return TouchServiceUserRow(c, id, used_ms); });
}
Status PostgresStore::DeleteServiceUser(const TenantId& tenant, std::string_view id) {
  return db_.Write([&](Connection& c) { return RemoveServiceUser(c, tenant, id); });
}

Status PostgresStore::RecordToken(const TokenRecord& token) {
  return db_.Write([&](Connection& c) { return InsertToken(c, token); });
}
Result<std::optional<TokenRecord>> PostgresStore::GetToken(std::string_view jti) {
  return db_.Query([&](Connection& c) { return SelectToken(c, jti); });
}
Result<Page<TokenRecord>> PostgresStore::ListTokens(std::string_view principal_id,
                                                    const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectTokens(c, principal_id, page); });
}
Status PostgresStore::RevokeToken(std::string_view jti, int64_t revoked_ms,
                                  const std::optional<std::string>& reason) {
  return db_.Write([&](Connection& c) { return RevokeTokenRow(c, jti, revoked_ms, reason); });
}
Result<size_t> PostgresStore::RevokePrincipalTokens(std::string_view principal_id,
                                                    int64_t revoked_ms, std::string_view reason) {
  return db_.Write(
      [&](Connection& c) { return RevokePrincipalTokenRows(c, principal_id, revoked_ms, reason); });
}
Result<size_t> PostgresStore::PurgeExpiredTokens(int64_t now_ms) {
  return db_.Write([&](Connection& c) { return PurgeExpiredTokenRows(c, now_ms); });
}

Status PostgresStore::AddSigningKey(const SigningKey& key) {
  return db_.Write([&](Connection& c) { return InsertSigningKey(c, key); });
}
Result<std::vector<SigningKey>> PostgresStore::ListSigningKeys() {
  return db_.Query([&](Connection& c) { return SelectSigningKeys(c); });
}
Status PostgresStore::RetireSigningKey(std::string_view kid, int64_t retired_ms,
                                       int64_t expires_ms) {
  return db_.Write(
      [&](Connection& c) { return RetireSigningKeyRow(c, kid, retired_ms, expires_ms); });
}
Status PostgresStore::ReplaceSigningKeyPem(std::string_view kid,
                                           const std::string& private_key_pem) {
  return db_.Write([&](Connection& c) { return ReplaceSigningKeyPemRow(c, kid, private_key_pem); });
}

Status PostgresStore::CreateRole(const Role& role) {
  return db_.Write([&](Connection& c) { return InsertRole(c, role); });
}
Result<Role> PostgresStore::GetRole(const TenantId& tenant, std::string_view id) {
  return db_.Query([&](Connection& c) { return SelectRole(c, tenant, id); });
}
Result<Page<Role>> PostgresStore::ListRoles(const TenantId& tenant, const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectRoles(c, tenant, page); });
}
Status PostgresStore::UpdateRole(const Role& role) {
  return db_.Write([&](Connection& c) { return ReplaceRole(c, role); });
}
Status PostgresStore::DeleteRole(const TenantId& tenant, std::string_view id) {
  return db_.Write([&](Connection& c) { return RemoveRole(c, tenant, id); });
}
Status PostgresStore::AssignRole(const TenantId& tenant, const RoleAssignment& assignment) {
  return db_.Write([&](Connection& c) { return InsertRoleAssignment(c, tenant, assignment); });
}
Status PostgresStore::UnassignRole(const TenantId& tenant, std::string_view principal_id,
                                   std::string_view role_id) {
  return db_.Write(
      [&](Connection& c) { return RemoveRoleAssignment(c, tenant, principal_id, role_id); });
}
Result<std::vector<Role>> PostgresStore::ListPrincipalRoles(const TenantId& tenant,
                                                            std::string_view principal_id) {
  return db_.Query([&](Connection& c) { return SelectPrincipalRoles(c, tenant, principal_id); });
}
Status PostgresStore::CreateGrant(const DirectGrant& grant) {
  return db_.Write([&](Connection& c) { return InsertGrant(c, grant); });
}
Result<DirectGrant> PostgresStore::GetGrant(const TenantId& tenant, std::string_view id) {
  return db_.Query([&](Connection& c) { return SelectGrant(c, tenant, id); });
}
Result<Page<DirectGrant>> PostgresStore::ListGrants(const TenantId& tenant,
                                                    const std::optional<std::string>& principal_id,
                                                    const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectGrants(c, tenant, principal_id, page); });
}
Status PostgresStore::DeleteGrant(const TenantId& tenant, std::string_view id) {
  return db_.Write([&](Connection& c) { return RemoveGrant(c, tenant, id); });
}
Result<std::vector<PermissionGrant>> PostgresStore::LoadPermissions(const TenantId& tenant,
                                                                    std::string_view principal_id) {
  return db_.Read([&](Connection& c) { return SelectPermissions(c, tenant, principal_id); });
}
Result<int64_t> PostgresStore::AccessVersion(const TenantId& tenant) {
  return db_.Query([&](Connection& c) { return SelectAccessVersion(c, tenant); });
}

Result<AuditEntry> PostgresStore::AppendAudit(AuditEntry entry) {
  return db_.Write([&](Connection& c) { return InsertAuditEntry(c, entry); });
}
Result<std::vector<AuditEntry>> PostgresStore::ListAudit(const std::optional<TenantId>& tenant,
                                                         const AuditFilter& filter, size_t offset,
                                                         size_t limit) {
  return db_.Query(
      [&](Connection& c) { return SelectAuditEntries(c, tenant, filter, offset, limit); });
}
Result<size_t> PostgresStore::CountAudit(const std::optional<TenantId>& tenant,
                                         const AuditFilter& filter) {
  return db_.Query([&](Connection& c) { return CountAuditEntries(c, tenant, filter); });
}
Result<AuditEntry> PostgresStore::GetAudit(const std::optional<TenantId>& tenant,
                                           std::string_view id) {
  return db_.Query([&](Connection& c) { return SelectAuditEntry(c, tenant, id); });
}
Result<std::vector<AuditEntry>> PostgresStore::ReadAuditChain(const TenantId& tenant,
                                                              int64_t after_seq, size_t limit) {
  return db_.Query([&](Connection& c) { return SelectAuditChain(c, tenant, after_seq, limit); });
}

Result<BusinessMetadata> PostgresStore::PutBusinessMetadata(const CatalogId& catalog,
                                                            const BusinessMetadata& metadata,
                                                            const ExpectedTags& expected) {
  return db_.Write(
      [&](Connection& c) { return UpsertBusinessMetadata(c, catalog, metadata, expected); });
}
Result<BusinessMetadata> PostgresStore::GetBusinessMetadata(const TenantId& tenant,
                                                            std::string_view asset_id) {
  return db_.Read([&](Connection& c) { return SelectBusinessMetadata(c, tenant, asset_id); });
}
Status PostgresStore::DeleteBusinessMetadata(const TenantId& tenant, std::string_view asset_id,
                                             const ExpectedTags& expected) {
  return db_.Write(
      [&](Connection& c) { return RemoveBusinessMetadata(c, tenant, asset_id, expected); });
}
Result<std::vector<std::pair<std::string, std::string>>> PostgresStore::ListTaggedAssets(
    const TenantId& tenant, const std::vector<std::string>& tags) {
  return db_.Query([&](Connection& c) { return SelectTaggedAssets(c, tenant, tags); });
}

Result<int64_t> PostgresStore::AddHit(std::string_view key, int64_t window_start_ms,
                                      int64_t expires_ms) {
  return db_.Write([&](Connection& c) { return AddHitRow(c, key, window_start_ms, expires_ms); });
}
Result<int64_t> PostgresStore::CountHits(std::string_view key, int64_t window_start_ms) {
  return db_.Query([&](Connection& c) { return CountHitRows(c, key, window_start_ms); });
}
Result<size_t> PostgresStore::PurgeRateLimits(int64_t now_ms) {
  return db_.Write([&](Connection& c) { return PurgeRateLimitRows(c, now_ms); });
}

Status PostgresStore::PutOAuthState(const OAuthState& state) {
  return db_.Write([&](Connection& c) { return InsertOAuthStateRow(c, state); });
}
Result<std::optional<OAuthState>> PostgresStore::TakeOAuthState(std::string_view key,
                                                                int64_t now_ms) {
  return db_.Write([&](Connection& c) { return TakeOAuthStateRow(c, key, now_ms); });
}
Result<size_t> PostgresStore::PurgeOAuthStates(int64_t now_ms) {
  return db_.Write([&](Connection& c) { return PurgeOAuthStateRows(c, now_ms); });
}

}  // namespace pangolin::store::postgres_internal
