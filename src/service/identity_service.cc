// IdentityService: tenants and users; see identity_service.h.
#include "service/identity_service.h"

#include "auth/password.h"
#include "common/ids.h"
#include "service/audited.h"

namespace pangolin::service {
namespace {

using catalog::Principal;
using catalog::UserRole;

Error Denied(std::string message) { return Error{ErrorCode::kForbidden, std::move(message)}; }

Status ValidateEmail(std::string_view email) {
  if (email.empty()) return Ok();
  RETURN_IF_ERROR(catalog::ValidateName("email", email));
  if (email.find('@') == std::string_view::npos || email.size() > 320) {
    return Err(ErrorCode::kBadRequest, "Invalid email '{}'", email);
  }
  return Ok();
}

}  // namespace

Status IdentityService::RequireAdmin(const Context& ctx) const {
  if (ctx.IsTenantAdmin()) return Ok();
  return tl::unexpected(Denied("Only an admin of the tenant may do this"));
}

// --- Tenants ---

Result<catalog::Tenant> IdentityService::CreateTenant(const Context& ctx,
                                                      const TenantInput& input) {
  if (development_mode_) {
    return tl::unexpected(Denied("Tenants cannot be created while authentication is disabled"));
  }
  if (!ctx.caller.is_root()) return tl::unexpected(Denied("Only root may create tenants"));
  RETURN_IF_ERROR(catalog::ValidateName("tenant", input.name));
  if (input.admin_username.has_value() != input.admin_password.has_value()) {
    return Err(ErrorCode::kBadRequest, "admin_username and admin_password go together");
  }
  if (input.admin_password) RETURN_IF_ERROR(auth::CheckPasswordPolicy(*input.admin_password));
  catalog::Tenant tenant{TenantId{NewUuid()}, input.name, input.properties, clock_.NowMs()};
  std::optional<catalog::User> admin;
  if (input.admin_username) {
    Context in_tenant = ctx;
    in_tenant.tenant = tenant.id;
    ASSIGN_OR_RETURN(admin,
                     NewUser(in_tenant, UserInput{*input.admin_username, "", input.admin_password,
                                                  tenant.id, UserRole::kTenantAdmin}));
  }
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&]() -> Status {
    RETURN_IF_ERROR(store_.CreateTenant(tenant));
    if (admin) return store_.CreateUser(*admin);
    return Ok();
  }));
  return tenant;
}

Result<catalog::Tenant> IdentityService::GetTenant(const Context& ctx, const TenantId& id) {
  if (!ctx.IsAdminOf(id)) return Err(ErrorCode::kNotFound, "No tenant {}", id.value);
  return store_.GetTenant(id);
}

Result<store::Page<catalog::Tenant>> IdentityService::ListTenants(const Context& ctx,
                                                                  const store::PageRequest& page) {
  if (ctx.caller.is_root()) return store_.ListTenants(page);
  RETURN_IF_ERROR(RequireAdmin(ctx));
  store::Page<catalog::Tenant> own;
  if (page.token.empty()) {
    ASSIGN_OR_RETURN(auto tenant, store_.GetTenant(ctx.tenant));
    own.items.push_back(std::move(tenant));
  }
  return own;
}

Result<catalog::Tenant> IdentityService::UpdateTenant(const Context& ctx, const TenantId& id,
                                                      const TenantPatch& patch) {
  if (!ctx.caller.is_root()) return tl::unexpected(Denied("Only root may update tenants"));
  ASSIGN_OR_RETURN(auto tenant, store_.GetTenant(id));
  if (patch.name) {
    RETURN_IF_ERROR(catalog::ValidateName("tenant", *patch.name));
    tenant.name = *patch.name;
  }
  if (patch.properties) tenant.properties = *patch.properties;
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.UpdateTenant(tenant); }));
  return tenant;
}

Status IdentityService::DeleteTenant(const Context& ctx, const TenantId& id) {
  if (!ctx.caller.is_root()) return tl::unexpected(Denied("Only root may delete tenants"));
  return StoreAudited(store_, ctx, [&] { return store_.DeleteTenant(id); });
}

// --- Users ---

Result<catalog::User> IdentityService::CreateUser(const Context& ctx, const UserInput& input) {
  ASSIGN_OR_RETURN(auto user, NewUser(ctx, input));
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.CreateUser(user); }));
  return user;
}

Result<catalog::User> IdentityService::NewUser(const Context& ctx, const UserInput& input) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  TenantId tenant = input.tenant.value_or(ctx.tenant);
  if (!ctx.IsAdminOf(tenant)) {
    return tl::unexpected(Denied("An admin may create users only in its own tenant"));
  }
  if (input.role == UserRole::kRoot) {
    return tl::unexpected(Denied("Root users cannot be created through the API"));
  }
  if (!catalog::MayAssignRole(ctx.caller.role, input.role)) {
    return tl::unexpected(Denied("A role above the caller's own cannot be given"));
  }
  RETURN_IF_ERROR(catalog::ValidateName("username", input.username));
  RETURN_IF_ERROR(ValidateEmail(input.email));
  catalog::User user;
  user.id = NewUuid();
  user.username = input.username;
  user.email = input.email;
  user.tenant_id = tenant;
  user.role = input.role;
  user.created_ms = user.updated_ms = clock_.NowMs();
  if (input.password) {
    RETURN_IF_ERROR(auth::CheckPasswordPolicy(*input.password));
    ASSIGN_OR_RETURN(user.password_hash, auth::HashPassword(*input.password));
  }
  return user;
}

Result<catalog::User> IdentityService::ReachableUser(const Context& ctx, std::string_view id) {
  auto user = store_.GetUser(std::nullopt, id);
  if (!user) return user;
  bool reachable = ctx.caller.id == user->id || ctx.caller.is_root() ||
                   (user->tenant_id && ctx.IsAdminOf(*user->tenant_id));
  if (!reachable) return Err(ErrorCode::kNotFound, "No user {}", id);
  return user;
}

Result<catalog::User> IdentityService::GetUser(const Context& ctx, std::string_view id) {
  return ReachableUser(ctx, id);
}

Result<catalog::User> IdentityService::Me(const Context& ctx) {
  if (ctx.caller.kind != Principal::Kind::kUser) {
    return Err(ErrorCode::kNotFound, "The caller is not a user account");
  }
  return store_.GetUser(std::nullopt, ctx.caller.id);
}

Result<store::Page<catalog::User>> IdentityService::ListUsers(const Context& ctx,
                                                              const store::PageRequest& page) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return store_.ListUsers(ctx.tenant, page);
}

Result<catalog::User> IdentityService::UpdateUser(const Context& ctx, std::string_view id,
                                                  const UserPatch& patch) {
  ASSIGN_OR_RETURN(auto user, ReachableUser(ctx, id));
  bool self = ctx.caller.id == user.id;
  bool admin = user.tenant_id ? ctx.IsAdminOf(*user.tenant_id) : ctx.caller.is_root();
  if (patch.active && !admin) {
    return tl::unexpected(Denied("Only an admin may activate or deactivate users"));
  }
  if (patch.active && !*patch.active && self) {
    return Err(ErrorCode::kBadRequest, "Users cannot deactivate themselves");
  }
  bool revoke = false;
  if (patch.email) {
    RETURN_IF_ERROR(ValidateEmail(*patch.email));
    user.email = *patch.email;
  }
  if (patch.password) {
    RETURN_IF_ERROR(auth::CheckPasswordPolicy(*patch.password));
    ASSIGN_OR_RETURN(user.password_hash, auth::HashPassword(*patch.password));
    revoke = true;
  }
  if (patch.active) {
    revoke = revoke || (user.active && !*patch.active);
    user.active = *patch.active;
  }
  int64_t now = clock_.NowMs();
  user.updated_ms = now;
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&]() -> Status {
    RETURN_IF_ERROR(store_.UpdateUser(user));
    if (!revoke) return Ok();
    return store_.RevokePrincipalTokens(user.id, now, "credentials changed").map([](size_t) {});
  }));
  return user;
}

Status IdentityService::DeleteUser(const Context& ctx, std::string_view id) {
  ASSIGN_OR_RETURN(auto user, ReachableUser(ctx, id));
  bool admin = user.tenant_id ? ctx.IsAdminOf(*user.tenant_id) : ctx.caller.is_root();
  if (!admin) return tl::unexpected(Denied("Only an admin may delete users"));
  if (ctx.caller.id == user.id)
    return Err(ErrorCode::kBadRequest, "Users cannot delete themselves");
  return StoreAudited(store_, ctx, [&] { return store_.DeleteUser(user.tenant_id, user.id); });
}

}  // namespace pangolin::service
