// Tenants, users and service users of the memory store, with the unique indexes a database
// would keep (usernames per tenant, OIDC accounts, service user names per tenant, API key ids).
#include "common/strings.h"
#include "store/memory/memory_identity_internal.h"

namespace pangolin::store::memory_internal {
namespace {

using keyset::TextKey;

// Root users have no tenant; their usernames share the key "".
std::string TenantKey(const std::optional<TenantId>& tenant) {
  return tenant ? tenant->value : std::string();
}

}  // namespace

Identities::Identities() {
  Tenant tenant{kDefaultTenant, "default", {}, 0};
  tenant_names_.emplace(tenant.name, tenant.id);
  tenants_.emplace(tenant.id, std::move(tenant));
}

Result<Tenant*> Identities::FindTenant(const TenantId& id) {
  auto it = tenants_.find(id);
  if (it == tenants_.end()) return Err(ErrorCode::kNotFound, "Tenant not found: {}", id.value);
  return &it->second;
}

Status Identities::CreateTenant(const Tenant& tenant) {
  std::lock_guard lock(mu_);
  if (tenants_.contains(tenant.id)) {
    return Err(ErrorCode::kAlreadyExists, "Tenant id already exists: {}", tenant.id.value);
  }
  if (tenant_names_.contains(tenant.name)) {
    return Err(ErrorCode::kAlreadyExists, "Tenant already exists: {}", tenant.name);
  }
  tenant_names_.emplace(tenant.name, tenant.id);
  tenants_.emplace(tenant.id, tenant);
  return Ok();
}

Result<Tenant> Identities::GetTenant(const TenantId& id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Tenant * tenant, FindTenant(id));
  return *tenant;
}

Result<Page<Tenant>> Identities::ListTenants(const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TextKey> after, keyset::DecodeTextToken(page.token));
  std::lock_guard lock(mu_);
  std::vector<std::pair<TextKey, const Tenant*>> rows;
  for (const auto& [id, tenant] : tenants_)
    rows.emplace_back(TextKey{tenant.name, id.value}, &tenant);
  return CutPage(std::move(rows), after, page.limit, std::less<>());
}

Status Identities::UpdateTenant(const Tenant& tenant) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Tenant * stored, FindTenant(tenant.id));
  if (tenant.name != stored->name) {
    if (tenant_names_.contains(tenant.name)) {
      return Err(ErrorCode::kAlreadyExists, "Tenant already exists: {}", tenant.name);
    }
    tenant_names_.erase(stored->name);
    tenant_names_.emplace(tenant.name, tenant.id);
  }
  stored->name = tenant.name;
  stored->properties = tenant.properties;
  return Ok();
}

Status Identities::DeleteTenant(const TenantId& id, std::vector<std::string> remaining) {
  if (id == kDefaultTenant) {
    return Err(ErrorCode::kInvalidArgument, "The default tenant cannot be deleted");
  }
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Tenant * tenant, FindTenant(id));
  auto in_tenant = [&](const auto& entry) { return entry.second.tenant_id == id; };
  if (std::any_of(users_.begin(), users_.end(), in_tenant)) remaining.emplace_back("users");
  if (std::any_of(service_users_.begin(), service_users_.end(), in_tenant)) {
    remaining.emplace_back("service users");
  }
  if (!remaining.empty()) {
    return Err(ErrorCode::kConflict, "Tenant {} still has {}", tenant->name, Join(remaining, ", "));
  }
  tenant_names_.erase(tenant->name);
  tenants_.erase(id);
  return Ok();
}

Result<User*> Identities::FindUser(const std::optional<TenantId>& tenant, std::string_view id) {
  auto it = users_.find(id);
  if (it == users_.end() || (tenant && it->second.tenant_id != tenant)) {
    return Err(ErrorCode::kNotFound, "User not found: {}", id);
  }
  return &it->second;
}

Status Identities::CheckUserUnique(const User& user) const {
  auto name = user_names_.find({TenantKey(user.tenant_id), user.username});
  if (name != user_names_.end() && name->second != user.id) {
    return Err(ErrorCode::kAlreadyExists, "User already exists: {}", user.username);
  }
  if (user.oauth_issuer && user.oauth_subject) {
    auto link = oidc_links_.find({*user.oauth_issuer, *user.oauth_subject});
    if (link != oidc_links_.end() && link->second != user.id) {
      return Err(ErrorCode::kAlreadyExists, "OIDC account already linked: {}", *user.oauth_subject);
    }
  }
  return Ok();
}

void Identities::Index(const User& user) {
  user_names_.insert_or_assign({TenantKey(user.tenant_id), user.username}, user.id);
  if (user.oauth_issuer && user.oauth_subject) {
    oidc_links_.insert_or_assign({*user.oauth_issuer, *user.oauth_subject}, user.id);
  }
}

void Identities::Unindex(const User& user) {
  user_names_.erase({TenantKey(user.tenant_id), user.username});
  if (user.oauth_issuer && user.oauth_subject) {
    oidc_links_.erase({*user.oauth_issuer, *user.oauth_subject});
  }
}

Status Identities::CreateUser(const User& user) {
  std::lock_guard lock(mu_);
  if (user.tenant_id) RETURN_IF_ERROR(FindTenant(*user.tenant_id));
  if (users_.contains(user.id)) {
    return Err(ErrorCode::kAlreadyExists, "User id already exists: {}", user.id);
  }
  RETURN_IF_ERROR(CheckUserUnique(user));
  Index(user);
  users_.emplace(user.id, user);
  return Ok();
}

Result<User> Identities::GetUser(const std::optional<TenantId>& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(User * user, FindUser(tenant, id));
  return *user;
}

Result<User> Identities::FindUserByName(const std::optional<TenantId>& tenant,
                                        std::string_view username) {
  std::lock_guard lock(mu_);
  auto it = user_names_.find({TenantKey(tenant), std::string(username)});
  if (it == user_names_.end()) return Err(ErrorCode::kNotFound, "User not found: {}", username);
  return users_.at(it->second);
}

Result<User> Identities::FindUserByOidc(std::string_view issuer, std::string_view subject) {
  std::lock_guard lock(mu_);
  auto it = oidc_links_.find({std::string(issuer), std::string(subject)});
  if (it == oidc_links_.end()) {
    return Err(ErrorCode::kNotFound, "No user linked to OIDC account {} of {}", subject, issuer);
  }
  return users_.at(it->second);
}

Result<Page<User>> Identities::ListUsers(const std::optional<TenantId>& tenant,
                                         const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TextKey> after, keyset::DecodeTextToken(page.token));
  std::lock_guard lock(mu_);
  std::vector<std::pair<TextKey, const User*>> rows;
  for (const auto& [id, user] : users_) {
    if (!tenant || user.tenant_id == tenant) rows.emplace_back(TextKey{user.username, id}, &user);
  }
  return CutPage(std::move(rows), after, page.limit, std::less<>());
}

Status Identities::UpdateUser(const User& user) {
  std::lock_guard lock(mu_);
  auto it = users_.find(user.id);
  if (it == users_.end() || it->second.tenant_id != user.tenant_id) {
    return Err(ErrorCode::kNotFound, "User not found: {}", user.id);
  }
  RETURN_IF_ERROR(CheckUserUnique(user));
  User updated = user;
  updated.created_ms = it->second.created_ms;
  Unindex(it->second);
  Index(updated);
  it->second = std::move(updated);
  return Ok();
}

Status Identities::DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(User * user, FindUser(tenant, id));
  Unindex(*user);
  EraseTokensOf(id);
  users_.erase(users_.find(id));
  return Ok();
}

Result<ServiceUser*> Identities::FindServiceUser(const TenantId& tenant, std::string_view id) {
  auto it = service_users_.find(id);
  if (it == service_users_.end() || it->second.tenant_id != tenant) {
    return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  }
  return &it->second;
}

Status Identities::CheckServiceUserUnique(const ServiceUser& user) const {
  auto name = service_user_names_.find({user.tenant_id.value, user.name});
  if (name != service_user_names_.end() && name->second != user.id) {
    return Err(ErrorCode::kAlreadyExists, "Service user already exists: {}", user.name);
  }
  auto key = key_ids_.find(user.key_id);
  if (key != key_ids_.end() && key->second != user.id) {
    return Err(ErrorCode::kAlreadyExists, "API key id already in use: {}", user.key_id);
  }
  return Ok();
}

void Identities::Index(const ServiceUser& user) {
  service_user_names_.insert_or_assign({user.tenant_id.value, user.name}, user.id);
  key_ids_.insert_or_assign(user.key_id, user.id);
}

void Identities::Unindex(const ServiceUser& user) {
  service_user_names_.erase({user.tenant_id.value, user.name});
  key_ids_.erase(user.key_id);
}

Status Identities::CreateServiceUser(const ServiceUser& user) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(FindTenant(user.tenant_id));
  if (service_users_.contains(user.id)) {
    return Err(ErrorCode::kAlreadyExists, "Service user id already exists: {}", user.id);
  }
  RETURN_IF_ERROR(CheckServiceUserUnique(user));
  Index(user);
  service_users_.emplace(user.id, user);
  return Ok();
}

Result<ServiceUser> Identities::GetServiceUser(const TenantId& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(ServiceUser * user, FindServiceUser(tenant, id));
  return *user;
}

Result<ServiceUser> Identities::FindServiceUserByKeyId(std::string_view key_id) {
  std::lock_guard lock(mu_);
  auto it = key_ids_.find(key_id);
  if (it == key_ids_.end()) return Err(ErrorCode::kNotFound, "No service user has key {}", key_id);
  return service_users_.at(it->second);
}

Result<Page<ServiceUser>> Identities::ListServiceUsers(const TenantId& tenant,
                                                       const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TextKey> after, keyset::DecodeTextToken(page.token));
  std::lock_guard lock(mu_);
  std::vector<std::pair<TextKey, const ServiceUser*>> rows;
  for (const auto& [id, user] : service_users_) {
    if (user.tenant_id == tenant) rows.emplace_back(TextKey{user.name, id}, &user);
  }
  return CutPage(std::move(rows), after, page.limit, std::less<>());
}

Status Identities::UpdateServiceUser(const ServiceUser& user) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(ServiceUser * stored, FindServiceUser(user.tenant_id, user.id));
  RETURN_IF_ERROR(CheckServiceUserUnique(user));
  ServiceUser updated = user;
  updated.created_ms = stored->created_ms;
  updated.created_by = stored->created_by;
  Unindex(*stored);
  Index(updated);
  *stored = std::move(updated);
  return Ok();
}

Status Identities::TouchServiceUser(std::string_view id, int64_t used_ms) {
  std::lock_guard lock(mu_);
  auto it = service_users_.find(id);
  if (it == service_users_.end())
    return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  it->second.last_used_ms = used_ms;
  return Ok();
}

Status Identities::DeleteServiceUser(const TenantId& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(ServiceUser * user, FindServiceUser(tenant, id));
  Unindex(*user);
  EraseTokensOf(id);
  service_users_.erase(service_users_.find(id));
  return Ok();
}

}  // namespace pangolin::store::memory_internal
