// Who is asking: every service call carries the caller's tenant (ARCHITECTURE §3.2), the
// authenticated principal, and the ids the audit trail and logs need.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "catalog/access.h"
#include "catalog/audit.h"
#include "catalog/identity.h"
#include "catalog/model.h"
#include "common/ids.h"

namespace pangolin::service {

struct Context {
  // The tenant the request acts in: the principal's own, or the one root selected.
  TenantId tenant = kDefaultTenant;
  catalog::Principal caller;
  // The caller's display name, recorded as the author of commits and merges.
  std::string principal = "anonymous";
  std::string request_id;
  std::string remote_address;
  std::string user_agent;

  // The access version of `tenant` (store::AccessStore::AccessVersion), read once per request:
  // by authentication, or by the first lookup that needs it (RequestAccessVersion).
  mutable std::optional<int64_t> access_version;

  // Set by the Authorizer: a permission route whose handler never checked is refused.
  mutable bool access_checked = false;
  // The caller's grants, read once per request by the Authorizer.
  mutable std::shared_ptr<const catalog::PermissionSet> permissions;
  // The audit entry of a mutating request, prepared by the pipeline. A catalog commit made for
  // the request stores it in the same transaction and sets `audit_recorded`; otherwise the
  // pipeline stores it once the request is answered.
  mutable std::optional<catalog::AuditEntry> audit;
  mutable bool audit_recorded = false;

  // The catalog entry the authorization of this request read to learn an object's id, handed to
  // the request's first read of the same entry (IcebergService::GetEntry), which takes it: the
  // handler acts on the object that was authorized, and the store is read once. Kept for
  // requests that only read (a change reads afresh under its table's lock).
  struct EntryRead {
    CatalogId catalog;
    std::string ref;
    catalog::ContentKey key;
    std::optional<catalog::Content> entry;
  };
  mutable std::optional<EntryRead> authorized_entry;

  // Root, or a tenant admin of `tenant` (the reference's Admin(T)).
  bool IsAdminOf(const TenantId& t) const { return catalog::RoleCoversTenant(caller, t); }
  bool IsTenantAdmin() const { return IsAdminOf(tenant); }
};

}  // namespace pangolin::service
