// The MongoDB MetadataStore, over the MongoDB C driver (libmongoc). It uses single-document
// atomic operations only (no multi-document transactions), so it also runs on servers that lack
// them, such as FerretDB; mongo_store.cc explains how each atomic method stays atomic.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/metadata_store.h"

namespace pangolin::store {

struct MongoOptions {
  std::string url;       // mongodb://host:port/db (any libmongoc connection string)
  std::string database;  // Pangolin's database; empty: the URL's, else "pangolin"
  int pool_size = 0;     // most connections at once; 0: the URL's maxPoolSize or the driver's 100
  // How long connecting, and choosing a server for one operation, may take before the operation
  // fails with kUnavailable (0: the URL's or the driver's defaults, 10 s and 30 s).
  int connect_timeout_s = 0;
};

// Connects a client pool to `options.url`, checks that the server answers, and creates the
// store's indexes when missing (idempotent; several stores may start on one database together).
// Errors: kInvalidArgument (malformed URL); kUnavailable (server unreachable);
// kInternal (the server refused an index).
Result<std::unique_ptr<MetadataStore>> MakeMongoStore(const MongoOptions& options);

}  // namespace pangolin::store
