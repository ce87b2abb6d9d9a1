// Permission JSON: scopes, roles, permissions and assignments have the reference's wire shapes and
// round-trip; every malformed request is refused with the right code (422 for unknown members,
// 400 for the rest); the stored form gives back exactly what it was given.
#include "serde/access.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using catalog::Action;
using catalog::PermissionGrant;
using catalog::PermissionScope;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::testing::ElementsAre;
using Type = PermissionScope::Type;

PermissionScope Scope(Type type, std::string catalog_id = "", catalog::Namespace ns = {},
                      std::string asset_id = "", std::string tag_name = "") {
  return PermissionScope{type, std::move(catalog_id), std::move(ns), std::move(asset_id),
                         std::move(tag_name)};
}

// One scope of every type, as the API accepts them.
std::vector<PermissionScope> EveryScope() {
  return {Scope(Type::kTenant), Scope(Type::kCatalog, "c1"),
          Scope(Type::kNamespace, "c1", {"a", "b"}), Scope(Type::kAsset, "c1", {"a"}, "t1"),
          Scope(Type::kTag, "", {}, "", "pii")};
}

catalog::Role SampleRole() {
  catalog::Role role;
  role.id = "r1";
  role.name = "analyst";
  role.description = "reads sales";
  role.tenant_id = TenantId{"t-1"};
  role.permissions = {{Scope(Type::kCatalog, "c1"), {Action::kRead, Action::kList}},
                      {Scope(Type::kTag, "", {}, "", "pii"), {Action::kIngestBranching}}};
  role.created_by = "admin";
  role.created_ms = 1700000000000;
  role.updated_ms = 1700000001500;
  return role;
}

TEST(PermissionScopeJsonTest, HasTheReferenceShapes) {
  std::vector<std::string> texts;
  for (const auto& scope : EveryScope()) texts.push_back(PermissionScopeJson(scope));
  EXPECT_THAT(texts,
              ElementsAre(R"({"type":"tenant"})", R"({"type":"catalog","catalog_id":"c1"})",
                          R"({"type":"namespace","catalog_id":"c1","namespace":"a.b"})",
                          R"({"type":"asset","catalog_id":"c1","namespace":"a","asset_id":"t1"})",
                          R"({"type":"tag","tag_name":"pii"})"));
}

TEST(PermissionScopeJsonTest, RoundTrips) {
  for (const auto& scope : EveryScope()) {
    EXPECT_THAT(ParsePermissionScope(PermissionScopeJson(scope)), ::testing::Optional(scope))
        << PermissionScopeJson(scope);
  }
  // Members of other types are not written, so they are not kept.
  PermissionScope noisy = Scope(Type::kTag, "c1", {"a"}, "t1", "pii");
  EXPECT_EQ(PermissionScopeJson(noisy), R"({"type":"tag","tag_name":"pii"})");
}

TEST(PermissionScopeJsonTest, RejectsUnknownTypesAndMissingOrEmptyMembers) {
  for (const char* text : {
           R"({"type":"warehouse"})",                                      // unknown type
           R"({"type":"Tenant"})",                                         // types are kebab-case
           R"({"catalog_id":"c1"})",                                       // no type
           R"({"type":7})",                                                // ill-typed
           R"({"type":"catalog"})",                                        // no catalog_id
           R"({"type":"catalog","catalog_id":""})",                        // empty
           R"({"type":"catalog","catalog_id":12})",                        // ill-typed
           R"({"type":"namespace","catalog_id":"c1"})",                    // no namespace
           R"({"type":"namespace","namespace":"a"})",                      // no catalog_id
           R"({"type":"namespace","catalog_id":"c1","namespace":["a"]})",  // not a string
           R"({"type":"asset","catalog_id":"c1","asset_id":"t1"})",        // no namespace
           R"({"type":"asset","catalog_id":"c1","namespace":"a"})",        // no asset_id
           R"({"type":"asset","catalog_id":"c1","namespace":"a","asset_id":""})",
           R"({"type":"tag"})",
           R"({"type":"tag","tag_name":""})",
           R"(["tenant"])",
           R"({"type":)",
       }) {
    EXPECT_THAT(ParsePermissionScope(text), IsError(ErrorCode::kBadRequest)) << text;
  }
}

TEST(PermissionScopeJsonTest, RejectsEmptyNamespaceLevels) {
  for (const char* ns : {"", ".", "a..b", ".a", "a.", "a.b."}) {
    std::string text =
        fmt::format(R"({{"type":"namespace","catalog_id":"c1","namespace":"{}"}})", ns);
    EXPECT_THAT(ParsePermissionScope(text), IsErrorWithMessage(ErrorCode::kBadRequest, "namespace"))
        << text;
    text =
        fmt::format(R"({{"type":"asset","catalog_id":"c1","namespace":"{}","asset_id":"t1"}})", ns);
    EXPECT_THAT(ParsePermissionScope(text), IsError(ErrorCode::kBadRequest)) << text;
  }
}

// "." separates levels, so a level containing "." cannot be written on the wire: "a.b" always
// reads as two levels. Only the stored form keeps such a level (see StoredFormIsLossless).
TEST(PermissionScopeJsonTest, ADottedLevelIsAmbiguousOnTheWire) {
  PermissionScope dotted = Scope(Type::kNamespace, "c1", {"a.b"});
  ASSERT_OK_AND_ASSIGN(PermissionScope read, ParsePermissionScope(PermissionScopeJson(dotted)));
  EXPECT_EQ(read.ns, (catalog::Namespace{"a", "b"}));
  EXPECT_NE(read, dotted);
}

TEST(PermissionScopeJsonTest, RejectsUnknownMembersAsUnprocessable) {
  for (const char* text : {
           R"({"type":"tenant","catalog_id":"c1"})",  // a member of another type
           R"({"type":"catalog","catalog_id":"c1","namespace":"a"})",
           R"({"type":"namespace","catalog_id":"c1","namespace":"a","asset_id":"t"})",
           R"({"type":"asset","catalog_id":"c1","namespace":"a","asset_id":"t","tag_name":"x"})",
           R"({"type":"tag","tag_name":"pii","catalog_id":"c1"})",
           R"({"type":"tenant","extra":true})",
           R"({"type":"catalog","catalogId":"c1"})",  // camelCase is not the scope's casing
       }) {
    EXPECT_THAT(ParsePermissionScope(text), IsError(ErrorCode::kUnprocessable)) << text;
  }
}

TEST(RoleJsonTest, IsKebabCaseWithRfc3339Times) {
  EXPECT_EQ(RoleJson(SampleRole()),
            R"({"id":"r1","name":"analyst","description":"reads sales","tenant-id":"t-1",)"
            R"("permissions":[{"scope":{"type":"catalog","catalog_id":"c1"},)"
            R"("actions":["read","list"]},{"scope":{"type":"tag","tag_name":"pii"},)"
            R"("actions":["ingest-branching"]}],"created-by":"admin",)"
            R"("created-at":"2023-11-14T22:13:20.000Z","updated-at":"2023-11-14T22:13:21.500Z"})");
  catalog::Role bare = SampleRole();
  bare.description.reset();
  bare.permissions.clear();
  std::string text = RoleJson(bare);
  EXPECT_NE(text.find(R"("description":null)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("permissions":[])"), std::string::npos) << text;
  EXPECT_EQ(RoleListJson({}), "[]");
  EXPECT_EQ(RoleListJson({SampleRole(), bare}), "[" + RoleJson(SampleRole()) + "," + text + "]");
}

TEST(PermissionJsonTest, IsKebabCaseWithUserId) {
  catalog::DirectGrant grant{"g1",
                             "u1",
                             TenantId{"t-1"},
                             {Scope(Type::kNamespace, "c1", {"sales", "eu"}), {Action::kWrite}},
                             "admin",
                             1700000000000};
  EXPECT_EQ(PermissionJson(grant),
            R"({"id":"g1","user-id":"u1","tenant-id":"t-1",)"
            R"("scope":{"type":"namespace","catalog_id":"c1","namespace":"sales.eu"},)"
            R"("actions":["write"],"granted-by":"admin","granted-at":"2023-11-14T22:13:20.000Z"})");
  EXPECT_EQ(PermissionListJson({grant}), "[" + PermissionJson(grant) + "]");
  EXPECT_EQ(PermissionListJson({}), "[]");
}

TEST(RoleAssignmentJsonTest, IsKebabCase) {
  EXPECT_EQ(RoleAssignmentJson({"u1", "r1", "admin", 1700000000000}),
            R"({"user-id":"u1","role-id":"r1","assigned-by":"admin",)"
            R"("assigned-at":"2023-11-14T22:13:20.000Z"})");
}

TEST(RoleRequestTest, ParsesCreation) {
  ASSERT_OK_AND_ASSIGN(
      RoleCreateBody body,
      ParseRoleCreateRequest(R"({"name":"analyst","description":"d",)"
                             R"("tenant-id":"7D0C5A4E-0000-4000-8000-000000000001"})"));
  EXPECT_EQ(body.name, "analyst");
  EXPECT_EQ(body.description, "d");
  EXPECT_EQ(body.tenant, TenantId{"7d0c5a4e-0000-4000-8000-000000000001"});
  ASSERT_OK_AND_ASSIGN(body, ParseRoleCreateRequest(R"({"name":"x","description":null})"));
  EXPECT_FALSE(body.description);
  EXPECT_FALSE(body.tenant);
}

TEST(RoleRequestTest, RejectsBadCreations) {
  for (const char* text : {R"({})", R"({"name":""})", R"({"name":5})", R"({"name":null})",
                           R"({"name":"x","tenant-id":"not-a-uuid"})",
                           R"({"name":"x","description":1})", R"([])", "not json"}) {
    EXPECT_THAT(ParseRoleCreateRequest(text), IsError(ErrorCode::kBadRequest)) << text;
  }
  for (const char* text : {R"({"name":"x","tenant_id":"7d0c5a4e-0000-4000-8000-000000000001"})",
                           R"({"name":"x","permissions":[]})"}) {
    EXPECT_THAT(ParseRoleCreateRequest(text), IsError(ErrorCode::kUnprocessable)) << text;
  }
}

TEST(RoleRequestTest, UpdateAcceptsTheFullRoleObject) {
  catalog::Role role = SampleRole();
  ASSERT_OK_AND_ASSIGN(RoleUpdateBody body, ParseRoleUpdateRequest(RoleJson(role)));
  EXPECT_EQ(body.id, "r1");
  EXPECT_EQ(body.name, role.name);
  EXPECT_EQ(body.description, role.description);
  EXPECT_EQ(body.permissions, role.permissions);
  ASSERT_OK_AND_ASSIGN(body, ParseRoleUpdateRequest(R"({"name":"n","permissions":[]})"));
  EXPECT_FALSE(body.id);
  EXPECT_FALSE(body.description);
  EXPECT_TRUE(body.permissions.empty());
}

TEST(RoleRequestTest, RejectsBadUpdates) {
  const std::string grant = R"({"scope":{"type":"tenant"},"actions":["read"]})";
  for (const std::string& text : std::vector<std::string>{
           R"({"permissions":[]})",                                        // no name
           R"({"name":"","permissions":[]})",                              // empty name
           R"({"name":"n"})",                                              // no permissions
           R"({"name":"n","permissions":{}})",                             // not an array
           R"({"name":"n","permissions":["read"]})",                       // not objects
           R"({"name":"n","permissions":[{"actions":["read"]}]})",         // no scope
           R"({"name":"n","permissions":[{"scope":{"type":"tenant"}}]})",  // no actions
           R"({"name":"n","permissions":[{"scope":{"type":"tenant"},"actions":[]}]})",
           R"({"name":"n","permissions":[{"scope":{"type":"tenant"},"actions":["fly"]}]})",
           R"({"name":"n","permissions":[{"scope":{"type":"tenant"},"actions":[1]}]})",
           R"({"name":"n","permissions":[{"scope":{"type":"galaxy"},"actions":["read"]}]})",
           R"({"id":7,"name":"n","permissions":[]})",
           R"({"name":"n","permissions":[],"created-at":1700000000000})",
           R"({"name":"n","permissions":[],"tenant-id":false})",
       }) {
    EXPECT_THAT(ParseRoleUpdateRequest(text), IsError(ErrorCode::kBadRequest)) << text;
  }
  for (const std::string& text : std::vector<std::string>{
           R"({"name":"n","permissions":[],"owner":"me"})",
           R"({"name":"n","permissions":[{"scope":{"type":"tenant"},"actions":["read"],"x":1}]})",
           R"({"name":"n","permissions":[{"scope":{"type":"tag","tag_name":"a","x":1},)"
           R"("actions":["read"]}]})",
           R"({"name":"n","permissions":[)" + grant + R"(],"tenant_id":"t"})",
       }) {
    EXPECT_THAT(ParseRoleUpdateRequest(text), IsError(ErrorCode::kUnprocessable)) << text;
  }
}

TEST(AssignRoleRequestTest, ParsesAndRejects) {
  EXPECT_THAT(ParseAssignRoleRequest(R"({"role-id":"r1"})"),
              ::testing::Optional(std::string("r1")));
  for (const char* text : {R"({})", R"({"role-id":""})", R"({"role-id":3})", "[]"}) {
    EXPECT_THAT(ParseAssignRoleRequest(text), IsError(ErrorCode::kBadRequest)) << text;
  }
  EXPECT_THAT(ParseAssignRoleRequest(R"({"role_id":"r1"})"), IsError(ErrorCode::kUnprocessable));
  EXPECT_THAT(ParseAssignRoleRequest(R"({"role-id":"r1","user-id":"u1"})"),
              IsError(ErrorCode::kUnprocessable));
}

TEST(GrantRequestTest, ParsesAUserIdScopeAndActions) {
  ASSERT_OK_AND_ASSIGN(
      GrantBody body,
      ParseGrantRequest(
          R"({"user-id":"u1","scope":{"type":"asset","catalog_id":"c1",)"
          R"("namespace":"a.b","asset_id":"t1"},"actions":["read","manage-discovery",)"
          R"("experimental-branching"]})"));
  EXPECT_EQ(body.principal_id, "u1");
  EXPECT_EQ(body.grant.scope, Scope(Type::kAsset, "c1", {"a", "b"}, "t1"));
  EXPECT_THAT(body.grant.actions,
              ElementsAre(Action::kRead, Action::kManageDiscovery, Action::kExperimentalBranching));
}

TEST(GrantRequestTest, RejectsBadGrants) {
  for (const char* text : {
           R"({"scope":{"type":"tenant"},"actions":["read"]})",
           R"({"user-id":"","scope":{"type":"tenant"},"actions":["read"]})",
           R"({"user-id":"u1","actions":["read"]})",
           R"({"user-id":"u1","scope":"tenant","actions":["read"]})",
           R"({"user-id":"u1","scope":{"type":"tenant"}})",
           R"({"user-id":"u1","scope":{"type":"tenant"},"actions":[]})",
           R"({"user-id":"u1","scope":{"type":"tenant"},"actions":"read"})",
           R"({"user-id":"u1","scope":{"type":"tenant"},"actions":["READ"]})",
           R"({"user-id":"u1","scope":{"type":"tenant"},"actions":["ingest_branching"]})",
           R"({"user-id":"u1","scope":{"type":"namespace","catalog_id":"c","namespace":"a..b"},)"
           R"("actions":["read"]})",
       }) {
    EXPECT_THAT(ParseGrantRequest(text), IsError(ErrorCode::kBadRequest)) << text;
  }
  for (const char* text : {
           R"({"user-id":"u1","scope":{"type":"tenant"},"actions":["read"],"role-id":"r"})",
           R"({"user_id":"u1","scope":{"type":"tenant"},"actions":["read"]})",
           R"({"user-id":"u1","scope":{"type":"tenant","tag_name":"x"},"actions":["read"]})",
       }) {
    EXPECT_THAT(ParseGrantRequest(text), IsError(ErrorCode::kUnprocessable)) << text;
  }
}

TEST(ActionsTest, EveryActionHasItsKebabCaseName) {
  std::vector<Action> all = {Action::kRead,
                             Action::kWrite,
                             Action::kDelete,
                             Action::kCreate,
                             Action::kUpdate,
                             Action::kList,
                             Action::kAll,
                             Action::kIngestBranching,
                             Action::kExperimentalBranching,
                             Action::kManageDiscovery};
  EXPECT_EQ(ActionsRecordJson(all),
            R"(["read","write","delete","create","update","list","all","ingest-branching",)"
            R"("experimental-branching","manage-discovery"])");
  EXPECT_THAT(ParseActionsRecord(ActionsRecordJson(all)), ::testing::Optional(all));
}

// Whatever a scope holds (members of other types, empty or dotted levels, no actions at all),
// the stored form gives it back unchanged.
TEST(StoredFormTest, StoredFormIsLossless) {
  std::vector<PermissionScope> scopes = EveryScope();
  scopes.push_back(Scope(Type::kNamespace, "c1", {"a.b", "c"}));
  scopes.push_back(Scope(Type::kNamespace, "c1", {"", "x"}));
  scopes.push_back(Scope(Type::kTenant, "c1", {"a"}, "t1", "pii"));
  scopes.push_back(Scope(Type::kCatalog));
  std::vector<PermissionGrant> grants;
  for (const auto& scope : scopes) {
    EXPECT_THAT(ParsePermissionScopeRecord(PermissionScopeRecordJson(scope)),
                ::testing::Optional(scope))
        << PermissionScopeRecordJson(scope);
    grants.push_back({scope, {Action::kAll, Action::kList}});
  }
  grants.push_back({Scope(Type::kTenant), {}});
  EXPECT_THAT(ParsePermissionGrantsRecord(PermissionGrantsRecordJson(grants)),
              ::testing::Optional(grants));
  EXPECT_THAT(ParsePermissionGrantsRecord(PermissionGrantsRecordJson({})),
              ::testing::Optional(std::vector<PermissionGrant>{}));
  EXPECT_THAT(ParseActionsRecord(ActionsRecordJson({})),
              ::testing::Optional(std::vector<Action>{}));
  EXPECT_EQ(PermissionScopeRecordJson(Scope(Type::kNamespace, "c1", {"a.b", "c"})),
            R"({"type":"namespace","catalog_id":"c1","namespace":["a.b","c"]})");
}

TEST(StoredFormTest, RejectsMalformedRecords) {
  for (const char* text : {"", "{", R"({"type":"galaxy"})", R"({"catalog_id":"c"})",
                           R"({"type":"namespace","namespace":"a.b"})", "[]"}) {
    EXPECT_THAT(ParsePermissionScopeRecord(text), IsError(ErrorCode::kBadRequest)) << text;
  }
  for (const char* text : {"", "{}", R"(["fly"])", "[1]"}) {
    EXPECT_THAT(ParseActionsRecord(text), IsError(ErrorCode::kBadRequest)) << text;
  }
  for (const char* text : {"{}", "[1]", R"([{"actions":[]}])", R"([{"scope":{"type":"tenant"}}])",
                           R"([{"scope":{"type":"tenant"},"actions":["fly"]}])"}) {
    EXPECT_THAT(ParsePermissionGrantsRecord(text), IsError(ErrorCode::kBadRequest)) << text;
  }
}

}  // namespace
}  // namespace pangolin::serde
