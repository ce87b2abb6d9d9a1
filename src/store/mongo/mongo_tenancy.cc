// Warehouses and catalogs of the MongoDB store. Names are unique per tenant by unique indexes;
// a catalog references its warehouse by id, so a renamed warehouse stays attached.
#include "common/ids.h"
#include "common/strings.h"
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

Doc ByName(const TenantId& tenant, std::string_view name) {
  return std::move(Doc().Str("tenant_id", tenant.value).Str("name", name));
}

Warehouse ReadWarehouse(const bson_t* doc) {
  View v(doc);
  Warehouse w;
  w.id.value = v.Str("_id");
  w.tenant_id.value = v.Str("tenant_id");
  w.name = v.Str("name");
  w.use_sts = v.Bool("use_sts");
  w.storage_config = v.Props("storage_config");
  w.vending_strategy_json = v.Str("vending_strategy");
  return w;
}

Doc WarehouseFields(const Warehouse& w) {
  Doc doc;
  doc.Str("name", w.name)
      .Bool("use_sts", w.use_sts)
      .Props("storage_config", w.storage_config)
      .Str("vending_strategy", w.vending_strategy_json);
  return doc;
}

Doc CatalogFields(const Catalog& c, const std::optional<std::string>& warehouse_id) {
  Doc doc;
  doc.Int("catalog_type", c.catalog_type == catalog::CatalogType::kFederated ? 1 : 0)
      .OptStr("warehouse_id", warehouse_id)
      .OptStr("storage_location", c.storage_location)
      .Props("properties", c.properties);
  return doc;
}

Result<std::optional<std::string>> DecodeNameToken(const std::string& token) {
  if (token.empty()) return std::optional<std::string>();
  auto decoded = Base64UrlDecode(token);
  if (!decoded) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<std::string>(std::move(*decoded));
}

// One page of `collection` in `tenant` ordered by name.
Result<std::vector<BsonPtr>> PageByName(Client& client, const char* collection,
                                        const TenantId& tenant, const PageRequest& page,
                                        std::optional<std::string>* next_token) {
  ASSIGN_OR_RETURN(auto after, DecodeNameToken(page.token));
  Doc filter;
  filter.Str("tenant_id", tenant.value);
  if (after) filter.Op("name", "$gt", *after);
  Doc sort = Sort("name", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(collection, filter, {sort.get(), nullptr, PageLimit(page.limit)}));
  if (page.limit != 0 && docs.size() > page.limit) {
    docs.resize(page.limit);
    *next_token = Base64UrlEncode(View(docs.back().get()).Str("name"));
  }
  return docs;
}

Result<BsonPtr> FindWarehouse(Client& client, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kWarehouses, ByName(tenant, name)));
  if (!doc) return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
  return std::move(*doc);
}

// The id of the warehouse a catalog names, or nullopt. Errors: kNoSuchWarehouse.
Result<std::optional<std::string>> WarehouseIdOf(Client& client, const TenantId& tenant,
                                                 const std::optional<std::string>& name) {
  if (!name) return std::optional<std::string>();
  ASSIGN_OR_RETURN(BsonPtr doc, FindWarehouse(client, tenant, *name));
  return std::optional<std::string>(View(doc.get()).Str("_id"));
}

Result<Catalog> ReadCatalog(Client& client, const bson_t* doc) {
  View v(doc);
  Catalog c;
  c.id.value = v.Str("_id");
  c.tenant_id.value = v.Str("tenant_id");
  c.name = v.Str("name");
  c.catalog_type =
      v.Int("catalog_type") == 1 ? catalog::CatalogType::kFederated : catalog::CatalogType::kLocal;
  if (auto warehouse_id = v.OptStr("warehouse_id")) {
    ASSIGN_OR_RETURN(auto w, client.FindOne(kWarehouses, Doc().Str("_id", *warehouse_id)));
    if (w) c.warehouse_name = View(w->get()).Str("name");
  }
  c.storage_location = v.OptStr("storage_location");
  c.properties = v.Props("properties");
  return c;
}

Status AlreadyExists(Status status, std::string_view what, std::string_view name) {
  if (!status && status.error().code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "{} already exists: {}", what, name);
  }
  return status;
}

}  // namespace

Status MongoStore::CreateWarehouse(const Warehouse& warehouse) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", warehouse.id.value.empty() ? NewUuid() : warehouse.id.value)
      .Str("tenant_id", warehouse.tenant_id.value)
      .Concat(WarehouseFields(warehouse));
  return AlreadyExists(client.Insert(kWarehouses, doc), "Warehouse", warehouse.name);
}

Result<Warehouse> MongoStore::GetWarehouse(const TenantId& tenant, std::string_view name) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(BsonPtr doc, FindWarehouse(client, tenant, name));
  return ReadWarehouse(doc.get());
}

Result<Page<Warehouse>> MongoStore::ListWarehouses(const TenantId& tenant,
                                                   const PageRequest& page) {
  Client client = Acquire();
  Page<Warehouse> result;
  ASSIGN_OR_RETURN(auto docs, PageByName(client, kWarehouses, tenant, page, &result.next_token));
  for (const auto& doc : docs) result.items.push_back(ReadWarehouse(doc.get()));
  return result;
}

Status MongoStore::UpdateWarehouse(const TenantId& tenant, std::string_view name,
                                   const Warehouse& warehouse) {
  Client client = Acquire();
  Doc update;
  update.Sub("$set", WarehouseFields(warehouse));
  auto matched = client.UpdateOne(kWarehouses, ByName(tenant, name), update);
  RETURN_IF_ERROR(AlreadyExists(matched.map([](int64_t) {}), "Warehouse", warehouse.name));
  if (*matched == 0) return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
  return BumpAccessVersion(client, tenant);
}

// A catalog created between the check and the delete could reference a deleted warehouse; it
// then reports no warehouse name, and UpdateCatalog can point it at another one.
Status MongoStore::DeleteWarehouse(const TenantId& tenant, std::string_view name) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(BsonPtr doc, FindWarehouse(client, tenant, name));
  std::string id = View(doc.get()).Str("_id");
  ASSIGN_OR_RETURN(auto user, client.FindOne(kCatalogs, Doc().Str("warehouse_id", id)));
  if (user) {
    return Err(ErrorCode::kConflict, "Warehouse {} is used by catalog {}", name,
               View(user->get()).Str("name"));
  }
  RETURN_IF_ERROR(client.DeleteOne(kWarehouses, Doc().Str("_id", id)));
  return BumpAccessVersion(client, tenant);
}

Status MongoStore::CreateCatalog(const Catalog& catalog) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto warehouse_id,
                   WarehouseIdOf(client, catalog.tenant_id, catalog.warehouse_name));
  std::string id = catalog.id.value.empty() ? NewUuid() : catalog.id.value;
  Doc doc;
  doc.Str("_id", id)
      .Str("tenant_id", catalog.tenant_id.value)
      .Str("name", catalog.name)
      .Concat(CatalogFields(catalog, warehouse_id));
  RETURN_IF_ERROR(AlreadyExists(client.Insert(kCatalogs, doc), "Catalog", catalog.name));
  return CreateMainBranch(client, catalog, id);
}

Result<Catalog> MongoStore::GetCatalog(const TenantId& tenant, std::string_view name) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kCatalogs, ByName(tenant, name)));
  if (!doc) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return ReadCatalog(client, doc->get());
}

Result<Page<Catalog>> MongoStore::ListCatalogs(const TenantId& tenant, const PageRequest& page) {
  Client client = Acquire();
  Page<Catalog> result;
  ASSIGN_OR_RETURN(auto docs, PageByName(client, kCatalogs, tenant, page, &result.next_token));
  for (const auto& doc : docs) {
    ASSIGN_OR_RETURN(Catalog c, ReadCatalog(client, doc.get()));
    result.items.push_back(std::move(c));
  }
  return result;
}

Status MongoStore::UpdateCatalog(const TenantId& tenant, std::string_view name,
                                 const Catalog& catalog) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto exists, client.FindOne(kCatalogs, ByName(tenant, name)));
  if (!exists) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  ASSIGN_OR_RETURN(auto warehouse_id, WarehouseIdOf(client, tenant, catalog.warehouse_name));
  Doc update;
  update.Sub("$set", CatalogFields(catalog, warehouse_id));
  ASSIGN_OR_RETURN(int64_t matched, client.UpdateOne(kCatalogs, ByName(tenant, name), update));
  if (matched == 0) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return BumpAccessVersion(client, tenant);
}

}  // namespace pangolin::store::mongo_internal

namespace pangolin::store::mongo_internal {

Result<BsonPtr> FindCatalogById(Client& client, const TenantId& tenant, const CatalogId& catalog) {
  ASSIGN_OR_RETURN(
      auto doc,
      client.FindOne(kCatalogs, Doc().Str("_id", catalog.value).Str("tenant_id", tenant.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
  return std::move(*doc);
}

// The catalog document goes first, so the catalog is gone for every reader at once; its content,
// history and records follow (a crash in between leaves unreachable documents under an id no
// catalog has, which a later delete of the same id would sweep).
Status MongoStore::DeleteCatalog(const TenantId& tenant, std::string_view name) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kCatalogs, ByName(tenant, name)));
  if (!doc) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  std::string id = View(doc->get()).Str("_id");
  ASSIGN_OR_RETURN(int64_t deleted, client.DeleteOne(kCatalogs, Doc().Str("_id", id)));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  RETURN_IF_ERROR(BumpAccessVersion(client, tenant));
  for (const char* collection : kCatalogScoped) {
    RETURN_IF_ERROR(client.DeleteMany(collection, Doc().Str("catalog_id", id)));
  }
  return {};
}

}  // namespace pangolin::store::mongo_internal
