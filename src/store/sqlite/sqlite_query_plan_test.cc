// Query plans of the SQLite store: queries that must stay fast however much the database holds
// search an index and never scan a table; listings read the index in their order, with no sort.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "store/sqlite/sqlite_db_internal.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::store {
namespace {

// A store's file at the newest schema, and a raw connection to it that explains queries.
class SqliteQueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = (dir_.path() / "pangolin.db").string();
    { ASSERT_OK_AND_ASSIGN(auto store, MakeSqliteStore(SqliteOptions{path, 5000, 2})); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    db_.reset(db);
  }

  // The steps of `sql`'s query plan, one per line.
  std::string Plan(const std::string& sql) {
    std::string steps;
    std::string explain = "EXPLAIN QUERY PLAN " + sql;
    sqlite3_exec(
        db_.get(), explain.c_str(),
        [](void* out, int columns, char** values, char**) {
          *static_cast<std::string*>(out) += std::string(values[columns - 1]) + "\n";
          return 0;
        },
        &steps, nullptr);
    return steps;
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite3, sqlite_internal::DbCloser> db_;
};

// Listing a tenant's audit entries, filtered or not, walks an index in the listing's order: no
// scan of the table and no sort, whatever the log holds. Counting and the chain read search too.
TEST_F(SqliteQueryPlanTest, AuditQueriesUseIndexesInListingOrder) {
  std::vector<std::pair<catalog::AuditFilter, std::string>> cases(6);
  cases[0].second = "audit_log_by_tenant";
  cases[1].first.user_id = "u";
  cases[1].second = "audit_log_by_user";
  cases[2].first.action = "a";
  cases[2].second = "audit_log_by_action";
  cases[3].first.resource_type = "table";
  cases[3].first.resource_id = "r";
  cases[3].second = "audit_log_by_resource";
  cases[4].first.start_ms = 1;
  cases[4].first.end_ms = 2;
  cases[4].second = "audit_log_by_tenant";
  cases[5].first.result = catalog::AuditResult::kFailure;
  cases[5].second = "audit_log_by_tenant";
  for (const auto& [filter, index] : cases) {
    std::string steps = Plan(sqlite_internal::AuditListSql(true, filter));
    EXPECT_NE(steps.find("SEARCH audit_log USING INDEX " + index), std::string::npos) << steps;
    EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << steps;
  }
  std::string across = Plan(sqlite_internal::AuditListSql(false, {}));
  EXPECT_NE(across.find("audit_log_by_time"), std::string::npos) << across;
  EXPECT_EQ(across.find("TEMP B-TREE"), std::string::npos) << across;
  std::string chain =
      Plan(std::string("SELECT * FROM audit_log ") + sqlite_internal::kAuditChainSql);
  EXPECT_NE(chain.find("SEARCH audit_log USING INDEX sqlite_autoindex_audit_log_2"),
            std::string::npos)
      << chain;
}

// A branch's history and a key's state as of a commit, newest first, walk their (ascending)
// indexes backwards: no sort, however long the history.
TEST_F(SqliteQueryPlanTest, HistoryReadsWalkTheirIndexesBackwards) {
  std::string history =
      Plan("SELECT id FROM commits WHERE branch_pk = 1 AND seq <= 9 ORDER BY seq DESC LIMIT 10");
  EXPECT_NE(history.find("USING INDEX commits_by_branch"), std::string::npos) << history;
  EXPECT_EQ(history.find("TEMP B-TREE"), std::string::npos) << history;
  std::string as_of = Plan(
      "SELECT op FROM content_log INDEXED BY content_log_by_key WHERE branch_pk = 1 AND "
      "space = 0 AND parent = '' AND name = 't' AND commit_seq <= 9 "
      "ORDER BY commit_seq DESC, ordinal DESC LIMIT 1");
  EXPECT_NE(as_of.find("USING INDEX content_log_by_key"), std::string::npos) << as_of;
  EXPECT_EQ(as_of.find("TEMP B-TREE"), std::string::npos) << as_of;
}

// LoadPermissions is two indexed lookups keyed by the principal (then by role id): never a scan,
// nor a walk over the tenant's roles, however many the database holds.
TEST_F(SqliteQueryPlanTest, LoadPermissionsSearchesByPrincipalOnly) {
  for (const char* sql : {sqlite_internal::kDirectGrantsSql, sqlite_internal::kRoleGrantsSql}) {
    std::vector<std::string> plan = Split(Plan(sql), "\n");
    if (!plan.empty() && plan.back().empty()) plan.pop_back();
    ASSERT_FALSE(plan.empty()) << sql;
    EXPECT_NE(plan[0].find("principal_id=?"), std::string::npos) << sql << ": " << plan[0];
    for (const auto& step : plan) {
      bool keyed = step.find("principal_id=?") != std::string::npos ||
                   step.find("(id=?)") != std::string::npos;
      EXPECT_TRUE(StartsWith(step, "SEARCH") && keyed) << sql << ": " << step;
    }
  }
}

}  // namespace
}  // namespace pangolin::store
