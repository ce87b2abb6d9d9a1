// Test-only helpers: small, realistic table metadata values for the iceberg and serde tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "iceberg/new_table.h"
#include "iceberg/table_update.h"
#include "testing/source_files.h"

namespace pangolin::iceberg::testing {

inline constexpr int64_t kCreatedMs = 1700000000000;
inline const std::string kTableUuid = "9c12d441-03fe-4693-9a96-a0705ddf69c1";
inline const std::string kLocation = "s3://bucket/wh/db/tbl";

// {1: id long required, 2: data string, 3: ts timestamptz}
inline Schema SimpleSchema() {
  Schema schema;
  schema.fields = {{1, "id", true, Type::Primitive("long"), {}, {}, {}, {}},
                   {2, "data", false, Type::Primitive("string"), {}, {}, {}, {}},
                   {3, "ts", false, Type::Primitive("timestamptz"), {}, {}, {}, {}}};
  return schema;
}

// A new table over SimpleSchema partitioned by bucket(16, id), format `version`.
inline TableMetadata SimpleTable(int version = 2) {
  CreateTableRequest request;
  request.name = "tbl";
  request.schema = SimpleSchema();
  request.partition_spec = UnboundPartitionSpec{{}, {{1, {}, {}, "id_bucket", "bucket[16]"}}};
  request.properties["format-version"] = std::to_string(version);
  return *NewTableMetadata(request, kLocation, kTableUuid, kCreatedMs);
}

inline Snapshot MakeSnapshot(int64_t id, std::optional<int64_t> parent, int64_t sequence,
                             int64_t timestamp_ms) {
  Snapshot snapshot;
  snapshot.snapshot_id = id;
  snapshot.parent_snapshot_id = parent;
  snapshot.sequence_number = sequence;
  snapshot.timestamp_ms = timestamp_ms;
  snapshot.manifest_list = kLocation + "/metadata/snap-" + std::to_string(id) + ".avro";
  snapshot.operation = "append";
  snapshot.summary = {{"added-data-files", "1"}};
  snapshot.schema_id = 0;
  return snapshot;
}

inline SetSnapshotRef MainRef(int64_t snapshot_id) {
  SnapshotRef ref;
  ref.snapshot_id = snapshot_id;
  return SetSnapshotRef{kMainBranch, ref};
}

// Test-only read of a checked-in file under testdata/manifests; a missing file fails the test.
inline std::string Fixture(const std::string& relative) {
  std::string path = "src/iceberg/testdata/manifests/" + relative;
  auto bytes = ::pangolin::testing::ReadSourceFile(path);
  if (!bytes) ADD_FAILURE() << "missing fixture " << path;
  return bytes.value_or("");
}

}  // namespace pangolin::iceberg::testing
