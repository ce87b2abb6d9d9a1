// Manifest decoding on hand-built Avro files (v1 names without field ids, Avro-map statistics,
// logical types, malformed entries) and the inheritance rules on plain values.
#include "iceberg/manifest.h"

#include <gtest/gtest.h>

#include "avro/test_encoder.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::avro::testing::Container;
using ::pangolin::avro::testing::Long;
using ::pangolin::avro::testing::Str;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

// A v1 manifest list as early writers produced it: old count names, no field ids.
constexpr const char* kLegacyListSchema = R"({"type": "record", "name": "manifest_file", "fields": [
  {"name": "manifest_path", "type": "string"},
  {"name": "manifest_length", "type": "long"},
  {"name": "partition_spec_id", "type": "int"},
  {"name": "added_snapshot_id", "type": ["null", "long"]},
  {"name": "added_data_files_count", "type": ["null", "int"]},
  {"name": "existing_data_files_count", "type": ["null", "int"]},
  {"name": "deleted_data_files_count", "type": ["null", "int"]},
  {"name": "partitions", "type": ["null", {"type": "array", "items": {
    "type": "record", "name": "r508", "fields": [
      {"name": "contains_null", "type": "boolean"},
      {"name": "lower_bound", "type": ["null", "bytes"]},
      {"name": "upper_bound", "type": ["null", "bytes"]}]}}]}]})";

std::string LegacyListRecord(std::string_view path, int64_t length) {
  return Str(path) + Long(length) + Long(0) + Long(1) + Long(42) + Long(1) + Long(3) + Long(0) +
         Long(1) + Long(0) +
         // partitions: one summary {contains_null, lower "a", upper null}
         Long(1) + Long(1) + std::string("\x01", 1) + Long(1) + Str("a") + Long(0) + Long(0);
}

TEST(ManifestListTest, ReadsLegacyNamesWithoutFieldIds) {
  std::string file =
      Container(kLegacyListSchema, {{1, LegacyListRecord("s3://b/m0.avro", 123)}}, "deflate");
  ASSERT_OK_AND_ASSIGN(auto manifests, ReadManifestList(file));
  ASSERT_EQ(manifests.size(), 1u);
  ManifestFile expected;
  expected.manifest_path = "s3://b/m0.avro";
  expected.manifest_length = 123;
  expected.added_snapshot_id = 42;
  expected.added_files_count = 3;
  expected.deleted_files_count = 0;
  expected.partitions = std::vector<PartitionFieldSummary>{{true, std::nullopt, "a", std::nullopt}};
  EXPECT_EQ(manifests[0], expected);
}

TEST(ManifestListTest, RejectsMissingAndMistypedFields) {
  constexpr const char* kNoPath = R"({"type": "record", "name": "m", "fields": [
      {"name": "manifest_length", "type": "long", "field-id": 501}]})";
  EXPECT_THAT(ReadManifestList(Container(kNoPath, {{1, Long(1)}})),
              IsErrorWithMessage(ErrorCode::kBadRequest,
                                 "Invalid manifest list entry 0: required field 'manifest_path'"));
  constexpr const char* kStringLength = R"({"type": "record", "name": "m", "fields": [
      {"name": "manifest_path", "type": "string", "field-id": 500},
      {"name": "manifest_length", "type": "string", "field-id": 501}]})";
  EXPECT_THAT(
      ReadManifestList(Container(kStringLength, {{1, Str("p") + Str("x")}})),
      IsErrorWithMessage(ErrorCode::kBadRequest, "'manifest_length' (id 501) is not a long"));
  constexpr const char* kBadContent = R"({"type": "record", "name": "m", "fields": [
      {"name": "manifest_path", "type": "string"}, {"name": "manifest_length", "type": "long"},
      {"name": "partition_spec_id", "type": "int"}, {"name": "content", "type": "int"},
      {"name": "added_snapshot_id", "type": "long"}]})";
  EXPECT_THAT(ReadManifestList(
                  Container(kBadContent, {{1, Str("p") + Long(1) + Long(0) + Long(5) + Long(1)}})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "unknown manifest content 5"));
  EXPECT_THAT(ReadManifestList(Container("\"long\"", {{1, Long(1)}})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "not a struct"));
  EXPECT_THAT(ReadManifestList("not avro"), IsError(ErrorCode::kBadRequest));
}

// A manifest whose writer used Avro maps for statistics and an Avro timestamp without
// adjust-to-utc (which Java reads as timestamptz).
constexpr const char* kMapManifestSchema =
    R"({"type": "record", "name": "manifest_entry", "fields": [
  {"name": "status", "type": "int"},
  {"name": "snapshot_id", "type": ["null", "long"]},
  {"name": "data_file", "type": {"type": "record", "name": "r2", "fields": [
    {"name": "file_path", "type": "string"},
    {"name": "file_format", "type": "string"},
    {"name": "partition", "type": {"type": "record", "name": "r102", "fields": [
      {"name": "ts_hour", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}],
       "field-id": 1000},
      {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal",
                                           "precision": 10, "scale": 3}], "field-id": 1001}]}},
    {"name": "record_count", "type": "long"},
    {"name": "file_size_in_bytes", "type": "long"},
    {"name": "value_counts", "type": ["null", {"type": "map", "values": "long"}]},
    {"name": "lower_bounds", "type": ["null", {"type": "map", "values": "bytes"}]}]}}]})";

std::string MapEntry(int status, std::string_view path, std::string_view value_count_key) {
  return Long(status) + Long(0) + Str(path) + Str("PARQUET") + Long(1) + Long(12345) + Long(1) +
         Str("\x30\x39") + Long(7) + Long(4096) + Long(1) + Long(1) + Str(value_count_key) +
         Long(7) + Long(0) +                                  // value_counts
         Long(1) + Long(1) + Str("2") + Str("ab") + Long(0);  // lower_bounds
}

TEST(ManifestTest, ReadsAvroMapsLogicalTypesAndNormalizesFormat) {
  std::string file = Container(kMapManifestSchema, {{1, MapEntry(1, "s3://b/d.parquet", "3")}});
  ASSERT_OK_AND_ASSIGN(auto entries, ReadManifest(file));
  ASSERT_EQ(entries.size(), 1u);
  const ManifestEntry& entry = entries[0];
  EXPECT_EQ(entry.status, ManifestEntryStatus::kAdded);
  EXPECT_FALSE(entry.snapshot_id.has_value());
  EXPECT_EQ(entry.data_file.file_format, "parquet");
  EXPECT_EQ(
      entry.data_file.partition,
      (std::vector<PartitionValue>{
          {1000, "ts_hour", "timestamptz", Literal{"timestamptz", int64_t{12345}}},
          {1001, "amount", "decimal(10, 3)", Literal{"decimal(10, 3)", std::string("\x30\x39")}}}));
  EXPECT_EQ(entry.data_file.value_counts, (std::map<int, int64_t>{{3, 7}}));
  EXPECT_EQ(entry.data_file.lower_bounds, (std::map<int, std::string>{{2, "ab"}}));
  EXPECT_TRUE(entry.data_file.upper_bounds.empty());
  EXPECT_FALSE(entry.data_file.split_offsets.has_value());
}

TEST(ManifestTest, RejectsMalformedEntries) {
  EXPECT_THAT(ReadManifest(Container(kMapManifestSchema, {{1, MapEntry(3, "p", "3")}})),
              IsErrorWithMessage(ErrorCode::kBadRequest,
                                 "Invalid manifest entry 0: unknown entry status 3"));
  EXPECT_THAT(
      ReadManifest(
          Container(kMapManifestSchema, {{2, MapEntry(1, "p", "3") + MapEntry(1, "q", "x")}})),
      IsErrorWithMessage(ErrorCode::kBadRequest, "Invalid manifest entry 1: field 'value_counts'"));
  EXPECT_THAT(ReadManifest(Container(R"({"type": "record", "name": "e", "fields": [
                                         {"name": "status", "type": "int"}]})",
                                     {})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "no data_file"));
  constexpr const char* kNestedPartition = R"({"type": "record", "name": "e", "fields": [
      {"name": "data_file", "type": {"type": "record", "name": "r2", "fields": [
        {"name": "partition", "type": {"type": "record", "name": "r102", "fields": [
          {"name": "p", "type": {"type": "array", "items": "int"}}]}}]}}]})";
  EXPECT_THAT(ReadManifest(Container(kNestedPartition, {})),
              IsErrorWithMessage(ErrorCode::kUnsupported, "partition field 'p'"));
}

TEST(ManifestTest, ReadsEmptyManifests) {
  ASSERT_OK_AND_ASSIGN(auto entries, ReadManifest(Container(kMapManifestSchema, {})));
  EXPECT_TRUE(entries.empty());
  ASSERT_OK_AND_ASSIGN(auto metadata, ReadManifestMetadata(Container(kMapManifestSchema, {}, "null",
                                                                     {{"format-version", "2"}})));
  EXPECT_EQ(metadata, (std::map<std::string, std::string>{{"format-version", "2"}}));
}

ManifestEntry Entry(ManifestEntryStatus status, FileContent content, int64_t records) {
  ManifestEntry entry;
  entry.status = status;
  entry.data_file.content = content;
  entry.data_file.record_count = records;
  return entry;
}

TEST(InheritanceTest, SequenceNumbersAreInheritedOnlyByAddedEntries) {
  ManifestFile manifest;
  manifest.added_snapshot_id = 77;
  manifest.sequence_number = 5;
  std::vector<ManifestEntry> entries = {
      Entry(ManifestEntryStatus::kAdded, FileContent::kData, 1),
      Entry(ManifestEntryStatus::kExisting, FileContent::kData, 1),
      Entry(ManifestEntryStatus::kAdded, FileContent::kData, 1),
  };
  entries[2].snapshot_id = 3;
  entries[2].sequence_number = 2;
  InheritFromManifest(manifest, &entries);
  EXPECT_EQ(entries[0].snapshot_id, 77);
  EXPECT_EQ(entries[0].sequence_number, 5);
  EXPECT_EQ(entries[0].file_sequence_number, 5);
  EXPECT_EQ(entries[1].snapshot_id, 77);
  EXPECT_FALSE(entries[1].sequence_number.has_value());  // an EXISTING entry must carry its own
  EXPECT_FALSE(entries[1].file_sequence_number.has_value());
  EXPECT_EQ(entries[2].snapshot_id, 3);
  EXPECT_EQ(entries[2].sequence_number, 2);  // explicit values win
  EXPECT_EQ(entries[2].file_sequence_number, 5);
}

TEST(InheritanceTest, V1ManifestsDefaultEverySequenceNumberToZero) {
  ManifestFile manifest;  // sequence number 0
  std::vector<ManifestEntry> entries = {
      Entry(ManifestEntryStatus::kExisting, FileContent::kData, 1),
      Entry(ManifestEntryStatus::kDeleted, FileContent::kData, 1)};
  InheritFromManifest(manifest, &entries);
  for (const ManifestEntry& entry : entries) {
    EXPECT_EQ(entry.sequence_number, 0);
    EXPECT_EQ(entry.file_sequence_number, 0);
  }
}

TEST(InheritanceTest, FirstRowIdsFollowFileOrderSkippingAssignedAndDeletedFiles) {
  // The spec's example: data1 keeps 800, data2 and data3 inherit 1000 and 1050.
  ManifestFile manifest;
  manifest.sequence_number = 1;
  manifest.first_row_id = 1000;
  std::vector<ManifestEntry> entries = {
      Entry(ManifestEntryStatus::kExisting, FileContent::kData, 25),
      Entry(ManifestEntryStatus::kAdded, FileContent::kData, 50),
      Entry(ManifestEntryStatus::kDeleted, FileContent::kData, 10),
      Entry(ManifestEntryStatus::kAdded, FileContent::kData, 50),
      Entry(ManifestEntryStatus::kExisting, FileContent::kData, 5),
  };
  entries[0].data_file.first_row_id = 800;
  InheritFromManifest(manifest, &entries);
  EXPECT_EQ(entries[0].data_file.first_row_id, 800);
  EXPECT_EQ(entries[1].data_file.first_row_id, 1000);
  EXPECT_FALSE(entries[2].data_file.first_row_id.has_value());  // DELETED: not assigned
  EXPECT_EQ(entries[3].data_file.first_row_id, 1050);
  EXPECT_EQ(entries[4].data_file.first_row_id, 1100);  // an unassigned EXISTING file too

  ManifestFile deletes = manifest;
  deletes.content = ManifestContent::kDeletes;
  std::vector<ManifestEntry> delete_entries = {
      Entry(ManifestEntryStatus::kAdded, FileContent::kPositionDeletes, 5)};
  InheritFromManifest(deletes, &delete_entries);
  EXPECT_FALSE(delete_entries[0].data_file.first_row_id.has_value());

  ManifestFile no_lineage;
  std::vector<ManifestEntry> plain = {Entry(ManifestEntryStatus::kAdded, FileContent::kData, 5),
                                      Entry(ManifestEntryStatus::kExisting, FileContent::kData, 5)};
  plain[1].data_file.first_row_id = 7;
  InheritFromManifest(no_lineage, &plain);
  EXPECT_FALSE(plain[0].data_file.first_row_id.has_value());
  EXPECT_FALSE(plain[1].data_file.first_row_id.has_value());  // no lineage without the manifest's
}

}  // namespace
}  // namespace pangolin::iceberg
