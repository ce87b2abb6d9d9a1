// Iceberg REST table routes: list, create, load (with ETag), commit, drop, exists, rename,
// register, metrics, and the multi-table transaction.
#include "api/iceberg/etag.h"
#include "api/iceberg/registrar.h"
#include "api/iceberg/request_parsing.h"
#include "api/iceberg/storage_access.h"
#include "common/log.h"
#include "common/strings.h"
#include "serde/metrics_report.h"
#include "serde/rest_catalog.h"
#include "serde/scan_planning.h"
#include "serde/table_requests.h"
#include "serde/transaction_request.h"

namespace pangolin::api::iceberg_routes {
namespace {

using service::LoadedTable;
using service::SnapshotMode;

Result<SnapshotMode> ParseSnapshotMode(const Request& req) {
  auto snapshots = req.Query("snapshots");
  if (!snapshots || *snapshots == "all") return SnapshotMode::kAll;
  if (*snapshots == "refs") return SnapshotMode::kRefs;
  return Err(ErrorCode::kBadRequest, "Invalid snapshots mode '{}': use all or refs", *snapshots);
}

std::string_view ETagVariant(SnapshotMode mode) {
  return mode == SnapshotMode::kAll ? "all" : "refs";
}

std::string ETagOf(const LoadedTable& table, SnapshotMode mode = SnapshotMode::kAll) {
  return MetadataETag(*table.metadata_location, ETagVariant(mode));
}

// `frame` around the table's metadata, which goes out from the metadata cache without a copy
// (from its memory file when it has one, or compressed once and kept for clients that accept
// gzip).
Response Framed(serde::JsonFrame frame, const LoadedTable& table) {
  std::shared_ptr<const std::string> json(table.metadata, &table.metadata->json);
  Response response =
      Response::Json(200, std::move(frame.head), std::move(json), std::move(frame.tail));
  if (const MemoryFile* file = table.metadata->json_file.Get(table.metadata->json)) {
    response.shared_file = std::shared_ptr<const MemoryFile>(table.metadata, file);
  }
  response.shared_deflate =
      std::shared_ptr<const LazyDeflatePiece>(table.metadata, &table.metadata->json_deflate);
  return response;
}

// Whether a response is for a table the request has just created (or registered).
enum class Outcome { kLoaded, kCreated };

// LoadTableResult with the storage access the caller asked for, and the ETag of the version it
// shows when it has one. A table just created is answered even when its credentials could not be
// had (the cloud refused or failed): the table exists, and a load gets them once that passes.
Result<Response> LoadTableResponse(Registrar& r, const Request& req, const Context& ctx,
                                   const CatalogHandle& cat, const catalog::TableIdentifier& id,
                                   const LoadedTable& table, Outcome outcome,
                                   SnapshotMode mode = SnapshotMode::kAll) {
  auto access = AccessFor(r, req, ctx, cat, id, table);
  if (!access && outcome == Outcome::kCreated) {
    log::Warn("created a table without the storage access asked for")
        .With("table", catalog::ToString(id))
        .With("error", access.error().message);
    access = service::TableAccess{};
  }
  if (!access) return tl::unexpected(access.error());
  Response response = Framed(
      serde::LoadTableResultFrame(table.metadata_location, access->config, Credentials(*access)),
      table);
  if (table.metadata_location) response.headers.emplace_back("ETag", ETagOf(table, mode));
  return response;
}

}  // namespace

void AddTableRoutes(Registrar& r) {
  IcebergService& s = r.service();
  r.Add("GET", "/namespaces/{namespace}/tables", rules::kListOnNamespace,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(Paging paging, ParsePaging(req));
          ASSIGN_OR_RETURN(auto page, s.ListTables(ctx, cat, ns, paging.page));
          return Json(serde::TablesResponseJson(page.items, page.next_token, paging.paged));
        });
  r.Add("POST", "/namespaces/{namespace}/tables", rules::kCreateOnNamespace,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto body, serde::ParseCreateTableRequest(req.body));
          CatalogHandle target = cat;
          RETURN_IF_ERROR(TakeRef(&body.name, &target));
          ASSIGN_OR_RETURN(auto table, s.CreateTable(ctx, target, ns, body));
          return LoadTableResponse(r, req, ctx, target, {ns, body.name}, table, Outcome::kCreated);
        });
  r.Add("GET", "/namespaces/{namespace}/tables/{table}", rules::kReadOnAsset,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(SnapshotMode mode, ParseSnapshotMode(req));
          // Vended credentials are new on every load: a 304 would keep the client's old ones.
          std::function<bool(const std::string&)> client_has;
          if (req.Header("if-none-match") && !WantsDelegation(req, kVendedCredentials)) {
            client_has = [&](const std::string& location) {
              return IfNoneMatchHits(req, MetadataETag(location, ETagVariant(mode)));
            };
          }
          ASSIGN_OR_RETURN(auto table, s.LoadTable(ctx, cat, id, mode, client_has));
          if (!table.metadata) return NotModified(ETagOf(table, mode));
          return LoadTableResponse(r, req, ctx, cat, id, table, Outcome::kLoaded, mode);
        });
  r.Add("POST", "/namespaces/{namespace}/tables/{table}", rules::kWriteOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(auto body, serde::ParseCommitTableRequest(req.body));
          ASSIGN_OR_RETURN(auto table, s.CommitTable(ctx, cat, id, body));
          Response response =
              Framed(serde::CommitTableResponseFrame(*table.metadata_location), table);
          response.headers.emplace_back("ETag", ETagOf(table));
          return response;
        });
  r.Add("DELETE", "/namespaces/{namespace}/tables/{table}", rules::kDeleteOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          bool purge = false;
          if (auto text = req.Query("purgeRequested")) {
            auto parsed = ParseBool(*text);
            if (!parsed) return Err(ErrorCode::kBadRequest, "Invalid purgeRequested '{}'", *text);
            purge = *parsed;
          }
          RETURN_IF_ERROR(s.DropTable(ctx, cat, id, purge));
          return EmptyStatus(204);
        });
  r.Add("HEAD", "/namespaces/{namespace}/tables/{table}", rules::kReadOnAsset,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          RETURN_IF_ERROR(s.TableExists(ctx, cat, id));
          return EmptyStatus(204);
        });
  r.Add("POST", "/namespaces/{namespace}/register", rules::kCreateOnNamespace,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto body, serde::ParseRegisterRequest(req.body));
          CatalogHandle target = cat;
          RETURN_IF_ERROR(TakeRef(&body.name, &target));
          ASSIGN_OR_RETURN(auto table, s.RegisterTable(ctx, target, {ns, body.name},
                                                       body.metadata_location, body.overwrite));
          return LoadTableResponse(r, req, ctx, target, {ns, body.name}, table, Outcome::kCreated);
        });
  r.Add("POST", "/namespaces/{namespace}/tables/{table}/unregister", rules::kDeleteOnAsset,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(auto table, s.UnregisterTable(ctx, cat, id));
          // UnregisterTableResult has CommitTableResponse's shape: {metadata-location, metadata}.
          return Framed(serde::CommitTableResponseFrame(*table.metadata_location), table);
        });
  r.Add("POST", "/tables/rename", rules::kWriteOnAsset,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams&) -> Result<Response> {
          ASSIGN_OR_RETURN(auto body, serde::ParseRenameTableRequest(req.body));
          RETURN_IF_ERROR(catalog::ValidateNamespace(body.destination.ns));
          CatalogHandle source = cat;
          CatalogHandle destination = cat;
          RETURN_IF_ERROR(TakeRef(&body.source.name, &source));
          RETURN_IF_ERROR(TakeRef(&body.destination.name, &destination));
          RETURN_IF_ERROR(r.Require(ctx, catalog::Action::kWrite, source, body.source));
          RETURN_IF_ERROR(
              r.Require(ctx, catalog::Action::kCreate, destination, {body.destination.ns, ""}));
          if (source.ref != destination.ref) {
            return Err(ErrorCode::kBadRequest,
                       "Cannot rename across references: '{}' and '{}'; rename within one branch",
                       source.ref, destination.ref);
          }
          RETURN_IF_ERROR(s.RenameTable(ctx, source, body.source, body.destination));
          return EmptyStatus(204);
        });
  r.Add("POST", "/namespaces/{namespace}/tables/{table}/metrics", rules::kReadOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(auto report, serde::ParseReportMetricsRequest(req.body));
          RETURN_IF_ERROR(s.ReportMetrics(ctx, cat, id, report));
          return EmptyStatus(204);
        });
  r.Add("POST", "/namespaces/{namespace}/tables/{table}/plan", rules::kReadOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(auto body, serde::ParsePlanTableScanRequest(req.body));
          ASSIGN_OR_RETURN(auto planned, s.PlanTableScan(ctx, cat, id, body));
          return Json(serde::ScanTasksJson(planned.plan, planned.stats_field_types,
                                           planned.plan_tasks, planned.plan_id));
        });
  r.Add("GET", "/namespaces/{namespace}/tables/{table}/plan/{plan-id}", rules::kReadOnAsset,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(auto planned,
                           s.FetchPlanningResult(ctx, cat, id, Param(params, "plan-id")));
          return Json(serde::ScanTasksJson(planned.plan, planned.stats_field_types,
                                           planned.plan_tasks, std::string()));
        });
  r.Add("DELETE", "/namespaces/{namespace}/tables/{table}/plan/{plan-id}", rules::kReadOnAsset,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          RETURN_IF_ERROR(s.CancelPlanning(ctx, cat, id, Param(params, "plan-id")));
          return EmptyStatus(204);
        });
  r.Add("POST", "/namespaces/{namespace}/tables/{table}/tasks", rules::kReadOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(std::string task, serde::ParseFetchScanTasksRequest(req.body));
          ASSIGN_OR_RETURN(auto planned, s.FetchScanTasks(ctx, cat, id, task));
          return Json(serde::ScanTasksJson(planned.plan, planned.stats_field_types,
                                           planned.plan_tasks, std::nullopt));
        });
  r.Add("POST", "/transactions/commit", rules::kWriteOnAsset,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams&) -> Result<Response> {
          ASSIGN_OR_RETURN(auto changes, serde::ParseCommitTransactionRequest(req.body));
          for (const auto& change : changes) {
            const auto& id = *change.identifier;
            RETURN_IF_ERROR(r.Require(ctx, catalog::Action::kWrite, cat, {id.ns, id.name}));
          }
          RETURN_IF_ERROR(s.CommitTransaction(ctx, cat, changes));
          return EmptyStatus(204);
        });
}

}  // namespace pangolin::api::iceberg_routes
