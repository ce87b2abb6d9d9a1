// Contract: roles, role assignments and direct grants. Role names are unique per tenant; every
// call is confined to its tenant; listings page stably in their documented order; scopes are kept
// exactly as given; LoadPermissions combines direct and role grants and sees every change at once;
// deleting a role, a user or a service user takes its assignments and grants with it; every
// change, and no failed one, bumps the tenant's access version.
#include <algorithm>
#include <tuple>

#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Names(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (const auto& role : roles) names.push_back(role.name);
  return names;
}

std::vector<std::string> Ids(const std::vector<DirectGrant>& grants) {
  std::vector<std::string> ids;
  for (const auto& grant : grants) ids.push_back(grant.id);
  return ids;
}

const PermissionGrant kReadSales{CatalogScope("sales"), {Action::kRead}};
const PermissionGrant kWriteEu{NamespaceScope("sales", {"eu", "fr"}), {Action::kWrite}};
const PermissionGrant kPiiAll{TagScope("pii"), {Action::kAll}};
const PermissionGrant kListTenant{TenantScope(), {Action::kList}};

template <typename T>
class AccessContract : public StoreContract<T> {
 protected:
  Role AddRole(const TenantId& tenant, std::string name,
               std::vector<PermissionGrant> permissions = {}) {
    Role role = MakeRole(tenant, std::move(name), std::move(permissions));
    EXPECT_THAT(this->store_->CreateRole(role), IsOk());
    return role;
  }
  DirectGrant AddGrant(const TenantId& tenant, const std::string& principal_id,
                       PermissionGrant grant, int64_t granted_ms = 1700000000000) {
    DirectGrant direct = MakeGrant(tenant, principal_id, std::move(grant), granted_ms);
    EXPECT_THAT(this->store_->CreateGrant(direct), IsOk());
    return direct;
  }
  void Assign(const TenantId& tenant, const std::string& principal_id, const Role& role) {
    EXPECT_THAT(this->store_->AssignRole(tenant, MakeAssignment(principal_id, role.id)), IsOk());
  }
  std::vector<PermissionGrant> Permissions(const TenantId& tenant, const std::string& principal) {
    auto permissions = this->store_->LoadPermissions(tenant, principal);
    EXPECT_THAT(permissions, IsOk());
    return permissions.value_or(std::vector<PermissionGrant>{});
  }
  int64_t Version(const TenantId& tenant) {
    auto version = this->store_->AccessVersion(tenant);
    EXPECT_THAT(version, IsOk());
    return version.value_or(-1);
  }
  // Expects `change` to succeed and to raise the access version of `tenant` only.
  template <typename Change>
  void ExpectBumps(const TenantId& tenant, const TenantId& other, Change&& change) {
    int64_t before = Version(tenant);
    int64_t untouched = Version(other);
    EXPECT_THAT(change(), IsOk());
    EXPECT_GT(Version(tenant), before);
    EXPECT_EQ(Version(other), untouched);
  }
};
TYPED_TEST_SUITE(AccessContract, StoreFactories, FactoryNames);

TYPED_TEST(AccessContract, RolesAreUniqueByIdAndByNameWithinATenant) {
  auto& store = *this->store_;
  Role analyst = this->AddRole(kTenantA, "analyst", {kReadSales, kWriteEu, kPiiAll});
  EXPECT_THAT(store.GetRole(kTenantA, analyst.id), Optional(analyst));
  Role same_id = MakeRole(kTenantB, "other");
  same_id.id = analyst.id;
  EXPECT_THAT(store.CreateRole(same_id), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateRole(MakeRole(kTenantA, "analyst")), IsError(ErrorCode::kAlreadyExists));
  Role analyst_b = this->AddRole(kTenantB, "analyst");  // another tenant may use the name
  EXPECT_THAT(store.GetRole(kTenantB, analyst_b.id), Optional(analyst_b));
  EXPECT_THAT(store.GetRole(kTenantA, "no-such-role"), IsError(ErrorCode::kNotFound));
  Role bare = MakeRole(kTenantA, "bare");  // no description, no permissions
  bare.description.reset();
  ASSERT_THAT(store.CreateRole(bare), IsOk());
  EXPECT_THAT(store.GetRole(kTenantA, bare.id), Optional(bare));
}

// Scopes are stored as given: every type, with every member, levels containing "." included.
TYPED_TEST(AccessContract, ScopesAreKeptExactlyAsGiven) {
  auto& store = *this->store_;
  std::vector<PermissionGrant> permissions = {
      kListTenant,
      kReadSales,
      kWriteEu,
      {NamespaceScope("sales", {"a.b", "c"}), {Action::kCreate, Action::kUpdate}},
      {AssetScope("sales", {"eu"}, "table-1"), {Action::kDelete, Action::kIngestBranching}},
      {kPiiAll.scope, {Action::kExperimentalBranching, Action::kManageDiscovery}},
      {TenantScope(), {}}};
  Role role = this->AddRole(kTenantA, "everything", permissions);
  EXPECT_THAT(store.GetRole(kTenantA, role.id), Optional(role));
  for (const auto& grant : permissions) {
    DirectGrant direct = this->AddGrant(kTenantA, "u1", grant);
    EXPECT_THAT(store.GetGrant(kTenantA, direct.id), Optional(direct));
  }
}

TYPED_TEST(AccessContract, UpdateRoleReplacesNameDescriptionPermissionsAndUpdateTime) {
  auto& store = *this->store_;
  Role role = this->AddRole(kTenantA, "analyst", {kReadSales});
  this->AddRole(kTenantA, "admin");
  Role changed = role;
  changed.name = "data-analyst";
  changed.description.reset();
  changed.permissions = {kWriteEu, kPiiAll};
  changed.updated_ms = role.updated_ms + 5000;
  changed.created_by = "mallory";  // kept as stored
  changed.created_ms = 1;
  ASSERT_THAT(store.UpdateRole(changed), IsOk());
  changed.created_by = role.created_by;
  changed.created_ms = role.created_ms;
  EXPECT_THAT(store.GetRole(kTenantA, role.id), Optional(changed));
  this->AddRole(kTenantA, "analyst");  // the old name is free again
  changed.name = "admin";
  EXPECT_THAT(store.UpdateRole(changed), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.UpdateRole(MakeRole(kTenantA, "ghost")), IsError(ErrorCode::kNotFound));
  changed.name = "data-analyst";
  changed.permissions.clear();
  ASSERT_THAT(store.UpdateRole(changed), IsOk());  // keeping its own name is no clash
  EXPECT_THAT(store.GetRole(kTenantA, role.id), Optional(changed));
}

TYPED_TEST(AccessContract, RolesPageByNameThenId) {
  auto& store = *this->store_;
  for (const char* name : {"echo", "bravo", "delta", "alpha", "charlie"}) {
    this->AddRole(kTenantA, name);
  }
  this->AddRole(kTenantB, "aaa");
  auto pages = Pages<Role>([&](const PageRequest& p) { return store.ListRoles(kTenantA, p); }, 2);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_THAT(Names(pages[0]), ElementsAre("alpha", "bravo"));
  EXPECT_THAT(Names(pages[1]), ElementsAre("charlie", "delta"));
  EXPECT_THAT(Names(pages[2]), ElementsAre("echo"));
  ASSERT_OK_AND_ASSIGN(auto all, store.ListRoles(kTenantA, {"", 0}));
  EXPECT_EQ(all.items.size(), 5u);
  EXPECT_FALSE(all.next_token.has_value());
  EXPECT_THAT(store.ListRoles(kTenantA, {"not base64 !", 2}), IsError(ErrorCode::kBadRequest));
  // Stable while roles come and go: the cursor's own deletion does not lose the next page.
  ASSERT_OK_AND_ASSIGN(auto first, store.ListRoles(kTenantA, {"", 2}));
  ASSERT_THAT(store.DeleteRole(kTenantA, first.items[1].id), IsOk());
  this->AddRole(kTenantA, "aardvark");  // before the cursor: not seen
  this->AddRole(kTenantA, "bz");        // after it: seen
  ASSERT_OK_AND_ASSIGN(auto second, store.ListRoles(kTenantA, {*first.next_token, 2}));
  EXPECT_THAT(Names(second.items), ElementsAre("bz", "charlie"));
}

TYPED_TEST(AccessContract, AssignmentsNeedARoleOfTheTenantAndAreUnique) {
  auto& store = *this->store_;
  Role zeta = this->AddRole(kTenantA, "zeta", {kReadSales});
  Role alpha = this->AddRole(kTenantA, "alpha", {kWriteEu});
  EXPECT_THAT(store.AssignRole(kTenantA, MakeAssignment("u1", "no-such-role")),
              IsError(ErrorCode::kNotFound));
  this->Assign(kTenantA, "u1", zeta);
  this->Assign(kTenantA, "u1", alpha);
  this->Assign(kTenantA, "u2", zeta);
  EXPECT_THAT(store.AssignRole(kTenantA, MakeAssignment("u1", zeta.id)),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u1"), Optional(ElementsAre(alpha, zeta)));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "nobody"), Optional(IsEmpty()));
  ASSERT_THAT(store.UnassignRole(kTenantA, "u1", zeta.id), IsOk());
  EXPECT_THAT(store.UnassignRole(kTenantA, "u1", zeta.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.UnassignRole(kTenantA, "u1", "no-such-role"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u1"), Optional(ElementsAre(alpha)));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u2"), Optional(ElementsAre(zeta)));
  this->Assign(kTenantA, "u1", zeta);  // may be assigned again
  // The listing shows a role as it is now.
  Role renamed = zeta;
  renamed.name = "aaa";
  ASSERT_THAT(store.UpdateRole(renamed), IsOk());
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u1"), Optional(ElementsAre(renamed, alpha)));
}

TYPED_TEST(AccessContract, DeletingARoleDeletesItsAssignments) {
  auto& store = *this->store_;
  Role role = this->AddRole(kTenantA, "analyst", {kReadSales});
  Role kept = this->AddRole(kTenantA, "kept", {kWriteEu});
  this->Assign(kTenantA, "u1", role);
  this->Assign(kTenantA, "u2", role);
  this->Assign(kTenantA, "u2", kept);
  ASSERT_THAT(store.DeleteRole(kTenantA, role.id), IsOk());
  EXPECT_THAT(store.GetRole(kTenantA, role.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteRole(kTenantA, role.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u1"), Optional(IsEmpty()));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u2"), Optional(ElementsAre(kept)));
  EXPECT_THAT(store.UnassignRole(kTenantA, "u1", role.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->Permissions(kTenantA, "u2"), ElementsAre(kWriteEu));
  // A new role of the same name starts with no holders.
  Role again = this->AddRole(kTenantA, "analyst");
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u1"), Optional(IsEmpty()));
  this->Assign(kTenantA, "u1", again);
}

TYPED_TEST(AccessContract, GrantsAreFoundAndDeletedById) {
  auto& store = *this->store_;
  DirectGrant grant = this->AddGrant(kTenantA, "u1", kWriteEu);
  EXPECT_THAT(store.GetGrant(kTenantA, grant.id), Optional(grant));
  DirectGrant same_id = MakeGrant(kTenantB, "u2", kReadSales);
  same_id.id = grant.id;
  EXPECT_THAT(store.CreateGrant(same_id), IsError(ErrorCode::kAlreadyExists));
  // The same scope and actions again are a second grant, not a clash.
  DirectGrant twin = this->AddGrant(kTenantA, "u1", kWriteEu);
  EXPECT_THAT(store.GetGrant(kTenantA, "no-such-grant"), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.DeleteGrant(kTenantA, grant.id), IsOk());
  EXPECT_THAT(store.GetGrant(kTenantA, grant.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteGrant(kTenantA, grant.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetGrant(kTenantA, twin.id), Optional(twin));
}

TYPED_TEST(AccessContract, GrantsPageByGrantTimeThenId) {
  auto& store = *this->store_;
  std::vector<DirectGrant> mine;
  for (int64_t t : {30, 10, 20, 10, 40})
    mine.push_back(this->AddGrant(kTenantA, "u1", kReadSales, t));
  DirectGrant theirs = this->AddGrant(kTenantA, "u2", kPiiAll, 15);
  this->AddGrant(kTenantB, "u1", kReadSales, 5);  // another tenant's
  std::vector<DirectGrant> expected = mine;
  std::sort(expected.begin(), expected.end(), [](const DirectGrant& a, const DirectGrant& b) {
    return std::tie(a.granted_ms, a.id) < std::tie(b.granted_ms, b.id);
  });
  auto pages = Pages<DirectGrant>(
      [&](const PageRequest& p) { return store.ListGrants(kTenantA, "u1", p); }, 2);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_THAT(pages[0], ElementsAre(expected[0], expected[1]));
  EXPECT_THAT(pages[1], ElementsAre(expected[2], expected[3]));
  EXPECT_THAT(pages[2], ElementsAre(expected[4]));
  // Without a principal: the whole tenant's grants, in the same order.
  auto everyone = Pages<DirectGrant>(
      [&](const PageRequest& p) { return store.ListGrants(kTenantA, std::nullopt, p); }, 4);
  ASSERT_EQ(everyone.size(), 2u);
  EXPECT_THAT(Ids(everyone[0]),
              ElementsAre(expected[0].id, expected[1].id, theirs.id, expected[2].id));
  EXPECT_THAT(Ids(everyone[1]), ElementsAre(expected[3].id, expected[4].id));
  ASSERT_OK_AND_ASSIGN(auto unlimited, store.ListGrants(kTenantA, std::nullopt, {"", 0}));
  EXPECT_EQ(unlimited.items.size(), 6u);
  EXPECT_FALSE(unlimited.next_token.has_value());
  EXPECT_THAT(store.ListGrants(kTenantA, "nobody", {}),
              Optional(::testing::Field(&Page<DirectGrant>::items, IsEmpty())));
  EXPECT_THAT(store.ListGrants(kTenantA, std::nullopt, {"!!", 2}), IsError(ErrorCode::kBadRequest));
  // Stable while grants come and go.
  ASSERT_OK_AND_ASSIGN(auto first, store.ListGrants(kTenantA, "u1", {"", 2}));
  ASSERT_THAT(store.DeleteGrant(kTenantA, first.items[1].id), IsOk());
  this->AddGrant(kTenantA, "u1", kReadSales, 1);                      // before the cursor: not seen
  DirectGrant late = this->AddGrant(kTenantA, "u1", kReadSales, 25);  // after it: seen
  ASSERT_OK_AND_ASSIGN(auto second, store.ListGrants(kTenantA, "u1", {*first.next_token, 2}));
  EXPECT_THAT(second.items, ElementsAre(expected[2], late));
}

// Everything a principal holds, in one read; every change shows at once.
TYPED_TEST(AccessContract, LoadPermissionsCombinesDirectAndRoleGrants) {
  auto& store = *this->store_;
  EXPECT_THAT(this->Permissions(kTenantA, "u1"), IsEmpty());
  Role readers = this->AddRole(kTenantA, "readers", {kReadSales, kListTenant});
  Role taggers = this->AddRole(kTenantA, "taggers", {kPiiAll});
  this->AddRole(kTenantA, "unassigned", {{TenantScope(), {Action::kAll}}});
  this->Assign(kTenantA, "u1", readers);
  this->Assign(kTenantA, "u1", taggers);
  this->Assign(kTenantA, "u2", readers);
  DirectGrant direct = this->AddGrant(kTenantA, "u1", kWriteEu);
  this->AddGrant(kTenantA, "u2", kPiiAll);
  EXPECT_THAT(this->Permissions(kTenantA, "u1"),
              UnorderedElementsAre(kWriteEu, kReadSales, kListTenant, kPiiAll));
  EXPECT_THAT(this->Permissions(kTenantA, "u2"),
              UnorderedElementsAre(kReadSales, kListTenant, kPiiAll));
  Role narrowed = readers;  // a role's update reaches every holder
  narrowed.permissions = {kListTenant};
  ASSERT_THAT(store.UpdateRole(narrowed), IsOk());
  EXPECT_THAT(this->Permissions(kTenantA, "u1"),
              UnorderedElementsAre(kWriteEu, kListTenant, kPiiAll));
  EXPECT_THAT(this->Permissions(kTenantA, "u2"), UnorderedElementsAre(kListTenant, kPiiAll));
  ASSERT_THAT(store.UnassignRole(kTenantA, "u1", taggers.id), IsOk());
  EXPECT_THAT(this->Permissions(kTenantA, "u1"), UnorderedElementsAre(kWriteEu, kListTenant));
  ASSERT_THAT(store.DeleteRole(kTenantA, readers.id), IsOk());
  EXPECT_THAT(this->Permissions(kTenantA, "u1"), ElementsAre(kWriteEu));
  EXPECT_THAT(this->Permissions(kTenantA, "u2"), ElementsAre(kPiiAll));
  ASSERT_THAT(store.DeleteGrant(kTenantA, direct.id), IsOk());
  EXPECT_THAT(this->Permissions(kTenantA, "u1"), IsEmpty());
}

// Tenant B never sees, changes or uses tenant A's roles, assignments or grants, whatever ids it
// is given.
TYPED_TEST(AccessContract, CallsAreConfinedToTheirTenant) {
  auto& store = *this->store_;
  Role role_a = this->AddRole(kTenantA, "analyst", {kReadSales});
  this->Assign(kTenantA, "u1", role_a);
  DirectGrant grant_a = this->AddGrant(kTenantA, "u1", kWriteEu);
  EXPECT_THAT(store.GetRole(kTenantB, role_a.id), IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto roles_b, store.ListRoles(kTenantB, {}));
  EXPECT_THAT(roles_b.items, IsEmpty());
  Role hijack = role_a;
  hijack.tenant_id = kTenantB;
  hijack.permissions = {{TenantScope(), {Action::kAll}}};
  EXPECT_THAT(store.UpdateRole(hijack), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteRole(kTenantB, role_a.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.AssignRole(kTenantB, MakeAssignment("u9", role_a.id)),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.UnassignRole(kTenantB, "u1", role_a.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantB, "u1"), Optional(IsEmpty()));
  EXPECT_THAT(store.GetGrant(kTenantB, grant_a.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteGrant(kTenantB, grant_a.id), IsError(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto grants_b, store.ListGrants(kTenantB, std::nullopt, {}));
  EXPECT_THAT(grants_b.items, IsEmpty());
  ASSERT_OK_AND_ASSIGN(auto grants_b_u1, store.ListGrants(kTenantB, "u1", {}));
  EXPECT_THAT(grants_b_u1.items, IsEmpty());
  EXPECT_THAT(this->Permissions(kTenantB, "u1"), IsEmpty());
  // A's records are untouched, and B's own stay apart from them.
  EXPECT_THAT(store.GetRole(kTenantA, role_a.id), Optional(role_a));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, "u1"), Optional(ElementsAre(role_a)));
  EXPECT_THAT(store.GetGrant(kTenantA, grant_a.id), Optional(grant_a));
  Role role_b = this->AddRole(kTenantB, "analyst", {kPiiAll});
  this->Assign(kTenantB, "u1", role_b);
  EXPECT_THAT(this->Permissions(kTenantB, "u1"), ElementsAre(kPiiAll));
  EXPECT_THAT(this->Permissions(kTenantA, "u1"), UnorderedElementsAre(kReadSales, kWriteEu));
  EXPECT_THAT(store.UnassignRole(kTenantA, "u1", role_b.id), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(AccessContract, DeletingAUserDeletesItsGrantsAndAssignments) {
  auto& store = *this->store_;
  User ann = MakeUser(kTenantA, "ann");
  User bob = MakeUser(kTenantA, "bob");
  ASSERT_THAT(store.CreateUser(ann), IsOk());
  ASSERT_THAT(store.CreateUser(bob), IsOk());
  Role role = this->AddRole(kTenantA, "readers", {kReadSales});
  for (const User* user : {&ann, &bob}) {
    this->Assign(kTenantA, user->id, role);
    this->AddGrant(kTenantA, user->id, kWriteEu);
  }
  this->AddGrant(kTenantB, ann.id, kPiiAll);  // even one made in another tenant
  // A refused deletion (another tenant's user) leaves everything in place.
  EXPECT_THAT(store.DeleteUser(kTenantB, ann.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->Permissions(kTenantA, ann.id), UnorderedElementsAre(kReadSales, kWriteEu));
  ASSERT_THAT(store.DeleteUser(kTenantA, ann.id), IsOk());
  EXPECT_THAT(this->Permissions(kTenantA, ann.id), IsEmpty());
  EXPECT_THAT(this->Permissions(kTenantB, ann.id), IsEmpty());
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, ann.id), Optional(IsEmpty()));
  ASSERT_OK_AND_ASSIGN(auto left, store.ListGrants(kTenantA, ann.id, {}));
  EXPECT_THAT(left.items, IsEmpty());
  // The role, and everyone else's grants and assignments, stay.
  EXPECT_THAT(store.GetRole(kTenantA, role.id), Optional(role));
  EXPECT_THAT(this->Permissions(kTenantA, bob.id), UnorderedElementsAre(kReadSales, kWriteEu));
}

TYPED_TEST(AccessContract, DeletingAServiceUserDeletesItsGrantsAndAssignments) {
  auto& store = *this->store_;
  ServiceUser robot = MakeServiceUser(kTenantA, "robot");
  ServiceUser other = MakeServiceUser(kTenantA, "other");
  ASSERT_THAT(store.CreateServiceUser(robot), IsOk());
  ASSERT_THAT(store.CreateServiceUser(other), IsOk());
  Role role = this->AddRole(kTenantA, "ingest", {kWriteEu});
  for (const ServiceUser* user : {&robot, &other}) {
    this->Assign(kTenantA, user->id, role);
    this->AddGrant(kTenantA, user->id, kPiiAll);
  }
  EXPECT_THAT(store.DeleteServiceUser(kTenantB, robot.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->Permissions(kTenantA, robot.id), UnorderedElementsAre(kWriteEu, kPiiAll));
  ASSERT_THAT(store.DeleteServiceUser(kTenantA, robot.id), IsOk());
  EXPECT_THAT(this->Permissions(kTenantA, robot.id), IsEmpty());
  EXPECT_THAT(store.ListPrincipalRoles(kTenantA, robot.id), Optional(IsEmpty()));
  ASSERT_OK_AND_ASSIGN(auto left, store.ListGrants(kTenantA, robot.id, {}));
  EXPECT_THAT(left.items, IsEmpty());
  EXPECT_THAT(this->Permissions(kTenantA, other.id), UnorderedElementsAre(kWriteEu, kPiiAll));
}

TYPED_TEST(AccessContract, EveryChangeBumpsItsTenantsAccessVersionOnly) {
  auto& store = *this->store_;
  EXPECT_EQ(this->Version(kTenantA), 0);
  EXPECT_EQ(this->Version(kTenantB), 0);
  Role role = MakeRole(kTenantA, "analyst", {kReadSales});
  this->ExpectBumps(kTenantA, kTenantB, [&] { return store.CreateRole(role); });
  role.permissions = {kWriteEu};
  this->ExpectBumps(kTenantA, kTenantB, [&] { return store.UpdateRole(role); });
  this->ExpectBumps(kTenantA, kTenantB,
                    [&] { return store.AssignRole(kTenantA, MakeAssignment("u1", role.id)); });
  this->ExpectBumps(kTenantA, kTenantB,
                    [&] { return store.UnassignRole(kTenantA, "u1", role.id); });
  DirectGrant grant = MakeGrant(kTenantA, "u1", kPiiAll);
  this->ExpectBumps(kTenantA, kTenantB, [&] { return store.CreateGrant(grant); });
  this->ExpectBumps(kTenantA, kTenantB, [&] { return store.DeleteGrant(kTenantA, grant.id); });
  this->Assign(kTenantA, "u2", role);
  this->ExpectBumps(kTenantA, kTenantB, [&] { return store.DeleteRole(kTenantA, role.id); });
  // The same in tenant B leaves A alone.
  Role role_b = MakeRole(kTenantB, "analyst");
  this->ExpectBumps(kTenantB, kTenantA, [&] { return store.CreateRole(role_b); });
  this->ExpectBumps(kTenantB, kTenantA,
                    [&] { return store.CreateGrant(MakeGrant(kTenantB, "u1", kReadSales)); });
  // Reads change nothing.
  int64_t a = this->Version(kTenantA);
  int64_t b = this->Version(kTenantB);
  ASSERT_THAT(store.LoadPermissions(kTenantB, "u1"), IsOk());
  EXPECT_EQ(this->Version(kTenantA), a);
  EXPECT_EQ(this->Version(kTenantB), b);
}

// What authentication and catalog lookups cache moves the version too: principals (their name,
// role or activity), their tokens, catalogs and warehouses. Root's principals count under
// AccessScope(nullopt).
TYPED_TEST(AccessContract, IdentityCatalogAndWarehouseChangesMoveTheAccessVersion) {
  auto& store = *this->store_;
  const TenantId root = AccessScope(std::nullopt);
  User ann = MakeUser(kTenantA, "ann");
  User admin = MakeUser(std::nullopt, "admin");
  ServiceUser robot = MakeServiceUser(kTenantA, "robot");
  ASSERT_THAT(store.CreateUser(ann), IsOk());
  ASSERT_THAT(store.CreateUser(admin), IsOk());
  ASSERT_THAT(store.CreateServiceUser(robot), IsOk());
  TokenRecord ann_token = MakeToken("t-ann", ann.id, 1700000000000, 1900000000000);
  TokenRecord ann_token2 = MakeToken("t-ann-2", ann.id, 1700000000000, 1900000000000);
  TokenRecord admin_token = MakeToken("t-admin", admin.id, 1700000000000, 1900000000000);
  admin_token.tenant_id.reset();
  for (const auto& token : {ann_token, ann_token2, admin_token}) {
    ASSERT_THAT(store.RecordToken(token), IsOk());
  }
  Warehouse warehouse = MakeWarehouse(kTenantA, "wh");
  ASSERT_THAT(store.CreateWarehouse(warehouse), IsOk());
  Catalog catalog = MakeCatalog(kTenantA, "cat", "wh");
  ASSERT_THAT(store.CreateCatalog(catalog), IsOk());

  // A login or a new email leaves the principal as requests see it.
  int64_t a = this->Version(kTenantA);
  ann.last_login_ms = 1700000009000;
  ann.email = "ann@example.org";
  ASSERT_THAT(store.UpdateUser(ann), IsOk());
  EXPECT_EQ(this->Version(kTenantA), a);
  ann.active = false;
  this->ExpectBumps(kTenantA, root, [&] { return store.UpdateUser(ann); });
  admin.username = "root-admin";
  this->ExpectBumps(root, kTenantA, [&] { return store.UpdateUser(admin); });
  admin.role = catalog::UserRole::kTenantAdmin;
  this->ExpectBumps(root, kTenantA, [&] { return store.UpdateUser(admin); });
  robot.active = false;
  this->ExpectBumps(kTenantA, root, [&] { return store.UpdateServiceUser(robot); });
  this->ExpectBumps(kTenantA, root,
                    [&] { return store.RevokeToken(ann_token.jti, 1700000005000, "test"); });
  this->ExpectBumps(root, kTenantA,
                    [&] { return store.RevokeToken(admin_token.jti, 1700000005000, "test"); });
  this->ExpectBumps(kTenantA, root, [&] {
    return store.RevokePrincipalTokens(ann.id, 1700000005000, "test").map([](size_t n) {
      EXPECT_EQ(n, 1u);
    });
  });
  catalog.properties["owner"] = "someone else";
  this->ExpectBumps(kTenantA, root, [&] { return store.UpdateCatalog(kTenantA, "cat", catalog); });
  this->ExpectBumps(kTenantA, root, [&] { return store.DeleteCatalog(kTenantA, "cat"); });
  warehouse.storage_config["bucket"] = "c";
  this->ExpectBumps(kTenantA, root,
                    [&] { return store.UpdateWarehouse(kTenantA, "wh", warehouse); });
  this->ExpectBumps(kTenantA, root, [&] { return store.DeleteWarehouse(kTenantA, "wh"); });
  this->ExpectBumps(kTenantA, root, [&] { return store.DeleteServiceUser(kTenantA, robot.id); });
  this->ExpectBumps(kTenantA, root, [&] { return store.DeleteUser(kTenantA, ann.id); });
  this->ExpectBumps(root, kTenantA, [&] { return store.DeleteUser(std::nullopt, admin.id); });
}

TYPED_TEST(AccessContract, AFailedChangeLeavesTheAccessVersionAlone) {
  auto& store = *this->store_;
  Role role = this->AddRole(kTenantA, "analyst", {kReadSales});
  Role other = this->AddRole(kTenantA, "other");
  this->Assign(kTenantA, "u1", role);
  DirectGrant grant = this->AddGrant(kTenantA, "u1", kWriteEu);
  User ann = MakeUser(kTenantA, "ann");
  ASSERT_THAT(store.CreateUser(ann), IsOk());
  this->Assign(kTenantA, ann.id, role);
  int64_t a = this->Version(kTenantA);
  int64_t b = this->Version(kTenantB);
  EXPECT_THAT(store.CreateRole(MakeRole(kTenantA, "analyst")), IsError(ErrorCode::kAlreadyExists));
  Role same_id = MakeRole(kTenantB, "fresh");
  same_id.id = role.id;
  EXPECT_THAT(store.CreateRole(same_id), IsError(ErrorCode::kAlreadyExists));
  Role clash = other;
  clash.name = "analyst";
  EXPECT_THAT(store.UpdateRole(clash), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.UpdateRole(MakeRole(kTenantA, "ghost")), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteRole(kTenantA, "no-such-role"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.AssignRole(kTenantA, MakeAssignment("u1", role.id)),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.AssignRole(kTenantA, MakeAssignment("u1", "no-such-role")),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.UnassignRole(kTenantA, "u1", other.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.UnassignRole(kTenantB, "u1", role.id), IsError(ErrorCode::kNotFound));
  DirectGrant same_grant = MakeGrant(kTenantB, "u2", kReadSales);
  same_grant.id = grant.id;
  EXPECT_THAT(store.CreateGrant(same_grant), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.DeleteGrant(kTenantA, "no-such-grant"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteGrant(kTenantB, grant.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteUser(kTenantB, ann.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteServiceUser(kTenantA, "no-such-robot"), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(this->Version(kTenantA), a);
  EXPECT_EQ(this->Version(kTenantB), b);
}

// Deleting a principal bumps every tenant it held a grant or an assignment in, and no other.
TYPED_TEST(AccessContract, DeletingAPrincipalWithAccessBumpsEachTenantItHeldAccessIn) {
  auto& store = *this->store_;
  const TenantId kTenantC{"22222222-2222-4222-8222-222222222222"};
  User ann = MakeUser(kTenantA, "ann");
  ASSERT_THAT(store.CreateUser(ann), IsOk());
  this->Assign(kTenantA, ann.id, this->AddRole(kTenantA, "readers", {kReadSales}));
  this->AddGrant(kTenantB, ann.id, kPiiAll);  // a grant in another tenant
  this->AddRole(kTenantC, "unrelated");
  int64_t a = this->Version(kTenantA);
  int64_t b = this->Version(kTenantB);
  int64_t c = this->Version(kTenantC);
  ASSERT_THAT(store.DeleteUser(kTenantA, ann.id), IsOk());
  EXPECT_GT(this->Version(kTenantA), a);
  EXPECT_GT(this->Version(kTenantB), b);
  EXPECT_EQ(this->Version(kTenantC), c);
  ServiceUser robot = MakeServiceUser(kTenantA, "robot");
  ASSERT_THAT(store.CreateServiceUser(robot), IsOk());
  this->AddGrant(kTenantA, robot.id, kListTenant);  // only a direct grant
  a = this->Version(kTenantA);
  b = this->Version(kTenantB);
  ASSERT_THAT(store.DeleteServiceUser(kTenantA, robot.id), IsOk());
  EXPECT_GT(this->Version(kTenantA), a);
  EXPECT_EQ(this->Version(kTenantB), b);
}

// The SQLite store keeps everything in its file: a reopened store answers the same.
TEST(AccessSqliteContract, SurvivesReopeningTheFile) {
  testing::TempDir dir;
  Role role = MakeRole(kTenantA, "analyst", {kReadSales, kWriteEu});
  DirectGrant grant = MakeGrant(kTenantA, "u1", {NamespaceScope("sales", {"a.b"}), {Action::kAll}});
  int64_t version = 0;
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
    ASSERT_THAT(store->CreateRole(role), IsOk());
    ASSERT_THAT(store->AssignRole(kTenantA, MakeAssignment("u1", role.id)), IsOk());
    ASSERT_THAT(store->CreateGrant(grant), IsOk());
    ASSERT_OK_AND_ASSIGN(version, store->AccessVersion(kTenantA));
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
  EXPECT_GT(version, 0);
  EXPECT_THAT(store->AccessVersion(kTenantA), Optional(version));
  EXPECT_THAT(store->GetRole(kTenantA, role.id), Optional(role));
  EXPECT_THAT(store->ListPrincipalRoles(kTenantA, "u1"), Optional(ElementsAre(role)));
  EXPECT_THAT(store->GetGrant(kTenantA, grant.id), Optional(grant));
  EXPECT_THAT(store->LoadPermissions(kTenantA, "u1"),
              Optional(UnorderedElementsAre(kReadSales, kWriteEu, grant.grant)));
  EXPECT_THAT(store->CreateRole(MakeRole(kTenantA, "analyst")), IsError(ErrorCode::kAlreadyExists));
}

}  // namespace
}  // namespace pangolin::store::contract
