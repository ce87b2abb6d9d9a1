// MakeMongoStore and the store-wide methods (Ping, Audited). Design of the MongoDB backend:
//
// Servers. Tested against FerretDB 1.24 (SQLite backend, scripts/services/ferretdb.sh); written
// for MongoDB 3.6 and newer (libmongoc 1.23, Debian bookworm, speaks to 3.6+). It uses no
// multi-document transactions, change streams or aggregation, so a standalone server suffices.
// What it relies on: unique (compound) indexes, createIndexes, ordered single inserts, find with
// sort/skip/limit/$or/$gt/$lt, countDocuments, update/delete with filters, deletedCount.
// Every value is appended as a typed BSON value (never spliced into text); properties are
// arrays of {k, v} because their keys may hold '.' and '$'; opaque payloads are BSON binary.
//
// What FerretDB 1.24 could not do (measured with 8 threads x 50 operations on one document):
// a filtered update used as compare-and-swap let 318 of 400 attempts "win" (the filter is not
// re-checked at the write), $inc lost 58 of 400 increments, and a findAndModify remove handed
// one document to several callers. It also reports a unique-index violation by an update as an
// internal error naming SQLite's "UNIQUE constraint failed" (mapped to kAlreadyExists here).
// What it does serialize: an insert against a unique index, and a delete's deletedCount. So
// every atomic step of this store is one of those two; none relies on findAndModify, $inc or a
// filtered update for exclusion (updates only overwrite fields last-writer-wins where the
// contract allows it).
//
// How each atomic method stays atomic:
// - Uniqueness (names per tenant, usernames, OIDC links, key ids, jti, kid, branch and tag names
//   per catalog, ...) is a unique index; the write that would break it fails (kAlreadyExists).
// - Numbered sequences (AppendNext): read the highest number, insert number + 1 under a unique
//   index, retry on a duplicate. The per-tenant audit chain (seq, prev_hash, hash) is one, so it
//   has no gaps or duplicates; so are rate-limit hits (a counter is its hit documents, each hit
//   learning its own count), access versions (older numbers deleted afterwards), per-catalog
//   creation numbers of merge operations and metrics reports, and branch numbers.
// - OAuth states: read, then delete; only the caller whose delete removed it gets the record.
// - Idempotency claims: numbered claim documents per (tenant, key); a claim inserts the next
//   number over the record the rules allowed it to replace, so one of concurrent claims wins.
// - Merge operations: one document per version under a unique (op_id, version) index;
//   UpdateMergeOperation inserts version + 1 (a lost race is kCommitFailed), then drops older.
// - Catalog commits (mongo_commits.cc, mongo_versions_internal.h): preconditions are checked
//   against the branch as of its head, the commit's versions are written tagged with the commit
//   id and seq, then the commit document is inserted under unique (catalog, seq) and (catalog,
//   branch, parent_seq) indexes: that insert is the branch head's compare-and-swap. Readers
//   bound the branch's own layer by the head they read and count a version only when its commit
//   exists, so versions written before a lost race or a crash are never seen; the loser deletes
//   its own and retries from the new head. A commit completing a merge claims the operation's
//   next version first and withdraws it if the commit fails.
// - Audited, and a Commit carrying an audit entry: without transactions, as the memory backend
//   does: the change is made, then the entry appended (kTransactional = false). A crash or an
//   error between the two keeps the change without its entry; a commit checks the entry's id is
//   free before it lands.
// - Multi-document deletes (a user with its tokens and access, a role with its assignments, a
//   catalog with its content) delete the owning document first, so readers stop seeing it at
//   once; a crash leaves unreachable dependants. DeleteTenant takes a deletion mark (a unique
//   insert) while it checks the tenant is empty; new users and service users of a marked tenant
//   wait for the mark, so neither outlives its tenant.
#include "store/mongo/mongo_store.h"

#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store {
namespace mongo_internal {

Status MongoStore::Ping() {
  Client client = Acquire();
  return client.Ping();
}

Status MongoStore::Audited(const catalog::AuditEntry& audit,
                           const std::function<Status()>& change) {
  RETURN_IF_ERROR(change());
  RETURN_IF_ERROR(AppendAudit(audit));
  return {};
}

}  // namespace mongo_internal

Result<std::unique_ptr<MetadataStore>> MakeMongoStore(const MongoOptions& options) {
  using namespace mongo_internal;
  ASSIGN_OR_RETURN(auto pool, Pool::Open(options));
  {
    Client client = pool->Acquire();
    RETURN_IF_ERROR(client.Ping());
    RETURN_IF_ERROR(EnsureIndexes(client));
    // The default tenant exists from the start.
    Doc filter;
    filter.Str("_id", kDefaultTenant.value);
    Doc update;
    update.Sub("$setOnInsert",
               Doc().Str("name", "default").Props("properties", {}).Int("created_ms", 0));
    auto upserted = client.UpdateOne(kTenants, filter, update, /*upsert=*/true);
    // A concurrent start may have inserted it first.
    if (!upserted && upserted.error().code != ErrorCode::kAlreadyExists) {
      return tl::unexpected(upserted.error());
    }
  }
  return std::unique_ptr<MetadataStore>(new MongoStore(std::move(pool)));
}

}  // namespace pangolin::store
