// The audit trail's rules on values: every field is part of an entry's hash (an optional's absence
// included), filters select field by field, and chain verification finds the first entry that is
// missing a predecessor, does not link to it, or was altered.
#include "catalog/audit.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <utility>

#include "testing/matchers.h"

namespace pangolin::catalog {
namespace {

using ::pangolin::testing::IsErrorWithMessage;

// An entry with every field set, optionals included.
AuditEntry FullEntry() {
  AuditEntry e;
  e.id = "0190f5c2-0000-7000-8000-000000000001";
  e.tenant_id = TenantId{"11111111-1111-4111-8111-111111111111"};
  e.seq = 7;
  e.user_id = "user-1";
  e.username = "ann";
  e.action = "create_table";
  e.resource_type = "table";
  e.resource_id = "table-1";
  e.resource_name = "sales.eu.orders";
  e.time_ms = 1700000000000;
  e.ip_address = "10.0.0.1";
  e.user_agent = "pyiceberg/0.7";
  e.request_id = "req-1";
  e.result = AuditResult::kSuccess;
  e.error_message = "none";
  e.metadata_json = R"({"k":"v"})";
  e.prev_hash = std::string(64, 'a');
  return e;
}

// `entries` chained from seq 1 as a store appends them.
std::vector<AuditEntry> Chain(int count) {
  std::vector<AuditEntry> chain;
  for (int i = 1; i <= count; ++i) {
    AuditEntry e = FullEntry();
    e.id = "id-" + std::to_string(i);
    e.seq = i;
    e.prev_hash = chain.empty() ? "" : chain.back().hash;
    e.hash = AuditHash(e);
    chain.push_back(std::move(e));
  }
  return chain;
}

AuditVerification Verify(const std::vector<AuditEntry>& entries,
                         const std::optional<AuditEntry>& prev = std::nullopt) {
  AuditVerification result;
  VerifyAuditEntries(entries, prev, result);
  return result;
}

using Change = std::pair<const char*, std::function<void(AuditEntry&)>>;

// One change per field; an optional is changed in value, to absent and to empty.
std::vector<Change> SingleFieldChanges() {
  return {
      {"prev_hash", [](AuditEntry& e) { e.prev_hash = std::string(64, 'b'); }},
      {"prev_hash empty", [](AuditEntry& e) { e.prev_hash.clear(); }},
      {"id", [](AuditEntry& e) { e.id += "2"; }},
      {"tenant_id", [](AuditEntry& e) { e.tenant_id = kDefaultTenant; }},
      {"seq", [](AuditEntry& e) { e.seq = 8; }},
      {"user_id", [](AuditEntry& e) { e.user_id = "user-2"; }},
      {"user_id absent", [](AuditEntry& e) { e.user_id.reset(); }},
      {"user_id empty", [](AuditEntry& e) { e.user_id = ""; }},
      {"username", [](AuditEntry& e) { e.username = "bob"; }},
      {"action", [](AuditEntry& e) { e.action = "drop_table"; }},
      {"resource_type", [](AuditEntry& e) { e.resource_type = "view"; }},
      {"resource_id", [](AuditEntry& e) { e.resource_id = "table-2"; }},
      {"resource_id absent", [](AuditEntry& e) { e.resource_id.reset(); }},
      {"resource_id empty", [](AuditEntry& e) { e.resource_id = ""; }},
      {"resource_name", [](AuditEntry& e) { e.resource_name = "sales.eu.other"; }},
      {"time_ms", [](AuditEntry& e) { e.time_ms += 1; }},
      {"ip_address", [](AuditEntry& e) { e.ip_address = "10.0.0.2"; }},
      {"ip_address absent", [](AuditEntry& e) { e.ip_address.reset(); }},
      {"ip_address empty", [](AuditEntry& e) { e.ip_address = ""; }},
      {"user_agent", [](AuditEntry& e) { e.user_agent = "spark"; }},
      {"user_agent absent", [](AuditEntry& e) { e.user_agent.reset(); }},
      {"user_agent empty", [](AuditEntry& e) { e.user_agent = ""; }},
      {"request_id", [](AuditEntry& e) { e.request_id = "req-2"; }},
      {"result", [](AuditEntry& e) { e.result = AuditResult::kFailure; }},
      {"error_message", [](AuditEntry& e) { e.error_message = "denied"; }},
      {"error_message absent", [](AuditEntry& e) { e.error_message.reset(); }},
      {"error_message empty", [](AuditEntry& e) { e.error_message = ""; }},
      {"metadata_json", [](AuditEntry& e) { e.metadata_json = R"({"k":"w"})"; }},
      {"metadata_json empty", [](AuditEntry& e) { e.metadata_json.clear(); }},
  };
}

TEST(AuditHashTest, IsADeterministicHexSha256ThatIgnoresTheHashField) {
  AuditEntry e = FullEntry();
  std::string hash = AuditHash(e);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
  EXPECT_EQ(AuditHash(FullEntry()), hash);
  e.hash = "anything";
  EXPECT_EQ(AuditHash(e), hash);
}

TEST(AuditHashTest, ChangesWhenAnySingleFieldChanges) {
  std::string base = AuditHash(FullEntry());
  std::set<std::string> seen{base};
  for (const auto& [name, change] : SingleFieldChanges()) {
    AuditEntry e = FullEntry();
    change(e);
    std::string hash = AuditHash(e);
    EXPECT_NE(hash, base) << name;
    EXPECT_TRUE(seen.insert(hash).second) << name << " hashes like another change";
  }
}

// Absent and empty optionals hash apart, whichever the entry starts with.
TEST(AuditHashTest, AnAbsentOptionalDiffersFromAnEmptyOne) {
  AuditEntry absent = FullEntry();
  absent.user_id.reset();
  absent.resource_id.reset();
  absent.ip_address.reset();
  absent.user_agent.reset();
  absent.error_message.reset();
  std::string base = AuditHash(absent);
  for (auto member : {&AuditEntry::user_id, &AuditEntry::resource_id, &AuditEntry::ip_address,
                      &AuditEntry::user_agent, &AuditEntry::error_message}) {
    AuditEntry empty = absent;
    empty.*member = "";
    EXPECT_NE(AuditHash(empty), base);
  }
}

// Fields are length-prefixed: moving text from one field to its neighbour changes the hash.
TEST(AuditHashTest, FieldBoundariesAreUnambiguous) {
  AuditEntry a = FullEntry();
  a.username = "ab";
  a.action = "c";
  AuditEntry b = FullEntry();
  b.username = "a";
  b.action = "bc";
  EXPECT_NE(AuditHash(a), AuditHash(b));
  AuditEntry c = FullEntry();
  c.user_id = "-";  // the text an absent optional is written as, but as a value
  AuditEntry d = FullEntry();
  d.user_id.reset();
  EXPECT_NE(AuditHash(c), AuditHash(d));
}

TEST(AuditMatchesTest, AnEmptyFilterMatchesEverything) {
  AuditEntry bare;
  EXPECT_TRUE(Matches(AuditFilter{}, FullEntry()));
  EXPECT_TRUE(Matches(AuditFilter{}, bare));
}

TEST(AuditMatchesTest, EachMemberSelectsOnItsField) {
  const AuditEntry e = FullEntry();
  auto with = [](std::function<void(AuditFilter&)> set) {
    AuditFilter f;
    set(f);
    return f;
  };
  EXPECT_TRUE(Matches(with([](AuditFilter& f) { f.user_id = "user-1"; }), e));
  EXPECT_FALSE(Matches(with([](AuditFilter& f) { f.user_id = "user-2"; }), e));
  EXPECT_TRUE(Matches(with([](AuditFilter& f) { f.action = "create_table"; }), e));
  EXPECT_FALSE(Matches(with([](AuditFilter& f) { f.action = "create"; }), e));
  EXPECT_TRUE(Matches(with([](AuditFilter& f) { f.resource_type = "table"; }), e));
  EXPECT_FALSE(Matches(with([](AuditFilter& f) { f.resource_type = "Table"; }), e));
  EXPECT_TRUE(Matches(with([](AuditFilter& f) { f.resource_id = "table-1"; }), e));
  EXPECT_FALSE(Matches(with([](AuditFilter& f) { f.resource_id = "table-2"; }), e));
  EXPECT_TRUE(Matches(with([](AuditFilter& f) { f.result = AuditResult::kSuccess; }), e));
  EXPECT_FALSE(Matches(with([](AuditFilter& f) { f.result = AuditResult::kFailure; }), e));
  // Time bounds are inclusive.
  EXPECT_TRUE(Matches(with([&](AuditFilter& f) { f.start_ms = e.time_ms; }), e));
  EXPECT_FALSE(Matches(with([&](AuditFilter& f) { f.start_ms = e.time_ms + 1; }), e));
  EXPECT_TRUE(Matches(with([&](AuditFilter& f) { f.end_ms = e.time_ms; }), e));
  EXPECT_FALSE(Matches(with([&](AuditFilter& f) { f.end_ms = e.time_ms - 1; }), e));
  EXPECT_TRUE(Matches(with([&](AuditFilter& f) {
                        f.start_ms = e.time_ms;
                        f.end_ms = e.time_ms;
                      }),
                      e));
}

TEST(AuditMatchesTest, AnOptionalFieldFilterNeverMatchesAnAbsentField) {
  AuditEntry anonymous = FullEntry();
  anonymous.user_id.reset();
  anonymous.resource_id.reset();
  AuditFilter by_user;
  by_user.user_id = "";
  EXPECT_FALSE(Matches(by_user, anonymous));
  AuditFilter by_resource;
  by_resource.resource_id = "";
  EXPECT_FALSE(Matches(by_resource, anonymous));
}

TEST(AuditMatchesTest, EveryMemberMustMatch) {
  AuditFilter f;
  f.user_id = "user-1";
  f.action = "create_table";
  f.resource_type = "table";
  f.resource_id = "table-1";
  f.start_ms = 0;
  f.end_ms = 1800000000000;
  f.result = AuditResult::kSuccess;
  EXPECT_TRUE(Matches(f, FullEntry()));
  f.result = AuditResult::kFailure;
  EXPECT_FALSE(Matches(f, FullEntry()));
}

TEST(VerifyAuditEntriesTest, AcceptsAnIntactChain) {
  AuditVerification result = Verify(Chain(5));
  EXPECT_TRUE(result.valid);
  EXPECT_EQ(result.entries, 5);
  EXPECT_EQ(result.first_bad_seq, std::nullopt);
  EXPECT_EQ(result.reason, "");
  EXPECT_TRUE(Verify({}).valid);
}

// A chain checked in pages: each page continues from the last entry of the one before.
TEST(VerifyAuditEntriesTest, AccumulatesAcrossPages) {
  std::vector<AuditEntry> chain = Chain(5);
  AuditVerification result;
  VerifyAuditEntries({chain.begin(), chain.begin() + 2}, std::nullopt, result);
  VerifyAuditEntries({chain.begin() + 2, chain.end()}, chain[1], result);
  EXPECT_TRUE(result.valid);
  EXPECT_EQ(result.entries, 5);
  // A later page that does not continue the earlier one is a break.
  VerifyAuditEntries({chain.begin() + 2, chain.end()}, chain[0], result);
  EXPECT_FALSE(result.valid);
  EXPECT_EQ(result.first_bad_seq, 3);
}

TEST(VerifyAuditEntriesTest, ReportsAGap) {
  std::vector<AuditEntry> chain = Chain(5);
  chain.erase(chain.begin() + 2);  // seq 3 removed
  AuditVerification result = Verify(chain);
  EXPECT_FALSE(result.valid);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_EQ(result.entries, 2);
  EXPECT_EQ(result.reason, "entries are missing before this one");
  chain = Chain(3);
  chain.erase(chain.begin());  // the chain must start at seq 1
  EXPECT_EQ(Verify(chain).first_bad_seq, 2);
}

TEST(VerifyAuditEntriesTest, ReportsABrokenLink) {
  std::vector<AuditEntry> chain = Chain(5);
  chain[2].prev_hash = std::string(64, 'f');
  chain[2].hash = AuditHash(chain[2]);  // consistent in itself, but not linked
  AuditVerification result = Verify(chain);
  EXPECT_FALSE(result.valid);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_EQ(result.entries, 2);
  EXPECT_EQ(result.reason, "does not link to the entry before it");
  chain = Chain(2);
  chain[0].prev_hash = "x";  // the first entry links to nothing
  chain[0].hash = AuditHash(chain[0]);
  EXPECT_EQ(Verify(chain).first_bad_seq, 1);
}

TEST(VerifyAuditEntriesTest, ReportsAnAlteredFieldAndStopsThere) {
  std::vector<AuditEntry> chain = Chain(5);
  chain[1].action = "drop_table";
  chain[3].username = "mallory";  // a later break is not reported
  AuditVerification result = Verify(chain);
  EXPECT_FALSE(result.valid);
  EXPECT_EQ(result.first_bad_seq, 2);
  EXPECT_EQ(result.entries, 1);
  EXPECT_EQ(result.reason, "its content does not match its hash");
  for (const auto& [name, change] : SingleFieldChanges()) {
    if (std::string_view(name).starts_with("prev_hash") || std::string_view(name) == "seq") {
      continue;  // reported as a broken link or a gap
    }
    chain = Chain(3);
    change(chain[1]);
    EXPECT_EQ(Verify(chain).first_bad_seq, 2) << name;
  }
}

TEST(AuditResultTest, ParsesCurrentAndLegacyNames) {
  EXPECT_EQ(ToString(AuditResult::kSuccess), "success");
  EXPECT_EQ(ToString(AuditResult::kFailure), "failure");
  EXPECT_THAT(ParseAuditResult("success"), ::testing::Optional(AuditResult::kSuccess));
  EXPECT_THAT(ParseAuditResult("failure"), ::testing::Optional(AuditResult::kFailure));
  EXPECT_THAT(ParseAuditResult("Success"), ::testing::Optional(AuditResult::kSuccess));
  EXPECT_THAT(ParseAuditResult("Failure"), ::testing::Optional(AuditResult::kFailure));
  for (const char* text : {"SUCCESS", "failed", "", "ok", " success"}) {
    EXPECT_THAT(ParseAuditResult(text),
                IsErrorWithMessage(ErrorCode::kBadRequest, "Invalid result"))
        << text;
  }
}

}  // namespace
}  // namespace pangolin::catalog
