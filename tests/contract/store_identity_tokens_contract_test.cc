// Contract: service users (API key lookup and rotation, tenant confinement), issued token records
// (newest-first paging, revocation that keeps the first, purge) and signing keys; and, for the
// SQLite store, every identity record surviving a reopen.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

constexpr int64_t kNow = 1700000000000;

std::vector<std::string> Names(const std::vector<ServiceUser>& users) {
  std::vector<std::string> names;
  for (const auto& user : users) names.push_back(user.name);
  return names;
}

std::vector<std::string> Jtis(const std::vector<TokenRecord>& tokens) {
  std::vector<std::string> jtis;
  for (const auto& token : tokens) jtis.push_back(token.jti);
  return jtis;
}

template <typename T>
class ServiceUserContract : public StoreContract<T> {
 protected:
  void SetUp() override {
    StoreContract<T>::SetUp();
    ASSERT_THAT(this->store_->CreateTenant(Tenant{kTenantB, "tenant-b", {}, 1}), IsOk());
  }
  ServiceUser Add(const TenantId& tenant, std::string name) {
    ServiceUser user = MakeServiceUser(tenant, std::move(name));
    EXPECT_THAT(this->store_->CreateServiceUser(user), IsOk());
    return user;
  }
};
TYPED_TEST_SUITE(ServiceUserContract, StoreFactories, FactoryNames);

template <typename T>
class TokenContract : public StoreContract<T> {};
TYPED_TEST_SUITE(TokenContract, StoreFactories, FactoryNames);

TYPED_TEST(ServiceUserContract, AreFoundByIdAndByKeyIdAcrossTenants) {
  auto& store = *this->store_;
  ServiceUser robot = this->Add(kTenantB, "robot");
  EXPECT_THAT(store.GetServiceUser(kTenantB, robot.id), Optional(robot));
  EXPECT_THAT(store.FindServiceUserByKeyId(robot.key_id), Optional(robot));
  EXPECT_THAT(store.FindServiceUserByKeyId("no-such-key"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetServiceUser(kTenantB, "no-such-id"), IsError(ErrorCode::kNotFound));
  ServiceUser bare = MakeServiceUser(kTenantA, "bare");  // optional fields unset
  bare.description.reset();
  bare.expires_ms.reset();
  bare.role = catalog::UserRole::kTenantAdmin;
  bare.active = false;
  ASSERT_THAT(store.CreateServiceUser(bare), IsOk());
  EXPECT_THAT(store.GetServiceUser(kTenantA, bare.id), Optional(bare));
}

TYPED_TEST(ServiceUserContract, NamesAreUniquePerTenantAndKeyIdsEverywhere) {
  auto& store = *this->store_;
  ServiceUser robot = this->Add(kTenantA, "robot");
  EXPECT_THAT(store.CreateServiceUser(MakeServiceUser(kTenantA, "robot")),
              IsError(ErrorCode::kAlreadyExists));
  this->Add(kTenantB, "robot");  // the same name in another tenant is fine
  ServiceUser same_key = MakeServiceUser(kTenantB, "other");
  same_key.key_id = robot.key_id;
  EXPECT_THAT(store.CreateServiceUser(same_key), IsError(ErrorCode::kAlreadyExists));
  ServiceUser same_id = MakeServiceUser(kTenantA, "twin");
  same_id.id = robot.id;
  EXPECT_THAT(store.CreateServiceUser(same_id), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.CreateServiceUser(MakeServiceUser(TenantId{NewUuid()}, "ghost")),
              IsError(ErrorCode::kNotFound));
}

TYPED_TEST(ServiceUserContract, UpdateRotatesTheKeyAndKeepsCreation) {
  auto& store = *this->store_;
  ServiceUser robot = this->Add(kTenantA, "robot");
  ServiceUser other = this->Add(kTenantA, "other");
  ServiceUser rotated = robot;
  rotated.name = "robot-2";
  rotated.description = "rotated";
  rotated.key_id = NewUuid();
  rotated.key_hash = std::string(64, 'b');
  rotated.role = catalog::UserRole::kTenantAdmin;
  rotated.expires_ms = kNow + 5;
  rotated.active = false;
  rotated.created_ms = 1;
  rotated.created_by = "someone else";
  ASSERT_THAT(store.UpdateServiceUser(rotated), IsOk());
  rotated.created_ms = robot.created_ms;
  rotated.created_by = robot.created_by;
  EXPECT_THAT(store.GetServiceUser(kTenantA, robot.id), Optional(rotated));
  EXPECT_THAT(store.FindServiceUserByKeyId(rotated.key_id), Optional(rotated));
  EXPECT_THAT(store.FindServiceUserByKeyId(robot.key_id), IsError(ErrorCode::kNotFound));
  ServiceUser clash = rotated;
  clash.name = other.name;
  EXPECT_THAT(store.UpdateServiceUser(clash), IsError(ErrorCode::kAlreadyExists));
  clash = rotated;
  clash.key_id = other.key_id;
  EXPECT_THAT(store.UpdateServiceUser(clash), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.UpdateServiceUser(MakeServiceUser(kTenantA, "nobody")),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetServiceUser(kTenantA, robot.id), Optional(rotated));  // unchanged
}

TYPED_TEST(ServiceUserContract, TouchRecordsTheLastUse) {
  auto& store = *this->store_;
  ServiceUser robot = this->Add(kTenantB, "robot");
  ASSERT_THAT(store.TouchServiceUser(robot.id, kNow + 42), IsOk());
  ASSERT_OK_AND_ASSIGN(ServiceUser touched, store.GetServiceUser(kTenantB, robot.id));
  EXPECT_EQ(touched.last_used_ms, kNow + 42);
  robot.last_used_ms = kNow + 42;
  EXPECT_EQ(touched, robot);
  EXPECT_THAT(store.TouchServiceUser("no-such-id", kNow), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(ServiceUserContract, DeleteRemovesItAndItsTokens) {
  auto& store = *this->store_;
  ServiceUser robot = this->Add(kTenantB, "robot");
  ASSERT_THAT(store.RecordToken(MakeToken("t1", robot.id, kNow, kNow + 1000)), IsOk());
  Role role = MakeRole(kTenantB, "writers", {{CatalogScope("c1"), {Action::kWrite}}});
  ASSERT_THAT(store.CreateRole(role), IsOk());
  ASSERT_THAT(store.AssignRole(kTenantB, MakeAssignment(robot.id, role.id)), IsOk());
  ASSERT_THAT(store.CreateGrant(MakeGrant(kTenantB, robot.id, {TenantScope(), {Action::kList}})),
              IsOk());
  ASSERT_THAT(store.DeleteServiceUser(kTenantB, robot.id), IsOk());
  // Its grants and role assignments went with it (store_access_contract_test.cc has more).
  EXPECT_THAT(store.LoadPermissions(kTenantB, robot.id), Optional(::testing::IsEmpty()));
  EXPECT_THAT(store.ListPrincipalRoles(kTenantB, robot.id), Optional(::testing::IsEmpty()));
  EXPECT_THAT(store.GetServiceUser(kTenantB, robot.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.FindServiceUserByKeyId(robot.key_id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetToken("t1"), Optional(std::optional<TokenRecord>()));
  EXPECT_THAT(store.DeleteServiceUser(kTenantB, robot.id), IsError(ErrorCode::kNotFound));
  this->Add(kTenantB, "robot");  // the name is free again
}

TYPED_TEST(ServiceUserContract, PageByNameWithinTheTenant) {
  auto& store = *this->store_;
  for (const char* name : {"e", "a", "d", "b", "c"}) this->Add(kTenantA, name);
  this->Add(kTenantB, "a");
  auto pages = Pages<ServiceUser>(
      [&](const PageRequest& p) { return store.ListServiceUsers(kTenantA, p); }, 2);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_THAT(Names(pages[0]), ElementsAre("a", "b"));
  EXPECT_THAT(Names(pages[1]), ElementsAre("c", "d"));
  EXPECT_THAT(Names(pages[2]), ElementsAre("e"));
  ASSERT_OK_AND_ASSIGN(auto all, store.ListServiceUsers(kTenantA, {"", 0}));
  EXPECT_EQ(all.items.size(), 5u);
  EXPECT_THAT(store.ListServiceUsers(kTenantA, {"!!", 1}), IsError(ErrorCode::kBadRequest));
}

// Tenant A's calls never reach tenant B's service users.
TYPED_TEST(ServiceUserContract, CallsAreConfinedToTheirTenant) {
  auto& store = *this->store_;
  ServiceUser mine = this->Add(kTenantA, "mine");
  ServiceUser theirs = this->Add(kTenantB, "theirs");
  ASSERT_OK_AND_ASSIGN(auto listed, store.ListServiceUsers(kTenantA, {}));
  EXPECT_THAT(listed.items, ElementsAre(mine));
  EXPECT_THAT(store.GetServiceUser(kTenantA, theirs.id), IsError(ErrorCode::kNotFound));
  ServiceUser hijack = theirs;
  hijack.tenant_id = kTenantA;
  hijack.key_id = NewUuid();
  EXPECT_THAT(store.UpdateServiceUser(hijack), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.DeleteServiceUser(kTenantA, theirs.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.GetServiceUser(kTenantB, theirs.id), Optional(theirs));
}

TYPED_TEST(TokenContract, RecordsAreKeptByJti) {
  auto& store = *this->store_;
  TokenRecord token = MakeToken("jti-1", "user-1", kNow, kNow + 3600000);
  token.principal_kind = catalog::PrincipalKind::kServiceUser;
  ASSERT_THAT(store.RecordToken(token), IsOk());
  EXPECT_THAT(store.GetToken("jti-1"), Optional(Optional(token)));
  EXPECT_THAT(store.GetToken("jti-2"), Optional(std::optional<TokenRecord>()));
  EXPECT_THAT(store.RecordToken(MakeToken("jti-1", "user-2", kNow, kNow + 1)),
              IsError(ErrorCode::kAlreadyExists));
  TokenRecord root_token = MakeToken("jti-root", "root-1", kNow, kNow + 1);
  root_token.tenant_id.reset();
  root_token.revoked_ms = kNow;
  root_token.revoke_reason = "recorded revoked";
  ASSERT_THAT(store.RecordToken(root_token), IsOk());
  EXPECT_THAT(store.GetToken("jti-root"), Optional(Optional(root_token)));
}

TYPED_TEST(TokenContract, ListNewestFirstAcrossPages) {
  auto& store = *this->store_;
  // Equal issue times order by jti.
  for (auto [jti, issued] : std::vector<std::pair<std::string, int64_t>>{
           {"a", 10}, {"b", 30}, {"c", 20}, {"d", 30}, {"e", 20}, {"f", 5}}) {
    ASSERT_THAT(store.RecordToken(MakeToken(jti, "p1", kNow + issued, kNow + 1000)), IsOk());
  }
  ASSERT_THAT(store.RecordToken(MakeToken("other", "p2", kNow + 50, kNow + 1000)), IsOk());
  auto pages =
      Pages<TokenRecord>([&](const PageRequest& p) { return store.ListTokens("p1", p); }, 4);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_THAT(Jtis(pages[0]), ElementsAre("b", "d", "c", "e"));
  EXPECT_THAT(Jtis(pages[1]), ElementsAre("a", "f"));
  auto small =
      Pages<TokenRecord>([&](const PageRequest& p) { return store.ListTokens("p1", p); }, 1);
  std::vector<std::string> one_by_one;  // every cut, between equal issue times too
  for (const auto& page : small) one_by_one.push_back(Jtis(page).at(0));
  EXPECT_THAT(one_by_one, ElementsAre("b", "d", "c", "e", "a", "f"));
  ASSERT_OK_AND_ASSIGN(auto all, store.ListTokens("p1", {"", 0}));
  EXPECT_THAT(Jtis(all.items), ElementsAre("b", "d", "c", "e", "a", "f"));
  ASSERT_OK_AND_ASSIGN(auto none, store.ListTokens("p3", {}));
  EXPECT_TRUE(none.items.empty());
  EXPECT_THAT(store.ListTokens("p1", {"@@", 2}), IsError(ErrorCode::kBadRequest));
}

TYPED_TEST(TokenContract, RevocationKeepsTheFirst) {
  auto& store = *this->store_;
  ASSERT_THAT(store.RecordToken(MakeToken("t", "p", kNow, kNow + 1000)), IsOk());
  ASSERT_THAT(store.RevokeToken("t", kNow + 1, std::string("logout")), IsOk());
  ASSERT_THAT(store.RevokeToken("t", kNow + 2, std::string("again")), IsOk());
  TokenRecord expected = MakeToken("t", "p", kNow, kNow + 1000);
  expected.revoked_ms = kNow + 1;
  expected.revoke_reason = "logout";
  EXPECT_THAT(store.GetToken("t"), Optional(Optional(expected)));
  EXPECT_THAT(store.RevokeToken("missing", kNow, std::nullopt), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.RecordToken(MakeToken("u", "p", kNow, kNow + 1000)), IsOk());
  ASSERT_THAT(store.RevokeToken("u", kNow + 3, std::nullopt), IsOk());  // no reason
  ASSERT_OK_AND_ASSIGN(auto u, store.GetToken("u"));
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->revoked_ms, kNow + 3);
  EXPECT_FALSE(u->revoke_reason.has_value());
}

TYPED_TEST(TokenContract, RevokePrincipalTokensTouchesOnlyLiveOnes) {
  auto& store = *this->store_;
  ASSERT_THAT(store.RecordToken(MakeToken("live-1", "p", kNow, kNow + 1000)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("live-2", "p", kNow, kNow + 101)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("expired", "p", kNow, kNow + 100)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("revoked", "p", kNow, kNow + 1000)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("other", "q", kNow, kNow + 1000)), IsOk());
  ASSERT_THAT(store.RevokeToken("revoked", kNow + 50, std::string("earlier")), IsOk());
  EXPECT_THAT(store.RevokePrincipalTokens("p", kNow + 100, "password changed"),
              Optional(size_t{2}));
  for (const char* jti : {"live-1", "live-2"}) {
    ASSERT_OK_AND_ASSIGN(auto token, store.GetToken(jti));
    EXPECT_EQ(token->revoked_ms, kNow + 100) << jti;
    EXPECT_EQ(token->revoke_reason, "password changed") << jti;
  }
  ASSERT_OK_AND_ASSIGN(auto expired, store.GetToken("expired"));
  EXPECT_FALSE(expired->revoked_ms.has_value());  // expires_ms == now: already expired
  ASSERT_OK_AND_ASSIGN(auto revoked, store.GetToken("revoked"));
  EXPECT_EQ(revoked->revoked_ms, kNow + 50);
  EXPECT_EQ(revoked->revoke_reason, "earlier");
  ASSERT_OK_AND_ASSIGN(auto other, store.GetToken("other"));
  EXPECT_FALSE(other->revoked_ms.has_value());
  EXPECT_THAT(store.RevokePrincipalTokens("p", kNow + 100, "again"), Optional(size_t{0}));
  EXPECT_THAT(store.RevokePrincipalTokens("nobody", kNow, "x"), Optional(size_t{0}));
}

TYPED_TEST(TokenContract, PurgeDeletesExpiredRecordsRevokedOrNot) {
  auto& store = *this->store_;
  ASSERT_THAT(store.RecordToken(MakeToken("old", "p", kNow, kNow + 10)), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("old-revoked", "p", kNow, kNow + 5)), IsOk());
  ASSERT_THAT(store.RevokeToken("old-revoked", kNow + 1, std::nullopt), IsOk());
  ASSERT_THAT(store.RecordToken(MakeToken("new", "p", kNow, kNow + 11)), IsOk());
  EXPECT_THAT(store.PurgeExpiredTokens(kNow + 10), Optional(size_t{2}));
  EXPECT_THAT(store.GetToken("old"), Optional(std::optional<TokenRecord>()));
  EXPECT_THAT(store.GetToken("old-revoked"), Optional(std::optional<TokenRecord>()));
  ASSERT_OK_AND_ASSIGN(auto left, store.ListTokens("p", {}));
  EXPECT_THAT(Jtis(left.items), ElementsAre("new"));
  EXPECT_THAT(store.PurgeExpiredTokens(kNow + 10), Optional(size_t{0}));
}

TYPED_TEST(TokenContract, SigningKeysListNewestFirstAndRetireOnce) {
  auto& store = *this->store_;
  ASSERT_OK_AND_ASSIGN(auto none, store.ListSigningKeys());
  EXPECT_TRUE(none.empty());
  for (auto [kid, created] :
       std::vector<std::pair<std::string, int64_t>>{{"k1", 1}, {"k3", 3}, {"k2b", 2}, {"k2a", 2}}) {
    ASSERT_THAT(store.AddSigningKey(MakeSigningKey(kid, kNow + created)), IsOk());
  }
  EXPECT_THAT(store.AddSigningKey(MakeSigningKey("k1", kNow)), IsError(ErrorCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(auto keys, store.ListSigningKeys());
  std::vector<std::string> kids;
  for (const auto& key : keys) kids.push_back(key.kid);
  EXPECT_THAT(kids, ElementsAre("k3", "k2a", "k2b", "k1"));
  EXPECT_EQ(keys[0], MakeSigningKey("k3", kNow + 3));
  ASSERT_THAT(store.RetireSigningKey("k1", kNow + 10, kNow + 20), IsOk());
  ASSERT_THAT(store.RetireSigningKey("k1", kNow + 11, kNow + 30), IsOk());  // first one stands
  ASSERT_OK_AND_ASSIGN(keys, store.ListSigningKeys());
  SigningKey retired = MakeSigningKey("k1", kNow + 1);
  retired.retired_ms = kNow + 10;
  retired.expires_ms = kNow + 20;
  EXPECT_EQ(keys.back(), retired);
  EXPECT_FALSE(keys[0].retired_ms.has_value());
  EXPECT_THAT(store.RetireSigningKey("nope", kNow, kNow), IsError(ErrorCode::kNotFound));
}

TYPED_TEST(TokenContract, SigningKeyPemIsReplacedAndNothingElse) {
  auto& store = *this->store_;
  ASSERT_THAT(store.AddSigningKey(MakeSigningKey("k1", kNow)), IsOk());
  ASSERT_THAT(store.RetireSigningKey("k1", kNow + 1, kNow + 2), IsOk());
  ASSERT_THAT(store.ReplaceSigningKeyPem("k1", "enc:v1:abcd1234:cGVt"), IsOk());
  ASSERT_OK_AND_ASSIGN(auto keys, store.ListSigningKeys());
  ASSERT_EQ(keys.size(), 1u);
  SigningKey expected = MakeSigningKey("k1", kNow);
  expected.private_key_pem = "enc:v1:abcd1234:cGVt";
  expected.retired_ms = kNow + 1;
  expected.expires_ms = kNow + 2;
  EXPECT_EQ(keys[0], expected);
  EXPECT_THAT(store.ReplaceSigningKeyPem("nope", "x"), IsError(ErrorCode::kNotFound));
}

// The SQLite file keeps every identity record across a reopen.
TEST(SqliteIdentityContract, EverythingSurvivesAReopen) {
  testing::TempDir dir;
  Tenant acme = MakeTenant("acme");
  User root = MakeUser(std::nullopt, "root");
  User ann = MakeUser(acme.id, "ann");
  ann.oauth_issuer = "https://idp";
  ann.oauth_subject = "ann";
  ServiceUser robot = MakeServiceUser(acme.id, "robot");
  robot.last_used_ms = kNow + 7;
  TokenRecord token = MakeToken("jti", ann.id, kNow, kNow + 1000);
  token.tenant_id = acme.id;
  SigningKey key = MakeSigningKey("kid", kNow);
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
    ASSERT_THAT(store->CreateTenant(acme), IsOk());
    ASSERT_THAT(store->CreateUser(root), IsOk());
    ASSERT_THAT(store->CreateUser(ann), IsOk());
    ASSERT_THAT(store->CreateServiceUser(robot), IsOk());
    ASSERT_THAT(store->RecordToken(token), IsOk());
    ASSERT_THAT(store->RevokeToken("jti", kNow + 1, std::string("bye")), IsOk());
    ASSERT_THAT(store->AddSigningKey(key), IsOk());
    ASSERT_THAT(store->RetireSigningKey("kid", kNow + 2, kNow + 3), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto store, SqliteFactory::Make(dir.path()));
  EXPECT_THAT(store->GetTenant(acme.id), Optional(acme));
  EXPECT_THAT(store->GetTenant(kDefaultTenant), Optional(Tenant{kDefaultTenant, "default", {}, 0}));
  EXPECT_THAT(store->FindUserByName(std::nullopt, "root"), Optional(root));
  EXPECT_THAT(store->FindUserByOidc("https://idp", "ann"), Optional(ann));
  EXPECT_THAT(store->FindServiceUserByKeyId(robot.key_id), Optional(robot));
  token.revoked_ms = kNow + 1;
  token.revoke_reason = "bye";
  EXPECT_THAT(store->GetToken("jti"), Optional(Optional(token)));
  key.retired_ms = kNow + 2;
  key.expires_ms = kNow + 3;
  ASSERT_OK_AND_ASSIGN(auto keys, store->ListSigningKeys());
  EXPECT_THAT(keys, ElementsAre(key));
  // The unique indexes are back too.
  EXPECT_THAT(store->CreateUser(MakeUser(acme.id, "ann")), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store->CreateTenant(MakeTenant("acme")), IsError(ErrorCode::kAlreadyExists));
}

}  // namespace
}  // namespace pangolin::store::contract
