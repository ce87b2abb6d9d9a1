// IdentityService: service users and their API keys; see identity_service.h.
#include "auth/api_key.h"
#include "common/ids.h"
#include "service/audited.h"
#include "service/identity_service.h"

namespace pangolin::service {
namespace {

using catalog::UserRole;

constexpr int64_t kDayMs = 24 * 3600 * 1000;
constexpr int64_t kMaxLifetimeDays = 3650;

Error Denied(std::string message) { return Error{ErrorCode::kForbidden, std::move(message)}; }

void SetKey(catalog::ServiceUser& user, const auth::ApiKey& key) {
  user.key_id = key.key_id;
  user.key_hash = auth::HashSecret(key.secret);
}

}  // namespace

Result<ServiceUserWithKey> IdentityService::CreateServiceUser(const Context& ctx,
                                                              const ServiceUserInput& input) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  if (input.role == UserRole::kRoot) {
    return tl::unexpected(Denied("A service user cannot have the root role"));
  }
  if (!catalog::MayAssignRole(ctx.caller.role, input.role)) {
    return tl::unexpected(Denied("A role above the caller's own cannot be given"));
  }
  RETURN_IF_ERROR(catalog::ValidateName("service user", input.name));
  int64_t now = clock_.NowMs();
  catalog::ServiceUser user;
  if (input.expires_in_days) {
    if (*input.expires_in_days < 1 || *input.expires_in_days > kMaxLifetimeDays) {
      return Err(ErrorCode::kBadRequest, "expires_in_days must be between 1 and {}",
                 kMaxLifetimeDays);
    }
    user.expires_ms = now + *input.expires_in_days * kDayMs;
  }
  user.id = NewUuid();
  user.name = input.name;
  user.description = input.description;
  user.tenant_id = ctx.tenant;
  user.role = input.role;
  user.created_ms = now;
  user.created_by = ctx.caller.id.empty() ? ctx.principal : ctx.caller.id;
  auth::ApiKey key = auth::NewApiKey();
  SetKey(user, key);
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.CreateServiceUser(user); }));
  return ServiceUserWithKey{std::move(user), std::move(key.text)};
}

Result<catalog::ServiceUser> IdentityService::GetServiceUser(const Context& ctx,
                                                             std::string_view id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return store_.GetServiceUser(ctx.tenant, id);
}

Result<store::Page<catalog::ServiceUser>> IdentityService::ListServiceUsers(
    const Context& ctx, const store::PageRequest& page) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return store_.ListServiceUsers(ctx.tenant, page);
}

Result<catalog::ServiceUser> IdentityService::UpdateServiceUser(const Context& ctx,
                                                                std::string_view id,
                                                                const ServiceUserPatch& patch) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  ASSIGN_OR_RETURN(auto user, store_.GetServiceUser(ctx.tenant, id));
  if (patch.name) {
    RETURN_IF_ERROR(catalog::ValidateName("service user", *patch.name));
    user.name = *patch.name;
  }
  if (patch.description) user.description = *patch.description;
  bool deactivated = patch.active && user.active && !*patch.active;
  if (patch.active) user.active = *patch.active;
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&]() -> Status {
    RETURN_IF_ERROR(store_.UpdateServiceUser(user));
    if (!deactivated) return Ok();
    return store_.RevokePrincipalTokens(user.id, clock_.NowMs(), "deactivated").map([](size_t) {});
  }));
  return user;
}

Status IdentityService::DeleteServiceUser(const Context& ctx, std::string_view id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return StoreAudited(store_, ctx, [&] { return store_.DeleteServiceUser(ctx.tenant, id); });
}

Result<ServiceUserWithKey> IdentityService::RotateServiceUserKey(const Context& ctx,
                                                                 std::string_view id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  ASSIGN_OR_RETURN(auto user, store_.GetServiceUser(ctx.tenant, id));
  auth::ApiKey key = auth::NewApiKey();
  SetKey(user, key);
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&]() -> Status {
    RETURN_IF_ERROR(store_.UpdateServiceUser(user));
    return store_.RevokePrincipalTokens(user.id, clock_.NowMs(), "key rotated").map([](size_t) {});
  }));
  return ServiceUserWithKey{std::move(user), std::move(key.text)};
}

}  // namespace pangolin::service
