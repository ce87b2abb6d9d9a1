// The MongoDB store's thin layer over libmongoc and libbson: a client pool, owned BSON documents,
// a document builder (values are always appended as typed BSON values, never spliced into text)
// and single-collection operations that turn driver errors into Pangolin errors.
#pragma once

#include <bson/bson.h>
#include <mongoc/mongoc.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/model.h"
#include "common/result.h"
#include "store/mongo/mongo_store.h"

namespace pangolin::store::mongo_internal {

struct BsonDeleter {
  void operator()(bson_t* doc) const { bson_destroy(doc); }
};
using BsonPtr = std::unique_ptr<bson_t, BsonDeleter>;

// A BSON document under construction. Keys and values are copied in.
class Doc {
 public:
  Doc() : doc_(bson_new()) {}
  Doc& Str(std::string_view key, std::string_view value);
  Doc& Int(std::string_view key, int64_t value);
  Doc& Bool(std::string_view key, bool value);
  Doc& Null(std::string_view key);
  Doc& Bytes(std::string_view key, std::string_view value);  // binary: any bytes, not only UTF-8
  Doc& OptStr(std::string_view key, const std::optional<std::string>& value);
  Doc& OptInt(std::string_view key, const std::optional<int64_t>& value);
  Doc& Sub(std::string_view key, const Doc& sub);    // an embedded document
  Doc& Array(std::string_view key, const Doc& arr);  // `arr` built with keys "0", "1", ...
  Doc& StrArray(std::string_view key, const std::vector<std::string>& values);
  // Properties as an array of {k, v} documents: keys may hold '.' or '$', which field names
  // must not.
  Doc& Props(std::string_view key, const catalog::Properties& properties);
  // `{key: {op: value}}` shorthands for filters.
  Doc& Op(std::string_view key, std::string_view op, std::string_view value);
  Doc& Op(std::string_view key, std::string_view op, int64_t value);
  // Appends every field of `other` (filters made of parts).
  Doc& Concat(const Doc& other);

  const bson_t* get() const { return doc_.get(); }
  BsonPtr Release() { return std::move(doc_); }

 private:
  BsonPtr doc_;
};

// Read access to a stored document; missing or mistyped fields read as empty/0/nullopt.
class View {
 public:
  explicit View(const bson_t* doc) : doc_(doc) {}
  std::string Str(const char* key) const;
  std::optional<std::string> OptStr(const char* key) const;  // nullopt: missing or null
  std::string Bytes(const char* key) const;                  // binary (or string) field
  int64_t Int(const char* key) const;
  std::optional<int64_t> OptInt(const char* key) const;
  bool Bool(const char* key) const;
  std::vector<std::string> StrArray(const char* key) const;
  catalog::Properties Props(const char* key) const;
  // An embedded document or array, copied out; nullopt when missing.
  std::optional<BsonPtr> Sub(const char* key) const;
  bool Has(const char* key) const;

 private:
  const bson_t* doc_;
};

// The pool every thread draws clients from; one per store.
class Client;
class Pool {
 public:
  // Errors: kInvalidArgument (malformed URL).
  static Result<std::unique_ptr<Pool>> Open(const MongoOptions& options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Client Acquire();
  const std::string& database() const { return database_; }

 private:
  Pool(mongoc_uri_t* uri, mongoc_client_pool_t* pool, std::string database)
      : uri_(uri), pool_(pool), database_(std::move(database)) {}
  mongoc_uri_t* uri_;
  mongoc_client_pool_t* pool_;
  std::string database_;
};

// Operations on one collection through a pooled client, given back on destruction.
struct FindOptions {
  const bson_t* sort = nullptr;
  const bson_t* projection = nullptr;
  int64_t limit = 0;  // 0: no limit
  int64_t skip = 0;
};

class Client {
 public:
  Client(mongoc_client_pool_t* pool, const std::string& database);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Errors: kAlreadyExists (a unique index refused it; message names the index); kUnavailable.
  Status Insert(const char* collection, const Doc& doc);
  Result<std::optional<BsonPtr>> FindOne(const char* collection, const Doc& filter,
                                         const FindOptions& options = {});
  Result<std::vector<BsonPtr>> Find(const char* collection, const Doc& filter,
                                    const FindOptions& options = {});
  Result<int64_t> Count(const char* collection, const Doc& filter);
  // Returns how many documents matched. Errors: kAlreadyExists (unique index); kUnavailable.
  Result<int64_t> UpdateOne(const char* collection, const Doc& filter, const Doc& update,
                            bool upsert = false);
  Result<int64_t> UpdateMany(const char* collection, const Doc& filter, const Doc& update);
  Result<int64_t> DeleteOne(const char* collection, const Doc& filter);
  Result<int64_t> DeleteMany(const char* collection, const Doc& filter);
  // findAndModify: applies `update` (or removes, when `update` is null) to one matching document
  // atomically and returns it as it was before (`return_new` false) or after.
  Result<std::optional<BsonPtr>> FindAndModify(const char* collection, const Doc& filter,
                                               const Doc* update, bool upsert, bool return_new,
                                               const bson_t* sort = nullptr);
  // Creates the index `name` on `keys` unless it exists.
  Status EnsureIndex(const char* collection, const char* name, const Doc& keys, bool unique);
  Status Ping();
  Status DropDatabase();

 private:
  mongoc_collection_t* Collection(const char* name);
  mongoc_client_pool_t* pool_;
  mongoc_client_t* client_;
  mongoc_database_t* database_;
  std::vector<mongoc_collection_t*> collections_;
};

inline Client Pool::Acquire() { return Client(pool_, database_); }

// The driver error as a Pangolin error: duplicate keys → kAlreadyExists, connection and server
// selection failures → kUnavailable, anything else → kInternal.
Error FromBsonError(const bson_error_t& error, std::string_view what);

}  // namespace pangolin::store::mongo_internal

namespace pangolin::store::mongo_internal {

// Keyset pages over a unique (text, text) order: the opaque token of a page ending at `last`, and
// a filter matching what comes after `after` ({$or: [{f1 > a}, {f1 == a, f2 > b}]}).
Doc AfterFilter(const char* first, const char* second, const std::string& a, const std::string& b);
Doc AfterFilter(const char* first, const char* second, int64_t a, const std::string& b);
// A sort document {key1: dir, key2: dir}.
Doc Sort(const char* first, int dir, const char* second = nullptr, int dir2 = 1);
// Driver limit for a page of `limit` (0: all): one more, to learn whether another page follows.
inline int64_t PageLimit(size_t limit) { return limit == 0 ? 0 : static_cast<int64_t>(limit) + 1; }
// A namespace's levels as one string (unit separator between levels), for equality filters.
std::string Join(const std::vector<std::string>& levels);

}  // namespace pangolin::store::mongo_internal

namespace pangolin::store::mongo_internal {

// Appends to a numbered sequence of documents: inserts make(n, last) where `last` is the
// document matching `scope` with the highest `field` (null when none) and n is its `field` + 1
// (1 when none), retrying while a concurrent append takes n first. A unique index over the
// scope's fields and `field` must exist: a unique insert is the one write FerretDB 1.x
// serializes (its filtered updates and $inc are not atomic under concurrency). `make` may refuse
// (a precondition on `last`): its error is returned and nothing is inserted. Returns n.
// Errors: kUnavailable after too many lost races; those of `make` and of the insert.
Result<int64_t> AppendNext(Client& client, const char* collection, const Doc& scope,
                           const char* field,
                           const std::function<Result<Doc>(int64_t n, const bson_t* last)>& make);

}  // namespace pangolin::store::mongo_internal
