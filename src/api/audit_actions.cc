// The audit table of every mutating route; see audit_actions.h.
#include "api/audit_actions.h"

#include <array>
#include <string>

namespace pangolin::api {
namespace {

using Mode = AuditAs::Mode;

struct Row {
  std::string_view method;
  std::string_view path;  // Iceberg routes without their "/{prefix}"
  AuditAs audit;
};

constexpr AuditAs Record(std::string_view action, std::string_view type) {
  return {Mode::kPipeline, action, type};
}
constexpr AuditAs kByHandler{Mode::kHandler, "", ""};
constexpr AuditAs kReadOnly{Mode::kNone, "", ""};

constexpr std::array kTable = {
    Row{"POST", "/v1/namespaces", Record("create_namespace", "namespace")},
    Row{"DELETE", "/v1/namespaces/{namespace}", Record("delete_namespace", "namespace")},
    Row{"POST", "/v1/namespaces/{namespace}/properties", Record("update_namespace", "namespace")},
    Row{"POST", "/v1/namespaces/{namespace}/tables", Record("create_table", "table")},
    Row{"POST", "/v1/namespaces/{namespace}/tables/{table}", Record("commit_table", "table")},
    Row{"DELETE", "/v1/namespaces/{namespace}/tables/{table}", Record("drop_table", "table")},
    Row{"POST", "/v1/namespaces/{namespace}/register", Record("create_table", "table")},
    Row{"POST", "/v1/namespaces/{namespace}/tables/{table}/unregister",
        Record("drop_table", "table")},
    Row{"POST", "/v1/tables/rename", Record("rename_table", "table")},
    Row{"POST", "/v1/namespaces/{namespace}/tables/{table}/metrics", kReadOnly},
    Row{"POST", "/v1/namespaces/{namespace}/tables/{table}/plan", kReadOnly},
    Row{"DELETE", "/v1/namespaces/{namespace}/tables/{table}/plan/{plan-id}", kReadOnly},
    Row{"POST", "/v1/namespaces/{namespace}/tables/{table}/tasks", kReadOnly},
    // Called for every S3 request an engine makes, like reads of the table: not audited.
    Row{"POST", "/v1/namespaces/{namespace}/tables/{table}/sign", kReadOnly},
    Row{"POST", "/v1/transactions/commit", Record("commit_table", "table")},
    Row{"POST", "/v1/namespaces/{namespace}/views", Record("create_view", "view")},
    Row{"POST", "/v1/namespaces/{namespace}/views/{view}", Record("update_view", "view")},
    Row{"DELETE", "/v1/namespaces/{namespace}/views/{view}", Record("drop_view", "view")},
    Row{"POST", "/v1/views/rename", Record("rename_view", "view")},
    Row{"POST", "/v1/namespaces/{namespace}/register-view", Record("create_view", "view")},
    Row{"POST", "/v1/oauth/tokens", kByHandler},
    Row{"POST", "/api/v1/warehouses", Record("create_warehouse", "warehouse")},
    Row{"PUT", "/api/v1/warehouses/{name}", Record("update_warehouse", "warehouse")},
    Row{"DELETE", "/api/v1/warehouses/{name}", Record("delete_warehouse", "warehouse")},
    Row{"POST", "/api/v1/catalogs", Record("create_catalog", "catalog")},
    Row{"PUT", "/api/v1/catalogs/{name}", Record("update_catalog", "catalog")},
    Row{"DELETE", "/api/v1/catalogs/{name}", Record("delete_catalog", "catalog")},
    Row{"POST", "/api/v1/branches", Record("create_branch", "branch")},
    Row{"DELETE", "/api/v1/branches/{name}", Record("delete_branch", "branch")},
    Row{"POST", "/api/v1/tags", Record("create_tag", "tag")},
    Row{"DELETE", "/api/v1/tags/{name}", Record("delete_tag", "tag")},
    Row{"POST", "/api/v1/branches/merge", Record("merge_branch", "branch")},
    Row{"POST", "/api/v1/branches/{name}/rebase", Record("merge_branch", "branch")},
    Row{"POST", "/api/v1/merge-operations/{id}/complete",
        Record("complete_merge", "merge_operation")},
    Row{"POST", "/api/v1/merge-operations/{id}/abort", Record("abort_merge", "merge_operation")},
    Row{"POST", "/api/v1/conflicts/{id}/resolve", Record("resolve_conflict", "conflict")},
    Row{"POST", "/api/v1/users/login", kByHandler},
    Row{"POST", "/api/v1/oauth/exchange", kByHandler},
    Row{"POST", "/api/v1/users/logout", Record("logout", "token")},
    Row{"POST", "/api/v1/auth/revoke", Record("revoke_token", "token")},
    Row{"POST", "/api/v1/auth/revoke/{token_id}", Record("revoke_token", "token")},
    Row{"POST", "/api/v1/auth/cleanup-tokens", Record("revoke_token", "token")},
    Row{"POST", "/api/v1/auth/signing-keys/rotate", Record("rotate_signing_key", "token")},
    Row{"POST", "/api/v1/tokens", Record("generate_token", "token")},
    Row{"POST", "/api/v1/tokens/rotate", Record("generate_token", "token")},
    Row{"DELETE", "/api/v1/tokens/{token_id}", Record("revoke_token", "token")},
    Row{"POST", "/api/v1/tenants", Record("create_tenant", "tenant")},
    Row{"PUT", "/api/v1/tenants/{id}", Record("update_tenant", "tenant")},
    Row{"DELETE", "/api/v1/tenants/{id}", Record("delete_tenant", "tenant")},
    Row{"POST", "/api/v1/users", Record("create_user", "user")},
    Row{"PUT", "/api/v1/users/{id}", Record("update_user", "user")},
    Row{"DELETE", "/api/v1/users/{id}", Record("delete_user", "user")},
    Row{"POST", "/api/v1/service-users", Record("create_service_user", "service_user")},
    Row{"PUT", "/api/v1/service-users/{id}", Record("update_service_user", "service_user")},
    Row{"DELETE", "/api/v1/service-users/{id}", Record("delete_service_user", "service_user")},
    Row{"POST", "/api/v1/service-users/{id}/rotate", Record("rotate_api_key", "service_user")},
    Row{"POST", "/api/v1/roles", Record("create_role", "role")},
    Row{"PUT", "/api/v1/roles/{id}", Record("update_role", "role")},
    Row{"DELETE", "/api/v1/roles/{id}", Record("delete_role", "role")},
    Row{"POST", "/api/v1/users/{id}/roles", Record("assign_role", "role")},
    Row{"DELETE", "/api/v1/users/{id}/roles/{role_id}", Record("unassign_role", "role")},
    Row{"POST", "/api/v1/permissions", Record("grant_permission", "permission")},
    Row{"DELETE", "/api/v1/permissions/{id}", Record("revoke_permission", "permission")},
    Row{"POST", "/api/v1/assets/{id}/metadata", Record("update_metadata", "metadata")},
    Row{"DELETE", "/api/v1/assets/{id}/metadata", Record("delete_metadata", "metadata")},
    Row{"DELETE", "/api/v1/business-metadata/{asset_id}", Record("delete_metadata", "metadata")},
};

}  // namespace

std::optional<AuditAs> AuditFor(std::string_view method, std::string_view path_template) {
  if (method == "GET" || method == "HEAD") return kReadOnly;
  std::string path(path_template);
  constexpr std::string_view kPrefixed = "/v1/{prefix}/";
  if (path.compare(0, kPrefixed.size(), kPrefixed) == 0) path.erase(3, 9);
  for (const Row& row : kTable) {
    if (row.method == method && row.path == path) return row.audit;
  }
  return std::nullopt;
}

std::string_view AuditModeName(const std::optional<AuditAs>& audit) {
  if (!audit) return "missing";
  switch (audit->mode) {
    case Mode::kPipeline:
      return "pipeline";
    case Mode::kHandler:
      return "handler";
    case Mode::kNone:
      break;
  }
  return "none";
}

}  // namespace pangolin::api
