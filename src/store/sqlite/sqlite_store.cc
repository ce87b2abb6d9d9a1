// SqliteStore: MetadataStore over one SQLite file. Writes go through the single writer connection
// (a mutex in this process, BEGIN IMMEDIATE across processes) and are synced after the mutex is
// released, one sync for every writer waiting (WalSync); reads use a pooled connection each in
// its own read transaction, which WAL lets run beside a writer.
#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "common/strings.h"
#include "store/sqlite/sqlite_db_internal.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"
#include "store/sqlite/sqlite_readers.h"
#include "store/sqlite/sqlite_wal_header.h"
#include "store/sqlite/sqlite_wal_sync.h"

namespace pangolin::store {
namespace {

using namespace sqlite_internal;

Result<std::optional<int64_t>> DecodeSeqToken(const std::string& token) {
  ASSIGN_OR_RETURN(auto text, DecodeToken(token));
  if (!text) return std::optional<int64_t>();
  auto seq = ParseInt(*text);
  if (!seq) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<int64_t>(*seq);
}

// Identities as one string (the keys of CommittedReads): each part with its length first, so no
// two differ only in where one part ends.
void AddPart(std::string& id, std::string_view part) {
  id += std::to_string(part.size());
  id += ':';
  id += part;
}

std::string RefId(const TenantId& tenant, const CatalogId& catalog, std::string_view ref) {
  std::string id;
  AddPart(id, tenant.value);
  AddPart(id, catalog.value);
  AddPart(id, ref);
  return id;
}

std::string EntryId(const TenantId& tenant, const CatalogId& catalog, std::string_view ref,
                    const ContentKey& key) {
  std::string id = RefId(tenant, catalog, ref);
  AddPart(id, key.space == ContentKey::Space::kObject ? "o" : "n");
  for (const auto& level : key.parent) AddPart(id, level);
  AddPart(id, key.name);
  return id;
}

std::string ListingId(const TenantId& tenant, const CatalogId& catalog, std::string_view ref,
                      ContentKey::Space space, const Namespace& parent,
                      std::optional<ContentType> type, const PageRequest& page) {
  std::string id = RefId(tenant, catalog, ref);
  AddPart(id, space == ContentKey::Space::kObject ? "o" : "n");
  AddPart(id, std::to_string(parent.size()));
  for (const auto& level : parent) AddPart(id, level);
  AddPart(id, type ? std::to_string(static_cast<int>(*type)) : "");
  AddPart(id, page.token);
  AddPart(id, std::to_string(page.limit));
  return id;
}

class SqliteStore final : public MetadataStore {
 public:
  SqliteStore(std::unique_ptr<Connection> writer, std::unique_ptr<WalSync> wal)
      : wal_header_(WalHeader::Watch(*writer)), writer_(std::move(writer)), wal_(std::move(wal)) {}
  void AddReader(std::unique_ptr<Connection> reader) { readers_.Add(std::move(reader)); }

  Status Ping() override {
    return Read([](Connection& c) -> Status {
      ASSIGN_OR_RETURN(Statement stmt, c.Prepare("SELECT 1"));
      return stmt.Step().map([](bool) {});
    });
  }

  Status CreateWarehouse(const Warehouse& warehouse) override {
    return Write([&](Connection& c) { return InsertWarehouse(c, warehouse); });
  }
  Result<Warehouse> GetWarehouse(const TenantId& tenant, std::string_view name) override {
    return ReadOne([&](Connection& c) { return SelectWarehouse(c, tenant, name); });
  }
  Result<Page<Warehouse>> ListWarehouses(const TenantId& tenant, const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectWarehouses(c, tenant, page); });
  }
  Status UpdateWarehouse(const TenantId& tenant, std::string_view name,
                         const Warehouse& warehouse) override {
    return Write([&](Connection& c) { return ReplaceWarehouse(c, tenant, name, warehouse); });
  }
  Status DeleteWarehouse(const TenantId& tenant, std::string_view name) override {
    return Write([&](Connection& c) { return RemoveWarehouse(c, tenant, name); });
  }

  Status CreateCatalog(const Catalog& catalog) override {
    return Write([&](Connection& c) { return InsertCatalog(c, catalog); });
  }
  Result<Catalog> GetCatalog(const TenantId& tenant, std::string_view name) override {
    return ReadOne([&](Connection& c) { return SelectCatalog(c, tenant, name); });
  }
  Result<Page<Catalog>> ListCatalogs(const TenantId& tenant, const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectCatalogs(c, tenant, page); });
  }
  Status UpdateCatalog(const TenantId& tenant, std::string_view name,
                       const Catalog& catalog) override {
    return Write([&](Connection& c) { return ReplaceCatalog(c, tenant, name, catalog); });
  }
  Status DeleteCatalog(const TenantId& tenant, std::string_view name) override {
    return Write([&](Connection& c) { return RemoveCatalog(c, tenant, name); });
  }

  // Every table request reads its entry: answered without SQLite while nothing is committed.
  Result<std::optional<Content>> GetContent(const TenantId& tenant, const CatalogId& catalog,
                                            std::string_view ref, const ContentKey& key) override {
    if (InAuditedChange()) return ReadEntry(tenant, catalog, ref, key);
    return entries_.Get(EntryId(tenant, catalog, ref, key),
                        [&] { return ReadCommittedEntry(tenant, catalog, ref, key); });
  }

  // `key` on `ref` by its primary key alone when `ref` is a root branch already known since the
  // last commit (skipping the catalog and branch lookups); else as ReadEntry.
  Result<std::optional<Content>> ReadCommittedEntry(const TenantId& tenant,
                                                    const CatalogId& catalog, std::string_view ref,
                                                    const ContentKey& key) {
    std::optional<WalHeader::Look> look = wal_header_ ? wal_header_->Now() : std::nullopt;
    if (!look) return ReadEntry(tenant, catalog, ref, key);
    auto read_branch = [&] {
      return ReadOne([&](Connection& c) { return SelectRootBranch(c, tenant, catalog, ref); });
    };
    ASSIGN_OR_RETURN(std::optional<int64_t> branch,
                     root_branches_.Get(RefId(tenant, catalog, ref), read_branch));
    if (!branch) return ReadEntry(tenant, catalog, ref, key);
    ASSIGN_OR_RETURN(versioning::Version row,
                     ReadOne([&](Connection& c) { return SelectBranchRow(c, *branch, key); }));
    // Nothing committed since `look`: `ref` was still that branch when its row was read.
    if (wal_header_->Now() == look) return row;
    return ReadEntry(tenant, catalog, ref, key);
  }

  // `key` on `ref` in one read transaction.
  Result<std::optional<Content>> ReadEntry(const TenantId& tenant, const CatalogId& catalog,
                                           std::string_view ref, const ContentKey& key) {
    return Read([&](Connection& c) -> Result<std::optional<Content>> {
      ASSIGN_OR_RETURN(std::optional<int64_t> branch, SelectRootBranch(c, tenant, catalog, ref));
      if (branch) return SelectBranchRow(c, *branch, key);
      ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
      ASSIGN_OR_RETURN(auto layers, LayersFor(c, catalog_pk, ref));
      SqliteLayers source(c);
      return versioning::Get(source, layers, key);
    });
  }

  // Every listing of tables, views or namespaces: a page is answered again while nothing is
  // committed.
  Result<Page<Entry>> ListContent(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view ref, ContentKey::Space space,
                                  const Namespace& parent, std::optional<ContentType> type,
                                  const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto after, DecodeToken(page.token));
    auto read = [&] {
      return Read([&](Connection& c) -> Result<Page<Entry>> {
        ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
        ASSIGN_OR_RETURN(auto layers, LayersFor(c, catalog_pk, ref));
        SqliteLayers source(c);
        ASSIGN_OR_RETURN(Page<Entry> result,
                         versioning::List(source, layers, space, parent, type, after, page.limit));
        if (result.next_token) result.next_token = EncodeToken(*result.next_token);
        return result;
      });
    };
    if (InAuditedChange()) return read();
    return pages_.Get(ListingId(tenant, catalog, ref, space, parent, type, page), read);
  }

  Result<std::string> Commit(const TenantId& tenant, const CatalogId& catalog,
                             const CommitRequest& request) override {
    // One transaction: any failure, the merge operation's version check or the audit append
    // included, rolls back the commit, the operation and the audit entry together.
    auto commit = [&](Connection& c) -> Result<std::string> {
      ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
      std::optional<MergeOperation> completed;
      if (request.completes_merge) {
        ASSIGN_OR_RETURN(completed,
                         PrepareMergeCompletion(c, tenant, catalog, *request.completes_merge));
      }
      ASSIGN_OR_RETURN(BranchRow branch, SelectLiveBranch(c, catalog_pk, request.branch));
      ASSIGN_OR_RETURN(auto layers, LayersFor(c, catalog_pk, request.branch));
      SqliteLayers source(c);
      RETURN_IF_ERROR(versioning::CheckPreconditions(source, layers, request.preconditions,
                                                     request.operations));
      ASSIGN_OR_RETURN(std::string id, WriteCommit(c, branch, request));
      if (completed) {
        completed->result_commit_id = id;
        RETURN_IF_ERROR(WriteMergeOperation(c, *completed));
      }
      if (request.audit) RETURN_IF_ERROR(InsertAuditEntry(c, *request.audit));
      return id;
    };
    return Write(commit, request.on_visible);
  }

  Result<Page<CommitRecord>> ListCommits(const TenantId& tenant, const CatalogId& catalog,
                                         std::string_view ref, const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto before, DecodeSeqToken(page.token));
    return Read([&](Connection& c) -> Result<Page<CommitRecord>> {
      ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
      ASSIGN_OR_RETURN(auto layers, LayersFor(c, catalog_pk, ref));
      return SelectHistory(c, layers, before, page.limit);
    });
  }

  Result<CommitRecord> GetCommit(const TenantId& tenant, const CatalogId& catalog,
                                 std::string_view commit_id) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectCommit(c, pk, commit_id); });
  }

  Result<RefInfo> ResolveRef(const TenantId& tenant, const CatalogId& catalog,
                             std::string_view ref) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectRef(c, pk, ref); });
  }

  Result<Branch> CreateBranch(const TenantId& tenant, const CatalogId& catalog,
                              const NewBranch& branch) override {
    return InCatalog(tenant, catalog, true,
                     [&](Connection& c, int64_t pk) { return InsertBranch(c, pk, branch); });
  }

  Result<Branch> GetBranch(const TenantId& tenant, const CatalogId& catalog,
                           std::string_view name) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectBranch(c, pk, name); });
  }

  Result<Page<Branch>> ListBranches(const TenantId& tenant, const CatalogId& catalog,
                                    const PageRequest& page) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectBranches(c, pk, page); });
  }

  Status DeleteBranch(const TenantId& tenant, const CatalogId& catalog,
                      std::string_view name) override {
    return InCatalog(tenant, catalog, true,
                     [&](Connection& c, int64_t pk) { return RemoveBranch(c, pk, name); });
  }

  Result<Tag> CreateTag(const TenantId& tenant, const CatalogId& catalog, std::string_view name,
                        std::string_view target, int64_t time_ms) override {
    return InCatalog(tenant, catalog, true, [&](Connection& c, int64_t pk) {
      return InsertTag(c, pk, name, target, time_ms);
    });
  }

  Result<Tag> GetTag(const TenantId& tenant, const CatalogId& catalog,
                     std::string_view name) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectTag(c, pk, name); });
  }

  Result<Page<Tag>> ListTags(const TenantId& tenant, const CatalogId& catalog,
                             const PageRequest& page) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectTags(c, pk, page); });
  }

  Status DeleteTag(const TenantId& tenant, const CatalogId& catalog,
                   std::string_view name) override {
    return InCatalog(tenant, catalog, true,
                     [&](Connection& c, int64_t pk) { return RemoveTag(c, pk, name); });
  }

  Status CreateMergeOperation(const TenantId& tenant, const MergeOperation& op) override {
    return Write([&](Connection& c) { return InsertMergeOperation(c, tenant, op); });
  }

  Result<MergeOperation> GetMergeOperation(const TenantId& tenant, std::string_view id) override {
    return Read([&](Connection& c) { return SelectMergeOperation(c, tenant, id); });
  }

  Result<Page<MergeOperation>> ListMergeOperations(const TenantId& tenant, const CatalogId& catalog,
                                                   const PageRequest& page) override {
    return InCatalog(tenant, catalog, false,
                     [&](Connection& c, int64_t pk) { return SelectMergeOperations(c, pk, page); });
  }

  Result<MergeOperation> UpdateMergeOperation(const TenantId& tenant,
                                              const MergeOperation& op) override {
    return Write([&](Connection& c) { return ReplaceMergeOperation(c, tenant, op); });
  }

  Status AddMetricsReport(const TenantId& tenant, const MetricsReport& report) override {
    return Write([&](Connection& c) { return InsertMetricsReport(c, tenant, report); });
  }

  Result<Page<MetricsReport>> ListMetricsReports(const TenantId& tenant, const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page) override {
    return InCatalog(tenant, catalog, false, [&](Connection& c, int64_t pk) {
      return SelectMetricsReports(c, pk, catalog, filter, page);
    });
  }

  Result<size_t> PurgeMetricsReports(int64_t before_ms) override {
    return Write([&](Connection& c) { return PurgeMetricsReportRows(c, before_ms); });
  }

  Result<std::optional<IdempotencyRecord>> ClaimIdempotencyKey(
      const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
      const std::optional<std::string>& takeover) override {
    return Write(
        [&](Connection& c) { return ClaimIdempotencyRow(c, tenant, record, now_ms, takeover); });
  }

  Status FinishIdempotencyKey(const TenantId& tenant, std::string_view key,
                              std::string_view claim_id,
                              const std::optional<StoredResponse>& response) override {
    return Write(
        [&](Connection& c) { return FinishIdempotencyRow(c, tenant, key, claim_id, response); });
  }

  Result<size_t> PurgeIdempotencyKeys(int64_t now_ms) override {
    return Write([&](Connection& c) { return PurgeIdempotencyRows(c, now_ms); });
  }

  Status CreateTenant(const Tenant& tenant) override {
    return Write([&](Connection& c) { return InsertTenant(c, tenant); });
  }
  Result<Tenant> GetTenant(const TenantId& id) override {
    return ReadOne([&](Connection& c) { return SelectTenant(c, id); });
  }
  Result<Page<Tenant>> ListTenants(const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectTenants(c, page); });
  }
  Status UpdateTenant(const Tenant& tenant) override {
    return Write([&](Connection& c) { return ReplaceTenant(c, tenant); });
  }
  Status DeleteTenant(const TenantId& id) override {
    return Write([&](Connection& c) { return RemoveTenant(c, id); });
  }

  Status CreateUser(const User& user) override {
    return Write([&](Connection& c) { return InsertUser(c, user); });
  }
  Result<User> GetUser(const std::optional<TenantId>& tenant, std::string_view id) override {
    return ReadOne([&](Connection& c) { return SelectUser(c, tenant, id); });
  }
  Result<User> FindUserByName(const std::optional<TenantId>& tenant,
                              std::string_view username) override {
    return ReadOne([&](Connection& c) { return SelectUserByName(c, tenant, username); });
  }
  Result<User> FindUserByOidc(std::string_view issuer, std::string_view subject) override {
    return ReadOne([&](Connection& c) { return SelectUserByOidc(c, issuer, subject); });
  }
  Result<Page<User>> ListUsers(const std::optional<TenantId>& tenant,
                               const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectUsers(c, tenant, page); });
  }
  Status UpdateUser(const User& user) override {
    return Write([&](Connection& c) { return ReplaceUser(c, user); });
  }
  Status DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) override {
    return Write([&](Connection& c) { return RemoveUser(c, tenant, id); });
  }

  Status CreateServiceUser(const ServiceUser& user) override {
    return Write([&](Connection& c) { return InsertServiceUser(c, user); });
  }
  Result<ServiceUser> GetServiceUser(const TenantId& tenant, std::string_view id) override {
    return ReadOne([&](Connection& c) { return SelectServiceUser(c, tenant, id); });
  }
  Result<ServiceUser> FindServiceUserByKeyId(std::string_view key_id) override {
    return ReadOne([&](Connection& c) { return SelectServiceUserByKeyId(c, key_id); });
  }
  Result<Page<ServiceUser>> ListServiceUsers(const TenantId& tenant,
                                             const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectServiceUsers(c, tenant, page); });
  }
  Status UpdateServiceUser(const ServiceUser& user) override {
    return Write([&](Connection& c) { return ReplaceServiceUser(c, user); });
  }
  Status TouchServiceUser(std::string_view id, int64_t used_ms) override {
    return Write([&](Connection& c) { return TouchServiceUserRow(c, id, used_ms); });
  }
  Status DeleteServiceUser(const TenantId& tenant, std::string_view id) override {
    return Write([&](Connection& c) { return RemoveServiceUser(c, tenant, id); });
  }

  Status RecordToken(const TokenRecord& token) override {
    return Write([&](Connection& c) { return InsertToken(c, token); });
  }
  Result<std::optional<TokenRecord>> GetToken(std::string_view jti) override {
    return ReadOne([&](Connection& c) { return SelectToken(c, jti); });
  }
  Result<Page<TokenRecord>> ListTokens(std::string_view principal_id,
                                       const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectTokens(c, principal_id, page); });
  }
  Status RevokeToken(std::string_view jti, int64_t revoked_ms,
                     const std::optional<std::string>& reason) override {
    return Write([&](Connection& c) { return RevokeTokenRow(c, jti, revoked_ms, reason); });
  }
  Result<size_t> RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                                       std::string_view reason) override {
    return Write([&](Connection& c) {
      return RevokePrincipalTokenRows(c, principal_id, revoked_ms, reason);
    });
  }
  Result<size_t> PurgeExpiredTokens(int64_t now_ms) override {
    return Write([&](Connection& c) { return PurgeExpiredTokenRows(c, now_ms); });
  }

  Status AddSigningKey(const SigningKey& key) override {
    return Write([&](Connection& c) { return InsertSigningKey(c, key); });
  }
  Result<std::vector<SigningKey>> ListSigningKeys() override {
    return Read([&](Connection& c) { return SelectSigningKeys(c); });
  }
  Status RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms) override {
    return Write(
        [&](Connection& c) { return RetireSigningKeyRow(c, kid, retired_ms, expires_ms); });
  }
  Status ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem) override {
    return Write([&](Connection& c) { return ReplaceSigningKeyPemRow(c, kid, private_key_pem); });
  }

  Status CreateRole(const Role& role) override {
    return Write([&](Connection& c) { return InsertRole(c, role); });
  }
  Result<Role> GetRole(const TenantId& tenant, std::string_view id) override {
    return Read([&](Connection& c) { return SelectRole(c, tenant, id); });
  }
  Result<Page<Role>> ListRoles(const TenantId& tenant, const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectRoles(c, tenant, page); });
  }
  Status UpdateRole(const Role& role) override {
    return Write([&](Connection& c) { return ReplaceRole(c, role); });
  }
  Status DeleteRole(const TenantId& tenant, std::string_view id) override {
    return Write([&](Connection& c) { return RemoveRole(c, tenant, id); });
  }

  Status AssignRole(const TenantId& tenant, const RoleAssignment& assignment) override {
    return Write([&](Connection& c) { return InsertRoleAssignment(c, tenant, assignment); });
  }
  Status UnassignRole(const TenantId& tenant, std::string_view principal_id,
                      std::string_view role_id) override {
    return Write(
        [&](Connection& c) { return RemoveRoleAssignment(c, tenant, principal_id, role_id); });
  }
  Result<std::vector<Role>> ListPrincipalRoles(const TenantId& tenant,
                                               std::string_view principal_id) override {
    return Read([&](Connection& c) { return SelectPrincipalRoles(c, tenant, principal_id); });
  }

  Status CreateGrant(const DirectGrant& grant) override {
    return Write([&](Connection& c) { return InsertGrant(c, grant); });
  }
  Result<DirectGrant> GetGrant(const TenantId& tenant, std::string_view id) override {
    return Read([&](Connection& c) { return SelectGrant(c, tenant, id); });
  }
  Result<Page<DirectGrant>> ListGrants(const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page) override {
    return Read([&](Connection& c) { return SelectGrants(c, tenant, principal_id, page); });
  }
  Status DeleteGrant(const TenantId& tenant, std::string_view id) override {
    return Write([&](Connection& c) { return RemoveGrant(c, tenant, id); });
  }
  Result<std::vector<PermissionGrant>> LoadPermissions(const TenantId& tenant,
                                                       std::string_view principal_id) override {
    return Read([&](Connection& c) { return SelectPermissions(c, tenant, principal_id); });
  }
  // Read on every authenticated request: answered without SQLite while nothing is committed.
  Result<int64_t> AccessVersion(const TenantId& tenant) override {
    auto read = [&] {
      return ReadOne([&](Connection& c) { return SelectAccessVersion(c, tenant); });
    };
    if (InAuditedChange()) return read();
    return access_versions_.Get(tenant.value, read);
  }

  Result<int64_t> AddHit(std::string_view key, int64_t window_start_ms,
                         int64_t expires_ms) override {
    return Write([&](Connection& c) { return AddHitRow(c, key, window_start_ms, expires_ms); });
  }
  Result<int64_t> CountHits(std::string_view key, int64_t window_start_ms) override {
    return Read([&](Connection& c) { return CountHitRows(c, key, window_start_ms); });
  }
  Result<size_t> PurgeRateLimits(int64_t now_ms) override {
    return Write([&](Connection& c) { return PurgeRateLimitRows(c, now_ms); });
  }

  Status PutOAuthState(const OAuthState& state) override {
    return Write([&](Connection& c) { return InsertOAuthStateRow(c, state); });
  }
  Result<std::optional<OAuthState>> TakeOAuthState(std::string_view key, int64_t now_ms) override {
    return Write([&](Connection& c) { return TakeOAuthStateRow(c, key, now_ms); });
  }
  Result<size_t> PurgeOAuthStates(int64_t now_ms) override {
    return Write([&](Connection& c) { return PurgeOAuthStateRows(c, now_ms); });
  }

  Status Audited(const AuditEntry& audit, const std::function<Status()>& change) override {
    if (InAuditedChange()) return Err(ErrorCode::kInternal, "store: Audited inside Audited");
    return Committed([&](Connection& c) -> Status {
      RETURN_IF_ERROR(RunAsAuditedChange(change));
      return InsertAuditEntry(c, audit).map([](const AuditEntry&) {});
    });
  }

  Result<catalog::AssetLocation> FindAsset(const TenantId& tenant,
                                           std::string_view asset_id) override {
    return Read([&](Connection& c) { return SelectAsset(c, tenant, asset_id); });
  }

  Result<BusinessMetadata> PutBusinessMetadata(const CatalogId& catalog,
                                               const BusinessMetadata& metadata,
                                               const ExpectedTags& expected) override {
    return Write(
        [&](Connection& c) { return UpsertBusinessMetadata(c, catalog, metadata, expected); });
  }
  Result<BusinessMetadata> GetBusinessMetadata(const TenantId& tenant,
                                               std::string_view asset_id) override {
    return Read([&](Connection& c) { return SelectBusinessMetadata(c, tenant, asset_id); });
  }
  Status DeleteBusinessMetadata(const TenantId& tenant, std::string_view asset_id,
                                const ExpectedTags& expected) override {
    return Write(
        [&](Connection& c) { return RemoveBusinessMetadata(c, tenant, asset_id, expected); });
  }
  Result<std::vector<std::pair<std::string, std::string>>> ListTaggedAssets(
      const TenantId& tenant, const std::vector<std::string>& tags) override {
    return Read([&](Connection& c) { return SelectTaggedAssets(c, tenant, tags); });
  }

  Result<AuditEntry> AppendAudit(AuditEntry entry) override {
    return Write([&](Connection& c) { return InsertAuditEntry(c, std::move(entry)); });
  }
  Result<std::vector<AuditEntry>> ListAudit(const std::optional<TenantId>& tenant,
                                            const AuditFilter& filter, size_t offset,
                                            size_t limit) override {
    return Read(
        [&](Connection& c) { return SelectAuditEntries(c, tenant, filter, offset, limit); });
  }
  Result<size_t> CountAudit(const std::optional<TenantId>& tenant,
                            const AuditFilter& filter) override {
    return Read([&](Connection& c) { return CountAuditEntries(c, tenant, filter); });
  }
  Result<AuditEntry> GetAudit(const std::optional<TenantId>& tenant, std::string_view id) override {
    return Read([&](Connection& c) { return SelectAuditEntry(c, tenant, id); });
  }
  Result<std::vector<AuditEntry>> ReadAuditChain(const TenantId& tenant, int64_t after_seq,
                                                 size_t limit) override {
    return Read([&](Connection& c) { return SelectAuditChain(c, tenant, after_seq, limit); });
  }

 private:
  // Runs `body(connection, catalog_pk)` in a read or write transaction.
  template <typename Body>
  auto InCatalog(const TenantId& tenant, const CatalogId& catalog, bool write, Body&& body)
      -> decltype(body(std::declval<Connection&>(), int64_t{})) {
    auto run = [&](Connection& c) -> decltype(body(c, int64_t{})) {
      ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
      return body(c, catalog_pk);
    };
    return write ? Write(run) : Read(run);
  }

  // Inside Audited's transaction, reads and writes of its thread use the writer connection, so
  // that they see the transaction's own writes; each write is a savepoint in it.
  bool InAuditedChange() const { return audited_thread_ == std::this_thread::get_id(); }

  Status RunAsAuditedChange(const std::function<Status()>& change) {
    struct Owner {
      std::atomic<std::thread::id>& thread;
      explicit Owner(std::atomic<std::thread::id>& t) : thread(t) {
        thread = std::this_thread::get_id();
      }
      ~Owner() { thread = std::thread::id(); }
    } owner(audited_thread_);
    return change();
  }

  // Runs `body` on one consistent snapshot of what is committed now.
  template <typename Body>
  auto Read(Body&& body) -> decltype(body(std::declval<Connection&>())) {
    if (InAuditedChange()) return body(*writer_);
    auto lease = readers_.Acquire();
    if (!lease.InSnapshot()) return InReadTxn(*lease, body);
    try {
      return body(*lease);
    } catch (const std::exception& e) {
      lease.EndSnapshot();
      return MakeError(ErrorCode::kInternal, std::string("store: ") + e.what());
    }
  }

  // A read of one statement, which is its own consistent snapshot when the reader keeps none.
  template <typename Body>
  auto ReadOne(Body&& body) -> decltype(body(std::declval<Connection&>())) {
    if (InAuditedChange()) return body(*writer_);
    auto lease = readers_.Acquire();
    return body(*lease);
  }

  // `on_visible`: as Committed's; never called inside an audited change, whose savepoint becomes
  // visible with the change.
  template <typename Body>
  auto Write(Body&& body, const std::function<void()>& on_visible = nullptr)
      -> decltype(body(std::declval<Connection&>())) {
    if (InAuditedChange()) return InSavepoint(*writer_, body);
    return Committed(body, on_visible);
  }

  // Runs `body` in a write transaction and returns once it is durable; calls `on_visible`, when
  // set, once the transaction has committed and before it is synced.
  template <typename Body>
  auto Committed(Body&& body, const std::function<void()>& on_visible = nullptr)
      -> decltype(body(std::declval<Connection&>())) {
    uint64_t commit = 0;
    readers_.EndIdleSnapshots();
    auto result = [&] {
      std::lock_guard lock(write_mu_);
      auto written = InWriteTxn(*writer_, body);
      if (written) commit = wal_->Committed();
      return written;
    }();
    if (result && on_visible) on_visible();
    if (result) RETURN_IF_ERROR(wal_->Through(commit));
    return result;
  }

  std::mutex write_mu_;
  std::atomic<std::thread::id> audited_thread_;
  std::unique_ptr<WalHeader> wal_header_;  // null where the VFS has no shared memory
  CommittedReads<int64_t> access_versions_{wal_header_.get(), 10000};
  CommittedReads<std::optional<Content>> entries_{wal_header_.get(), 10000};
  CommittedReads<std::optional<int64_t>> root_branches_{wal_header_.get(), 10000};  // by RefId
  // Listing pages, by their arguments; at most 50,000 entries in all.
  CommittedReads<Page<Entry>> pages_{wal_header_.get(), 50000,
                                     [](const Page<Entry>& page) { return page.items.size() + 1; }};
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<WalSync> wal_;
  ReaderPool readers_{wal_header_.get()};
};

// journal_mode is persistent in the file; setting it answers the mode actually in effect.
Status EnableWal(Connection& conn) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("PRAGMA journal_mode = WAL"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || ToLower(stmt.Text(0)) != "wal") {
    return Err(ErrorCode::kUnavailable, "SQLite: cannot enable WAL mode");
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<MetadataStore>> MakeSqliteStore(const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return Err(ErrorCode::kInvalidArgument, "SQLite store needs a file path");
  }
  if (options.read_connections < 1 || options.busy_timeout_ms < 0) {
    return Err(ErrorCode::kInvalidArgument, "SQLite store: invalid pool size or busy timeout");
  }
  ASSIGN_OR_RETURN(auto writer, Connection::Open(options.path, options.busy_timeout_ms, true));
  RETURN_IF_ERROR(EnableWal(*writer));
  RETURN_IF_ERROR(Migrate(*writer));
  // Commits are synced by WalSync, after the write lock is released.
  RETURN_IF_ERROR(writer->Exec("PRAGMA synchronous = NORMAL"));
  ASSIGN_OR_RETURN(auto wal, WalSync::Open(options.path));
  auto store = std::make_unique<SqliteStore>(std::move(writer), std::move(wal));
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(auto reader, Connection::Open(options.path, options.busy_timeout_ms, false));
    RETURN_IF_ERROR(reader->Exec("PRAGMA query_only = ON"));
    store->AddReader(std::move(reader));
  }
  return std::unique_ptr<MetadataStore>(std::move(store));
}

}  // namespace pangolin::store
