// createTable: the request model and NewTableMetadata, which reassigns every id the way Java's
// TableMetadata.newTableMetadata does (iceberg-rest-notes §3.6).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg {

struct CreateTableRequest {
  std::string name;
  std::optional<std::string> location;
  Schema schema;
  std::optional<UnboundPartitionSpec> partition_spec;
  std::optional<SortOrder> write_order;
  bool stage_create = false;
  std::map<std::string, std::string> properties;
};

// True for the properties Java never persists (format-version, uuid, snapshot-count, ...).
bool IsReservedProperty(const std::string& key);

// Metadata of a new table at `location` with `table_uuid`, created at `now_ms`: fresh column ids
// from 1 (nested included), schema id 0, spec id 0 with field ids from 1000 bound by source column
// name, sort order id 1 (0 if unsorted), format version from the reserved property
// `format-version` (default 2), reserved properties dropped, write.parquet.compression-codec=zstd
// unless set. Errors: kInvalidArgument (bad format-version, bad partition names),
// kValidation (partition/sort source column not found or not primitive).
Result<TableMetadata> NewTableMetadata(const CreateTableRequest& request,
                                       const std::string& location, const std::string& table_uuid,
                                       int64_t now_ms);

}  // namespace pangolin::iceberg
