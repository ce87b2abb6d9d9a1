// What the contract suite needs to run the PostgreSQL store: the test server's URL (from
// PANGOLIN_TEST_POSTGRES_URL, which `make test` sets after starting a server with
// scripts/services/postgres.sh), a fresh schema per test, and an administrative connection for
// the Postgres-only tests. Without the variable every Postgres test fails, saying so.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/metadata_store.h"

namespace pangolin::store::contract {

// PANGOLIN_TEST_POSTGRES_URL. Errors: kUnavailable (unset or empty), naming the variable.
Result<std::string> TestPostgresUrl();

// The schema a test whose temporary directory is `dir` uses: unique to the directory.
std::string TestSchemaFor(const std::filesystem::path& dir);

// A plain libpq connection to the test server, for setting up and inspecting what a store
// cannot: dropping schemas, ending other sessions, altering rows behind a store's back.
class AdminConnection {
 public:
  // Connects to `url` (default: the test server). Errors: kUnavailable.
  static Result<std::unique_ptr<AdminConnection>> Open(const std::string& url = "");
  ~AdminConnection();
  AdminConnection(const AdminConnection&) = delete;
  AdminConnection& operator=(const AdminConnection&) = delete;

  // Runs `sql` (constant text, without parameters) and returns its rows as text ("" for NULL).
  Result<std::vector<std::vector<std::string>>> Query(const std::string& sql);
  // Runs `sql` and returns how many rows it changed.
  Result<int64_t> Exec(const std::string& sql);

 private:
  explicit AdminConnection(void* conn) : conn_(conn) {}
  void* conn_;  // PGconn, kept out of this header
};

// The contract suite's factory (store_contract.h): a PostgreSQL store in a fresh schema named
// after the test's directory, dropped again when the test ends.
struct PostgresFactory {
  static constexpr bool kTransactional = true;
  static Result<std::unique_ptr<MetadataStore>> Make(const std::filesystem::path& dir);
  static void Cleanup(const std::filesystem::path& dir);
};

}  // namespace pangolin::store::contract
