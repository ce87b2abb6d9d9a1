// The SQLite MetadataStore: Pangolin's embedded default backend. One file in WAL mode, one writer
// connection (behind a mutex) and a small pool of reader connections, so that reads never wait
// for a commit's fsync.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/metadata_store.h"

namespace pangolin::store {

struct SqliteOptions {
  std::string path;            // database file; created (with its schema) when missing
  int busy_timeout_ms = 5000;  // how long a connection waits for another process's lock
  int read_connections = 4;    // size of the reader pool (at least 1)
};

// Opens (creating if needed) the database at `options.path`, switches it to WAL mode and applies
// pending schema migrations in one transaction. Several stores, in one or more processes, may
// open the same file. Errors: kUnavailable (cannot open or lock the file); kUnsupported (the
// file's schema is newer than this binary knows); kInvalidArgument (bad options); kInternal.
Result<std::unique_ptr<MetadataStore>> MakeSqliteStore(const SqliteOptions& options);

}  // namespace pangolin::store
