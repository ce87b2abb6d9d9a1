// Metrics reports of the MongoDB store, listed newest first (store/newest_first.h): by
// received_ms, then by a per-catalog creation number assigned by a unique numbered insert.
#include <limits>

#include "store/mongo/mongo_store_internal.h"
#include "store/newest_first.h"

namespace pangolin::store::mongo_internal {
namespace {

// Newest-first keyset: before (t, c) means received earlier, or at t and created before c.
Doc BeforeFilter(const char* time_field, const newest_first::Position& before) {
  Doc any;
  any.Sub("0", Doc().Op(time_field, "$lt", before.time_ms));
  any.Sub("1", Doc().Int(time_field, before.time_ms).Op("created", "$lt", before.created));
  Doc filter;
  filter.Array("$or", any);
  return filter;
}

MetricsReport ReadReport(const bson_t* doc) {
  View v(doc);
  MetricsReport r;
  r.id = v.Str("_id");
  r.catalog_id.value = v.Str("catalog_id");
  r.table = {v.StrArray("namespace"), v.Str("table_name")};
  r.report_type = v.Str("report_type");
  r.snapshot_id = v.OptInt("snapshot_id");
  r.received_ms = v.Int("received_ms");
  r.body = v.Str("body");
  return r;
}

}  // namespace

Status MongoStore::AddMetricsReport(const TenantId& tenant, const MetricsReport& report) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, report.catalog_id));
  ASSIGN_OR_RETURN(auto taken, client.FindOne(kMetrics, Doc().Str("_id", report.id)));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Metrics report already exists: {}", report.id);
  Doc scope;
  scope.Str("catalog_id", report.catalog_id.value);
  auto added = AppendNext(client, kMetrics, scope, "created", [&](int64_t n, const bson_t*) {
    Doc doc;
    doc.Str("_id", report.id)
        .Str("catalog_id", report.catalog_id.value)
        .Int("created", n)
        .StrArray("namespace", report.table.ns)
        .Str("ns_key", Join(report.table.ns))
        .Str("table_name", report.table.name)
        .Str("report_type", report.report_type)
        .OptInt("snapshot_id", report.snapshot_id)
        .Int("received_ms", report.received_ms)
        .Str("body", report.body);
    return doc;
  });
  RETURN_IF_ERROR(added);
  return {};
}

Result<Page<MetricsReport>> MongoStore::ListMetricsReports(const TenantId& tenant,
                                                           const CatalogId& catalog,
                                                           const MetricsReportFilter& filter,
                                                           const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<newest_first::Position> after,
                   newest_first::DecodeToken(page.token));
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  Doc query;
  query.Str("catalog_id", catalog.value);
  if (filter.ns) query.Str("ns_key", Join(*filter.ns));
  if (filter.table) query.Str("table_name", *filter.table);
  if (filter.report_type) query.Str("report_type", *filter.report_type);
  if (after) query.Concat(BeforeFilter("received_ms", *after));
  Doc sort = Sort("received_ms", -1, "created", -1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(kMetrics, query, {sort.get(), nullptr, PageLimit(page.limit)}));
  Page<MetricsReport> result;
  for (const auto& doc : docs) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      View last(docs[page.limit - 1].get());
      result.next_token = newest_first::EncodeToken({last.Int("received_ms"), last.Int("created")});
      break;
    }
    result.items.push_back(ReadReport(doc.get()));
  }
  return result;
}

Result<size_t> MongoStore::PurgeMetricsReports(int64_t before_ms) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteMany(kMetrics, Doc().Op("received_ms", "$lt", before_ms)));
  return static_cast<size_t>(deleted);
}

}  // namespace pangolin::store::mongo_internal
