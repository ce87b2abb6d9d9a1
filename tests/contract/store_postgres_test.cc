// What only the PostgreSQL store has to show, beyond the contract every store passes: migrations
// run once however many stores open a schema (one after another or all at once), an older schema
// is upgraded and a newer one refused; stores on one schema share everything, as servers on one
// database do; lost connections are replaced, a connection lost during COMMIT makes the outcome of
// a catalog commit unknown, and a server that stops and starts again makes calls fail with
// kUnavailable and then succeed, without a new store; a small pool serves many threads; text the
// server cannot hold is refused, not truncated.
#include <cstdio>
#include <latch>
#include <thread>

#include "contract/postgres_support.h"
#include "contract/store_contract.h"
#include "store/postgres/postgres_schema_internal.h"
#include "store/postgres/postgres_store.h"

namespace pangolin::store::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

// A schema of its own (dropped at the end) and stores on it.
class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = TestPostgresUrl();
    ASSERT_TRUE(url) << url.error().message;
    url_ = *url;
    schema_ = TestSchemaFor(dir_.path());
    auto admin = AdminConnection::Open();
    ASSERT_TRUE(admin) << admin.error().message;
    admin_ = std::move(*admin);
  }
  void TearDown() override {
    if (admin_) (void)admin_->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  PostgresOptions Options(int pool_size = 4) const {
    PostgresOptions options;
    options.url = url_;
    options.schema = schema_;
    options.pool_size = pool_size;
    return options;
  }
  std::unique_ptr<MetadataStore> Open(int pool_size = 4) {
    auto store = MakePostgresStore(Options(pool_size));
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  // The versions recorded in the schema's schema_version table.
  std::vector<std::string> Versions() {
    auto rows = admin_->Query("SELECT version FROM " + schema_ + ".schema_version ORDER BY 1");
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<std::string> versions;
    for (const auto& row : rows.value_or(std::vector<std::vector<std::string>>{})) {
      versions.push_back(row[0]);
    }
    return versions;
  }
  static std::vector<std::string> AllVersions() {
    std::vector<std::string> versions;
    for (int v = 1; v <= postgres_internal::KnownSchemaVersion(); ++v) {
      versions.push_back(std::to_string(v));
    }
    return versions;
  }

  testing::TempDir dir_;
  std::string url_;
  std::string schema_;
  std::unique_ptr<AdminConnection> admin_;
};

TEST_F(PostgresStoreTest, MigrationsRunOnceWhenStoresOpenOneAfterAnother) {
  auto first = Open();
  ASSERT_TRUE(first);
  ASSERT_THAT(first->CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  auto second = Open();
  ASSERT_TRUE(second);
  EXPECT_EQ(Versions(), AllVersions());
  EXPECT_THAT(second->GetWarehouse(kTenantA, "wh"), IsOk());
  first.reset();
  second.reset();
  auto third = Open();  // reopening applies nothing and loses nothing
  ASSERT_TRUE(third);
  EXPECT_EQ(Versions(), AllVersions());
  EXPECT_THAT(third->GetWarehouse(kTenantA, "wh"), IsOk());
}

// Eight servers starting at once on an empty schema: the advisory lock lets one migrate while the
// others wait, then find nothing to do.
TEST_F(PostgresStoreTest, MigrationsRunOnceWhenStoresOpenAtOnce) {
  constexpr int kStores = 8;
  std::vector<std::unique_ptr<MetadataStore>> stores(kStores);
  std::vector<std::string> errors(kStores);
  std::latch start(kStores);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStores; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto store = MakePostgresStore(Options(1));
      if (store) {
        stores[i] = std::move(*store);
      } else {
        errors[i] = store.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < kStores; ++i) {
    ASSERT_TRUE(stores[i]) << errors[i];
    EXPECT_THAT(stores[i]->CreateWarehouse(MakeWarehouse(kTenantA, "wh" + std::to_string(i))),
                IsOk());
  }
  EXPECT_EQ(Versions(), AllVersions());
  ASSERT_OK_AND_ASSIGN(auto listed, stores[0]->ListWarehouses(kTenantA, {}));
  EXPECT_EQ(listed.items.size(), static_cast<size_t>(kStores));
}

TEST_F(PostgresStoreTest, AnOlderSchemaIsUpgradedAndANewerOneRefused) {
  {
    // A database left at version 1 by an older binary.
    auto conn = postgres_internal::Connection::Open({url_, "\"" + schema_ + "\""});
    ASSERT_TRUE(conn) << conn.error().message;
    ASSERT_THAT(postgres_internal::Migrate(**conn, schema_, 1), IsOk());
  }
  EXPECT_EQ(Versions(), std::vector<std::string>{"1"});
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(Versions(), AllVersions());
  store.reset();
  ASSERT_THAT(admin_->Exec("INSERT INTO " + schema_ +
                           ".schema_version (version, applied_ms) VALUES (9999, 0)"),
              IsOk());
  EXPECT_THAT(MakePostgresStore(Options()), IsError(ErrorCode::kUnsupported));
}

TEST_F(PostgresStoreTest, BadOptionsAndUnreachableServersAreReported) {
  PostgresOptions options = Options();
  options.url = "postgresql://postgres@127.0.0.1:1/postgres";  // nothing listens on port 1
  EXPECT_THAT(MakePostgresStore(options), IsError(ErrorCode::kUnavailable));
  options.url = "postgresql://[::1";
  EXPECT_THAT(MakePostgresStore(options), IsError(ErrorCode::kInvalidArgument));
  options.url = "";
  EXPECT_THAT(MakePostgresStore(options), IsError(ErrorCode::kInvalidArgument));
  options = Options(0);
  EXPECT_THAT(MakePostgresStore(options), IsError(ErrorCode::kInvalidArgument));
}

// Two servers on one database: what one writes the other reads, a one-time record is taken once,
// compare-and-swap holds across them, and their audit appends form one gap-free chain.
TEST_F(PostgresStoreTest, StoresOnOneSchemaShareEverything) {
  auto first = Open();
  auto second = Open();
  ASSERT_TRUE(first && second);
  ASSERT_THAT(first->PutOAuthState(OAuthState{"state", "payload", 2000000000000}), IsOk());
  EXPECT_THAT(second->TakeOAuthState("state", 1700000000000),
              Optional(Optional(OAuthState{"state", "payload", 2000000000000})));
  EXPECT_THAT(first->TakeOAuthState("state", 1700000000000), Optional(std::nullopt));

  Catalog cat = MakeCatalog(kTenantA, "cat");
  ASSERT_THAT(first->CreateCatalog(cat), IsOk());
  ContentKey key = Table({}, "t");
  CommitRequest put;
  put.operations = {PutOp(key, TableContent("s3://b/t/1"))};
  ASSERT_THAT(second->Commit(kTenantA, cat.id, put), IsOk());
  ASSERT_OK_AND_ASSIGN(auto current, first->GetContent(kTenantA, cat.id, "main", key));
  ASSERT_TRUE(current.has_value());
  CommitRequest guarded;
  guarded.operations = {PutOp(key, TableContent("s3://b/t/2"))};
  guarded.preconditions = {{Precondition::Kind::kEquals, key, *current}};
  EXPECT_THAT(first->Commit(kTenantA, cat.id, guarded), IsOk());
  EXPECT_THAT(second->Commit(kTenantA, cat.id, guarded), IsError(ErrorCode::kCommitFailed));

  constexpr int kThreads = 8, kAppends = 10;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    MetadataStore* store = t % 2 == 0 ? first.get() : second.get();
    threads.emplace_back([&, store] {
      start.arrive_and_wait();
      for (int i = 0; i < kAppends; ++i) {
        if (!store->AppendAudit(MakeAuditEntry(kTenantA, "write"))) ++errors;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_OK_AND_ASSIGN(auto chain, second->ReadAuditChain(kTenantA, 0, 0));
  ASSERT_EQ(chain.size(), static_cast<size_t>(kThreads * kAppends));
  catalog::AuditVerification verified;
  catalog::VerifyAuditEntries(chain, std::nullopt, verified);
  EXPECT_TRUE(verified.valid) << verified.reason;
}

// An entry changed behind the store's back breaks the chain's verification at that entry.
TEST_F(PostgresStoreTest, VerificationFindsAnEntryAlteredInTheDatabase) {
  auto store = Open();
  ASSERT_TRUE(store);
  for (int i = 0; i < 4; ++i) {
    ASSERT_THAT(store->AppendAudit(MakeAuditEntry(kTenantA, "drop_table")), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto changed, admin_->Exec("UPDATE " + schema_ +
                                                  ".audit_log SET action = 'read_table' "
                                                  "WHERE seq = 3"));
  EXPECT_EQ(changed, 1);
  ASSERT_OK_AND_ASSIGN(auto chain, store->ReadAuditChain(kTenantA, 0, 0));
  catalog::AuditVerification verified;
  catalog::VerifyAuditEntries(chain, std::nullopt, verified);
  EXPECT_FALSE(verified.valid);
  EXPECT_EQ(verified.first_bad_seq, 3);
}

// The server ends every session of the store (as a restart or failover would): the next calls
// find their connections dead, replace them and succeed.
TEST_F(PostgresStoreTest, ConnectionsTheServerEndsAreReplaced) {
  std::string name = "pangolin_" + schema_.substr(schema_.size() - 12);
  url_ += (url_.find('?') == std::string::npos ? "?" : "&") + ("application_name=" + name);
  auto store = Open(4);
  ASSERT_TRUE(store);
  ASSERT_THAT(store->CreateWarehouse(MakeWarehouse(kTenantA, "wh")), IsOk());
  std::vector<std::thread> threads;  // open several connections
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { EXPECT_THAT(store->GetWarehouse(kTenantA, "wh"), IsOk()); });
  }
  for (auto& thread : threads) thread.join();
  for (int round = 0; round < 2; ++round) {
    ASSERT_OK_AND_ASSIGN(auto ended, admin_->Query("SELECT pg_terminate_backend(pid) FROM "
                                                   "pg_stat_activity WHERE application_name = '" +
                                                   name + "'"));
    EXPECT_FALSE(ended.empty());
    for (int wait = 0; wait < 100; ++wait) {  // termination is asynchronous
      auto left =
          admin_->Query("SELECT 1 FROM pg_stat_activity WHERE application_name = '" + name + "'");
      if (left && left->empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_THAT(store->Ping(), IsOk());
    EXPECT_THAT(store->GetWarehouse(kTenantA, "wh"), IsOk());
    EXPECT_THAT(store->CreateWarehouse(MakeWarehouse(kTenantA, "wh" + std::to_string(round))),
                IsOk());
  }
}

// The connection dies while COMMIT runs (a deferred trigger ends its own session): nobody can tell
// whether the commit landed, so Commit says kCommitStateUnknown, never kUnavailable or
// kCommitFailed (on which the service would delete the files of a commit that may be live). The
// next calls go on with a new connection.
TEST_F(PostgresStoreTest, AConnectionLostDuringCommitLeavesTheOutcomeUnknown) {
  auto store = Open();
  ASSERT_TRUE(store);
  Catalog cat = MakeCatalog(kTenantA, "cat");
  ASSERT_THAT(store->CreateCatalog(cat), IsOk());
  ASSERT_THAT(admin_->Exec("CREATE FUNCTION " + schema_ +
                           ".end_session() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           "PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$"),
              IsOk());
  ASSERT_THAT(admin_->Exec("CREATE CONSTRAINT TRIGGER end_session AFTER INSERT ON " + schema_ +
                           ".commits DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " +
                           schema_ + ".end_session()"),
              IsOk());
  CommitRequest put;
  put.operations = {PutOp(Table({}, "t"), TableContent("s3://b/t/1"))};
  EXPECT_THAT(store->Commit(kTenantA, cat.id, put), IsError(ErrorCode::kCommitStateUnknown));
  ASSERT_THAT(admin_->Exec("DROP TRIGGER end_session ON " + schema_ + ".commits"), IsOk());
  EXPECT_THAT(store->Commit(kTenantA, cat.id, put), IsOk());
  EXPECT_THAT(store->GetContent(kTenantA, cat.id, "main", Table({}, "t")),
              Optional(Optional(put.operations[0].content.value())));
}

// Runs scripts/services/postgres.sh with `args`; returns its output (the URL for start).
std::string PostgresScript(const std::string& args) {
  std::string command =
      std::string(PANGOLIN_SOURCE_DIR) + "/scripts/services/postgres.sh " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  int status = pipe != nullptr ? pclose(pipe) : -1;
  EXPECT_EQ(status, 0) << command << ": " << output;
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

// A server of its own is stopped under the store: calls fail with kUnavailable (none hangs); once
// it is started again the same store serves them, with its data.
TEST(PostgresRestartTest, CallsFailWhileTheServerIsDownThenSucceedAgain) {
  testing::TempDir dir;
  std::string data = (dir.path() / "cluster").string();
  std::string url = PostgresScript("start " + data);
  ASSERT_TRUE(url.starts_with("postgresql://")) << url;
  PostgresOptions options;
  options.url = url;
  options.pool_size = 3;
  options.connect_timeout_s = 2;
  ASSERT_OK_AND_ASSIGN(auto store, MakePostgresStore(options));
  ASSERT_THAT(store->CreateWarehouse(MakeWarehouse(kTenantA, "kept")), IsOk());

  PostgresScript("stop " + data);
  EXPECT_THAT(store->Ping(), IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(store->GetWarehouse(kTenantA, "kept"), IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(store->CreateWarehouse(MakeWarehouse(kTenantA, "lost")),
              IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(store->AppendAudit(MakeAuditEntry(kTenantA, "write")),
              IsError(ErrorCode::kUnavailable));

  EXPECT_EQ(PostgresScript("start " + data), url);  // same data, same port
  EXPECT_THAT(store->Ping(), IsOk());
  EXPECT_THAT(store->GetWarehouse(kTenantA, "kept"), IsOk());
  EXPECT_THAT(store->GetWarehouse(kTenantA, "lost"), IsError(ErrorCode::kNoSuchWarehouse));
  EXPECT_THAT(store->CreateWarehouse(MakeWarehouse(kTenantA, "new")), IsOk());
  ASSERT_OK_AND_ASSIGN(AuditEntry appended, store->AppendAudit(MakeAuditEntry(kTenantA, "write")));
  EXPECT_EQ(appended.seq, 1);
  store.reset();
  PostgresScript("stop " + data);
}

// More threads than connections: callers wait for a free connection rather than fail, and one
// that waits longer than acquire_timeout_ms gets kUnavailable.
TEST_F(PostgresStoreTest, ASmallPoolServesManyThreads) {
  auto store = Open(2);
  ASSERT_TRUE(store);
  constexpr int kThreads = 8, kWrites = 15;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kWrites; ++i) {
        if (!store->AddHit("ip:1", 0, 1)) ++errors;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_THAT(store->CountHits("ip:1", 0), Optional(int64_t{kThreads * kWrites}));

  PostgresOptions options = Options(1);
  options.acquire_timeout_ms = 100;
  ASSERT_OK_AND_ASSIGN(auto single, MakePostgresStore(options));
  std::latch inside(1), release(1);
  std::thread holder([&] {
    // Audited keeps the only connection until its change returns.
    EXPECT_THAT(single->Audited(MakeAuditEntry(kTenantA, "hold"),
                                [&]() -> Status {
                                  inside.count_down();
                                  release.wait();
                                  return Ok();
                                }),
                IsOk());
  });
  inside.wait();
  EXPECT_THAT(single->Ping(), IsError(ErrorCode::kUnavailable));
  release.count_down();
  holder.join();
  EXPECT_THAT(single->Ping(), IsOk());
}

// PostgreSQL text cannot hold NUL: a value with one is refused whole, never stored cut short.
TEST_F(PostgresStoreTest, TextWithANulByteIsRefusedNotTruncated) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_THAT(store->CreateWarehouse(MakeWarehouse(kTenantA, std::string("wh\0x", 4))),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store->GetWarehouse(kTenantA, "wh"), IsError(ErrorCode::kNoSuchWarehouse));
}

TEST_F(PostgresStoreTest, AuditedRefusesToNest) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_THAT(
      store->Audited(
          MakeAuditEntry(kTenantA, "outer"),
          [&] { return store->Audited(MakeAuditEntry(kTenantA, "inner"), [] { return Ok(); }); }),
      IsError(ErrorCode::kInternal));
  ASSERT_OK_AND_ASSIGN(auto chain, store->ReadAuditChain(kTenantA, 0, 0));
  EXPECT_TRUE(chain.empty());
}

}  // namespace
}  // namespace pangolin::store::contract
