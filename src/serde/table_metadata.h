// Iceberg table metadata JSON (the metadata.json file and the `metadata` member of REST
// responses), plus the individual schema / spec / sort order documents.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::serde {

// Parses a table metadata document (v1-v3; v1 files with only the legacy `schema` /
// `partition-spec` members are accepted). Unknown members are kept in the model's `extra`.
// Errors: kBadRequest for malformed JSON or wrong member types, kValidation for metadata that
// breaks the format's invariants (unsupported version, missing current schema, dangling refs).
Result<iceberg::TableMetadata> ParseTableMetadata(std::string_view json);

// Compact JSON in the member order of Java's TableMetadataParser: v1 also writes the legacy
// members, `current-snapshot-id` is -1 (v1/v2) or null (v3) when there is none, `next-row-id`
// only for v3+, logs and statistics always, `encryption-keys` when non-empty, unknown members last.
// `expected_size`, when known (a previous version's length), saves growing the text as it is
// written: for a table of thousands of snapshots, megabytes copied several times.
std::string SerializeTableMetadata(const iceberg::TableMetadata& metadata,
                                   size_t expected_size = 0);

// Individual documents (spec schemas Schema, PartitionSpec, SortOrder). Errors: kBadRequest.
Result<iceberg::Schema> ParseSchema(std::string_view json);
std::string SerializeSchema(const iceberg::Schema& schema);
Result<iceberg::PartitionSpec> ParsePartitionSpec(std::string_view json);
std::string SerializePartitionSpec(const iceberg::PartitionSpec& spec);
Result<iceberg::SortOrder> ParseSortOrder(std::string_view json);
std::string SerializeSortOrder(const iceberg::SortOrder& order);

}  // namespace pangolin::serde
