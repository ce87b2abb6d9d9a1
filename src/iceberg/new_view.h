// createView: the request model and NewViewMetadata, which builds the first metadata of a view the
// way Java's CatalogHandlers.createView and BaseMetastoreViewCatalog's view builder do.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "iceberg/view_metadata.h"

namespace pangolin::iceberg {

struct CreateViewRequest {
  std::string name;
  std::optional<std::string> location;
  Schema schema;
  ViewVersion view_version;
  std::map<std::string, std::string> properties;
};

// Metadata of a new view at `location` (the request's, or the catalog's default for the view)
// with `view_uuid`, created at `now_ms`: the schema keeps its field ids and gets schema id 0, the
// view version gets version id 1, that schema id, timestamp `now_ms` and the request's SQL
// representations, summary, default catalog and namespace; it becomes current with a version-log
// entry at `now_ms`; the request's properties are stored as given.
// Errors: kInvalidArgument "Cannot create view without specifying a query" (no representation),
// "Found unsupported view representations: [type]" (a type other than sql), a duplicate dialect
// or an empty location.
Result<ViewMetadata> NewViewMetadata(const CreateViewRequest& request, const std::string& location,
                                     const std::string& view_uuid, int64_t now_ms);

}  // namespace pangolin::iceberg
