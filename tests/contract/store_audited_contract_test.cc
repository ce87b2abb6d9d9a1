// Contract: MetadataStore::Audited. A change and its audit entry are stored together: the entry
// is appended only when the change succeeds, reads inside the change see its writes, a write that
// fails inside the change leaves nothing of itself, and transactional backends keep nothing of a
// change that fails as a whole.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

template <typename T>
class AuditedContract : public StoreContract<T> {
 protected:
  std::vector<std::string> ChainActions(const TenantId& tenant) {
    std::vector<std::string> actions;
    auto chain = this->store_->ReadAuditChain(tenant, 0, 0);
    EXPECT_THAT(chain, IsOk());
    for (const auto& entry : chain.value_or(std::vector<AuditEntry>{})) {
      actions.push_back(entry.action);
    }
    return actions;
  }
};
TYPED_TEST_SUITE(AuditedContract, StoreFactories, FactoryNames);

TYPED_TEST(AuditedContract, AChangeAndItsEntryAreStoredTogether) {
  auto& store = *this->store_;
  ASSERT_THAT(store.AppendAudit(MakeAuditEntry(kTenantA, "login")), IsOk());
  AuditEntry entry = MakeAuditEntry(kTenantA, "create_warehouse");
  ASSERT_THAT(
      store.Audited(entry, [&] { return store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")); }),
      IsOk());
  EXPECT_THAT(store.GetWarehouse(kTenantA, "wh"), IsOk());
  ASSERT_OK_AND_ASSIGN(AuditEntry stored, store.GetAudit(kTenantA, entry.id));
  EXPECT_EQ(stored.seq, 2);
  EXPECT_THAT(this->ChainActions(kTenantA), ElementsAre("login", "create_warehouse"));
  EXPECT_THAT(this->ChainActions(kTenantB), IsEmpty());
}

TYPED_TEST(AuditedContract, AFailedChangeAppendsNothing) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  AuditEntry entry = MakeAuditEntry(kTenantA, "create_warehouse");
  EXPECT_THAT(
      store.Audited(entry, [&] { return store.CreateWarehouse(MakeWarehouse(kTenantA, "wh")); }),
      IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store.GetAudit(kTenantA, entry.id), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(this->ChainActions(kTenantA), IsEmpty());
}

TYPED_TEST(AuditedContract, ReadsInsideTheChangeSeeItsWrites) {
  auto& store = *this->store_;
  ASSERT_THAT(store.Audited(MakeAuditEntry(kTenantA, "create_user"),
                            [&]() -> Status {
                              RETURN_IF_ERROR(store.CreateUser(MakeUser(kTenantA, "ann")));
                              ASSIGN_OR_RETURN(User ann, store.FindUserByName(kTenantA, "ann"));
                              ann.email = "ann@example.com";
                              return store.UpdateUser(ann);
                            }),
              IsOk());
  ASSERT_OK_AND_ASSIGN(User ann, store.FindUserByName(kTenantA, "ann"));
  EXPECT_EQ(ann.email, "ann@example.com");
}

TYPED_TEST(AuditedContract, AWriteThatFailsInsideLeavesNothingAndTheChangeGoesOn) {
  auto& store = *this->store_;
  ASSERT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "taken")), IsOk());
  ASSERT_THAT(store.Audited(MakeAuditEntry(kTenantA, "create_catalog"),
                            [&]() -> Status {
                              // Refused whole: its warehouse does not exist.
                              EXPECT_THAT(store.CreateCatalog(MakeCatalog(kTenantA, "c", "none")),
                                          IsError(ErrorCode::kNoSuchWarehouse));
                              return store.CreateCatalog(MakeCatalog(kTenantA, "c"));
                            }),
              IsOk());
  ASSERT_OK_AND_ASSIGN(Catalog c, store.GetCatalog(kTenantA, "c"));
  EXPECT_FALSE(c.warehouse_name.has_value());
  EXPECT_THAT(this->ChainActions(kTenantA), ElementsAre("create_catalog"));
}

// Transactional backends keep nothing of a failed change; the memory backend keeps the writes made
// before the failure (MetadataStore::Audited). Neither appends the entry.
TYPED_TEST(AuditedContract, AFailedChangeKeepsItsWritesOnlyWithoutTransactions) {
  auto& store = *this->store_;
  AuditEntry first = MakeAuditEntry(kTenantA, "create_user");
  ASSERT_THAT(store.Audited(first, [&] { return store.CreateUser(MakeUser(kTenantA, "ann")); }),
              IsOk());
  // The change writes, then fails.
  EXPECT_THAT(store.Audited(MakeAuditEntry(kTenantA, "create_user"),
                            [&]() -> Status {
                              RETURN_IF_ERROR(store.CreateUser(MakeUser(kTenantA, "bob")));
                              return Err(ErrorCode::kConflict, "changed my mind");
                            }),
              IsError(ErrorCode::kConflict));
  // The change succeeds but its entry cannot be appended (a used id).
  EXPECT_THAT(store.Audited(first, [&] { return store.CreateUser(MakeUser(kTenantA, "cy")); }),
              IsError(ErrorCode::kAlreadyExists));
  for (const char* name : {"bob", "cy"}) {
    if constexpr (TypeParam::kTransactional) {
      EXPECT_THAT(store.FindUserByName(kTenantA, name), IsError(ErrorCode::kNotFound)) << name;
    } else {
      EXPECT_THAT(store.FindUserByName(kTenantA, name), IsOk()) << name;
    }
  }
  EXPECT_THAT(this->ChainActions(kTenantA), ElementsAre("create_user"));
}

}  // namespace
}  // namespace pangolin::store::contract
