// Rate-limit counters and OAuth login states of the MongoDB store: short-lived records shared by
// every server on the database. A hit is one numbered insert (all concurrent hits count); taking
// a state is a read and a delete, and only the caller whose delete removed the document gets it.
#include <set>
#include <utility>

#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {

// A counter is its hits: one document per hit, numbered 1, 2, ... within (key, window) under a
// unique index, so concurrent hits all count and each learns its own count (FerretDB 1.24 loses
// concurrent $inc updates). The counter expires when its last-expiring hit does.
Result<int64_t> MongoStore::AddHit(std::string_view key, int64_t window_start_ms,
                                   int64_t expires_ms) {
  Client client = Acquire();
  Doc scope;
  scope.Str("key", key).Int("window_start_ms", window_start_ms);
  return AppendNext(client, kRateLimits, scope, "n", [&](int64_t n, const bson_t*) {
    Doc doc;
    doc.Str("key", key)
        .Int("window_start_ms", window_start_ms)
        .Int("n", n)
        .Int("expires_ms", expires_ms);
    return doc;
  });
}

Result<int64_t> MongoStore::CountHits(std::string_view key, int64_t window_start_ms) {
  Client client = Acquire();
  Doc filter;
  filter.Str("key", key).Int("window_start_ms", window_start_ms);
  return client.Count(kRateLimits, filter);
}

// A counter goes when none of its hits outlives `now_ms`; returns how many counters went.
Result<size_t> MongoStore::PurgeRateLimits(int64_t now_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto expired, client.Find(kRateLimits, Doc().Op("expires_ms", "$lte", now_ms)));
  std::set<std::pair<std::string, int64_t>> counters;
  for (const auto& doc : expired) {
    View v(doc.get());
    counters.emplace(v.Str("key"), v.Int("window_start_ms"));
  }
  size_t purged = 0;
  for (const auto& [key, window] : counters) {
    Doc live;
    live.Str("key", key).Int("window_start_ms", window).Op("expires_ms", "$gt", now_ms);
    ASSIGN_OR_RETURN(auto kept, client.FindOne(kRateLimits, live));
    if (kept) continue;
    Doc hits;
    hits.Str("key", key).Int("window_start_ms", window);
    ASSIGN_OR_RETURN(int64_t deleted, client.DeleteMany(kRateLimits, hits));
    if (deleted > 0) ++purged;
  }
  return purged;
}

Status MongoStore::PutOAuthState(const OAuthState& state) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", state.key).Bytes("payload", state.payload).Int("expires_ms", state.expires_ms);
  auto inserted = client.Insert(kOAuthStates, doc);
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "OAuth state already exists");
  }
  return inserted;
}

// Read, then delete: of all concurrent takers only the one whose delete removed the document
// (deletedCount 1) gets it. A findAndModify remove would be one round trip, but FerretDB 1.24
// hands the same document to several concurrent findAndModify removes.
Result<std::optional<OAuthState>> MongoStore::TakeOAuthState(std::string_view key, int64_t now_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kOAuthStates, Doc().Str("_id", key)));
  if (!doc) return std::optional<OAuthState>();
  View v(doc->get());
  OAuthState state{v.Str("_id"), v.Bytes("payload"), v.Int("expires_ms")};
  ASSIGN_OR_RETURN(int64_t deleted, client.DeleteOne(kOAuthStates, Doc().Str("_id", key)));
  if (deleted == 0 || state.expires_ms <= now_ms) return std::optional<OAuthState>();
  return std::optional<OAuthState>(std::move(state));
}

Result<size_t> MongoStore::PurgeOAuthStates(int64_t now_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteMany(kOAuthStates, Doc().Op("expires_ms", "$lte", now_ms)));
  return static_cast<size_t>(deleted);
}

}  // namespace pangolin::store::mongo_internal
