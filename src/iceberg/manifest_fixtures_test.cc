// Manifest lists and manifests written by other implementations, checked in under
// testdata/manifests (regenerate with tests/tools/make_manifests.py and MakeV3Manifests.java; the
// values expected here are those the writers' own readers report, see description.json and
// java_v3/description.txt). Every file is deflate-compressed, as both writers do by default.
#include <gtest/gtest.h>

#include "iceberg/manifest.h"
#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsErrorWithMessage;

using testing::Fixture;

// The fixture a manifest list entry names (same file name, in the same fixture directory).
std::string ManifestFixture(const std::string& dir, const ManifestFile& manifest) {
  return Fixture(dir + "/" + manifest.manifest_path.substr(manifest.manifest_path.rfind('/') + 1));
}

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

PartitionValue Part(int id, std::string name, std::string type, std::optional<Literal> value) {
  return PartitionValue{id, std::move(name), std::move(type), std::move(value)};
}

PartitionFieldSummary Summary(bool contains_null, std::string lower, std::string upper) {
  return {contains_null, false, Hex(lower), Hex(upper)};
}

constexpr const char* kV2Dir = "pyiceberg_v2";
constexpr const char* kV2List =
    "pyiceberg_v2/snap-1967188691168495078-0-57ac72d4-42cb-4656-a016-9bc7e1800ceb.avro";
constexpr const char* kV2Metadata = "file:///tmp/pangolin-manifests/warehouse/db/events/metadata/";
constexpr const char* kV2Data = "file:///tmp/pangolin-manifests/warehouse/db/events/data/";
constexpr int64_t kV2Append1 = 1361263249248624873;
constexpr int64_t kV2Append2 = 9170337057251182075;
constexpr int64_t kV2Delete = 1967188691168495078;

TEST(ManifestFixtureTest, PyIcebergV2ManifestList) {
  ASSERT_OK_AND_ASSIGN(auto manifests, ReadManifestList(Fixture(kV2List)));
  ASSERT_EQ(manifests.size(), 4u);
  ManifestFile added;
  added.manifest_path = std::string(kV2Metadata) + "57ac72d4-42cb-4656-a016-9bc7e1800ceb-m0.avro";
  added.manifest_length = 4801;
  added.partition_spec_id = 0;
  added.content = ManifestContent::kData;
  added.sequence_number = 3;
  added.min_sequence_number = 3;
  added.added_snapshot_id = kV2Delete;
  added.added_files_count = 1;
  added.existing_files_count = 0;
  added.deleted_files_count = 0;
  added.added_rows_count = 1;
  added.existing_rows_count = 0;
  added.deleted_rows_count = 0;
  added.partitions = {Summary(false, "61", "61"), Summary(false, "0b4d0000", "0b4d0000")};
  EXPECT_EQ(manifests[0], added);

  EXPECT_EQ(manifests[1].manifest_path,
            std::string(kV2Metadata) + "57ac72d4-42cb-4656-a016-9bc7e1800ceb-m1.avro");
  EXPECT_EQ(manifests[1].deleted_files_count, 1);
  EXPECT_EQ(manifests[1].deleted_rows_count, 2);
  EXPECT_EQ(manifests[1].added_files_count, 0);

  const ManifestFile& second_append = manifests[2];
  EXPECT_EQ(second_append.manifest_path,
            std::string(kV2Metadata) + "9e54f524-05e4-4dcb-9b17-5a869f6dba17-m0.avro");
  EXPECT_EQ(second_append.manifest_length, 5052);
  EXPECT_EQ(second_append.added_snapshot_id, kV2Append2);
  EXPECT_EQ(second_append.sequence_number, 2);
  EXPECT_EQ(second_append.min_sequence_number, 2);
  EXPECT_EQ(second_append.partitions,
            (std::vector<PartitionFieldSummary>{Summary(true, "61", "61"),
                                                Summary(false, "0c4d0000", "0c4d0000")}));

  const ManifestFile& existing = manifests[3];
  EXPECT_EQ(existing.sequence_number, 3);
  EXPECT_EQ(existing.min_sequence_number, 1);
  EXPECT_EQ(existing.existing_files_count, 2);
  EXPECT_EQ(existing.existing_rows_count, 2);
  EXPECT_EQ(existing.partitions,
            (std::vector<PartitionFieldSummary>{Summary(false, "62", "62"),
                                                Summary(false, "0b4d0000", "0c4d0000")}));
  for (const ManifestFile& manifest : manifests) {
    EXPECT_EQ(manifest.manifest_length,
              static_cast<int64_t>(ManifestFixture(kV2Dir, manifest).size()));
    EXPECT_FALSE(manifest.key_metadata.has_value());
    EXPECT_FALSE(manifest.first_row_id.has_value());
  }
}

TEST(ManifestFixtureTest, PyIcebergV2AddedEntryInheritsSequenceNumbers) {
  ASSERT_OK_AND_ASSIGN(auto manifests, ReadManifestList(Fixture(kV2List)));
  ASSERT_EQ(manifests.size(), 4u);
  std::string bytes = ManifestFixture(kV2Dir, manifests[0]);
  ASSERT_OK_AND_ASSIGN(auto raw, ReadManifest(bytes));
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].status, ManifestEntryStatus::kAdded);
  EXPECT_EQ(raw[0].snapshot_id, kV2Delete);
  EXPECT_FALSE(raw[0].sequence_number.has_value());
  EXPECT_FALSE(raw[0].file_sequence_number.has_value());

  ASSERT_OK_AND_ASSIGN(auto entries, ReadManifest(bytes, manifests[0]));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].sequence_number, 3);
  EXPECT_EQ(entries[0].file_sequence_number, 3);
  DataFile expected;
  expected.content = FileContent::kData;
  expected.file_path =
      std::string(kV2Data) +
      "category=a/ts_day=2024-01-01/00000-0-57ac72d4-42cb-4656-a016-9bc7e1800ceb.parquet";
  expected.file_format = "parquet";
  expected.partition = {Part(1000, "category", "string", Literal{"string", std::string("a")}),
                        Part(1001, "ts_day", "date", Literal{"date", int32_t{19723}})};
  expected.record_count = 1;
  expected.file_size_in_bytes = 1706;
  expected.column_sizes = {{1, 106}, {2, 75}, {3, 112}, {4, 112}};
  expected.value_counts = {{1, 1}, {2, 1}, {3, 1}, {4, 1}};
  expected.null_value_counts = {{1, 0}, {2, 0}, {3, 0}, {4, 0}};
  std::map<int, std::string> bounds = {{1, Hex("0100000000000000")},
                                       {2, "a"},
                                       {3, Hex("0088e571df0d0600")},
                                       {4, Hex("000000000000f83f")}};
  expected.lower_bounds = bounds;
  expected.upper_bounds = bounds;
  expected.split_offsets = std::vector<int64_t>{4};
  EXPECT_EQ(entries[0].data_file, expected);

  // The bounds decode to the values appended: id 1, ts 2024-01-01T10:00Z, amount 1.5.
  const auto& lower = entries[0].data_file.lower_bounds;
  ASSERT_OK_AND_ASSIGN(Literal id, DecodeSingleValue("long", lower.at(1)));
  EXPECT_EQ(id, (Literal{"long", int64_t{1}}));
  ASSERT_OK_AND_ASSIGN(Literal ts, DecodeSingleValue("timestamptz", lower.at(3)));
  EXPECT_EQ(ts, (Literal{"timestamptz", int64_t{1704103200000000}}));
  ASSERT_OK_AND_ASSIGN(Literal amount, DecodeSingleValue("double", lower.at(4)));
  EXPECT_EQ(amount, (Literal{"double", 1.5}));
}

TEST(ManifestFixtureTest, PyIcebergV2DeletedAndExistingEntriesKeepTheirSequenceNumbers) {
  ASSERT_OK_AND_ASSIGN(auto manifests, ReadManifestList(Fixture(kV2List)));
  ASSERT_EQ(manifests.size(), 4u);
  ASSERT_OK_AND_ASSIGN(auto deleted,
                       ReadManifest(ManifestFixture(kV2Dir, manifests[1]), manifests[1]));
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].status, ManifestEntryStatus::kDeleted);
  EXPECT_EQ(deleted[0].snapshot_id, kV2Delete);
  EXPECT_EQ(deleted[0].sequence_number, 1);
  EXPECT_EQ(deleted[0].file_sequence_number, 1);
  EXPECT_EQ(deleted[0].data_file.record_count, 2);
  EXPECT_EQ(deleted[0].data_file.upper_bounds.at(1), Hex("0200000000000000"));

  ASSERT_OK_AND_ASSIGN(auto appended,
                       ReadManifest(ManifestFixture(kV2Dir, manifests[2]), manifests[2]));
  ASSERT_EQ(appended.size(), 2u);
  EXPECT_EQ(
      appended[1].data_file.file_path,
      std::string(kV2Data) +
          "category=null/ts_day=2024-01-02/00000-1-9e54f524-05e4-4dcb-9b17-5a869f6dba17.parquet");
  EXPECT_EQ(
      appended[1].data_file.partition,
      (std::vector<PartitionValue>{Part(1000, "category", "string", std::nullopt),
                                   Part(1001, "ts_day", "date", Literal{"date", int32_t{19724}})}));
  EXPECT_EQ(appended[1].data_file.null_value_counts.at(2), 1);
  EXPECT_EQ(appended[1].data_file.lower_bounds.count(2), 0u);
  EXPECT_EQ(appended[1].sequence_number, 2);
  EXPECT_EQ(appended[1].snapshot_id, kV2Append2);

  ASSERT_OK_AND_ASSIGN(auto existing,
                       ReadManifest(ManifestFixture(kV2Dir, manifests[3]), manifests[3]));
  ASSERT_EQ(existing.size(), 2u);
  for (const ManifestEntry& entry : existing) {
    EXPECT_EQ(entry.status, ManifestEntryStatus::kExisting);
    EXPECT_EQ(entry.snapshot_id, kV2Append1);
    EXPECT_EQ(entry.sequence_number, 1);
    EXPECT_EQ(entry.file_sequence_number, 1);
  }
  EXPECT_EQ(existing[1].data_file.partition[1].value, (Literal{"date", int32_t{19723}}));
  EXPECT_EQ(existing[1].data_file.null_value_counts.at(4), 1);

  ASSERT_OK_AND_ASSIGN(auto metadata, ReadManifestMetadata(ManifestFixture(kV2Dir, manifests[3])));
  EXPECT_EQ(metadata.at("format-version"), "2");
  EXPECT_EQ(metadata.at("content"), "data");
  EXPECT_EQ(metadata.at("partition-spec-id"), "0");
  EXPECT_EQ(metadata.count("avro.schema"), 0u);
  EXPECT_NE(metadata.at("partition-spec").find("\"transform\":\"day\""), std::string::npos);
}

TEST(ManifestFixtureTest, PyIcebergV1ManifestListAndManifest) {
  ASSERT_OK_AND_ASSIGN(
      auto manifests,
      ReadManifestList(Fixture(
          "pyiceberg_v1/snap-4778251968260901517-0-74c1dc8b-7439-484b-9db0-ad2933faae56.avro")));
  ASSERT_EQ(manifests.size(), 1u);
  const ManifestFile& manifest = manifests[0];
  EXPECT_EQ(manifest.manifest_path,
            "file:///tmp/pangolin-manifests/warehouse/db/legacy/metadata/"
            "74c1dc8b-7439-484b-9db0-ad2933faae56-m0.avro");
  EXPECT_EQ(manifest.manifest_length, 4198);
  EXPECT_EQ(manifest.content, ManifestContent::kData);  // no content field in v1
  EXPECT_EQ(manifest.sequence_number, 0);
  EXPECT_EQ(manifest.min_sequence_number, 0);
  EXPECT_EQ(manifest.added_snapshot_id, 4778251968260901517);
  EXPECT_EQ(manifest.added_files_count, 2);
  EXPECT_EQ(manifest.added_rows_count, 2);
  EXPECT_EQ(manifest.partitions,
            (std::vector<PartitionFieldSummary>{Summary(false, "07000000", "08000000")}));

  ASSERT_OK_AND_ASSIGN(auto entries,
                       ReadManifest(ManifestFixture("pyiceberg_v1", manifest), manifest));
  ASSERT_EQ(entries.size(), 2u);
  for (const ManifestEntry& entry : entries) {
    EXPECT_EQ(entry.status, ManifestEntryStatus::kAdded);
    EXPECT_EQ(entry.snapshot_id, 4778251968260901517);
    EXPECT_EQ(entry.sequence_number, 0);  // v1: inherited 0
    EXPECT_EQ(entry.file_sequence_number, 0);
    EXPECT_EQ(entry.data_file.content, FileContent::kData);
  }
  EXPECT_EQ(entries[0].data_file.file_path,
            "file:///tmp/pangolin-manifests/warehouse/db/legacy/data/id=7/"
            "00000-0-74c1dc8b-7439-484b-9db0-ad2933faae56.parquet");
  EXPECT_EQ(entries[0].data_file.partition,
            (std::vector<PartitionValue>{Part(1000, "id", "int", Literal{"int", int32_t{7}})}));
  EXPECT_EQ(entries[0].data_file.upper_bounds.at(2), "seven");
  EXPECT_EQ(entries[1].data_file.partition[0].value, (Literal{"int", int32_t{8}}));
  EXPECT_EQ(entries[1].data_file.file_size_in_bytes, 853);
}

TEST(ManifestFixtureTest, PartitionValuesOfEveryPrimitiveTypeMatchTheirBounds) {
  ASSERT_OK_AND_ASSIGN(auto manifests,
                       ReadManifestList(Fixture("pyiceberg_types/snap-types.avro")));
  ASSERT_EQ(manifests.size(), 2u);
  EXPECT_EQ(manifests[0].partition_spec_id, 3);
  EXPECT_EQ(manifests[0].sequence_number, 7);
  ASSERT_TRUE(manifests[0].partitions.has_value());
  EXPECT_EQ(manifests[0].partitions->size(), 14u);
  EXPECT_EQ(manifests[0].partitions->back(), Summary(false, "cfc7", "cfc7"));

  ASSERT_OK_AND_ASSIGN(auto entries,
                       ReadManifest(Fixture("pyiceberg_types/types-data-m0.avro"), manifests[0]));
  ASSERT_EQ(entries.size(), 1u);
  const DataFile& file = entries[0].data_file;
  const std::vector<PartitionValue> expected = {
      Part(1000, "b", "boolean", Literal{"boolean", true}),
      Part(1001, "i", "int", Literal{"int", int32_t{-42}}),
      Part(1002, "l", "long", Literal{"long", int64_t{1} << 40}),
      Part(1003, "f", "float", Literal{"float", 1.5f}),
      Part(1004, "d", "double", Literal{"double", -2.25}),
      Part(1005, "dt", "date", Literal{"date", int32_t{19724}}),
      Part(1006, "t", "time", Literal{"time", int64_t{45296000789}}),
      Part(1007, "ts", "timestamp", Literal{"timestamp", int64_t{1704164645000006}}),
      Part(1008, "tstz", "timestamptz", Literal{"timestamptz", int64_t{1704164645000006}}),
      Part(1009, "s", "string", Literal{"string", std::string("h\xC3\xA9llo")}),
      Part(1010, "u", "uuid", Literal{"uuid", Hex("f79c3e09677c4bbda4793f349cb785e7")}),
      Part(1011, "bin", "binary", Literal{"binary", Hex("0001ff")}),
      Part(1012, "fx", "fixed[3]", Literal{"fixed[3]", std::string("abc")}),
      Part(1013, "dec", "decimal(9, 2)", Literal{"decimal(9, 2)", Hex("ffffcfc7")}),
  };
  EXPECT_EQ(file.partition, expected);
  // Column i+1 holds the value of partition field i; its bounds are that value serialized.
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(
        Literal bound,
        DecodeSingleValue(expected[i].type, file.lower_bounds.at(static_cast<int>(i) + 1)));
    EXPECT_EQ(CompareLiterals(bound, *expected[i].value), 0) << LiteralToString(bound);
    EXPECT_EQ(file.upper_bounds.at(static_cast<int>(i) + 1),
              file.lower_bounds.at(static_cast<int>(i) + 1));
  }
  EXPECT_EQ(file.key_metadata, Hex("0102"));
  EXPECT_EQ(file.split_offsets, (std::vector<int64_t>{4, 100}));
  EXPECT_EQ(file.sort_order_id, 0);
  EXPECT_EQ(file.nan_value_counts, (std::map<int, int64_t>{{4, 0}, {5, 1}}));
  EXPECT_EQ(entries[0].sequence_number, 7);
}

TEST(ManifestFixtureTest, PyIcebergDeleteManifest) {
  ASSERT_OK_AND_ASSIGN(auto manifests,
                       ReadManifestList(Fixture("pyiceberg_types/snap-types.avro")));
  ASSERT_EQ(manifests.size(), 2u);
  const ManifestFile& deletes = manifests[1];
  EXPECT_EQ(deletes.content, ManifestContent::kDeletes);
  EXPECT_EQ(deletes.min_sequence_number, 5);
  EXPECT_EQ(deletes.partitions->front(), (PartitionFieldSummary{true, false, {}, {}}));
  ASSERT_OK_AND_ASSIGN(auto entries,
                       ReadManifest(Fixture("pyiceberg_types/types-deletes-m0.avro"), deletes));
  ASSERT_EQ(entries.size(), 2u);
  const ManifestEntry& position = entries[0];
  EXPECT_EQ(position.status, ManifestEntryStatus::kAdded);
  EXPECT_EQ(position.sequence_number, 7);
  EXPECT_EQ(position.data_file.content, FileContent::kPositionDeletes);
  EXPECT_EQ(position.data_file.file_path,
            "file:///tmp/pangolin-manifests/types/data/pos-deletes.parquet");
  EXPECT_EQ(position.data_file.record_count, 2);
  EXPECT_TRUE(position.data_file.column_sizes.empty());
  ASSERT_EQ(position.data_file.partition.size(), 14u);
  for (const PartitionValue& value : position.data_file.partition) EXPECT_FALSE(value.value);
  const ManifestEntry& equality = entries[1];
  EXPECT_EQ(equality.status, ManifestEntryStatus::kExisting);
  EXPECT_EQ(equality.snapshot_id, 99);
  EXPECT_EQ(equality.sequence_number, 5);
  EXPECT_EQ(equality.file_sequence_number, 6);
  EXPECT_EQ(equality.data_file.content, FileContent::kEqualityDeletes);
  EXPECT_EQ(equality.data_file.file_format, "avro");
  EXPECT_EQ(equality.data_file.equality_ids, (std::vector<int>{2, 10}));
}

TEST(ManifestFixtureTest, ZstandardManifestListReadsAsItsDeflateTwin) {
  ASSERT_OK_AND_ASSIGN(auto zstd,
                       ReadManifestList(Fixture("pyiceberg_types/snap-types-zstd.avro")));
  ASSERT_OK_AND_ASSIGN(auto deflate, ReadManifestList(Fixture("pyiceberg_types/snap-types.avro")));
  EXPECT_EQ(zstd, deflate);
  EXPECT_EQ(zstd.size(), 2u);
}

constexpr const char* kV3Data = "s3://fixtures/warehouse/db/events_v3/data/";

TEST(ManifestFixtureTest, JavaV3RowLineageAndDeletionVectors) {
  ASSERT_OK_AND_ASSIGN(
      auto manifests,
      ReadManifestList(
          Fixture("java_v3/snap-1280502053317523411-1-16454e78-4ce7-48aa-9896-df4a4b9fae78.avro")));
  ASSERT_EQ(manifests.size(), 3u);
  EXPECT_EQ(manifests[0].first_row_id, 15);
  EXPECT_EQ(manifests[0].sequence_number, 2);
  EXPECT_EQ(manifests[0].added_snapshot_id, 8649700715386054304);
  EXPECT_EQ(manifests[0].partitions->front(), (PartitionFieldSummary{true, false, {}, {}}));
  EXPECT_EQ(manifests[1].first_row_id, 0);
  EXPECT_EQ(manifests[1].added_rows_count, 15);
  EXPECT_EQ(manifests[1].manifest_length, 8558);
  EXPECT_EQ(manifests[2].content, ManifestContent::kDeletes);
  EXPECT_FALSE(manifests[2].first_row_id.has_value());
  EXPECT_EQ(manifests[2].sequence_number, 3);

  ASSERT_OK_AND_ASSIGN(auto first,
                       ReadManifest(ManifestFixture("java_v3", manifests[1]), manifests[1]));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].data_file.file_path, std::string(kV3Data) + "a.parquet");
  EXPECT_EQ(first[0].data_file.first_row_id, 0);
  EXPECT_EQ(first[1].data_file.first_row_id, 10);  // 0 + a's 10 records
  EXPECT_EQ(first[1].sequence_number, 1);
  EXPECT_EQ(first[1].data_file.partition,
            (std::vector<PartitionValue>{
                Part(1000, "category", "string", Literal{"string", std::string("b")}),
                Part(1001, "ts_day", "date", Literal{"date", int32_t{19724}}),
                Part(1002, "id_bucket", "int", Literal{"int", int32_t{5}})}));
  EXPECT_EQ(first[1].data_file.upper_bounds.at(1), Hex("0f00000000000000"));
  EXPECT_EQ(first[1].data_file.sort_order_id, 0);

  ASSERT_OK_AND_ASSIGN(auto second,
                       ReadManifest(ManifestFixture("java_v3", manifests[0]), manifests[0]));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].data_file.first_row_id, 15);
  EXPECT_FALSE(second[0].data_file.partition[0].value.has_value());

  ASSERT_OK_AND_ASSIGN(auto deletes,
                       ReadManifest(ManifestFixture("java_v3", manifests[2]), manifests[2]));
  ASSERT_EQ(deletes.size(), 2u);
  const DataFile& dv = deletes[0].data_file;
  EXPECT_EQ(dv.content, FileContent::kPositionDeletes);
  EXPECT_EQ(dv.file_format, "puffin");
  EXPECT_EQ(dv.referenced_data_file, std::string(kV3Data) + "a.parquet");
  EXPECT_EQ(dv.content_offset, 4);
  EXPECT_EQ(dv.content_size_in_bytes, 42);
  EXPECT_EQ(dv.record_count, 2);
  EXPECT_FALSE(dv.first_row_id.has_value());
  EXPECT_EQ(deletes[0].sequence_number, 3);
  EXPECT_EQ(deletes[0].file_sequence_number, 3);
  const DataFile& equality = deletes[1].data_file;
  EXPECT_EQ(equality.content, FileContent::kEqualityDeletes);
  EXPECT_EQ(equality.equality_ids, (std::vector<int>{2}));
  EXPECT_FALSE(equality.referenced_data_file.has_value());
  EXPECT_FALSE(equality.first_row_id.has_value());
}

TEST(ManifestFixtureTest, TruncatedAndCorruptedRealFilesFailCleanly) {
  const std::string good = Fixture("pyiceberg_v2/9e54f524-05e4-4dcb-9b17-5a869f6dba17-m0.avro");
  ASSERT_FALSE(good.empty());
  auto acceptable = [](const Result<std::vector<ManifestEntry>>& result) {
    return result ? result->size() <= 2 : result.error().code == ErrorCode::kBadRequest;
  };
  size_t failures = 0;
  for (size_t cut = 0; cut < good.size(); cut += 5) {
    auto result = ReadManifest(good.substr(0, cut));
    EXPECT_TRUE(acceptable(result)) << cut;
    failures += result ? 0 : 1;
  }
  EXPECT_GT(failures, good.size() / 5 - 3);  // only cuts at block ends can read
  for (size_t at = 0; at < good.size(); at += 3) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ (1 << (at % 8)));
    auto result = ReadManifest(bad);
    EXPECT_TRUE(result || result.error().code == ErrorCode::kBadRequest ||
                result.error().code == ErrorCode::kUnsupported)
        << at;
  }
}

}  // namespace
}  // namespace pangolin::iceberg
