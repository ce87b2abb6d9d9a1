// GET /api/v1/catalogs/{catalog}/metrics-reports?namespace=&table=&type=&limit=&page_token=
// `namespace` is the levels joined by '.' (or by the unit separator when a level holds a dot).
#include "api/management/metrics_report_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/metrics_report.h"

namespace pangolin::api {
namespace {

using namespace management_internal;

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;

Result<store::MetricsReportFilter> ParseFilter(const Request& req) {
  store::MetricsReportFilter filter;
  if (auto ns = req.Query("namespace"); ns && !ns->empty()) {
    filter.ns = Split(*ns, ns->find('\x1f') != std::string_view::npos ? "\x1f" : ".");
    RETURN_IF_ERROR(catalog::ValidateNamespace(*filter.ns));
  }
  if (auto table = req.Query("table"); table && !table->empty()) {
    if (!filter.ns) return Err(ErrorCode::kBadRequest, "Query parameter table needs namespace");
    filter.table = std::string(*table);
  }
  if (auto type = req.Query("type"); type && !type->empty()) {
    if (*type != "scan-report" && *type != "commit-report") {
      return Err(ErrorCode::kBadRequest, "Invalid type '{}': use scan-report or commit-report",
                 *type);
    }
    filter.report_type = std::string(*type);
  }
  return filter;
}

Result<store::PageRequest> ParsePage(const Request& req) {
  store::PageRequest page{"", kDefaultLimit};
  if (auto token = req.Query("page_token")) page.token = std::string(*token);
  if (auto text = req.Query("limit")) {
    auto limit = ParseInt(*text);
    if (!limit || *limit < 1 || static_cast<size_t>(*limit) > kMaxLimit) {
      return Err(ErrorCode::kBadRequest, "Invalid limit '{}': expected 1 to {}", *text, kMaxLimit);
    }
    page.limit = static_cast<size_t>(*limit);
  }
  return page;
}

}  // namespace

void RegisterMetricsReportRoutes(ApiRouter& router, service::IcebergService& s,
                                 const CatalogGate& gate) {
  Add(router, "GET", "/api/v1/catalogs/{catalog}/metrics-reports", rules::kReadOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.Require(ctx, catalog::Action::kRead, Param(params, "catalog")));
        ASSIGN_OR_RETURN(auto filter, ParseFilter(req));
        ASSIGN_OR_RETURN(auto page, ParsePage(req));
        ASSIGN_OR_RETURN(auto reports,
                         s.ListMetricsReports(ctx, Param(params, "catalog"), filter, page));
        return Response::Json(200, serde::MetricsReportListJson(reports.items, reports.next_token));
      });
}

}  // namespace pangolin::api
