// Tenants, users and service users of the MongoDB store. Unique indexes carry every uniqueness
// rule: tenant names; (tenant_key, username) with "" as the root users' tenant key; the OIDC link
// as one `oidc` field (issuer and subject, or the user's own id when unlinked); service-user
// names per tenant and key ids. Deleting a principal deletes its document first, then its tokens
// and access documents (mongo_store.cc explains why that order is safe without transactions).
#include <chrono>
#include <thread>

#include "store/keyset_token.h"
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

using keyset::TextKey;

std::string TenantKey(const std::optional<TenantId>& tenant) {
  return tenant ? tenant->value : std::string();
}

std::string OidcKey(const User& user) {
  if (user.oauth_issuer && user.oauth_subject) {
    return "oidc\n" + *user.oauth_issuer + "\n" + *user.oauth_subject;
  }
  return "none\n" + user.id;
}

Tenant ReadTenant(const bson_t* doc) {
  View v(doc);
  return Tenant{TenantId{v.Str("_id")}, v.Str("name"), v.Props("properties"), v.Int("created_ms")};
}

Doc UserFields(const User& u) {
  Doc doc;
  doc.Str("username", u.username)
      .Str("email", u.email)
      .OptStr("password_hash", u.password_hash)
      .OptStr("oauth_issuer", u.oauth_issuer)
      .OptStr("oauth_subject", u.oauth_subject)
      .Str("oidc", OidcKey(u))
      .Int("role", static_cast<int64_t>(u.role))
      .Int("updated_ms", u.updated_ms)
      .OptInt("last_login_ms", u.last_login_ms)
      .Bool("active", u.active);
  return doc;
}

User ReadUser(const bson_t* doc) {
  View v(doc);
  User u;
  u.id = v.Str("_id");
  if (auto tenant = v.OptStr("tenant_id")) u.tenant_id = TenantId{*tenant};
  u.username = v.Str("username");
  u.email = v.Str("email");
  u.password_hash = v.OptStr("password_hash");
  u.oauth_issuer = v.OptStr("oauth_issuer");
  u.oauth_subject = v.OptStr("oauth_subject");
  u.role = static_cast<catalog::UserRole>(v.Int("role"));
  u.created_ms = v.Int("created_ms");
  u.updated_ms = v.Int("updated_ms");
  u.last_login_ms = v.OptInt("last_login_ms");
  u.active = v.Bool("active");
  return u;
}

Doc ServiceUserFields(const ServiceUser& u) {
  Doc doc;
  doc.Str("name", u.name)
      .OptStr("description", u.description)
      .Int("role", static_cast<int64_t>(u.role))
      .Str("key_id", u.key_id)
      .Str("key_hash", u.key_hash)
      .OptInt("last_used_ms", u.last_used_ms)
      .OptInt("expires_ms", u.expires_ms)
      .Bool("active", u.active);
  return doc;
}

ServiceUser ReadServiceUser(const bson_t* doc) {
  View v(doc);
  ServiceUser u;
  u.id = v.Str("_id");
  u.tenant_id.value = v.Str("tenant_id");
  u.name = v.Str("name");
  u.description = v.OptStr("description");
  u.role = static_cast<catalog::UserRole>(v.Int("role"));
  u.key_id = v.Str("key_id");
  u.key_hash = v.Str("key_hash");
  u.created_ms = v.Int("created_ms");
  u.created_by = v.Str("created_by");
  u.last_used_ms = v.OptInt("last_used_ms");
  u.expires_ms = v.OptInt("expires_ms");
  u.active = v.Bool("active");
  return u;
}

// One page of `collection` matching `filter`, ordered by (`first`, _id).
template <typename T>
Result<Page<T>> PageByText(Client& client, const char* collection, Doc filter, const char* first,
                           const PageRequest& page, T (*read)(const bson_t*)) {
  ASSIGN_OR_RETURN(std::optional<TextKey> after, keyset::DecodeTextToken(page.token));
  if (after) filter.Concat(AfterFilter(first, "_id", after->first, after->second));
  Doc sort = Sort(first, 1, "_id", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(collection, filter, {sort.get(), nullptr, PageLimit(page.limit)}));
  Page<T> result;
  for (const auto& doc : docs) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      View last(docs[page.limit - 1].get());
      result.next_token = keyset::EncodeToken(TextKey{last.Str(first), last.Str("_id")});
      break;
    }
    result.items.push_back(read(doc.get()));
  }
  return result;
}

Status CheckTenantExists(Client& client, const TenantId& id) {
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kTenants, Doc().Str("_id", id.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Tenant not found: {}", id.value);
  return {};
}

// A tenant marked for deletion longer ago than this is taken to be left over from a crash.
constexpr int64_t kStaleDeletionMs = 30000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// After a principal document of `tenant` was inserted: whether the tenant still stands. While a
// DeleteTenant holds the tenant's deletion mark, wait for it to end: it either finds the new
// document and gives up, or deletes the tenant, and then the caller removes its document again.
// The mark is read before the tenant: a deleter that missed the new document marked before it
// was inserted, so a reader that finds no mark comes after that deleter's end, and then finds
// the tenant gone (reading the tenant first could see it just before its deletion and the mark
// just after its removal).
Result<bool> TenantStands(Client& client, const TenantId& tenant) {
  for (int attempt = 0; attempt < 500; ++attempt) {
    ASSIGN_OR_RETURN(auto mark, client.FindOne(kTenantDeletions, Doc().Str("_id", tenant.value)));
    if (mark && View(mark->get()).Int("marked_ms") + kStaleDeletionMs >= NowMs()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    ASSIGN_OR_RETURN(auto doc, client.FindOne(kTenants, Doc().Str("_id", tenant.value)));
    return doc.has_value();
  }
  return MakeError(ErrorCode::kUnavailable, "tenant " + tenant.value + " is being deleted");
}

// Inserts a user or service user of `tenant` so that it never outlives its tenant.
Status InsertPrincipal(Client& client, const char* collection, const Doc& doc,
                       const TenantId& tenant, std::string_view id) {
  RETURN_IF_ERROR(CheckTenantExists(client, tenant));
  RETURN_IF_ERROR(client.Insert(collection, doc));
  auto stands = TenantStands(client, tenant);
  if (stands && *stands) return {};
  RETURN_IF_ERROR(client.DeleteOne(collection, Doc().Str("_id", id)));
  if (!stands) return tl::unexpected(stands.error());
  return Err(ErrorCode::kNotFound, "Tenant not found: {}", tenant.value);
}

// Deletes the marked tenant when it holds nothing. Errors: kConflict naming what it holds.
Status DeleteMarkedTenant(Client& client, const TenantId& id, const std::string& name) {
  std::string remaining;
  const std::pair<const char*, const char*> kinds[] = {{kWarehouses, "warehouses"},
                                                       {kCatalogs, "catalogs"},
                                                       {kUsers, "users"},
                                                       {kServiceUsers, "service users"}};
  for (const auto& [collection, what] : kinds) {
    ASSIGN_OR_RETURN(auto held, client.FindOne(collection, Doc().Str("tenant_id", id.value)));
    if (held) remaining += (remaining.empty() ? "" : ", ") + std::string(what);
  }
  if (!remaining.empty()) {
    return Err(ErrorCode::kConflict, "Tenant {} still has {}", name, remaining);
  }
  RETURN_IF_ERROR(client.DeleteOne(kTenants, Doc().Str("_id", id.value)));
  return {};
}

Status Taken(Status status, std::string_view what, std::string_view name) {
  if (!status && status.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "{} already exists (id, name or key taken): {}", what,
               name);
  }
  return status;
}

}  // namespace

Status MongoStore::CreateTenant(const Tenant& tenant) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", tenant.id.value)
      .Str("name", tenant.name)
      .Props("properties", tenant.properties)
      .Int("created_ms", tenant.created_ms);
  return Taken(client.Insert(kTenants, doc), "Tenant", tenant.name);
}

Result<Tenant> MongoStore::GetTenant(const TenantId& id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kTenants, Doc().Str("_id", id.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Tenant not found: {}", id.value);
  return ReadTenant(doc->get());
}

Result<Page<Tenant>> MongoStore::ListTenants(const PageRequest& page) {
  Client client = Acquire();
  return PageByText<Tenant>(client, kTenants, Doc(), "name", page, &ReadTenant);
}

Status MongoStore::UpdateTenant(const Tenant& tenant) {
  Client client = Acquire();
  Doc update;
  update.Sub("$set", Doc().Str("name", tenant.name).Props("properties", tenant.properties));
  auto matched = client.UpdateOne(kTenants, Doc().Str("_id", tenant.id.value), update);
  RETURN_IF_ERROR(Taken(matched.map([](int64_t) {}), "Tenant", tenant.name));
  if (*matched == 0) return Err(ErrorCode::kNotFound, "Tenant not found: {}", tenant.id.value);
  return {};
}

// Without transactions the emptiness check and the delete are made one step by a deletion mark:
// DeleteTenant inserts the tenant's mark (a unique _id: one deleter at a time), checks what the
// tenant holds, deletes the tenant or not, and removes the mark. A user or service user is
// inserted first and kept only when its tenant stands unmarked afterwards (InsertPrincipal), so
// either the check sees the new document or its writer sees the mark and waits. A mark left by a
// crash goes stale after 30 s and is replaced.
Status MongoStore::DeleteTenant(const TenantId& id) {
  if (id == kDefaultTenant) {
    return Err(ErrorCode::kInvalidArgument, "The default tenant cannot be deleted");
  }
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kTenants, Doc().Str("_id", id.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Tenant not found: {}", id.value);
  Doc stale;
  stale.Str("_id", id.value).Op("marked_ms", "$lt", NowMs() - kStaleDeletionMs);
  RETURN_IF_ERROR(client.DeleteOne(kTenantDeletions, stale));
  auto marked =
      client.Insert(kTenantDeletions, Doc().Str("_id", id.value).Int("marked_ms", NowMs()));
  if (!marked && marked.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kConflict, "Tenant {} is being deleted", id.value);
  }
  RETURN_IF_ERROR(marked);
  Status deleted = DeleteMarkedTenant(client, id, View(doc->get()).Str("name"));
  RETURN_IF_ERROR(client.DeleteOne(kTenantDeletions, Doc().Str("_id", id.value)));
  return deleted;
}

Status MongoStore::CreateUser(const User& user) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", user.id)
      .OptStr("tenant_id", user.tenant_id ? std::optional(user.tenant_id->value) : std::nullopt)
      .Str("tenant_key", TenantKey(user.tenant_id))
      .Int("created_ms", user.created_ms)
      .Concat(UserFields(user));
  if (!user.tenant_id) return Taken(client.Insert(kUsers, doc), "User", user.username);
  return Taken(InsertPrincipal(client, kUsers, doc, *user.tenant_id, user.id), "User",
               user.username);
}

Result<User> MongoStore::GetUser(const std::optional<TenantId>& tenant, std::string_view id) {
  Client client = Acquire();
  Doc filter;
  filter.Str("_id", id);
  if (tenant) filter.Str("tenant_id", tenant->value);
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kUsers, filter));
  if (!doc) return Err(ErrorCode::kNotFound, "User not found: {}", id);
  return ReadUser(doc->get());
}

Result<User> MongoStore::FindUserByName(const std::optional<TenantId>& tenant,
                                        std::string_view username) {
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_key", TenantKey(tenant)).Str("username", username);
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kUsers, filter));
  if (!doc) return Err(ErrorCode::kNotFound, "User not found: {}", username);
  return ReadUser(doc->get());
}

Result<User> MongoStore::FindUserByOidc(std::string_view issuer, std::string_view subject) {
  Client client = Acquire();
  std::string key = "oidc\n" + std::string(issuer) + "\n" + std::string(subject);
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kUsers, Doc().Str("oidc", key)));
  if (!doc) {
    return Err(ErrorCode::kNotFound, "No user linked to OIDC account {} of {}", subject, issuer);
  }
  return ReadUser(doc->get());
}

Result<Page<User>> MongoStore::ListUsers(const std::optional<TenantId>& tenant,
                                         const PageRequest& page) {
  Client client = Acquire();
  Doc filter;
  if (tenant) filter.Str("tenant_key", tenant->value);
  return PageByText<User>(client, kUsers, std::move(filter), "username", page, &ReadUser);
}

Status MongoStore::UpdateUser(const User& user) {
  Client client = Acquire();
  Doc filter;
  filter.Str("_id", user.id).Str("tenant_key", TenantKey(user.tenant_id));
  ASSIGN_OR_RETURN(auto before, client.FindOne(kUsers, filter));
  if (!before) return Err(ErrorCode::kNotFound, "User not found: {}", user.id);
  Doc update;
  update.Sub("$set", UserFields(user));
  auto matched = client.UpdateOne(kUsers, filter, update);
  RETURN_IF_ERROR(Taken(matched.map([](int64_t) {}), "User", user.username));
  if (*matched == 0) return Err(ErrorCode::kNotFound, "User not found: {}", user.id);
  if (!ChangesPrincipal(ReadUser(before->get()), user)) return Ok();
  return BumpAccessVersion(client, AccessScope(user.tenant_id));
}

Status MongoStore::DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) {
  Client client = Acquire();
  Doc filter;
  filter.Str("_id", id);
  if (tenant) filter.Str("tenant_id", tenant->value);
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kUsers, filter));
  if (!doc) return Err(ErrorCode::kNotFound, "User not found: {}", id);
  TenantId scope{View(doc->get()).Str("tenant_key")};
  ASSIGN_OR_RETURN(int64_t deleted, client.DeleteOne(kUsers, filter));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "User not found: {}", id);
  RETURN_IF_ERROR(DeletePrincipalRecords(client, id));
  return BumpAccessVersion(client, scope);
}

Status MongoStore::CreateServiceUser(const ServiceUser& user) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", user.id)
      .Str("tenant_id", user.tenant_id.value)
      .Int("created_ms", user.created_ms)
      .Str("created_by", user.created_by)
      .Concat(ServiceUserFields(user));
  return Taken(InsertPrincipal(client, kServiceUsers, doc, user.tenant_id, user.id), "Service user",
               user.name);
}

Result<ServiceUser> MongoStore::GetServiceUser(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(
      auto doc, client.FindOne(kServiceUsers, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  return ReadServiceUser(doc->get());
}

Result<ServiceUser> MongoStore::FindServiceUserByKeyId(std::string_view key_id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kServiceUsers, Doc().Str("key_id", key_id)));
  if (!doc) return Err(ErrorCode::kNotFound, "No service user has key {}", key_id);
  return ReadServiceUser(doc->get());
}

Result<Page<ServiceUser>> MongoStore::ListServiceUsers(const TenantId& tenant,
                                                       const PageRequest& page) {
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value);
  return PageByText<ServiceUser>(client, kServiceUsers, std::move(filter), "name", page,
                                 &ReadServiceUser);
}

Status MongoStore::UpdateServiceUser(const ServiceUser& user) {
  Client client = Acquire();
  Doc update;
  update.Sub("$set", ServiceUserFields(user));
  auto matched = client.UpdateOne(
      kServiceUsers, Doc().Str("_id", user.id).Str("tenant_id", user.tenant_id.value), update);
  RETURN_IF_ERROR(Taken(matched.map([](int64_t) {}), "Service user", user.name));
  if (*matched == 0) return Err(ErrorCode::kNotFound, "Service user not found: {}", user.id);
  return BumpAccessVersion(client, user.tenant_id);
}

Status MongoStore::TouchServiceUser(std::string_view id, int64_t used_ms) {
  Client client = Acquire();
  Doc update;
  update.Sub("$set", Doc().Int("last_used_ms", used_ms));
  ASSIGN_OR_RETURN(int64_t matched, client.UpdateOne(kServiceUsers, Doc().Str("_id", id), update));
  if (matched == 0) return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  return {};
}

Status MongoStore::DeleteServiceUser(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(
      int64_t deleted,
      client.DeleteOne(kServiceUsers, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  RETURN_IF_ERROR(DeletePrincipalRecords(client, id));
  return BumpAccessVersion(client, tenant);
}

}  // namespace pangolin::store::mongo_internal
