// Authorizer over the real in-memory store: roles' reach, grants compiled per principal and
// recompiled as soon as the tenant's access version moves.
#include "service/authorizer.h"

#include <gtest/gtest.h>

#include "store/memory/memory_store.h"
#include "testing/matchers.h"

namespace pangolin::service {
namespace {

using catalog::AccessTarget;
using catalog::Action;
using catalog::PermissionScope;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

const AccessTarget kSales{"cat-1", catalog::Namespace{"sales"}, std::nullopt, {}};

Context UserContext(catalog::UserRole role = catalog::UserRole::kTenantUser) {
  Context ctx;
  ctx.caller.kind = catalog::Principal::Kind::kUser;
  ctx.caller.id = "user-1";
  ctx.caller.name = "ann";
  ctx.caller.role = role;
  ctx.caller.home_tenant = kDefaultTenant;
  return ctx;
}

catalog::DirectGrant Grant(std::string id, Action action) {
  PermissionScope scope{PermissionScope::Type::kCatalog, "cat-1", {}, "", ""};
  return catalog::DirectGrant{std::move(id),     "user-1", kDefaultTenant,
                              {scope, {action}}, "admin",  1};
}

TEST(AuthorizerTest, AdminsPassUsersNeedGrantsAndChangesApplyToTheNextRequest) {
  auto store = std::move(*store::MakeMemoryStore());
  Authorizer authorizer(*store);
  Context admin = UserContext(catalog::UserRole::kTenantAdmin);
  EXPECT_THAT(authorizer.Require(admin, Action::kWrite, kSales), IsOk());
  EXPECT_TRUE(admin.access_checked);

  Context first = UserContext();
  EXPECT_THAT(authorizer.Require(first, Action::kRead, kSales), IsError(ErrorCode::kForbidden));
  EXPECT_FALSE(first.access_checked);

  ASSERT_THAT(store->CreateGrant(Grant("g1", Action::kRead)), IsOk());
  Context second = UserContext();
  EXPECT_THAT(authorizer.Require(second, Action::kRead, kSales), IsOk());
  EXPECT_THAT(authorizer.Require(second, Action::kWrite, kSales), IsError(ErrorCode::kForbidden));
  // The same request keeps the permissions it compiled.
  ASSERT_THAT(store->DeleteGrant(kDefaultTenant, "g1"), IsOk());
  EXPECT_THAT(authorizer.Require(second, Action::kRead, kSales), IsOk());
  // The next one sees the revocation.
  Context third = UserContext();
  EXPECT_THAT(authorizer.Require(third, Action::kRead, kSales), IsError(ErrorCode::kForbidden));
  ASSERT_OK_AND_ASSIGN(bool reaches,
                       authorizer.Reaches(third, Action::kList, AccessTarget{"cat-1", {}, {}, {}}));
  EXPECT_FALSE(reaches);
}

TEST(AuthorizerTest, AnonymousCallersAreNeverAllowed) {
  auto store = std::move(*store::MakeMemoryStore());
  Authorizer authorizer(*store);
  Context anonymous;
  EXPECT_THAT(authorizer.Require(anonymous, Action::kList, kSales), IsError(ErrorCode::kForbidden));
}

}  // namespace
}  // namespace pangolin::service
