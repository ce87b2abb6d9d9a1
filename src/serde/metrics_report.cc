// Metrics report parsing and the stored-report listing.
#include "serde/metrics_report.h"

#include "serde/json_internal.h"

namespace pangolin::serde {

using namespace internal;  // NOLINT

Result<MetricsReportBody> ParseReportMetricsRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "ReportMetricsRequest"));
  MetricsReportBody body;
  ASSIGN_OR_RETURN(body.report_type, GetString(object, "report-type"));
  if (body.report_type != "scan-report" && body.report_type != "commit-report") {
    return Err(ErrorCode::kBadRequest, "Invalid report-type: {}", body.report_type);
  }
  RETURN_IF_ERROR(GetObject(object, "metrics"));
  ASSIGN_OR_RETURN(body.snapshot_id, GetOptionalInt(object, "snapshot-id"));
  body.json = json::serialize(object);
  return body;
}

std::string MetricsReportListJson(const std::vector<catalog::MetricsReport>& reports,
                                  const std::optional<std::string>& next_page_token) {
  json::array items;
  for (const auto& report : reports) {
    json::object item;
    item["id"] = report.id;
    json::array ns;
    for (const auto& level : report.table.ns) ns.emplace_back(level);
    item["namespace"] = std::move(ns);
    item["table"] = report.table.name;
    item["report-type"] = report.report_type;
    item["snapshot-id"] = report.snapshot_id ? json::value(*report.snapshot_id) : json::value();
    item["received-at"] = report.received_ms;
    boost::system::error_code ec;
    json::value stored = json::parse(report.body, ec);
    item["report"] = ec ? json::value(report.body) : std::move(stored);
    items.push_back(std::move(item));
  }
  json::object out;
  out["reports"] = std::move(items);
  out["next-page-token"] = next_page_token ? json::value(*next_page_token) : json::value();
  return json::serialize(out);
}

}  // namespace pangolin::serde
