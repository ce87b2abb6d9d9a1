// Test-only helpers: small, realistic view metadata values for the iceberg and serde tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "iceberg/new_view.h"
#include "iceberg/test_tables.h"

namespace pangolin::iceberg::testing {

inline const std::string kViewUuid = "fa6506c3-7681-40c8-86dc-e36561f83385";
inline const std::string kViewLocation = "s3://bucket/wh/db/event_agg";

inline ViewRepresentation Sql(std::string sql, std::string dialect = "spark") {
  return ViewRepresentation{kSqlRepresentation, std::move(sql), std::move(dialect), {}};
}

inline ViewVersion MakeViewVersion(int version_id, int schema_id, int64_t timestamp_ms,
                                   std::vector<ViewRepresentation> representations) {
  ViewVersion version;
  version.version_id = version_id;
  version.schema_id = schema_id;
  version.timestamp_ms = timestamp_ms;
  version.summary = {{"engine-name", "spark"}, {"engine-version", "3.5.1"}};
  version.representations = std::move(representations);
  version.default_catalog = "prod";
  version.default_namespace = {"db"};
  return version;
}

// A view over SimpleSchema with one version (id 1, "select * from db.t" in spark), created at
// kCreatedMs.
inline ViewMetadata SimpleView() {
  CreateViewRequest request;
  request.name = "event_agg";
  request.schema = SimpleSchema();
  request.view_version = MakeViewVersion(1, 0, kCreatedMs, {Sql("select * from db.t")});
  request.properties = {{"comment", "events"}};
  return *NewViewMetadata(request, kViewLocation, kViewUuid, kCreatedMs);
}

}  // namespace pangolin::iceberg::testing
