// Issued tokens (by jti, the document _id) and token signing keys (by kid) of the MongoDB store.
// Tokens list newest first, (issued_ms descending, jti ascending); revocations and retirements
// keep the first one by matching only unrevoked / unretired documents in the update itself.
#include <set>

#include "store/keyset_token.h"
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

using keyset::TimeKey;

TokenRecord ReadToken(const bson_t* doc) {
  View v(doc);
  TokenRecord t;
  t.jti = v.Str("_id");
  if (auto tenant = v.OptStr("tenant_id")) t.tenant_id = TenantId{*tenant};
  t.principal_id = v.Str("principal_id");
  t.principal_kind = v.Int("principal_kind") == 1 ? catalog::PrincipalKind::kServiceUser
                                                  : catalog::PrincipalKind::kUser;
  t.username = v.Str("username");
  t.issued_ms = v.Int("issued_ms");
  t.expires_ms = v.Int("expires_ms");
  t.revoked_ms = v.OptInt("revoked_ms");
  t.revoke_reason = v.OptStr("revoke_reason");
  return t;
}

SigningKey ReadKey(const bson_t* doc) {
  View v(doc);
  return SigningKey{v.Str("_id"),        v.Str("algorithm"),     v.Str("private_key_pem"),
                    v.Int("created_ms"), v.OptInt("retired_ms"), v.OptInt("expires_ms")};
}

// After (t, j) in (issued_ms DESC, jti ASC) order: issued before t, or at t with a greater jti.
Doc AfterToken(const TimeKey& after) {
  Doc any;
  any.Sub("0", Doc().Op("issued_ms", "$lt", after.time_ms));
  any.Sub("1", Doc().Int("issued_ms", after.time_ms).Op("_id", "$gt", after.id));
  Doc filter;
  filter.Array("$or", any);
  return filter;
}

}  // namespace

Status MongoStore::RecordToken(const TokenRecord& token) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", token.jti)
      .OptStr("tenant_id", token.tenant_id ? std::optional(token.tenant_id->value) : std::nullopt)
      .Str("principal_id", token.principal_id)
      .Int("principal_kind", token.principal_kind == catalog::PrincipalKind::kServiceUser ? 1 : 0)
      .Str("username", token.username)
      .Int("issued_ms", token.issued_ms)
      .Int("expires_ms", token.expires_ms)
      .OptInt("revoked_ms", token.revoked_ms)
      .OptStr("revoke_reason", token.revoke_reason);
  auto inserted = client.Insert(kTokens, doc);
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "Token already recorded: {}", token.jti);
  }
  return inserted;
}

Result<std::optional<TokenRecord>> MongoStore::GetToken(std::string_view jti) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kTokens, Doc().Str("_id", jti)));
  if (!doc) return std::optional<TokenRecord>();
  return std::optional<TokenRecord>(ReadToken(doc->get()));
}

Result<Page<TokenRecord>> MongoStore::ListTokens(std::string_view principal_id,
                                                 const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  Client client = Acquire();
  Doc filter;
  filter.Str("principal_id", principal_id);
  if (after) filter.Concat(AfterToken(*after));
  Doc sort = Sort("issued_ms", -1, "_id", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(kTokens, filter, {sort.get(), nullptr, PageLimit(page.limit)}));
  Page<TokenRecord> result;
  for (const auto& doc : docs) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      const TokenRecord& last = result.items.back();
      result.next_token = keyset::EncodeToken(TimeKey{last.issued_ms, last.jti});
      break;
    }
    result.items.push_back(ReadToken(doc.get()));
  }
  return result;
}

Status MongoStore::RevokeToken(std::string_view jti, int64_t revoked_ms,
                               const std::optional<std::string>& reason) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kTokens, Doc().Str("_id", jti)));
  if (!doc) return Err(ErrorCode::kNotFound, "Token not found: {}", jti);
  Doc update;
  update.Sub("$set", Doc().Int("revoked_ms", revoked_ms).OptStr("revoke_reason", reason));
  RETURN_IF_ERROR(client.UpdateOne(kTokens, Doc().Str("_id", jti).Null("revoked_ms"), update));
  return BumpAccessVersion(client, TenantId{View(doc->get()).OptStr("tenant_id").value_or("")});
}

Result<size_t> MongoStore::RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                                                 std::string_view reason) {
  Client client = Acquire();
  Doc filter;
  filter.Str("principal_id", principal_id).Null("revoked_ms").Op("expires_ms", "$gt", revoked_ms);
  std::set<std::string> scopes;
  ASSIGN_OR_RETURN(auto live, client.Find(kTokens, filter));
  for (const auto& doc : live) scopes.insert(View(doc.get()).OptStr("tenant_id").value_or(""));
  Doc update;
  update.Sub("$set", Doc().Int("revoked_ms", revoked_ms).Str("revoke_reason", reason));
  ASSIGN_OR_RETURN(int64_t revoked, client.UpdateMany(kTokens, filter, update));
  for (const std::string& scope : scopes)
    RETURN_IF_ERROR(BumpAccessVersion(client, TenantId{scope}));
  return static_cast<size_t>(revoked);
}

Result<size_t> MongoStore::PurgeExpiredTokens(int64_t now_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteMany(kTokens, Doc().Op("expires_ms", "$lte", now_ms)));
  return static_cast<size_t>(deleted);
}

Status MongoStore::AddSigningKey(const SigningKey& key) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", key.kid)
      .Str("algorithm", key.algorithm)
      .Str("private_key_pem", key.private_key_pem)
      .Int("created_ms", key.created_ms)
      .OptInt("retired_ms", key.retired_ms)
      .OptInt("expires_ms", key.expires_ms);
  auto inserted = client.Insert(kSigningKeys, doc);
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "Signing key already exists: {}", key.kid);
  }
  return inserted;
}

Result<std::vector<SigningKey>> MongoStore::ListSigningKeys() {
  Client client = Acquire();
  Doc sort = Sort("created_ms", -1, "_id", 1);
  ASSIGN_OR_RETURN(auto docs, client.Find(kSigningKeys, Doc(), {sort.get()}));
  std::vector<SigningKey> keys;
  for (const auto& doc : docs) keys.push_back(ReadKey(doc.get()));
  return keys;
}

Status MongoStore::RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kSigningKeys, Doc().Str("_id", kid)));
  if (!doc) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  Doc update;
  update.Sub("$set", Doc().Int("retired_ms", retired_ms).Int("expires_ms", expires_ms));
  RETURN_IF_ERROR(client.UpdateOne(kSigningKeys, Doc().Str("_id", kid).Null("retired_ms"), update));
  return {};
}

// The key material is the same before and after (re-encrypted at rest), so a last-writer-wins
// overwrite of one field is all the atomicity this needs.
Status MongoStore::ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kSigningKeys, Doc().Str("_id", kid)));
  if (!doc) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  Doc update;
  update.Sub("$set", Doc().Str("private_key_pem", private_key_pem));
  RETURN_IF_ERROR(client.UpdateOne(kSigningKeys, Doc().Str("_id", kid), update));
  return {};
}

}  // namespace pangolin::store::mongo_internal
