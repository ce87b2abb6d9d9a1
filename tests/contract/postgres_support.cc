// The PostgreSQL test server: URL, per-test schemas and an administrative connection.
#include "contract/postgres_support.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>

#include "store/postgres/postgres_store.h"

namespace pangolin::store::contract {
namespace {

constexpr char kUrlVariable[] = "PANGOLIN_TEST_POSTGRES_URL";

PGconn* Conn(void* conn) { return static_cast<PGconn*>(conn); }

std::string Message(PGconn* conn) {
  std::string text = PQerrorMessage(conn);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<std::string> TestPostgresUrl() {
  const char* url = std::getenv(kUrlVariable);
  if (url == nullptr || *url == '\0') {
    return Err(ErrorCode::kUnavailable,
               "{} is not set: the PostgreSQL store tests need a server. `make test` starts one; "
               "by hand: url=$(scripts/services/postgres.sh start /tmp/pangolin-pg) && "
               "{}=$url build/tests/contract_test",
               kUrlVariable, kUrlVariable);
  }
  return std::string(url);
}

std::string TestSchemaFor(const std::filesystem::path& dir) {
  std::string schema = "pgtest_";
  for (char c : dir.filename().string()) {
    if (std::isalnum(static_cast<unsigned char>(c))) schema += c;
  }
  return schema.substr(0, 63);
}

Result<std::unique_ptr<AdminConnection>> AdminConnection::Open(const std::string& url) {
  std::string target = url;
  if (target.empty()) {
    ASSIGN_OR_RETURN(target, TestPostgresUrl());
  }
  PGconn* conn = PQconnectdb(target.c_str());
  std::unique_ptr<AdminConnection> admin(new AdminConnection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return Err(ErrorCode::kUnavailable, "cannot connect to {}: {}", target, Message(conn));
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return admin;
}

AdminConnection::~AdminConnection() { PQfinish(Conn(conn_)); }

Result<std::vector<std::vector<std::string>>> AdminConnection::Query(const std::string& sql) {
  PGresult* result = PQexec(Conn(conn_), sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    return Err(ErrorCode::kInternal, "{}: {}", sql, message);
  }
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < PQntuples(result); ++r) {
    std::vector<std::string>& row = rows.emplace_back();
    for (int c = 0; c < PQnfields(result); ++c) row.emplace_back(PQgetvalue(result, r, c));
  }
  PQclear(result);
  return rows;
}

Result<int64_t> AdminConnection::Exec(const std::string& sql) {
  PGresult* result = PQexec(Conn(conn_), sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    return Err(ErrorCode::kInternal, "{}: {}", sql, message);
  }
  const char* count = PQcmdTuples(result);
  int64_t changed = *count == '\0' ? 0 : std::atoll(count);
  PQclear(result);
  return changed;
}

Result<std::unique_ptr<MetadataStore>> PostgresFactory::Make(const std::filesystem::path& dir) {
  ASSIGN_OR_RETURN(std::string url, TestPostgresUrl());
  PostgresOptions options;
  options.url = url;
  options.schema = TestSchemaFor(dir);
  return MakePostgresStore(options);
}

void PostgresFactory::Cleanup(const std::filesystem::path& dir) {
  auto admin = AdminConnection::Open();
  if (!admin) return;  // Make failed the test already
  auto dropped = (*admin)->Exec("DROP SCHEMA IF EXISTS " + TestSchemaFor(dir) + " CASCADE");
  EXPECT_TRUE(dropped) << dropped.error().message;
}

}  // namespace pangolin::store::contract
