// PostgresStore: MetadataStore over a pool of PostgreSQL connections. Each method picks its
// transaction through Database (postgres_db_internal.h) and does its rows through the functions of
// postgres_ops_internal.h and postgres_identity_internal.h. Methods are defined in
// postgres_store.cc (catalogs, content, references, merges, metrics, idempotency) and
// postgres_store_identity.cc (identity, access, audit, business metadata, rate limits, OAuth
// states).
#pragma once

#include <memory>

#include "store/metadata_store.h"
#include "store/postgres/postgres_db_internal.h"
#include "store/postgres/postgres_ops_internal.h"
#include "store/postgres/postgres_store.h"

namespace pangolin::store::postgres_internal {

class PostgresStore final : public MetadataStore {
 public:
  PostgresStore(ConnectSettings settings, const PostgresOptions& options);

  Status Ping() override;
  Status Audited(const AuditEntry& audit, const std::function<Status()>& change) override;

  Status CreateWarehouse(const Warehouse& warehouse) override;
  Result<Warehouse> GetWarehouse(const TenantId& tenant, std::string_view name) override;
  Result<Page<Warehouse>> ListWarehouses(const TenantId& tenant, const PageRequest& page) override;
  Status UpdateWarehouse(const TenantId& tenant, std::string_view name,
                         const Warehouse& warehouse) override;
  Status DeleteWarehouse(const TenantId& tenant, std::string_view name) override;

  Status CreateCatalog(const Catalog& catalog) override;
  Result<Catalog> GetCatalog(const TenantId& tenant, std::string_view name) override;
  Result<Page<Catalog>> ListCatalogs(const TenantId& tenant, const PageRequest& page) override;
  Status UpdateCatalog(const TenantId& tenant, std::string_view name,
                       const Catalog& catalog) override;
  Status DeleteCatalog(const TenantId& tenant, std::string_view name) override;

  Result<std::optional<Content>> GetContent(const TenantId& tenant, const CatalogId& catalog,
                                            std::string_view ref, const ContentKey& key) override;
  Result<Page<Entry>> ListContent(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view ref, ContentKey::Space space,
                                  const Namespace& parent, std::optional<ContentType> type,
                                  const PageRequest& page) override;
  Result<std::string> Commit(const TenantId& tenant, const CatalogId& catalog,
                             const CommitRequest& request) override;
  Result<Page<CommitRecord>> ListCommits(const TenantId& tenant, const CatalogId& catalog,
                                         std::string_view ref, const PageRequest& page) override;
  Result<CommitRecord> GetCommit(const TenantId& tenant, const CatalogId& catalog,
                                 std::string_view commit_id) override;
  Result<catalog::AssetLocation> FindAsset(const TenantId& tenant,
                                           std::string_view asset_id) override;

  Result<RefInfo> ResolveRef(const TenantId& tenant, const CatalogId& catalog,
                             std::string_view ref) override;
  Result<Branch> CreateBranch(const TenantId& tenant, const CatalogId& catalog,
                              const NewBranch& branch) override;
  Result<Branch> GetBranch(const TenantId& tenant, const CatalogId& catalog,
                           std::string_view name) override;
  Result<Page<Branch>> ListBranches(const TenantId& tenant, const CatalogId& catalog,
                                    const PageRequest& page) override;
  Status DeleteBranch(const TenantId& tenant, const CatalogId& catalog,
                      std::string_view name) override;
  Result<Tag> CreateTag(const TenantId& tenant, const CatalogId& catalog, std::string_view name,
                        std::string_view target, int64_t time_ms) override;
  Result<Tag> GetTag(const TenantId& tenant, const CatalogId& catalog,
                     std::string_view name) override;
  Result<Page<Tag>> ListTags(const TenantId& tenant, const CatalogId& catalog,
                             const PageRequest& page) override;
  Status DeleteTag(const TenantId& tenant, const CatalogId& catalog,
                   std::string_view name) override;

  Status CreateMergeOperation(const TenantId& tenant, const MergeOperation& op) override;
  Result<MergeOperation> GetMergeOperation(const TenantId& tenant, std::string_view id) override;
  Result<Page<MergeOperation>> ListMergeOperations(const TenantId& tenant, const CatalogId& catalog,
                                                   const PageRequest& page) override;
  Result<MergeOperation> UpdateMergeOperation(const TenantId& tenant,
                                              const MergeOperation& op) override;

  Status AddMetricsReport(const TenantId& tenant, const MetricsReport& report) override;
  Result<Page<MetricsReport>> ListMetricsReports(const TenantId& tenant, const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page) override;
  Result<size_t> PurgeMetricsReports(int64_t before_ms) override;

  Result<std::optional<IdempotencyRecord>> ClaimIdempotencyKey(
      const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
      const std::optional<std::string>& takeover) override;
  Status FinishIdempotencyKey(const TenantId& tenant, std::string_view key,
                              std::string_view claim_id,
                              const std::optional<StoredResponse>& response) override;
  Result<size_t> PurgeIdempotencyKeys(int64_t now_ms) override;

  // IdentityStore
  Status CreateTenant(const Tenant& tenant) override;
  Result<Tenant> GetTenant(const TenantId& id) override;
  Result<Page<Tenant>> ListTenants(const PageRequest& page) override;
  Status UpdateTenant(const Tenant& tenant) override;
  Status DeleteTenant(const TenantId& id) override;
  Status CreateUser(const User& user) override;
  Result<User> GetUser(const std::optional<TenantId>& tenant, std::string_view id) override;
  Result<User> FindUserByName(const std::optional<TenantId>& tenant,
                              std::string_view username) override;
  Result<User> FindUserByOidc(std::string_view issuer, std::string_view subject) override;
  Result<Page<User>> ListUsers(const std::optional<TenantId>& tenant,
                               const PageRequest& page) override;
  Status UpdateUser(const User& user) override;
  Status DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) override;
  Status CreateServiceUser(const ServiceUser& user) override;
  Result<ServiceUser> GetServiceUser(const TenantId& tenant, std::string_view id) override;
  Result<ServiceUser> FindServiceUserByKeyId(std::string_view key_id) override;
  Result<Page<ServiceUser>> ListServiceUsers(const TenantId& tenant,
                                             const PageRequest& page) override;
  Status UpdateServiceUser(const ServiceUser& user) override;
  Status TouchServiceUser(std::string_view id, int64_t used_ms) override;
  Status DeleteServiceUser(const TenantId& tenant, std::string_view id) override;
  Status RecordToken(const TokenRecord& token) override;
  Result<std::optional<TokenRecord>> GetToken(std::string_view jti) override;
  Result<Page<TokenRecord>> ListTokens(std::string_view principal_id,
                                       const PageRequest& page) override;
  Status RevokeToken(std::string_view jti, int64_t revoked_ms,
                     const std::optional<std::string>& reason) override;
  Result<size_t> RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                                       std::string_view reason) override;
  Result<size_t> PurgeExpiredTokens(int64_t now_ms) override;
  Status AddSigningKey(const SigningKey& key) override;
  Result<std::vector<SigningKey>> ListSigningKeys() override;
  Status RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms) override;
  Status ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem) override;

  // AccessStore
  Status CreateRole(const Role& role) override;
  Result<Role> GetRole(const TenantId& tenant, std::string_view id) override;
  Result<Page<Role>> ListRoles(const TenantId& tenant, const PageRequest& page) override;
  Status UpdateRole(const Role& role) override;
  Status DeleteRole(const TenantId& tenant, std::string_view id) override;
  Status AssignRole(const TenantId& tenant, const RoleAssignment& assignment) override;
  Status UnassignRole(const TenantId& tenant, std::string_view principal_id,
                      std::string_view role_id) override;
  Result<std::vector<Role>> ListPrincipalRoles(const TenantId& tenant,
                                               std::string_view principal_id) override;
  Status CreateGrant(const DirectGrant& grant) override;
  Result<DirectGrant> GetGrant(const TenantId& tenant, std::string_view id) override;
  Result<Page<DirectGrant>> ListGrants(const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page) override;
  Status DeleteGrant(const TenantId& tenant, std::string_view id) override;
  Result<std::vector<PermissionGrant>> LoadPermissions(const TenantId& tenant,
                                                       std::string_view principal_id) override;
  Result<int64_t> AccessVersion(const TenantId& tenant) override;

  // AuditStore
  Result<AuditEntry> AppendAudit(AuditEntry entry) override;
  Result<std::vector<AuditEntry>> ListAudit(const std::optional<TenantId>& tenant,
                                            const AuditFilter& filter, size_t offset,
                                            size_t limit) override;
  Result<size_t> CountAudit(const std::optional<TenantId>& tenant,
                            const AuditFilter& filter) override;
  Result<AuditEntry> GetAudit(const std::optional<TenantId>& tenant, std::string_view id) override;
  Result<std::vector<AuditEntry>> ReadAuditChain(const TenantId& tenant, int64_t after_seq,
                                                 size_t limit) override;

  // DiscoveryStore
  Result<BusinessMetadata> PutBusinessMetadata(const CatalogId& catalog,
                                               const BusinessMetadata& metadata,
                                               const ExpectedTags& expected) override;
  Result<BusinessMetadata> GetBusinessMetadata(const TenantId& tenant,
                                               std::string_view asset_id) override;
  Status DeleteBusinessMetadata(const TenantId& tenant, std::string_view asset_id,
                                const ExpectedTags& expected) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListTaggedAssets(
      const TenantId& tenant, const std::vector<std::string>& tags) override;

  // RateLimitStore and OAuthStateStore
  Result<int64_t> AddHit(std::string_view key, int64_t window_start_ms,
                         int64_t expires_ms) override;
  Result<int64_t> CountHits(std::string_view key, int64_t window_start_ms) override;
  Result<size_t> PurgeRateLimits(int64_t now_ms) override;
  Status PutOAuthState(const OAuthState& state) override;
  Result<std::optional<OAuthState>> TakeOAuthState(std::string_view key, int64_t now_ms) override;
  Result<size_t> PurgeOAuthStates(int64_t now_ms) override;

 private:
  // Runs `body(conn, catalog_pk)` in a snapshot read.
  template <typename Body>
  auto ReadCatalog(const TenantId& tenant, const CatalogId& catalog, Body&& body)
      -> decltype(body(std::declval<Connection&>(), int64_t{})) {
    return db_.Read([&](Connection& c) -> decltype(body(c, int64_t{})) {
      ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
      return body(c, catalog_pk);
    });
  }
  // Runs `body(conn, catalog_pk)` in a write transaction holding the catalog's row against other
  // reference changes (LockCatalogForRefs).
  template <typename Body>
  auto ChangeRefs(const TenantId& tenant, const CatalogId& catalog, Body&& body)
      -> decltype(body(std::declval<Connection&>(), int64_t{})) {
    return db_.Write([&](Connection& c) -> decltype(body(c, int64_t{})) {
      ASSIGN_OR_RETURN(int64_t catalog_pk, LockCatalogForRefs(c, tenant, catalog));
      return body(c, catalog_pk);
    });
  }

  Pool pool_;
  Database db_;
};

}  // namespace pangolin::store::postgres_internal
