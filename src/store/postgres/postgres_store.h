// The PostgreSQL MetadataStore: for deployments where several servers share one database. A pool
// of libpq connections, statements prepared once per connection, parameters always bound, schema
// migrations applied at start under an advisory lock, and writes in READ COMMITTED transactions
// with row locks where a decision depends on a row others may change (postgres_db_internal.h).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/metadata_store.h"

namespace pangolin::store {

struct PostgresOptions {
  // postgres:// or postgresql:// URI (libpq syntax: user, password, host, port, database and
  // libpq parameters such as sslmode), or a libpq "key=value ..." string.
  std::string url;
  int pool_size = 8;  // connections open at most; a call waits for a free one
  // The schema holding the store's tables, created when missing; "" uses the server's search_path
  // for the connecting user (usually "public").
  std::string schema;
  int connect_timeout_s = 10;      // per connection attempt (the URL's connect_timeout wins)
  int acquire_timeout_ms = 30000;  // how long a call waits for a free connection
};

// Connects, creates the schema when needed and applies pending migrations (servers starting
// together wait for each other), then serves calls from a pool that replaces lost connections:
// while the server is unreachable calls fail with kUnavailable, and they succeed again once it is
// back, without restarting the process.
// Errors: kInvalidArgument (bad options or URL); kUnavailable (cannot connect); kUnsupported (the
// database's schema is newer than this binary); kInternal.
Result<std::unique_ptr<MetadataStore>> MakePostgresStore(const PostgresOptions& options);

}  // namespace pangolin::store
