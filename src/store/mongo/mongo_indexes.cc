// The MongoDB store's indexes, created at start when missing (createIndexes is idempotent for an
// identical definition). Unique indexes carry every uniqueness rule of the store's contract.
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

struct IndexSpec {
  const char* collection;
  const char* name;
  const char* first;
  const char* second;
  const char* third;
  bool unique;
  const char* more[3] = {nullptr, nullptr, nullptr};  // further key fields
};

constexpr IndexSpec kIndexes[] = {
    {kTenants, "name_unique", "name", nullptr, nullptr, true},
    {kWarehouses, "tenant_name_unique", "tenant_id", "name", nullptr, true},
    {kCatalogs, "tenant_name_unique", "tenant_id", "name", nullptr, true},
    {kCatalogs, "warehouse", "warehouse_id", nullptr, nullptr, false},
    {kUsers, "tenant_username_unique", "tenant_key", "username", nullptr, true},
    {kUsers, "oidc_unique", "oidc", nullptr, nullptr, true},
    {kServiceUsers, "tenant_name_unique", "tenant_id", "name", nullptr, true},
    {kServiceUsers, "key_id_unique", "key_id", nullptr, nullptr, true},
    {kTokens, "principal_issued", "principal_id", "issued_ms", nullptr, false},
    {kTokens, "expires", "expires_ms", nullptr, nullptr, false},
    {kRoles, "tenant_name_unique", "tenant_id", "name", nullptr, true},
    {kAssignments, "principal_role_unique", "tenant_id", "principal_id", "role_id", true},
    {kAssignments, "role", "role_id", nullptr, nullptr, false},
    {kGrants, "tenant_principal", "tenant_id", "principal_id", nullptr, false},
    {kAccessVersions, "tenant_n_unique", "tenant_id", "n", nullptr, true},
    {kAudit, "tenant_seq_unique", "tenant_id", "seq", nullptr, true},
    {kMetrics, "catalog_created_unique", "catalog_id", "created", nullptr, true},
    {kMetrics, "catalog_received", "catalog_id", "received_ms", nullptr, false},
    {kMerges, "catalog_created_unique", "catalog_id", "created", nullptr, true},
    {kMergeVersions, "op_version_unique", "op_id", "version", nullptr, true},
    {kBusinessMetadata, "record_version_unique", "record", "version", nullptr, true},
    {kBusinessMetadata, "tenant_tags", "tenant_id", "tags", nullptr, false},
    {kAudit, "time", "time_ms", nullptr, nullptr, false},
    {kRefs, "catalog_name_unique", "catalog_id", "name", nullptr, true},
    {kRefs, "catalog_no_unique", "catalog_id", "no", nullptr, true},
    {kCommits, "catalog_seq_unique", "catalog_id", "seq", nullptr, true},
    {kCommits, "branch_parent_unique", "catalog_id", "branch_no", "parent_seq", true},
    {kCommits, "branch_seq", "catalog_id", "branch_no", "seq", false},
    {kVersions, "key_seq", "catalog_id", "branch_no", "space", false, {"parent", "name", "seq"}},
    {kVersions, "commit", "commit_id", "ordinal", nullptr, false},
    {kVersions, "asset", "tenant_id", "content_id", nullptr, false},
    {kRateLimits, "key_window_n_unique", "key", "window_start_ms", "n", true},
    {kRateLimits, "expires", "expires_ms", nullptr, nullptr, false},
    {kOAuthStates, "expires", "expires_ms", nullptr, nullptr, false},
    {kIdempotency, "tenant_key_gen_unique", "tenant_id", "key", "gen", true},
    {kIdempotency, "expires", "expires_ms", nullptr, nullptr, false},
};

}  // namespace

Status EnsureIndexes(Client& client) {
  for (const IndexSpec& spec : kIndexes) {
    Doc keys;
    for (const char* field :
         {spec.first, spec.second, spec.third, spec.more[0], spec.more[1], spec.more[2]}) {
      if (field) keys.Int(field, 1);
    }
    RETURN_IF_ERROR(client.EnsureIndex(spec.collection, spec.name, keys, spec.unique));
  }
  return {};
}

}  // namespace pangolin::store::mongo_internal
