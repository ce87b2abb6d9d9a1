// serde-private conversions of the Iceberg model pieces (schemas, specs, orders, snapshots, refs,
// statistics, keys): parsers from Boost.JSON values and writers to a JsonWriter, shared by
// table_metadata.cc, table_requests.cc and the view metadata.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/shared_value.h"
#include "iceberg/table_metadata.h"
#include "serde/json_writer.h"

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

// Writers of the same pieces (member order of Java's parsers; unknown members last).
void Write(JsonWriter& w, const iceberg::Schema& schema);
void Write(JsonWriter& w, const iceberg::PartitionSpec& spec);
void WriteFields(JsonWriter& w, const iceberg::PartitionSpec& spec);  // the fields array only
void Write(JsonWriter& w, const iceberg::SortOrder& order);
void Write(JsonWriter& w, const iceberg::Snapshot& snapshot);
// A snapshot of a metadata: its text is made once and kept with it (a commit rewrites a table's
// metadata with all its snapshots, nearly all of them unchanged).
void Write(JsonWriter& w, const SharedValue<iceberg::Snapshot>& snapshot);
void Write(JsonWriter& w, const iceberg::SnapshotRef& ref);
void Write(JsonWriter& w, const iceberg::StatisticsFile& file);
void Write(JsonWriter& w, const iceberg::PartitionStatisticsFile& file);
void Write(JsonWriter& w, const iceberg::EncryptedKey& key);
void Write(JsonWriter& w, const iceberg::SnapshotLogEntry& entry);
void Write(JsonWriter& w, const iceberg::MetadataLogEntry& entry);
void Write(JsonWriter& w, const iceberg::TableMetadata& metadata);

// Key(key), then the array of Write(w, item) for each of `items`.
template <typename T>
void WriteList(JsonWriter& w, std::string_view key, const std::vector<T>& items) {
  w.Key(key);
  w.BeginArray();
  for (const T& item : items) Write(w, item);
  w.EndArray();
}

// The compact JSON text of `value`, written by its Write; `expected_size` as for JsonWriter.
template <typename T>
std::string WriteToString(const T& value, size_t expected_size = 0) {
  JsonWriter w(expected_size);
  Write(w, value);
  return w.Take();
}

// The whole table metadata document.
Result<iceberg::TableMetadata> TableMetadataFromJson(const json::object& object);

}  // namespace pangolin::serde::internal
