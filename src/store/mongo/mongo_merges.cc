// Merge operations of the MongoDB store. An operation is a head document (id, catalog, initiation
// time, a per-catalog creation number for newest-first listings) and numbered version documents
// (op_id, version) under a unique index: an update inserts version + 1 after reading the highest,
// so of two updates from one version exactly one wins and the other gets kCommitFailed — a
// compare-and-swap made of a unique insert, which FerretDB serializes. Create/update rules:
// store/merge_rules.h; the operation body is serde/merge_record.h's record.
#include "serde/merge_record.h"
#include "store/merge_rules.h"
#include "store/mongo/mongo_store_internal.h"
#include "store/newest_first.h"

namespace pangolin::store::mongo_internal {
namespace {

Doc VersionDoc(const MergeOperation& op) {
  Doc doc;
  doc.Str("op_id", op.id)
      .Str("catalog_id", op.catalog_id.value)
      .Int("version", op.version)
      .Str("body", serde::MergeOperationRecordJson(op));
  return doc;
}

Result<MergeOperation> ReadVersion(const bson_t* doc) {
  View v(doc);
  auto op = serde::ParseMergeOperationRecord(v.Str("body"));
  if (!op) {
    return Err(ErrorCode::kInternal, "corrupt merge operation {}: {}", v.Str("op_id"),
               op.error().message);
  }
  op->version = v.Int("version");
  return op;
}

}  // namespace

Result<MergeOperation> LoadMergeOperation(Client& client, const TenantId& tenant,
                                          std::string_view id) {
  ASSIGN_OR_RETURN(auto head,
                   client.FindOne(kMerges, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (!head) return Err(ErrorCode::kNotFound, "Merge operation not found: {}", id);
  Doc sort = Sort("version", -1);
  ASSIGN_OR_RETURN(auto latest,
                   client.FindOne(kMergeVersions, Doc().Str("op_id", id), {sort.get()}));
  if (!latest) return Err(ErrorCode::kNotFound, "Merge operation not found: {}", id);
  return ReadVersion(latest->get());
}

Status InsertMergeVersion(Client& client, const MergeOperation& op) {
  auto inserted = client.Insert(kMergeVersions, VersionDoc(op));
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kCommitFailed, "Merge operation {} changed since it was read", op.id);
  }
  return inserted;
}

Status DropOlderMergeVersions(Client& client, const MergeOperation& op) {
  Doc older;
  older.Str("op_id", op.id).Op("version", "$lt", op.version);
  RETURN_IF_ERROR(client.DeleteMany(kMergeVersions, older));
  return {};
}

Status MongoStore::CreateMergeOperation(const TenantId& tenant, const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, merges::ForCreate(op));
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, stored.catalog_id));
  // The version comes first: a head is only ever visible with a version to read.
  auto versioned = client.Insert(kMergeVersions, VersionDoc(stored));
  if (!versioned && versioned.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "Merge operation already exists: {}", op.id);
  }
  RETURN_IF_ERROR(versioned);
  Doc scope;
  scope.Str("catalog_id", stored.catalog_id.value);
  auto created = AppendNext(client, kMerges, scope, "created", [&](int64_t n, const bson_t*) {
    Doc doc;
    doc.Str("_id", stored.id)
        .Str("tenant_id", tenant.value)
        .Str("catalog_id", stored.catalog_id.value)
        .Int("initiated_ms", stored.initiated_ms)
        .Int("created", n);
    return doc;
  });
  RETURN_IF_ERROR(created);
  return {};
}

Result<MergeOperation> MongoStore::GetMergeOperation(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  return LoadMergeOperation(client, tenant, id);
}

Result<Page<MergeOperation>> MongoStore::ListMergeOperations(const TenantId& tenant,
                                                             const CatalogId& catalog,
                                                             const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<newest_first::Position> after,
                   newest_first::DecodeToken(page.token));
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  Doc query;
  query.Str("catalog_id", catalog.value);
  if (after) {
    Doc any;
    any.Sub("0", Doc().Op("initiated_ms", "$lt", after->time_ms));
    any.Sub("1", Doc().Int("initiated_ms", after->time_ms).Op("created", "$lt", after->created));
    query.Array("$or", any);
  }
  Doc sort = Sort("initiated_ms", -1, "created", -1);
  ASSIGN_OR_RETURN(auto heads,
                   client.Find(kMerges, query, {sort.get(), nullptr, PageLimit(page.limit)}));
  Page<MergeOperation> result;
  for (const auto& head : heads) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      View last(heads[page.limit - 1].get());
      result.next_token =
          newest_first::EncodeToken({last.Int("initiated_ms"), last.Int("created")});
      break;
    }
    ASSIGN_OR_RETURN(MergeOperation op,
                     LoadMergeOperation(client, tenant, View(head.get()).Str("_id")));
    result.items.push_back(std::move(op));
  }
  return result;
}

Result<MergeOperation> MongoStore::UpdateMergeOperation(const TenantId& tenant,
                                                        const MergeOperation& op) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(MergeOperation stored, LoadMergeOperation(client, tenant, op.id));
  ASSIGN_OR_RETURN(MergeOperation next, merges::ForUpdate(stored, op));
  RETURN_IF_ERROR(InsertMergeVersion(client, next));
  RETURN_IF_ERROR(DropOlderMergeVersions(client, next));
  return next;
}

}  // namespace pangolin::store::mongo_internal
