// The permission rules of reference §2.9 on values: which action implies which, which scope covers
// which object (cascade), which grant lies below an object (so listings keep the path to it), and
// how a principal's grants combine.
#include "catalog/access.h"

#include <gtest/gtest.h>

#include "catalog/discovery.h"
#include "testing/matchers.h"

namespace pangolin::catalog {
namespace {

using ::pangolin::testing::IsErrorWithMessage;
using Type = PermissionScope::Type;

constexpr Action kEveryAction[] = {Action::kRead,
                                   Action::kWrite,
                                   Action::kDelete,
                                   Action::kCreate,
                                   Action::kUpdate,
                                   Action::kList,
                                   Action::kAll,
                                   Action::kIngestBranching,
                                   Action::kExperimentalBranching,
                                   Action::kManageDiscovery};

PermissionScope Scope(Type type, std::string catalog_id = "", Namespace ns = {},
                      std::string asset_id = "", std::string tag_name = "") {
  return PermissionScope{type, std::move(catalog_id), std::move(ns), std::move(asset_id),
                         std::move(tag_name)};
}
PermissionScope TenantScope() { return Scope(Type::kTenant); }
PermissionScope CatalogScope(std::string id) { return Scope(Type::kCatalog, std::move(id)); }
PermissionScope NamespaceScope(std::string id, Namespace ns) {
  return Scope(Type::kNamespace, std::move(id), std::move(ns));
}
PermissionScope AssetScope(std::string id, Namespace ns, std::string asset) {
  return Scope(Type::kAsset, std::move(id), std::move(ns), std::move(asset));
}
PermissionScope TagScope(std::string tag) { return Scope(Type::kTag, "", {}, "", std::move(tag)); }

AccessTarget TenantTarget() { return AccessTarget{}; }
AccessTarget CatalogTarget(std::string id) { return AccessTarget{std::move(id), {}, {}, {}}; }
AccessTarget NamespaceTarget(std::string id, Namespace ns) {
  return AccessTarget{std::move(id), std::move(ns), {}, {}};
}
AccessTarget AssetTarget(std::string id, Namespace ns, std::string asset,
                         std::vector<std::string> tags = {}) {
  return AccessTarget{std::move(id), std::move(ns), std::move(asset), std::move(tags)};
}

TEST(ActionTest, NamesAreKebabCaseAndParseBack) {
  for (Action action : kEveryAction) {
    EXPECT_THAT(ParseAction(ToString(action)), ::testing::Optional(action)) << ToString(action);
  }
  EXPECT_EQ(ToString(Action::kIngestBranching), "ingest-branching");
  EXPECT_EQ(ToString(Action::kManageDiscovery), "manage-discovery");
  for (const char* text : {"READ", "Read", "ingest_branching", "IngestBranching", "", "admin"}) {
    EXPECT_THAT(ParseAction(text), IsErrorWithMessage(ErrorCode::kBadRequest, text)) << text;
  }
}

TEST(ImpliesTest, EveryActionImpliesItself) {
  for (Action action : kEveryAction) EXPECT_TRUE(Implies(action, action)) << ToString(action);
}

TEST(ImpliesTest, AllImpliesEveryAction) {
  for (Action action : kEveryAction) EXPECT_TRUE(Implies(Action::kAll, action)) << ToString(action);
}

TEST(ImpliesTest, WriteImpliesReadUpdateDeleteCreateAndListOnly) {
  for (Action wanted :
       {Action::kRead, Action::kUpdate, Action::kDelete, Action::kCreate, Action::kList}) {
    EXPECT_TRUE(Implies(Action::kWrite, wanted)) << ToString(wanted);
  }
  for (Action wanted : {Action::kAll, Action::kIngestBranching, Action::kExperimentalBranching,
                        Action::kManageDiscovery}) {
    EXPECT_FALSE(Implies(Action::kWrite, wanted)) << ToString(wanted);
  }
}

TEST(ImpliesTest, ReadImpliesListOnly) {
  EXPECT_TRUE(Implies(Action::kRead, Action::kList));
  for (Action wanted : kEveryAction) {
    if (wanted == Action::kRead || wanted == Action::kList) continue;
    EXPECT_FALSE(Implies(Action::kRead, wanted)) << ToString(wanted);
  }
}

TEST(ImpliesTest, OtherActionsImplyOnlyThemselves) {
  for (Action granted :
       {Action::kList, Action::kCreate, Action::kUpdate, Action::kDelete, Action::kIngestBranching,
        Action::kExperimentalBranching, Action::kManageDiscovery}) {
    for (Action wanted : kEveryAction) {
      EXPECT_EQ(Implies(granted, wanted), granted == wanted)
          << ToString(granted) << " => " << ToString(wanted);
    }
  }
  // Implication is not symmetric.
  EXPECT_FALSE(Implies(Action::kList, Action::kRead));
  EXPECT_FALSE(Implies(Action::kRead, Action::kWrite));
  EXPECT_FALSE(Implies(Action::kIngestBranching, Action::kExperimentalBranching));
}

TEST(CoversTest, TenantCoversEverything) {
  for (const AccessTarget& target :
       {TenantTarget(), CatalogTarget("c1"), NamespaceTarget("c1", {"a"}),
        AssetTarget("c2", {"x", "y"}, "t1"), AssetTarget("c1", {"a"}, "t2", {"pii"})}) {
    EXPECT_TRUE(Covers(TenantScope(), target));
  }
}

TEST(CoversTest, CatalogCoversItsNamespacesAndAssetsOnly) {
  PermissionScope c1 = CatalogScope("c1");
  EXPECT_TRUE(Covers(c1, CatalogTarget("c1")));
  EXPECT_TRUE(Covers(c1, NamespaceTarget("c1", {"a"})));
  EXPECT_TRUE(Covers(c1, NamespaceTarget("c1", {"a", "b", "c"})));
  EXPECT_TRUE(Covers(c1, AssetTarget("c1", {"a"}, "t1")));
  EXPECT_FALSE(Covers(c1, CatalogTarget("c2")));
  EXPECT_FALSE(Covers(c1, NamespaceTarget("c2", {"a"})));
  EXPECT_FALSE(Covers(c1, AssetTarget("c2", {"a"}, "t1")));
  EXPECT_FALSE(Covers(c1, TenantTarget()));  // the tenant is above it
}

TEST(CoversTest, NamespaceCoversItselfItsDescendantsAndTheirAssets) {
  PermissionScope a = NamespaceScope("c1", {"a"});
  EXPECT_TRUE(Covers(a, NamespaceTarget("c1", {"a"})));
  EXPECT_TRUE(Covers(a, NamespaceTarget("c1", {"a", "b"})));
  EXPECT_TRUE(Covers(a, NamespaceTarget("c1", {"a", "b", "c"})));
  EXPECT_TRUE(Covers(a, AssetTarget("c1", {"a"}, "t1")));
  EXPECT_TRUE(Covers(a, AssetTarget("c1", {"a", "b"}, "t2")));
  // Levels, not string prefixes: "a" does not cover "ab"; nor siblings, nor other catalogs.
  EXPECT_FALSE(Covers(a, NamespaceTarget("c1", {"ab"})));
  EXPECT_FALSE(Covers(a, AssetTarget("c1", {"ab"}, "t3")));
  EXPECT_FALSE(Covers(a, NamespaceTarget("c1", {"b"})));
  EXPECT_FALSE(Covers(a, NamespaceTarget("c1", {"b", "a"})));
  EXPECT_FALSE(Covers(a, NamespaceTarget("c2", {"a"})));
  EXPECT_FALSE(Covers(a, AssetTarget("c2", {"a"}, "t1")));
  // Nor anything above it.
  EXPECT_FALSE(Covers(a, CatalogTarget("c1")));
  EXPECT_FALSE(Covers(a, TenantTarget()));
  PermissionScope ab = NamespaceScope("c1", {"a", "b"});
  EXPECT_FALSE(Covers(ab, NamespaceTarget("c1", {"a"})));
  EXPECT_FALSE(Covers(ab, AssetTarget("c1", {"a"}, "t1")));
  EXPECT_TRUE(Covers(ab, AssetTarget("c1", {"a", "b", "c"}, "t1")));
}

TEST(CoversTest, AssetCoversOnlyItself) {
  PermissionScope t1 = AssetScope("c1", {"a"}, "t1");
  EXPECT_TRUE(Covers(t1, AssetTarget("c1", {"a"}, "t1")));
  // The asset id is stable across renames: the namespace in the scope is informative.
  EXPECT_TRUE(Covers(t1, AssetTarget("c1", {"moved"}, "t1")));
  EXPECT_FALSE(Covers(t1, AssetTarget("c1", {"a"}, "t2")));
  EXPECT_FALSE(Covers(t1, AssetTarget("c2", {"a"}, "t1")));
  EXPECT_FALSE(Covers(t1, NamespaceTarget("c1", {"a"})));
  EXPECT_FALSE(Covers(t1, CatalogTarget("c1")));
  EXPECT_FALSE(Covers(t1, TenantTarget()));
}

TEST(CoversTest, TagCoversOnlyAssetsCarryingIt) {
  PermissionScope pii = TagScope("pii");
  EXPECT_TRUE(Covers(pii, AssetTarget("c1", {"a"}, "t1", {"pii"})));
  EXPECT_TRUE(Covers(pii, AssetTarget("c2", {"x"}, "t2", {"gold", "pii"})));
  EXPECT_FALSE(Covers(pii, AssetTarget("c1", {"a"}, "t3")));
  EXPECT_FALSE(Covers(pii, AssetTarget("c1", {"a"}, "t4", {"gold", "pii-2", "PII"})));
  // Containers carry no tags of their own, even if the target says so.
  AccessTarget tagged_namespace = NamespaceTarget("c1", {"a"});
  tagged_namespace.asset_tags = {"pii"};
  EXPECT_FALSE(Covers(pii, tagged_namespace));
  EXPECT_FALSE(Covers(pii, CatalogTarget("c1")));
  EXPECT_FALSE(Covers(pii, TenantTarget()));
}

TEST(LiesWithinTest, ANamespaceGrantLiesWithinItsAncestorsOnly) {
  PermissionScope ab = NamespaceScope("c1", {"a", "b"});
  EXPECT_TRUE(LiesWithin(ab, TenantTarget()));
  EXPECT_TRUE(LiesWithin(ab, CatalogTarget("c1")));
  EXPECT_TRUE(LiesWithin(ab, NamespaceTarget("c1", {"a"})));
  EXPECT_FALSE(LiesWithin(ab, NamespaceTarget("c1", {"a", "b"})));  // covered, not within
  EXPECT_FALSE(LiesWithin(ab, NamespaceTarget("c1", {"a", "b", "c"})));
  EXPECT_FALSE(LiesWithin(ab, NamespaceTarget("c1", {"c"})));
  EXPECT_FALSE(LiesWithin(ab, NamespaceTarget("c1", {"ab"})));
  EXPECT_FALSE(LiesWithin(ab, CatalogTarget("c2")));
  EXPECT_FALSE(LiesWithin(ab, NamespaceTarget("c2", {"a"})));
  EXPECT_FALSE(LiesWithin(ab, AssetTarget("c1", {"a"}, "t1")));
}

TEST(LiesWithinTest, AnAssetGrantLiesWithinItsNamespaceAndAncestors) {
  PermissionScope t1 = AssetScope("c1", {"a", "b"}, "t1");
  EXPECT_TRUE(LiesWithin(t1, TenantTarget()));
  EXPECT_TRUE(LiesWithin(t1, CatalogTarget("c1")));
  EXPECT_TRUE(LiesWithin(t1, NamespaceTarget("c1", {"a"})));
  EXPECT_TRUE(LiesWithin(t1, NamespaceTarget("c1", {"a", "b"})));
  EXPECT_FALSE(LiesWithin(t1, NamespaceTarget("c1", {"a", "b", "c"})));
  EXPECT_FALSE(LiesWithin(t1, NamespaceTarget("c1", {"c"})));
  EXPECT_FALSE(LiesWithin(t1, CatalogTarget("c2")));
  EXPECT_FALSE(LiesWithin(t1, AssetTarget("c1", {"a", "b"}, "t1")));  // nothing inside an asset
}

TEST(LiesWithinTest, TenantCatalogAndTagGrantsLieWithinNoCatalogObject) {
  EXPECT_FALSE(LiesWithin(TenantScope(), TenantTarget()));
  EXPECT_FALSE(LiesWithin(TenantScope(), CatalogTarget("c1")));
  EXPECT_TRUE(LiesWithin(CatalogScope("c1"), TenantTarget()));
  EXPECT_FALSE(LiesWithin(CatalogScope("c1"), CatalogTarget("c1")));  // covered, not within
  EXPECT_FALSE(LiesWithin(CatalogScope("c1"), CatalogTarget("c2")));
  // A tag grant's assets may be anywhere in the tenant; the rule cannot place them deeper.
  EXPECT_TRUE(LiesWithin(TagScope("pii"), TenantTarget()));
  EXPECT_FALSE(LiesWithin(TagScope("pii"), CatalogTarget("c1")));
  EXPECT_FALSE(LiesWithin(TagScope("pii"), NamespaceTarget("c1", {"a"})));
}

TEST(PermissionSetTest, AllowsWhenACoveringGrantImpliesTheAction) {
  PermissionSet set({{NamespaceScope("c1", {"a"}), {Action::kRead}},
                     {AssetScope("c1", {"b"}, "t9"), {Action::kWrite}},
                     {TagScope("pii"), {Action::kIngestBranching, Action::kList}}});
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(set.Allows(Action::kRead, NamespaceTarget("c1", {"a", "x"})));
  EXPECT_TRUE(set.Allows(Action::kList, AssetTarget("c1", {"a"}, "t1")));  // read implies list
  EXPECT_FALSE(set.Allows(Action::kWrite, AssetTarget("c1", {"a"}, "t1")));
  EXPECT_FALSE(set.Allows(Action::kRead, CatalogTarget("c1")));
  EXPECT_FALSE(set.Allows(Action::kRead, NamespaceTarget("c2", {"a"})));
  EXPECT_TRUE(set.Allows(Action::kDelete, AssetTarget("c1", {"b"}, "t9")));  // write implies it
  EXPECT_FALSE(set.Allows(Action::kIngestBranching, AssetTarget("c1", {"b"}, "t9")));
  EXPECT_TRUE(set.Allows(Action::kIngestBranching, AssetTarget("c3", {"z"}, "t5", {"pii"})));
  EXPECT_FALSE(set.Allows(Action::kRead, AssetTarget("c3", {"z"}, "t5", {"pii"})));
  // Grants add up: no grant denies what another allows.
  PermissionSet both({{CatalogScope("c1"), {Action::kList}}, {CatalogScope("c1"), {Action::kAll}}});
  EXPECT_TRUE(both.Allows(Action::kManageDiscovery, CatalogTarget("c1")));
}

TEST(PermissionSetTest, TagGrantsReachTheAssetsKnownToCarryTheirTag) {
  std::vector<PermissionGrant> grants = {{TagScope("pii"), {Action::kRead}},
                                         {TagScope("gold"), {Action::kWrite}},
                                         {TagScope("pii"), {Action::kList}},
                                         {CatalogScope("c1"), {Action::kList}}};
  EXPECT_EQ(PermissionSet::TagNames(grants), (std::vector<std::string>{"gold", "pii"}));
  PermissionSet set(grants, {{"t1", "pii"}, {"t2", "gold"}, {"t2", "pii"}});
  EXPECT_TRUE(set.Allows(Action::kRead, AssetTarget("c2", {"a"}, "t1")));
  EXPECT_FALSE(set.Allows(Action::kWrite, AssetTarget("c2", {"a"}, "t1")));
  EXPECT_TRUE(set.Allows(Action::kWrite, AssetTarget("c2", {"a"}, "t2")));
  EXPECT_FALSE(set.Allows(Action::kRead, AssetTarget("c2", {"a"}, "t3")));
  // Tags the target names itself are taken as they are.
  EXPECT_TRUE(set.Allows(Action::kRead, AssetTarget("c2", {"a"}, "t3", {"pii"})));
  EXPECT_FALSE(set.Allows(Action::kRead, AssetTarget("c2", {"a"}, "t1", {"other"})));
  // Only assets: a tag grant covers no catalog or namespace.
  EXPECT_FALSE(set.Allows(Action::kRead, NamespaceTarget("c2", {"a"})));
}

TEST(NormalizeTagsTest, SortsDeduplicatesAndValidates) {
  auto tags = NormalizeTags({"pii", "gold", "pii", "team:sales/eu", "v1.2_x-y"});
  ASSERT_TRUE(tags);
  EXPECT_EQ(*tags, (std::vector<std::string>{"gold", "pii", "team:sales/eu", "v1.2_x-y"}));
  for (const std::string& bad :
       std::vector<std::string>{"", "has space", "quote\"", std::string(65, 'a'), "é"}) {
    EXPECT_FALSE(NormalizeTags({bad})) << bad;
  }
  std::vector<std::string> many;
  for (int i = 0; i < 65; ++i) many.push_back("t" + std::to_string(i));
  EXPECT_FALSE(NormalizeTags(many));
}

TEST(PermissionSetTest, AnEmptySetAllowsNothing) {
  PermissionSet none;
  EXPECT_TRUE(none.empty());
  for (Action action : kEveryAction) {
    EXPECT_FALSE(none.Allows(action, TenantTarget()));
    EXPECT_FALSE(none.Reaches(action, TenantTarget()));
  }
  PermissionSet no_actions({{TenantScope(), {}}});
  EXPECT_FALSE(no_actions.Allows(Action::kList, CatalogTarget("c1")));
}

TEST(PermissionSetTest, ReachesTheAncestorsOfAGrantedObject) {
  PermissionSet set({{AssetScope("c1", {"a", "b"}, "t1"), {Action::kRead}}});
  EXPECT_TRUE(set.Reaches(Action::kList, TenantTarget()));
  EXPECT_TRUE(set.Reaches(Action::kList, CatalogTarget("c1")));
  EXPECT_TRUE(set.Reaches(Action::kList, NamespaceTarget("c1", {"a"})));
  EXPECT_TRUE(set.Reaches(Action::kList, NamespaceTarget("c1", {"a", "b"})));
  EXPECT_FALSE(set.Allows(Action::kList, NamespaceTarget("c1", {"a", "b"})));
  EXPECT_TRUE(set.Reaches(Action::kRead, AssetTarget("c1", {"a", "b"}, "t1")));  // Allows
  EXPECT_FALSE(set.Reaches(Action::kWrite, AssetTarget("c1", {"a", "b"}, "t1")));
  EXPECT_FALSE(set.Reaches(Action::kList, AssetTarget("c1", {"a", "b"}, "t2")));
  EXPECT_FALSE(set.Reaches(Action::kList, NamespaceTarget("c1", {"c"})));
  EXPECT_FALSE(set.Reaches(Action::kList, CatalogTarget("c2")));
  // Reaching a path does not depend on the granted action.
  PermissionSet branching({{NamespaceScope("c1", {"a", "b"}), {Action::kIngestBranching}}});
  EXPECT_TRUE(branching.Reaches(Action::kList, NamespaceTarget("c1", {"a"})));
  EXPECT_FALSE(branching.Allows(Action::kList, NamespaceTarget("c1", {"a"})));
  EXPECT_FALSE(branching.Reaches(Action::kList, NamespaceTarget("c1", {"a", "b"})));
}

TEST(RoleCoversTenantTest, RootEverywhereAdminsInTheirOwnTenantOnly) {
  TenantId mine{"t-1"};
  TenantId other{"t-2"};
  Principal root{Principal::Kind::kUser, "r", "root", UserRole::kRoot, std::nullopt, std::nullopt};
  Principal admin{Principal::Kind::kUser, "a", "admin", UserRole::kTenantAdmin, mine, std::nullopt};
  Principal robot{Principal::Kind::kServiceUser, "s",  "robot",
                  UserRole::kTenantAdmin,        mine, std::nullopt};
  Principal user{Principal::Kind::kUser, "u", "user", UserRole::kTenantUser, mine, std::nullopt};
  EXPECT_TRUE(RoleCoversTenant(root, mine));
  EXPECT_TRUE(RoleCoversTenant(root, other));
  EXPECT_TRUE(RoleCoversTenant(admin, mine));
  EXPECT_FALSE(RoleCoversTenant(admin, other));
  EXPECT_TRUE(RoleCoversTenant(robot, mine));
  EXPECT_FALSE(RoleCoversTenant(robot, other));
  EXPECT_FALSE(RoleCoversTenant(user, mine));
  Principal anonymous;
  anonymous.role = UserRole::kRoot;
  EXPECT_FALSE(RoleCoversTenant(anonymous, mine));
}

}  // namespace
}  // namespace pangolin::catalog
