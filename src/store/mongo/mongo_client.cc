// libmongoc behind the MongoDB store's small client layer: pooling, one error mapping for every
// collection operation, and numbered appends (AppendNext).
#include <mutex>

#include "common/log.h"
#include "store/mongo/mongo_client_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

// Error codes the server (and FerretDB) answers for a unique-index violation.
// FerretDB 1.24 (SQLite backend) answers an update that breaks a unique index with an internal
// error whose message carries SQLite's "UNIQUE constraint failed" instead of code 11000.
bool IsDuplicateKey(const bson_error_t& error) {
  if (error.code == 11000 || error.code == 11001 || error.code == 12582) return true;
  std::string_view message(error.message);
  return message.find("E11000") != std::string_view::npos ||
         message.find("UNIQUE constraint failed") != std::string_view::npos;
}

BsonPtr Copy(const bson_t* doc) { return BsonPtr(bson_copy(doc)); }

// The driver's own messages go to Pangolin's log: errors and warnings as warnings, the rest at
// debug level. Servers without sessions (FerretDB, standalone MongoDB before 3.6) make the driver
// warn at every pooled client's end that they do not know endSessions: that is expected, not
// worth a warning.
void ForwardDriverLog(mongoc_log_level_t level, const char* domain, const char* message, void*) {
  std::string_view text(message);
  bool serious =
      level <= MONGOC_LOG_LEVEL_WARNING && text.find("endSessions") == std::string_view::npos;
  (serious ? log::Warn("MongoDB driver") : log::Debug("MongoDB driver"))
      .With("domain", domain)
      .With("message", text);
}

}  // namespace

Error FromBsonError(const bson_error_t& error, std::string_view what) {
  std::string message = std::string(what) + ": " + error.message;
  if (IsDuplicateKey(error)) return Error{ErrorCode::kAlreadyExists, message};
  if (error.domain == MONGOC_ERROR_STREAM || error.domain == MONGOC_ERROR_SERVER_SELECTION ||
      error.domain == MONGOC_ERROR_CLIENT) {
    return Error{ErrorCode::kUnavailable, message};
  }
  return Error{ErrorCode::kInternal, message};
}

// --- Pool -------------------------------------------------------------------------------------

Result<std::unique_ptr<Pool>> Pool::Open(const MongoOptions& options) {
  static std::once_flag init;
  std::call_once(init, [] {
    mongoc_log_set_handler(ForwardDriverLog, nullptr);
    mongoc_init();
  });
  bson_error_t error;
  mongoc_uri_t* uri = mongoc_uri_new_with_error(options.url.c_str(), &error);
  if (uri == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("invalid MongoDB URL: ") + error.message);
  }
  std::string database = options.database;
  if (database.empty() && mongoc_uri_get_database(uri) != nullptr) {
    database = mongoc_uri_get_database(uri);
  }
  if (database.empty()) database = "pangolin";
  // Options the URL sets itself win over the deployment's settings.
  if (options.connect_timeout_s > 0) {
    int32_t ms = options.connect_timeout_s * 1000;
    if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS)) {
      mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS, ms);
    }
    if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS)) {
      mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, ms);
    }
  }
  if (options.pool_size > 0 && !mongoc_uri_has_option(uri, MONGOC_URI_MAXPOOLSIZE)) {
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_MAXPOOLSIZE, options.pool_size);
  }
  mongoc_client_pool_t* pool = mongoc_client_pool_new(uri);
  if (pool == nullptr) {
    mongoc_uri_destroy(uri);
    return MakeError(ErrorCode::kInvalidArgument, "cannot create a MongoDB client pool");
  }
  mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname(pool, "pangolin");
  return std::unique_ptr<Pool>(new Pool(uri, pool, std::move(database)));
}

Pool::~Pool() {
  mongoc_client_pool_destroy(pool_);
  mongoc_uri_destroy(uri_);
}

// --- Client -----------------------------------------------------------------------------------

Client::Client(mongoc_client_pool_t* pool, const std::string& database)
    : pool_(pool),
      client_(mongoc_client_pool_pop(pool)),
      database_(mongoc_client_get_database(client_, database.c_str())) {}

Client::~Client() {
  for (mongoc_collection_t* c : collections_) mongoc_collection_destroy(c);
  mongoc_database_destroy(database_);
  mongoc_client_pool_push(pool_, client_);
}

mongoc_collection_t* Client::Collection(const char* name) {
  collections_.push_back(mongoc_database_get_collection(database_, name));
  return collections_.back();
}

Status Client::Insert(const char* collection, const Doc& doc) {
  bson_error_t error;
  if (!mongoc_collection_insert_one(Collection(collection), doc.get(), nullptr, nullptr, &error)) {
    return tl::unexpected(FromBsonError(error, std::string("insert into ") + collection));
  }
  return {};
}

Result<std::vector<BsonPtr>> Client::Find(const char* collection, const Doc& filter,
                                          const FindOptions& options) {
  bson_t opts;
  bson_init(&opts);
  if (options.sort) bson_append_document(&opts, "sort", -1, options.sort);
  if (options.projection) bson_append_document(&opts, "projection", -1, options.projection);
  if (options.limit > 0) bson_append_int64(&opts, "limit", -1, options.limit);
  if (options.skip > 0) bson_append_int64(&opts, "skip", -1, options.skip);
  mongoc_cursor_t* cursor =
      mongoc_collection_find_with_opts(Collection(collection), filter.get(), &opts, nullptr);
  bson_destroy(&opts);
  std::vector<BsonPtr> docs;
  const bson_t* doc = nullptr;
  while (mongoc_cursor_next(cursor, &doc)) docs.push_back(Copy(doc));
  bson_error_t error;
  bool failed = mongoc_cursor_error(cursor, &error);
  mongoc_cursor_destroy(cursor);
  if (failed) return tl::unexpected(FromBsonError(error, std::string("find in ") + collection));
  return docs;
}

Result<std::optional<BsonPtr>> Client::FindOne(const char* collection, const Doc& filter,
                                               const FindOptions& options) {
  FindOptions one = options;
  one.limit = 1;
  ASSIGN_OR_RETURN(auto docs, Find(collection, filter, one));
  if (docs.empty()) return std::optional<BsonPtr>();
  return std::optional<BsonPtr>(std::move(docs.front()));
}

Result<int64_t> Client::Count(const char* collection, const Doc& filter) {
  bson_error_t error;
  int64_t n = mongoc_collection_count_documents(Collection(collection), filter.get(), nullptr,
                                                nullptr, nullptr, &error);
  if (n < 0) return tl::unexpected(FromBsonError(error, std::string("count in ") + collection));
  return n;
}

namespace {

int64_t ReplyCount(const bson_t& reply, const char* key) {
  bson_iter_t iter;
  return bson_iter_init_find(&iter, &reply, key) ? bson_iter_as_int64(&iter) : 0;
}

}  // namespace

Result<int64_t> Client::UpdateOne(const char* collection, const Doc& filter, const Doc& update,
                                  bool upsert) {
  Doc opts;
  if (upsert) opts.Bool("upsert", true);
  bson_t reply;
  bson_error_t error;
  bool ok = mongoc_collection_update_one(Collection(collection), filter.get(), update.get(),
                                         opts.get(), &reply, &error);
  int64_t matched = ReplyCount(reply, "matchedCount") + ReplyCount(reply, "upsertedCount");
  bson_destroy(&reply);
  if (!ok) return tl::unexpected(FromBsonError(error, std::string("update in ") + collection));
  return matched;
}

Result<int64_t> Client::UpdateMany(const char* collection, const Doc& filter, const Doc& update) {
  bson_t reply;
  bson_error_t error;
  bool ok = mongoc_collection_update_many(Collection(collection), filter.get(), update.get(),
                                          nullptr, &reply, &error);
  int64_t modified = ReplyCount(reply, "modifiedCount");
  bson_destroy(&reply);
  if (!ok) return tl::unexpected(FromBsonError(error, std::string("update in ") + collection));
  return modified;
}

Result<int64_t> Client::DeleteOne(const char* collection, const Doc& filter) {
  bson_t reply;
  bson_error_t error;
  bool ok =
      mongoc_collection_delete_one(Collection(collection), filter.get(), nullptr, &reply, &error);
  int64_t deleted = ReplyCount(reply, "deletedCount");
  bson_destroy(&reply);
  if (!ok) return tl::unexpected(FromBsonError(error, std::string("delete in ") + collection));
  return deleted;
}

Result<int64_t> Client::DeleteMany(const char* collection, const Doc& filter) {
  bson_t reply;
  bson_error_t error;
  bool ok =
      mongoc_collection_delete_many(Collection(collection), filter.get(), nullptr, &reply, &error);
  int64_t deleted = ReplyCount(reply, "deletedCount");
  bson_destroy(&reply);
  if (!ok) return tl::unexpected(FromBsonError(error, std::string("delete in ") + collection));
  return deleted;
}

Result<std::optional<BsonPtr>> Client::FindAndModify(const char* collection, const Doc& filter,
                                                     const Doc* update, bool upsert,
                                                     bool return_new, const bson_t* sort) {
  mongoc_find_and_modify_opts_t* opts = mongoc_find_and_modify_opts_new();
  if (update) mongoc_find_and_modify_opts_set_update(opts, update->get());
  int flags = update ? MONGOC_FIND_AND_MODIFY_NONE : MONGOC_FIND_AND_MODIFY_REMOVE;
  if (upsert) flags |= MONGOC_FIND_AND_MODIFY_UPSERT;
  if (return_new) flags |= MONGOC_FIND_AND_MODIFY_RETURN_NEW;
  mongoc_find_and_modify_opts_set_flags(opts, static_cast<mongoc_find_and_modify_flags_t>(flags));
  if (sort) mongoc_find_and_modify_opts_set_sort(opts, sort);
  bson_t reply;
  bson_error_t error;
  bool ok = mongoc_collection_find_and_modify_with_opts(Collection(collection), filter.get(), opts,
                                                        &reply, &error);
  mongoc_find_and_modify_opts_destroy(opts);
  std::optional<BsonPtr> result;
  bson_iter_t iter;
  if (ok && bson_iter_init_find(&iter, &reply, "value") && BSON_ITER_HOLDS_DOCUMENT(&iter)) {
    result = View(&reply).Sub("value");
  }
  bson_destroy(&reply);
  if (!ok) return tl::unexpected(FromBsonError(error, std::string("findAndModify ") + collection));
  return result;
}

Status Client::EnsureIndex(const char* collection, const char* name, const Doc& keys, bool unique) {
  Doc index;
  index.Sub("key", keys).Str("name", name);
  if (unique) index.Bool("unique", true);
  Doc command;
  command.Str("createIndexes", collection).Array("indexes", Doc().Sub("0", index));
  bson_error_t error;
  if (!mongoc_database_write_command_with_opts(database_, command.get(), nullptr, nullptr,
                                               &error)) {
    return tl::unexpected(FromBsonError(error, std::string("create index ") + name));
  }
  return {};
}

Status Client::Ping() {
  bson_error_t error;
  Doc command;
  command.Int("ping", 1);
  if (!mongoc_database_command_simple(database_, command.get(), nullptr, nullptr, &error)) {
    Error e = FromBsonError(error, "ping");
    e.code = ErrorCode::kUnavailable;
    return tl::unexpected(e);
  }
  return {};
}

Status Client::DropDatabase() {
  bson_error_t error;
  if (!mongoc_database_drop(database_, &error)) {
    return tl::unexpected(FromBsonError(error, "drop database"));
  }
  return {};
}

}  // namespace pangolin::store::mongo_internal

namespace pangolin::store::mongo_internal {

Result<int64_t> AppendNext(Client& client, const char* collection, const Doc& scope,
                           const char* field,
                           const std::function<Result<Doc>(int64_t n, const bson_t* last)>& make) {
  Doc sort = Sort(field, -1);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    ASSIGN_OR_RETURN(auto last, client.FindOne(collection, scope, {sort.get()}));
    int64_t n = last ? View(last->get()).Int(field) + 1 : 1;
    ASSIGN_OR_RETURN(Doc doc, make(n, last ? last->get() : nullptr));
    auto inserted = client.Insert(collection, doc);
    if (inserted) return n;
    if (inserted.error().code != ErrorCode::kAlreadyExists) return tl::unexpected(inserted.error());
  }
  return MakeError(ErrorCode::kUnavailable,
                   std::string("too many concurrent appends to ") + collection);
}

}  // namespace pangolin::store::mongo_internal
