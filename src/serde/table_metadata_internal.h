// serde-private Boost.JSON conversions of the Iceberg model pieces (schemas, specs, orders,
// snapshots, refs, statistics, keys), shared by table_metadata.cc and table_requests.cc.
#pragma once

#include <boost/json.hpp>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::serde::internal {
namespace json = boost::json;

// Parsers fail with kBadRequest naming the field; `what` names the object in messages.
Result<iceberg::Type> TypeFromJson(const json::value& value);
Result<iceberg::Schema> SchemaFromJson(const json::value& value);
Result<iceberg::PartitionSpec> PartitionSpecFromJson(const json::value& value);
Result<std::vector<iceberg::PartitionField>> PartitionFieldsFromJson(const json::value& value);
Result<iceberg::UnboundPartitionSpec> UnboundPartitionSpecFromJson(const json::value& value);
Result<iceberg::SortOrder> SortOrderFromJson(const json::value& value);
Result<iceberg::Snapshot> SnapshotFromJson(const json::value& value);
Result<iceberg::SnapshotRef> SnapshotRefFromJson(const json::value& value);
Result<iceberg::StatisticsFile> StatisticsFileFromJson(const json::value& value);
Result<iceberg::PartitionStatisticsFile> PartitionStatisticsFileFromJson(const json::value& value);
Result<iceberg::EncryptedKey> EncryptedKeyFromJson(const json::value& value);

json::value ToJson(const iceberg::Type& type);
json::object ToJson(const iceberg::Schema& schema);
json::object ToJson(const iceberg::PartitionSpec& spec);
json::array FieldsToJson(const iceberg::PartitionSpec& spec);
json::object ToJson(const iceberg::UnboundPartitionSpec& spec);
json::object ToJson(const iceberg::SortOrder& order);
json::object ToJson(const iceberg::Snapshot& snapshot);
json::object ToJson(const iceberg::SnapshotRef& ref);
json::object ToJson(const iceberg::StatisticsFile& file);
json::object ToJson(const iceberg::PartitionStatisticsFile& file);
json::object ToJson(const iceberg::EncryptedKey& key);

// The whole table metadata document (field order of Java's TableMetadataParser).
json::object TableMetadataToJson(const iceberg::TableMetadata& metadata);
Result<iceberg::TableMetadata> TableMetadataFromJson(const json::object& object);

}  // namespace pangolin::serde::internal
