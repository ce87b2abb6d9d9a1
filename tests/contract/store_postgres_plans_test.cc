// The PostgreSQL store's hot queries have indexes: with sequential and bitmap scans priced out,
// each query shape the store runs (lookups by key, listings by parent, audit by tenant, time,
// user, action and resource, tokens and grants by principal, purges by expiry) is planned on an
// index, and the listings come out of it in order, without a sort. Test tables are tiny, so
// without the pricing the planner would rightly prefer to scan them.
#include <gtest/gtest.h>

#include "contract/postgres_support.h"
#include "store/postgres/postgres_store.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::store::contract {
namespace {

struct HotQuery {
  const char* what;
  const char* sql;
  bool ordered;  // the plan must deliver the rows in order (no Sort node)
};

// The shapes of the store's statements, with literals in place of parameters.
constexpr HotQuery kHotQueries[] = {
    {"content by key",
     "SELECT * FROM content WHERE branch_pk = 1 AND space = 1 AND parent = 'db' AND name = 't'",
     false},
    {"content listed by parent",
     "SELECT * FROM content WHERE branch_pk = 1 AND space = 1 AND parent = 'db' AND name > 'a' "
     "ORDER BY name LIMIT 10",
     true},
    {"a key as of a commit",
     "SELECT * FROM content_log WHERE branch_pk = 1 AND space = 1 AND parent = 'db' AND "
     "name = 't' AND commit_seq <= 9 ORDER BY commit_seq DESC, ordinal DESC LIMIT 1",
     true},
    {"names changed since a fork",
     "SELECT DISTINCT name FROM content_log WHERE branch_pk = 1 AND space = 1 AND parent = 'db' "
     "AND commit_seq > 9",
     false},
    {"a branch's history",
     "SELECT * FROM commits WHERE branch_pk = 1 AND seq <= 99 ORDER BY seq DESC LIMIT 10", true},
    {"a commit's operations",
     "SELECT * FROM content_log WHERE commit_seq = ANY('{1,2}') ORDER BY commit_seq, ordinal",
     false},
    {"a live branch by name",
     "SELECT * FROM branches WHERE catalog_pk = 1 AND name = 'main' AND NOT deleted", false},
    {"an asset by id",
     "SELECT * FROM content WHERE content_id = 'x' AND NOT deleted AND type IN (1, 2)", false},
    {"assets by tag",
     "SELECT asset_id, tag FROM asset_tags WHERE tenant_id = 't' AND tag = ANY('{a,b}')", false},
    {"audit of a tenant",
     "SELECT * FROM audit_log WHERE tenant_id = 't' ORDER BY time_ms DESC, id DESC LIMIT 10", true},
    {"audit of every tenant", "SELECT * FROM audit_log ORDER BY time_ms DESC, id DESC LIMIT 10",
     true},
    {"audit of a user",
     "SELECT * FROM audit_log WHERE tenant_id = 't' AND user_id = 'u' "
     "ORDER BY time_ms DESC, id DESC LIMIT 10",
     true},
    {"audit of an action",
     "SELECT * FROM audit_log WHERE tenant_id = 't' AND action = 'login' "
     "ORDER BY time_ms DESC, id DESC LIMIT 10",
     true},
    {"audit of a resource",
     "SELECT * FROM audit_log WHERE tenant_id = 't' AND resource_type = 'table' AND "
     "resource_id = 'r' ORDER BY time_ms DESC, id DESC LIMIT 10",
     true},
    {"audit in a time range",
     "SELECT * FROM audit_log WHERE tenant_id = 't' AND time_ms >= 1 AND time_ms <= 9 "
     "ORDER BY time_ms DESC, id DESC LIMIT 10",
     true},
    {"an audit chain",
     "SELECT * FROM audit_log WHERE tenant_id = 't' AND seq > 5 ORDER BY seq LIMIT 10", true},
    {"tokens of a principal",
     "SELECT * FROM tokens WHERE principal_id = 'p' ORDER BY issued_ms DESC, jti LIMIT 10", true},
    {"grants of a principal",
     "SELECT * FROM grants WHERE principal_id = 'p' AND tenant_id = 't' "
     "ORDER BY granted_ms, id LIMIT 10",
     true},
    {"grants of a tenant",
     "SELECT * FROM grants WHERE tenant_id = 't' ORDER BY granted_ms, id LIMIT 10", true},
    {"roles of a principal",
     "SELECT r.* FROM role_assignments a JOIN roles r ON r.id = a.role_id "
     "WHERE a.principal_id = 'p' AND a.tenant_id = 't'",
     false},
    {"a user by name", "SELECT * FROM users WHERE tenant_key = 't' AND username = 'ann'", false},
    {"a user by OIDC account",
     "SELECT * FROM users WHERE oauth_issuer = 'i' AND oauth_subject = 's'", false},
    {"a service user by key", "SELECT * FROM service_users WHERE key_id = 'k'", false},
    {"merge operations of a catalog",
     "SELECT * FROM merge_operations WHERE catalog_pk = 1 AND (initiated_ms, pk) < (9, 9) "
     "ORDER BY initiated_ms DESC, pk DESC LIMIT 10",
     true},
    {"metrics reports of a table",
     "SELECT * FROM metrics_reports WHERE catalog_pk = 1 AND namespace = 'db' AND "
     "table_name = 't' AND (received_ms, pk) < (9, 9) ORDER BY received_ms DESC, pk DESC LIMIT 10",
     true},
    {"expired tokens", "DELETE FROM tokens WHERE expires_ms <= 9", false},
    {"expired rate-limit counters", "DELETE FROM rate_limits WHERE expires_ms <= 9", false},
    {"expired OAuth states", "DELETE FROM oauth_states WHERE expires_ms <= 9", false},
    {"expired idempotency keys", "DELETE FROM idempotency_keys WHERE expires_ms <= 9", false},
    {"old metrics reports", "DELETE FROM metrics_reports WHERE received_ms < 9", false},
};

TEST(PostgresPlanTest, HotQueriesUseIndexes) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::string url, TestPostgresUrl());
  std::string schema = TestSchemaFor(dir.path());
  {
    PostgresOptions options;
    options.url = url;
    options.schema = schema;
    ASSERT_OK_AND_ASSIGN(auto store, MakePostgresStore(options));  // creates the tables
  }
  ASSERT_OK_AND_ASSIGN(auto admin, AdminConnection::Open());
  ASSERT_THAT(admin->Exec("SET search_path TO " + schema), ::pangolin::testing::IsOk());
  ASSERT_THAT(admin->Exec("SET enable_seqscan = off"), ::pangolin::testing::IsOk());
  ASSERT_THAT(admin->Exec("SET enable_bitmapscan = off"), ::pangolin::testing::IsOk());
  for (const HotQuery& query : kHotQueries) {
    auto plan = admin->Query(std::string("EXPLAIN ") + query.sql);
    ASSERT_TRUE(plan) << query.what << ": " << plan.error().message;
    std::string text;
    for (const auto& row : *plan) text += row[0] + "\n";
    EXPECT_EQ(text.find("Seq Scan"), std::string::npos) << query.what << ":\n" << text;
    if (query.ordered) {
      EXPECT_EQ(text.find("Sort"), std::string::npos) << query.what << ":\n" << text;
    }
  }
  EXPECT_THAT(admin->Exec("DROP SCHEMA " + schema + " CASCADE"), ::pangolin::testing::IsOk());
}

}  // namespace
}  // namespace pangolin::store::contract
