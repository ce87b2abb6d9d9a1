// What the contract suite needs to run the MongoDB store: the test server's URL (from
// PANGOLIN_TEST_MONGO_URL, e.g. a FerretDB started by scripts/services/ferretdb.sh), a fresh
// database per test, dropped when the test ends. Without the variable every Mongo test fails,
// saying so.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "store/metadata_store.h"

namespace pangolin::store::contract {

// PANGOLIN_TEST_MONGO_URL. Errors: kUnavailable (unset or empty), naming the variable.
Result<std::string> TestMongoUrl();

// The database a test whose temporary directory is `dir` uses: unique to the directory.
std::string TestDatabaseFor(const std::filesystem::path& dir);

// The contract suite's factory (store_contract.h): a MongoDB store in a fresh database named
// after the test's directory, dropped again when the test ends.
struct MongoFactory {
  static constexpr bool kTransactional = false;  // no multi-document transactions (FerretDB 1.x)
  static Result<std::unique_ptr<MetadataStore>> Make(const std::filesystem::path& dir);
  static void Cleanup(const std::filesystem::path& dir);
};

}  // namespace pangolin::store::contract
