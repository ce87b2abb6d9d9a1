// The MongoDB test server for the contract suite: URL from the environment, one database per
// test, dropped with libmongoc directly (the store has no such method, by design).
#include "contract/mongo_support.h"

#include <gtest/gtest.h>
#include <mongoc/mongoc.h>

#include <cstdlib>
#include <functional>

#include "store/mongo/mongo_store.h"

namespace pangolin::store::contract {

Result<std::string> TestMongoUrl() {
  const char* url = std::getenv("PANGOLIN_TEST_MONGO_URL");
  if (url == nullptr || *url == '\0') {
    return MakeError(ErrorCode::kUnavailable,
                     "PANGOLIN_TEST_MONGO_URL is not set: start a server with "
                     "scripts/services/ferretdb.sh start DIR and export its URL");
  }
  return std::string(url);
}

std::string TestDatabaseFor(const std::filesystem::path& dir) {
  size_t hash = std::hash<std::string>{}(dir.string());
  return "pgl_test_" + std::to_string(hash);
}

Result<std::unique_ptr<MetadataStore>> MongoFactory::Make(const std::filesystem::path& dir) {
  ASSIGN_OR_RETURN(std::string url, TestMongoUrl());
  return MakeMongoStore(MongoOptions{.url = url, .database = TestDatabaseFor(dir)});
}

void MongoFactory::Cleanup(const std::filesystem::path& dir) {
  auto url = TestMongoUrl();
  if (!url) return;
  mongoc_client_t* client = mongoc_client_new(url->c_str());
  if (client == nullptr) return;
  mongoc_database_t* db = mongoc_client_get_database(client, TestDatabaseFor(dir).c_str());
  bson_error_t error;
  if (!mongoc_database_drop(db, &error)) {
    ADD_FAILURE() << "dropping the test database failed: " << error.message;
  }
  mongoc_database_destroy(db);
  mongoc_client_destroy(client);
}

}  // namespace pangolin::store::contract
