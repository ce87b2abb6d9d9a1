// Idempotency keys of the MongoDB store. A key's record is the highest of its numbered claim
// documents (tenant_id, key, gen) under a unique index: a claim inserts gen + 1 over the record
// store/idempotency_rules.h allowed it to replace, so of concurrent claims exactly one wins
// (FerretDB 1.24 does not serialize a compare-and-swap update), then deletes the older gens.
// Finishing updates the claim's own document while it is unfinished, so a claim that was taken
// over (a higher gen exists) changes nothing anyone reads.
#include "store/idempotency_rules.h"
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

constexpr int kClaimAttempts = 100;

Doc KeyFilter(const TenantId& tenant, std::string_view key) {
  Doc doc;
  doc.Str("tenant_id", tenant.value).Str("key", key);
  return doc;
}

Doc ClaimFields(const IdempotencyRecord& r) {
  Doc doc;
  doc.Str("fingerprint", r.fingerprint)
      .Str("claim_id", r.claim_id)
      .Int("claimed_ms", r.claimed_ms)
      .Int("expires_ms", r.expires_ms)
      .Null("status");
  return doc;
}

IdempotencyRecord ReadRecord(const bson_t* doc) {
  View v(doc);
  IdempotencyRecord r;
  r.key = v.Str("key");
  r.fingerprint = v.Str("fingerprint");
  r.claim_id = v.Str("claim_id");
  r.claimed_ms = v.Int("claimed_ms");
  r.expires_ms = v.Int("expires_ms");
  if (auto status = v.OptInt("status")) {
    StoredResponse response;
    response.status = static_cast<int>(*status);
    response.content_type = v.Str("content_type");
    if (auto headers = v.Sub("headers")) {
      bson_iter_t iter;
      if (bson_iter_init(&iter, headers->get())) {
        while (bson_iter_next(&iter)) {
          if (!BSON_ITER_HOLDS_DOCUMENT(&iter)) continue;
          uint32_t length = 0;
          const uint8_t* data = nullptr;
          bson_iter_document(&iter, &length, &data);
          bson_t pair;
          if (!bson_init_static(&pair, data, length)) continue;
          response.headers.emplace_back(View(&pair).Str("n"), View(&pair).Str("v"));
        }
      }
    }
    response.body = v.Bytes("body");
    r.response = std::move(response);
  }
  return r;
}

}  // namespace

Result<std::optional<IdempotencyRecord>> MongoStore::ClaimIdempotencyKey(
    const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover) {
  Client client = Acquire();
  Doc sort = Sort("gen", -1);
  for (int attempt = 0; attempt < kClaimAttempts; ++attempt) {
    ASSIGN_OR_RETURN(auto current,
                     client.FindOne(kIdempotency, KeyFilter(tenant, record.key), {sort.get()}));
    std::optional<IdempotencyRecord> existing;
    if (current) existing = ReadRecord(current->get());
    if (!idempotency::MayClaim(existing, now_ms, takeover)) return existing;
    int64_t gen = current ? View(current->get()).Int("gen") + 1 : 1;
    Doc doc;
    doc.Concat(KeyFilter(tenant, record.key)).Int("gen", gen).Concat(ClaimFields(record));
    auto inserted = client.Insert(kIdempotency, doc);
    if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) continue;
    RETURN_IF_ERROR(inserted);
    Doc older = KeyFilter(tenant, record.key);
    older.Op("gen", "$lt", gen);
    RETURN_IF_ERROR(client.DeleteMany(kIdempotency, older));
    return std::optional<IdempotencyRecord>();
  }
  return Err(ErrorCode::kUnavailable, "idempotency key {} is too contended", record.key);
}

Status MongoStore::FinishIdempotencyKey(const TenantId& tenant, std::string_view key,
                                        std::string_view claim_id,
                                        const std::optional<StoredResponse>& response) {
  Client client = Acquire();
  Doc filter = KeyFilter(tenant, key);
  filter.Str("claim_id", claim_id).Null("status");
  if (!response) {
    RETURN_IF_ERROR(client.DeleteOne(kIdempotency, filter));
    return {};
  }
  Doc headers;
  for (size_t i = 0; i < response->headers.size(); ++i) {
    const auto& [name, value] = response->headers[i];
    headers.Sub(std::to_string(i), Doc().Str("n", name).Str("v", value));
  }
  Doc update;
  update.Sub("$set", Doc()
                         .Int("status", response->status)
                         .Str("content_type", response->content_type)
                         .Array("headers", headers)
                         .Bytes("body", response->body));
  RETURN_IF_ERROR(client.UpdateOne(kIdempotency, filter, update));
  return {};
}

Result<size_t> MongoStore::PurgeIdempotencyKeys(int64_t now_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteMany(kIdempotency, Doc().Op("expires_ms", "$lte", now_ms)));
  return static_cast<size_t>(deleted);
}

}  // namespace pangolin::store::mongo_internal
