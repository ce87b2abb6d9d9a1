// Schema migrations of the PostgreSQL store (postgres_schema.cc).
#pragma once

#include <string>

#include "store/postgres/postgres_conn_internal.h"

namespace pangolin::store::postgres_internal {

// The newest schema version this binary knows.
int KnownSchemaVersion();

// Creates `schema` when it is not "" and missing, then applies the pending migrations up to
// `target` (tests stop early) in one transaction, holding a session advisory lock keyed by the
// schema meanwhile: concurrent callers wait, then find nothing left to do. `conn` must not be in a
// transaction. Errors: kUnsupported (the schema is newer than this binary); kUnavailable.
Status Migrate(Connection& conn, const std::string& schema, int target = KnownSchemaVersion());

}  // namespace pangolin::store::postgres_internal
