// IdentityService: tenants, users and service users, with the reference's rules on who may do
// what (root everywhere; a tenant admin inside its own tenant only; a user on itself), so that
// no route can reach another tenant's principals. Objects outside the caller's reach are reported
// as not found, never as forbidden, so their existence does not leak.
#pragma once

#include <optional>
#include <string>

#include "catalog/identity.h"
#include "common/clock.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct TenantInput {
  std::string name;
  catalog::Properties properties;
  // The tenant's first admin, created with it when both are given.
  std::optional<std::string> admin_username;
  std::optional<std::string> admin_password;
};

struct TenantPatch {
  std::optional<std::string> name;
  std::optional<catalog::Properties> properties;
};

struct UserInput {
  std::string username;
  std::string email;
  std::optional<std::string> password;
  std::optional<TenantId> tenant;  // default: the caller's tenant
  catalog::UserRole role = catalog::UserRole::kTenantUser;
};

struct UserPatch {
  std::optional<std::string> email;
  std::optional<std::string> password;
  std::optional<bool> active;
};

struct ServiceUserInput {
  std::string name;
  std::optional<std::string> description;
  catalog::UserRole role = catalog::UserRole::kTenantUser;
  std::optional<int64_t> expires_in_days;
};

struct ServiceUserPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> description;
  std::optional<bool> active;
};

// A service user with the API key made for it: the only time the key is shown.
struct ServiceUserWithKey {
  catalog::ServiceUser user;
  std::string api_key;
};

class IdentityService {
 public:
  IdentityService(store::MetadataStore& store, const Clock& clock, bool development_mode)
      : store_(store), clock_(clock), development_mode_(development_mode) {}

  // Root only (refused in development mode). Errors: kForbidden; kBadRequest; kAlreadyExists.
  Result<catalog::Tenant> CreateTenant(const Context& ctx, const TenantInput& input);
  // Root, or an admin of that tenant. Errors: kNotFound.
  Result<catalog::Tenant> GetTenant(const Context& ctx, const TenantId& id);
  // Root: every tenant; an admin: its own.
  Result<store::Page<catalog::Tenant>> ListTenants(const Context& ctx,
                                                   const store::PageRequest& page);
  // Root only. Errors: kForbidden; kNotFound; kAlreadyExists.
  Result<catalog::Tenant> UpdateTenant(const Context& ctx, const TenantId& id,
                                       const TenantPatch& patch);
  // Root only. Errors: kForbidden; kNotFound; kConflict (not empty); kInvalidArgument (default).
  Status DeleteTenant(const Context& ctx, const TenantId& id);

  // Root: any tenant; an admin: its own (tenant-admin and tenant-user roles; never root).
  // Errors: kForbidden; kBadRequest (names, password policy); kAlreadyExists; kNotFound (tenant).
  Result<catalog::User> CreateUser(const Context& ctx, const UserInput& input);
  // Self, an admin of the user's tenant, or root. Errors: kNotFound.
  Result<catalog::User> GetUser(const Context& ctx, std::string_view id);
  // The caller's own user record. Errors: kNotFound (service users and development mode).
  Result<catalog::User> Me(const Context& ctx);
  // An admin's tenant; root: the tenant it acts in. Errors: kForbidden.
  Result<store::Page<catalog::User>> ListUsers(const Context& ctx, const store::PageRequest& page);
  // Self may change email and password; an admin (or root) also `active`. Deactivating or
  // changing a password revokes the user's tokens. Errors: kNotFound; kForbidden; kBadRequest.
  Result<catalog::User> UpdateUser(const Context& ctx, std::string_view id, const UserPatch& patch);
  // An admin of the user's tenant, or root; nobody deletes themselves. Errors: kNotFound;
  // kBadRequest (self).
  Status DeleteUser(const Context& ctx, std::string_view id);

  // Admins of the tenant (and root acting in it). The role is at most the creator's, never root.
  // Errors: kForbidden; kBadRequest; kAlreadyExists.
  Result<ServiceUserWithKey> CreateServiceUser(const Context& ctx, const ServiceUserInput& input);
  Result<catalog::ServiceUser> GetServiceUser(const Context& ctx, std::string_view id);
  Result<store::Page<catalog::ServiceUser>> ListServiceUsers(const Context& ctx,
                                                             const store::PageRequest& page);
  // Deactivation revokes the service user's tokens.
  Result<catalog::ServiceUser> UpdateServiceUser(const Context& ctx, std::string_view id,
                                                 const ServiceUserPatch& patch);
  Status DeleteServiceUser(const Context& ctx, std::string_view id);
  // A new API key; the old one stops working at once, and tokens issued for it are revoked.
  Result<ServiceUserWithKey> RotateServiceUserKey(const Context& ctx, std::string_view id);

 private:
  Status RequireAdmin(const Context& ctx) const;
  Result<catalog::User> ReachableUser(const Context& ctx, std::string_view id);
  // The user CreateUser would store: every check passed and the password hashed.
  Result<catalog::User> NewUser(const Context& ctx, const UserInput& input);

  store::MetadataStore& store_;
  const Clock& clock_;
  bool development_mode_;
};

}  // namespace pangolin::service
