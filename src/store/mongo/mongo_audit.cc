// The audit trail of the MongoDB store: one hash chain per tenant. An append reads the tenant's
// last entry, chains onto it and inserts; the unique (tenant_id, seq) index refuses a second
// entry at the same seq, so the loser of a race re-reads and tries again: no gaps, no duplicates.
// The entry's id is the document _id.
#include <thread>

#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

// How often an append retries after losing its seq to another append of the same tenant.
constexpr int kAppendAttempts = 1000;

Doc AuditDoc(const AuditEntry& e) {
  Doc doc;
  doc.Str("_id", e.id)
      .Str("tenant_id", e.tenant_id.value)
      .Int("seq", e.seq)
      .OptStr("user_id", e.user_id)
      .Str("username", e.username)
      .Str("action", e.action)
      .Str("resource_type", e.resource_type)
      .OptStr("resource_id", e.resource_id)
      .Str("resource_name", e.resource_name)
      .Int("time_ms", e.time_ms)
      .OptStr("ip_address", e.ip_address)
      .OptStr("user_agent", e.user_agent)
      .Str("request_id", e.request_id)
      .Int("result", e.result == catalog::AuditResult::kSuccess ? 0 : 1)
      .OptStr("error_message", e.error_message)
      .Str("metadata_json", e.metadata_json)
      .Str("prev_hash", e.prev_hash)
      .Str("hash", e.hash);
  return doc;
}

Result<AuditEntry> ReadAudit(const bson_t* doc) {
  View v(doc);
  AuditEntry e;
  e.id = v.Str("_id");
  e.tenant_id.value = v.Str("tenant_id");
  e.seq = v.Int("seq");
  e.user_id = v.OptStr("user_id");
  e.username = v.Str("username");
  e.action = v.Str("action");
  e.resource_type = v.Str("resource_type");
  e.resource_id = v.OptStr("resource_id");
  e.resource_name = v.Str("resource_name");
  e.time_ms = v.Int("time_ms");
  e.ip_address = v.OptStr("ip_address");
  e.user_agent = v.OptStr("user_agent");
  e.request_id = v.Str("request_id");
  int64_t result = v.Int("result");
  if (result != 0 && result != 1) {
    return Err(ErrorCode::kInternal, "corrupt audit entry {}: result {}", e.id, result);
  }
  e.result = result == 0 ? catalog::AuditResult::kSuccess : catalog::AuditResult::kFailure;
  e.error_message = v.OptStr("error_message");
  e.metadata_json = v.Str("metadata_json");
  e.prev_hash = v.Str("prev_hash");
  e.hash = v.Str("hash");
  return e;
}

Doc FilterDoc(const std::optional<TenantId>& tenant, const AuditFilter& f) {
  Doc doc;
  if (tenant) doc.Str("tenant_id", tenant->value);
  if (f.user_id) doc.Str("user_id", *f.user_id);
  if (f.action) doc.Str("action", *f.action);
  if (f.resource_type) doc.Str("resource_type", *f.resource_type);
  if (f.resource_id) doc.Str("resource_id", *f.resource_id);
  if (f.start_ms || f.end_ms) {
    Doc range;
    if (f.start_ms) range.Int("$gte", *f.start_ms);
    if (f.end_ms) range.Int("$lte", *f.end_ms);
    doc.Sub("time_ms", range);
  }
  if (f.result) doc.Int("result", *f.result == catalog::AuditResult::kSuccess ? 0 : 1);
  return doc;
}

Result<std::vector<AuditEntry>> ReadAll(const std::vector<BsonPtr>& docs) {
  std::vector<AuditEntry> entries;
  for (const auto& doc : docs) {
    ASSIGN_OR_RETURN(AuditEntry entry, ReadAudit(doc.get()));
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Sets seq, prev_hash and hash of `entry` after the tenant's current last entry.
Status ChainAfterLast(Client& client, AuditEntry& entry) {
  Doc sort = Sort("seq", -1);
  ASSIGN_OR_RETURN(auto last, client.FindOne(kAudit, Doc().Str("tenant_id", entry.tenant_id.value),
                                             {sort.get()}));
  entry.seq = last ? View(last->get()).Int("seq") + 1 : 1;
  entry.prev_hash = last ? View(last->get()).Str("hash") : "";
  entry.hash = catalog::AuditHash(entry);
  return {};
}

}  // namespace

Result<AuditEntry> MongoStore::AppendAudit(AuditEntry entry) {
  Client client = Acquire();
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    RETURN_IF_ERROR(ChainAfterLast(client, entry));
    auto inserted = client.Insert(kAudit, AuditDoc(entry));
    if (inserted) return entry;
    if (inserted.error().code != ErrorCode::kAlreadyExists) return tl::unexpected(inserted.error());
    // A duplicate _id is the caller's; a duplicate (tenant_id, seq) is a lost race.
    ASSIGN_OR_RETURN(auto same_id, client.FindOne(kAudit, Doc().Str("_id", entry.id)));
    if (same_id) return Err(ErrorCode::kAlreadyExists, "Audit entry already exists: {}", entry.id);
    if (attempt > 8) std::this_thread::yield();
  }
  return Err(ErrorCode::kUnavailable, "audit chain of tenant {} is too contended",
             entry.tenant_id.value);
}

Result<std::vector<AuditEntry>> MongoStore::ListAudit(const std::optional<TenantId>& tenant,
                                                      const AuditFilter& filter, size_t offset,
                                                      size_t limit) {
  Client client = Acquire();
  Doc sort = Sort("time_ms", -1, "_id", -1);
  FindOptions options{sort.get(), nullptr, static_cast<int64_t>(limit),
                      static_cast<int64_t>(offset)};
  ASSIGN_OR_RETURN(auto docs, client.Find(kAudit, FilterDoc(tenant, filter), options));
  return ReadAll(docs);
}

Result<size_t> MongoStore::CountAudit(const std::optional<TenantId>& tenant,
                                      const AuditFilter& filter) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t n, client.Count(kAudit, FilterDoc(tenant, filter)));
  return static_cast<size_t>(n);
}

Result<AuditEntry> MongoStore::GetAudit(const std::optional<TenantId>& tenant,
                                        std::string_view id) {
  Client client = Acquire();
  Doc filter;
  filter.Str("_id", id);
  if (tenant) filter.Str("tenant_id", tenant->value);
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kAudit, filter));
  if (!doc) return Err(ErrorCode::kNotFound, "Audit entry not found: {}", id);
  return ReadAudit(doc->get());
}

Result<std::vector<AuditEntry>> MongoStore::ReadAuditChain(const TenantId& tenant,
                                                           int64_t after_seq, size_t limit) {
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value).Op("seq", "$gt", after_seq);
  Doc sort = Sort("seq", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(kAudit, filter, {sort.get(), nullptr, static_cast<int64_t>(limit)}));
  return ReadAll(docs);
}

}  // namespace pangolin::store::mongo_internal
