// Contract: tenants and users. The default tenant always exists and cannot be deleted; a tenant
// is deleted only once empty; usernames are unique per tenant and among root users; every
// tenant-scoped call is confined to its tenant; listings page stably in their documented order.
#include <atomic>
#include <thread>

#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::pangolin::testing::IsErrorWithMessage;
using ::testing::ElementsAre;
using ::testing::Optional;

std::vector<std::string> Names(const std::vector<User>& users) {
  std::vector<std::string> names;
  for (const auto& user : users) names.push_back(user.username);
  return names;
}

std::vector<std::string> Names(const std::vector<Tenant>& tenants) {
  std::vector<std::string> names;
  for (const auto& tenant : tenants) names.push_back(tenant.name);
  return names;
}

template <typename T>
class IdentityContract : public StoreContract<T> {
 protected:
  // Creates tenant B (the id the other suites use for a second tenant) as a row.
  void CreateTenantB() {
    ASSERT_THAT(this->store_->CreateTenant(Tenant{kTenantB, "tenant-b", {}, 1}), IsOk());
  }
  User AddUser(std::optional<TenantId> tenant, std::string username) {
    User user = MakeUser(std::move(tenant), std::move(username));
    EXPECT_THAT(this->store_->CreateUser(user), IsOk());
    return user;
  }
};
TYPED_TEST_SUITE(IdentityContract, StoreFactories, FactoryNames);

TYPED_TEST(IdentityContract, TheDefaultTenantExistsFromTheStart) {
  auto& store = *this->store_;
  EXPECT_THAT(store.GetTenant(kDefaultTenant), Optional(Tenant{kDefaultTenant, "default", {}, 0}));
  ASSERT_OK_AND_ASSIGN(auto tenants, store.ListTenants({}));
  EXPECT_THAT(Names(tenants.items), ElementsAre("default"));
  EXPECT_FALSE(tenants.next_token.has_value());
  EXPECT_THAT(store.DeleteTenant(kDefaultTenant), IsError(ErrorCode::kInvalidArgument));
}

TYPED_TEST(IdentityContract, TenantsAreUniqueByIdAndName) {
  auto& store = *this->store_;
  Tenant acme = MakeTenant("acme");
  ASSERT_THAT(store.CreateTenant(acme), IsOk());
  EXPECT_THAT(store.GetTenant(acme.id), Optional(acme));
  Tenant same_id = MakeTenant("other");
  same_id.id = acme.id;
  EXPECT_THAT(store.CreateTenant(same_id), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateTenant(MakeTenant("acme")), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateTenant(MakeTenant("default")), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.GetTenant(TenantId{NewUuid()}), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(IdentityContract, UpdateTenantReplacesNameAndPropertiesOnly) {
  auto& store = *this->store_;
  Tenant acme = MakeTenant("acme");
  ASSERT_THAT(store.CreateTenant(acme), IsOk());
  ASSERT_THAT(store.CreateTenant(MakeTenant("globex")), IsOk());
  Tenant renamed{acme.id, "acme-corp", {{"plan", "pro"}, {"region", "eu"}}, 5};
  ASSERT_THAT(store.UpdateTenant(renamed), IsOk());
  renamed.created_ms = acme.created_ms;  // kept
  EXPECT_THAT(store.GetTenant(acme.id), Optional(renamed));
  EXPECT_THAT(store.CreateTenant(MakeTenant("acme")), IsOk());  // the old name is free again
  renamed.name = "globex";
  EXPECT_THAT(store.UpdateTenant(renamed), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.UpdateTenant(MakeTenant("nobody")), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(IdentityContract, TenantsPageByName) {
  auto& store = *this->store_;
  for (const char* name : {"echo", "bravo", "delta", "alpha"}) {
    ASSERT_THAT(store.CreateTenant(MakeTenant(name)), IsOk());
  }
  auto pages = Pages<Tenant>([&](const PageRequest& p) { return store.ListTenants(p); }, 2);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_THAT(Names(pages[0]), ElementsAre("alpha", "bravo"));
  EXPECT_THAT(Names(pages[1]), ElementsAre("default", "delta"));
  EXPECT_THAT(Names(pages[2]), ElementsAre("echo"));
  ASSERT_OK_AND_ASSIGN(auto all, store.ListTenants({"", 0}));
  EXPECT_EQ(all.items.size(), 5u);
  EXPECT_THAT(store.ListTenants({"%%%", 2}), IsError(ErrorCode::kBadRequest));
}

TYPED_TEST(IdentityContract, DeleteTenantRefusesWhileAnythingRemains) {
  auto& store = *this->store_;
  this->CreateTenantB();
  EXPECT_THAT(store.DeleteTenant(TenantId{NewUuid()}), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantB, "wh")), IsOk());
  EXPECT_THAT(store.DeleteTenant(kTenantB), IsErrorWithMessage(ErrorCode::kConflict, "warehouses"));
  ASSERT_THAT(store.DeleteWarehouse(kTenantB, "wh"), IsOk());
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantB, "cat")), IsOk());
  EXPECT_THAT(store.DeleteTenant(kTenantB), IsErrorWithMessage(ErrorCode::kConflict, "catalogs"));
  ASSERT_THAT(store.DeleteCatalog(kTenantB, "cat"), IsOk());
  User user = this->AddUser(kTenantB, "ann");
  EXPECT_THAT(store.DeleteTenant(kTenantB), IsErrorWithMessage(ErrorCode::kConflict, "users"));
  ASSERT_THAT(store.DeleteUser(kTenantB, user.id), IsOk());
  ServiceUser robot = MakeServiceUser(kTenantB, "robot");
  ASSERT_THAT(store.CreateServiceUser(robot), IsOk());
  EXPECT_THAT(store.DeleteTenant(kTenantB),
              IsErrorWithMessage(ErrorCode::kConflict, "service users"));
  ASSERT_THAT(store.DeleteServiceUser(kTenantB, robot.id), IsOk());
  // Other tenants' content does not hold this one.
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "cat")), IsOk());
  this->AddUser(kTenantA, "ann");
  ASSERT_THAT(store.DeleteTenant(kTenantB), IsOk());
  EXPECT_THAT(store.GetTenant(kTenantB), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteTenant(kTenantB), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.CreateUser(MakeUser(kTenantB, "late")), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(IdentityContract, DeleteTenantNamesEverythingThatRemains) {
  auto& store = *this->store_;
  this->CreateTenantB();
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantB, "wh")), IsOk());
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantB, "cat", "wh")), IsOk());
  this->AddUser(kTenantB, "ann");
  ASSERT_THAT(store.CreateServiceUser(MakeServiceUser(kTenantB, "robot")), IsOk());
  auto status = store.DeleteTenant(kTenantB);
  ASSERT_THAT(status, IsError(ErrorCode::kConflict));
  for (const char* kind : {"warehouses", "catalogs", "users", "service users"}) {
    EXPECT_NE(status.error().message.find(kind), std::string::npos) << kind;
  }
  EXPECT_THAT(store.GetTenant(kTenantB), IsOk());
}

TYPED_TEST(IdentityContract, UsersAreFoundByIdNameAndOidcAccount) {
  auto& store = *this->store_;
  User ann = MakeUser(kTenantA, "ann");
  ann.oauth_issuer = "https://idp.example.com";
  ann.oauth_subject = "sub-1";
  ann.password_hash.reset();
  ASSERT_THAT(store.CreateUser(ann), IsOk());
  EXPECT_THAT(store.GetUser(kTenantA, ann.id), Optional(ann));
  EXPECT_THAT(store.GetUser(std::nullopt, ann.id), Optional(ann));
  EXPECT_THAT(store.FindUserByName(kTenantA, "ann"), Optional(ann));
  EXPECT_THAT(store.FindUserByOidc("https://idp.example.com", "sub-1"), Optional(ann));
  EXPECT_THAT(store.FindUserByOidc("https://idp.example.com", "sub-2"),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindUserByOidc("https://other.example.com", "sub-1"),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetUser(kTenantA, "no-such-id"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindUserByName(kTenantA, "bob"), IsError(ErrorCode::kNotFound));
  // A tenant user is not a root user.
  EXPECT_THAT(store.FindUserByName(std::nullopt, "ann"), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(IdentityContract, RootUsersHaveNoTenant) {
  auto& store = *this->store_;
  User root = this->AddUser(std::nullopt, "admin");
  EXPECT_THAT(store.FindUserByName(std::nullopt, "admin"), Optional(root));
  EXPECT_THAT(store.GetUser(std::nullopt, root.id), Optional(root));
  EXPECT_THAT(store.GetUser(kTenantA, root.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindUserByName(kTenantA, "admin"), IsError(ErrorCode::kNotFound));
  User tenant_admin = this->AddUser(kTenantA, "admin");  // the same name in a tenant is fine
  EXPECT_THAT(store.FindUserByName(kTenantA, "admin"), Optional(tenant_admin));
  EXPECT_THAT(store.FindUserByName(std::nullopt, "admin"), Optional(root));
  EXPECT_THAT(store.CreateUser(MakeUser(std::nullopt, "admin")),
              IsError(ErrorCode::kAlreadyExists));
}

TYPED_TEST(IdentityContract, UsernamesAreUniquePerTenant) {
  auto& store = *this->store_;
  this->CreateTenantB();
  User ann = this->AddUser(kTenantA, "ann");
  EXPECT_THAT(store.CreateUser(MakeUser(kTenantA, "ann")), IsError(ErrorCode::kAlreadyExists));
  User ann_b = this->AddUser(kTenantB, "ann");
  EXPECT_THAT(store.FindUserByName(kTenantB, "ann"), Optional(ann_b));
  User same_id = MakeUser(kTenantB, "other");
  same_id.id = ann.id;
  EXPECT_THAT(store.CreateUser(same_id), IsError(ErrorCode::kAlreadyExists));
  User linked = MakeUser(kTenantA, "linked");
  linked.oauth_issuer = "https://idp";
  linked.oauth_subject = "s";
  ASSERT_THAT(store.CreateUser(linked), IsOk());
  User relinked = MakeUser(kTenantB, "relinked");  // one OIDC account, one user
  relinked.oauth_issuer = "https://idp";
  relinked.oauth_subject = "s";
  EXPECT_THAT(store.CreateUser(relinked), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateUser(MakeUser(TenantId{NewUuid()}, "ghost")),
              IsError(ErrorCode::kNotFound));
}

TYPED_TEST(IdentityContract, UpdateUserReplacesAllButIdTenantAndCreation) {
  auto& store = *this->store_;
  User ann = this->AddUser(kTenantA, "ann");
  this->AddUser(kTenantA, "bob");
  User changed = ann;
  changed.username = "anne";
  changed.email = "anne@example.com";
  changed.password_hash = "$argon2id$new";
  changed.oauth_issuer = "https://idp";
  changed.oauth_subject = "anne";
  changed.role = catalog::UserRole::kTenantAdmin;
  changed.created_ms = 1;
  changed.updated_ms = 1700000009000;
  changed.last_login_ms.reset();
  changed.active = false;
  ASSERT_THAT(store.UpdateUser(changed), IsOk());
  changed.created_ms = ann.created_ms;
  EXPECT_THAT(store.GetUser(kTenantA, ann.id), Optional(changed));
  EXPECT_THAT(store.FindUserByName(kTenantA, "anne"), Optional(changed));
  EXPECT_THAT(store.FindUserByName(kTenantA, "ann"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindUserByOidc("https://idp", "anne"), Optional(changed));
  this->AddUser(kTenantA, "ann");  // the old name is free again
  changed.username = "bob";
  EXPECT_THAT(store.UpdateUser(changed), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.UpdateUser(MakeUser(kTenantA, "nobody")), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(IdentityContract, DeleteUserRemovesItAndItsTokens) {
  auto& store = *this->store_;
  User ann = this->AddUser(kTenantA, "ann");
  User bob = this->AddUser(kTenantA, "bob");
  ASSERT_THAT(store.RecordToken(MakeToken("t1", ann.id, 1, 1000)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("t2", ann.id, 2, 1000)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("t3", bob.id, 3, 1000)), IsOk());
  Role role = MakeRole(kTenantA, "readers", {{TenantScope(), {Action::kRead}}});
  ASSERT_THAT(store.CreateRole(role), IsOk());
  ASSERT_THAT(store.AssignRole(kTenantA, MakeAssignment(ann.id, role.id)), IsOk());
  ASSERT_THAT(store.CreateGrant(MakeGrant(kTenantA, ann.id, {TagScope("pii"), {Action::kAll}})),
              IsOk());
  ASSERT_THAT(store.DeleteUser(kTenantA, ann.id), IsOk());
  // Its grants and role assignments went with it (store_access_contract_test.cc has more).
  EXPECT_THAT(store.LoadPermissions(kTenantA, ann.id), Optional(::testing::IsEmpty()));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, ann.id), Optional(::testing::IsEmpty()));
  EXPECT_THAT(store.GetUser(std::nullopt, ann.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindUserByName(kTenantA, "ann"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetToken("t1"), Optional(std::optional<TokenRecord>()));
  EXPECT_THAT(store.GetToken("t2"), Optional(std::optional<TokenRecord>()));
  ASSERT_OK_AND_ASSIGN(auto left, store.ListTokens(ann.id, {}));
  EXPECT_TRUE(left.items.empty());
  EXPECT_THAT(store.GetToken("t3"), Optional(Optional(MakeToken("t3", bob.id, 3, 1000))));
  EXPECT_THAT(store.DeleteUser(kTenantA, ann.id), IsError(ErrorCode::kNotFound));
  // nullopt reaches any user, root users included.
  User root = this->AddUser(std::nullopt, "root");
  ASSERT_THAT(store.DeleteUser(std::nullopt, root.id), IsOk());
  ASSERT_THAT(store.DeleteUser(std::nullopt, bob.id), IsOk());
  ASSERT_OK_AND_ASSIGN(auto users, store.ListUsers(std::nullopt, {}));
  EXPECT_TRUE(users.items.empty());
}

TYPED_TEST(IdentityContract, UsersPageByUsernameThenId) {
  auto& store = *this->store_;
  this->CreateTenantB();
  for (const char* name : {"dave", "bob", "erin", "ann", "carl"}) this->AddUser(kTenantA, name);
  User ann_b = this->AddUser(kTenantB, "ann");
  User root = this->AddUser(std::nullopt, "bob");
  auto pages = Pages<User>([&](const PageRequest& p) { return store.ListUsers(kTenantA, p); }, 2);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_THAT(Names(pages[0]), ElementsAre("ann", "bob"));
  EXPECT_THAT(Names(pages[1]), ElementsAre("carl", "dave"));
  EXPECT_THAT(Names(pages[2]), ElementsAre("erin"));
  // Every user, root users included; equal names in id order.
  auto everyone =
      Pages<User>([&](const PageRequest& p) { return store.ListUsers(std::nullopt, p); }, 3);
  ASSERT_EQ(everyone.size(), 3u);
  std::vector<User> all;
  for (auto& page : everyone) all.insert(all.end(), page.begin(), page.end());
  EXPECT_THAT(Names(all), ElementsAre("ann", "ann", "bob", "bob", "carl", "dave", "erin"));
  EXPECT_LT(all[0].id, all[1].id);
  EXPECT_LT(all[2].id, all[3].id);
  ASSERT_OK_AND_ASSIGN(auto unlimited, store.ListUsers(std::nullopt, {"", 0}));
  EXPECT_EQ(unlimited.items.size(), 7u);
  EXPECT_FALSE(unlimited.next_token.has_value());
  EXPECT_THAT(store.ListUsers(kTenantA, {"not base64 !", 2}), IsError(ErrorCode::kBadRequest));
}

TYPED_TEST(IdentityContract, UserPagesStayStableWhileUsersComeAndGo) {
  auto& store = *this->store_;
  for (const char* name : {"b", "d", "f", "h"}) this->AddUser(kTenantA, name);
  ASSERT_OK_AND_ASSIGN(auto first, store.ListUsers(kTenantA, {"", 2}));
  ASSERT_THAT(Names(first.items), ElementsAre("b", "d"));
  ASSERT_TRUE(first.next_token.has_value());
  this->AddUser(kTenantA, "a");  // before the cursor: not seen
  this->AddUser(kTenantA, "e");  // after it: seen
  ASSERT_THAT(store.DeleteUser(kTenantA, first.items[1].id), IsOk());  // the cursor itself
  ASSERT_OK_AND_ASSIGN(auto second, store.ListUsers(kTenantA, {*first.next_token, 2}));
  EXPECT_THAT(Names(second.items), ElementsAre("e", "f"));
  ASSERT_OK_AND_ASSIGN(auto third, store.ListUsers(kTenantA, {*second.next_token, 2}));
  EXPECT_THAT(Names(third.items), ElementsAre("h"));
  EXPECT_FALSE(third.next_token.has_value());
}

// Tenant A's calls never reach tenant B's users, whatever the id or name they are given.
TYPED_TEST(IdentityContract, UserCallsAreConfinedToTheirTenant) {
  auto& store = *this->store_;
  this->CreateTenantB();
  User ann_a = this->AddUser(kTenantA, "ann");
  User bob_b = this->AddUser(kTenantB, "bob");
  ASSERT_OK_AND_ASSIGN(auto listed, store.ListUsers(kTenantA, {}));
  EXPECT_THAT(listed.items, ElementsAre(ann_a));
  EXPECT_THAT(store.GetUser(kTenantA, bob_b.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindUserByName(kTenantA, "bob"), IsError(ErrorCode::kNotFound));
  User hijack = bob_b;
  hijack.tenant_id = kTenantA;
  hijack.username = "mallory";
  EXPECT_THAT(store.UpdateUser(hijack), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteUser(kTenantA, bob_b.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetUser(kTenantB, bob_b.id), Optional(bob_b));  // untouched
  User rooted = bob_b;  // nor does a root-level update move it out of its tenant
  rooted.tenant_id.reset();
  EXPECT_THAT(store.UpdateUser(rooted), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetUser(kTenantB, bob_b.id), Optional(bob_b));
}

// DeleteTenant races catalog and user writes in that tenant: nothing deadlocks, and while a user
// of the tenant exists the tenant does too (the emptiness check and the delete are one step).
TYPED_TEST(IdentityContract, DeleteTenantIsAtomicWithConcurrentWrites) {
  auto& store = *this->store_;
  Tenant tenant = MakeTenant("racy");
  std::atomic<bool> stop = false;
  std::thread deleter([&] {
    for (int i = 0; i < 500; ++i) {
      (void)store.CreateTenant(tenant);
      (void)store.DeleteTenant(tenant.id);
    }
    stop = true;
  });
  int created = 0;
  int orphaned = 0;
  while (!stop) {
    (void)store.CreateCatalog(MakeCatalog(tenant.id, "cat"));
    User user = MakeUser(tenant.id, "ann");
    if (store.CreateUser(user)) {
      ++created;
      if (!store.GetTenant(tenant.id)) ++orphaned;
      EXPECT_THAT(store.DeleteUser(tenant.id, user.id), IsOk());
    }
    (void)store.DeleteCatalog(tenant.id, "cat");
  }
  deleter.join();
  EXPECT_EQ(orphaned, 0) << "of " << created << " users";
}

}  // namespace
}  // namespace pangolin::store::contract
