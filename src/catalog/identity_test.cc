// Role names round-trip through their API spelling, aliases parse, and nobody hands out root or a
// role above their own.
#include "catalog/identity.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::catalog {
namespace {
using ::pangolin::testing::IsErrorWithMessage;

TEST(IdentityTest, RoleNamesRoundTrip) {
  for (UserRole role : {UserRole::kRoot, UserRole::kTenantAdmin, UserRole::kTenantUser}) {
    EXPECT_EQ(*ParseUserRole(ToString(role)), role);
  }
  EXPECT_EQ(ToString(UserRole::kRoot), "root");
  EXPECT_EQ(ToString(UserRole::kTenantAdmin), "tenant-admin");
  EXPECT_EQ(ToString(UserRole::kTenantUser), "tenant-user");
}

TEST(IdentityTest, ParsesAliases) {
  EXPECT_EQ(*ParseUserRole("Root"), UserRole::kRoot);
  EXPECT_EQ(*ParseUserRole("TenantAdmin"), UserRole::kTenantAdmin);
  EXPECT_EQ(*ParseUserRole("Admin"), UserRole::kTenantAdmin);
  EXPECT_EQ(*ParseUserRole("admin"), UserRole::kTenantAdmin);
  EXPECT_EQ(*ParseUserRole("TenantUser"), UserRole::kTenantUser);
  EXPECT_EQ(*ParseUserRole("user"), UserRole::kTenantUser);
}

TEST(IdentityTest, RejectsUnknownRoles) {
  EXPECT_THAT(ParseUserRole("superuser"), IsErrorWithMessage(ErrorCode::kBadRequest, "superuser"));
  EXPECT_THAT(ParseUserRole(""), IsErrorWithMessage(ErrorCode::kBadRequest, "Unknown role"));
}

TEST(IdentityTest, NobodyAssignsRootOrAboveTheirOwnRole) {
  EXPECT_FALSE(MayAssignRole(UserRole::kRoot, UserRole::kRoot));
  EXPECT_TRUE(MayAssignRole(UserRole::kRoot, UserRole::kTenantAdmin));
  EXPECT_TRUE(MayAssignRole(UserRole::kRoot, UserRole::kTenantUser));
  EXPECT_FALSE(MayAssignRole(UserRole::kTenantAdmin, UserRole::kRoot));
  EXPECT_TRUE(MayAssignRole(UserRole::kTenantAdmin, UserRole::kTenantAdmin));
  EXPECT_TRUE(MayAssignRole(UserRole::kTenantAdmin, UserRole::kTenantUser));
  EXPECT_FALSE(MayAssignRole(UserRole::kTenantUser, UserRole::kRoot));
  EXPECT_FALSE(MayAssignRole(UserRole::kTenantUser, UserRole::kTenantAdmin));
  EXPECT_TRUE(MayAssignRole(UserRole::kTenantUser, UserRole::kTenantUser));
}

}  // namespace
}  // namespace pangolin::catalog
