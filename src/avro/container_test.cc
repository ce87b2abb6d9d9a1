// Object container files built byte by byte: header metadata, blocks of every codec, several
// blocks, and every way a file can be cut short or corrupted.
#include "avro/container.h"

#include <gtest/gtest.h>

#include "avro/test_encoder.h"
#include "testing/matchers.h"

namespace pangolin::avro {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using testing::Block;
using testing::Container;
using testing::Long;
using testing::Str;

constexpr const char* kSchema = R"({"type": "record", "name": "r", "fields": [
    {"name": "id", "type": "long", "field-id": 1},
    {"name": "name", "type": "string", "field-id": 2}]})";

std::string Rec(int64_t id, std::string_view name) { return Long(id) + Str(name); }

std::vector<int64_t> Ids(const ContainerFile& file) {
  std::vector<int64_t> ids;
  for (const Value& record : file.records) ids.push_back(*record.AsRecord()->Find("id")->AsLong());
  return ids;
}

TEST(AvroContainerTest, ReadsHeaderAndNullCodecBlocks) {
  std::string file = Container(kSchema, {{2, Rec(1, "a") + Rec(2, "bb")}, {1, Rec(3, "c")}}, "null",
                               {{"format-version", "2"}});
  ASSERT_OK_AND_ASSIGN(ContainerFile read, ReadContainerFile(file));
  EXPECT_EQ(read.codec, "null");
  EXPECT_EQ(read.schema->name, "r");
  EXPECT_EQ(Ids(read), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(*read.records[1].AsRecord()->FindById(2)->AsString(), "bb");
  ASSERT_EQ(read.metadata.size(), 3u);
  EXPECT_EQ(read.metadata[2], (std::pair<std::string, std::string>{"format-version", "2"}));
}

TEST(AvroContainerTest, MissingCodecMeansNullAndEmptyFilesHaveNoRecords) {
  ASSERT_OK_AND_ASSIGN(ContainerFile read, ReadContainerFile(Container(kSchema, {}, "")));
  EXPECT_EQ(read.codec, "null");
  EXPECT_TRUE(read.records.empty());
}

TEST(AvroContainerTest, ReadsDeflateBlocks) {
  std::string many;
  for (int i = 0; i < 500; ++i) many += Rec(i, "a fairly repetitive name");
  std::string file = Container(kSchema, {{500, many}, {1, Rec(500, "z")}}, "deflate");
  ASSERT_OK_AND_ASSIGN(ContainerFile read, ReadContainerFile(file));
  EXPECT_EQ(read.codec, "deflate");
  ASSERT_EQ(read.records.size(), 501u);
  EXPECT_EQ(Ids(read)[499], 499);
  EXPECT_EQ(*read.records[500].AsRecord()->Find("name")->AsString(), "z");
}

TEST(AvroContainerTest, DeflateIgnoresBytesAfterTheStream) {
  // PyIceberg stores zlib output minus its 2-byte header and last checksum byte.
  std::string data = Rec(7, "x");
  std::string block = testing::RawDeflate(data) + "\x01\x02\x03";
  std::string file = testing::Header(kSchema, "deflate") + Long(1) +
                     Long(static_cast<int64_t>(block.size())) + block + testing::DefaultSync();
  ASSERT_OK_AND_ASSIGN(ContainerFile read, ReadContainerFile(file));
  EXPECT_EQ(Ids(read), (std::vector<int64_t>{7}));
}

TEST(AvroContainerTest, StreamsRecordsOneByOne) {
  std::string file = Container(kSchema, {{1, Rec(1, "a")}, {0, ""}, {1, Rec(2, "b")}});
  ASSERT_OK_AND_ASSIGN(ContainerReader reader, ContainerReader::Open(file));
  ASSERT_NE(reader.Metadata("avro.schema"), nullptr);
  EXPECT_EQ(reader.Metadata("nope"), nullptr);
  ContainerReader moved = std::move(reader);
  ASSERT_OK_AND_ASSIGN(auto first, moved.Next());
  ASSERT_TRUE(first.has_value());
  ASSERT_OK_AND_ASSIGN(auto second, moved.Next());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second->AsRecord()->Find("id")->AsLong(), 2);
  ASSERT_OK_AND_ASSIGN(auto end, moved.Next());
  EXPECT_FALSE(end.has_value());
}

TEST(AvroContainerTest, ReadsZstandardAndSnappyBlocks) {
  std::string many;
  for (int i = 0; i < 500; ++i) many += Rec(i, "a fairly repetitive name");
  for (const char* codec : {"zstandard", "snappy"}) {
    SCOPED_TRACE(codec);
    std::string file = Container(kSchema, {{500, many}, {1, Rec(500, "z")}}, codec);
    EXPECT_LT(file.size(), many.size());
    ASSERT_OK_AND_ASSIGN(ContainerFile read, ReadContainerFile(file));
    EXPECT_EQ(read.codec, codec);
    ASSERT_EQ(read.records.size(), 501u);
    EXPECT_EQ(Ids(read)[499], 499);
    EXPECT_EQ(*read.records[500].AsRecord()->Find("name")->AsString(), "z");
  }
}

TEST(AvroContainerTest, RejectsCorruptTruncatedAndOversizedZstandardAndSnappyBlocks) {
  std::string data = Rec(1, "a") + Rec(2, "b");
  for (const char* codec : {"zstandard", "snappy"}) {
    SCOPED_TRACE(codec);
    std::string header = testing::Header(kSchema, codec);
    auto file_of = [&](const std::string& block) {
      return header + Long(2) + Long(static_cast<int64_t>(block.size())) + block +
             testing::DefaultSync();
    };
    EXPECT_THAT(ReadContainerFile(file_of("not compressed at all")),
                IsError(ErrorCode::kBadRequest));
    std::string compressed = testing::Compress(data, codec);
    EXPECT_THAT(ReadContainerFile(file_of(compressed.substr(0, compressed.size() / 2))),
                IsError(ErrorCode::kBadRequest));
    std::string big(1 << 20, 'a');
    std::string file = Container(kSchema, {{1, Long(1) + Str(big)}}, codec);
    ReaderOptions options;
    options.max_block_size = 100'000;
    EXPECT_THAT(ReadContainerFile(file, options),
                IsErrorWithMessage(ErrorCode::kBadRequest, "more than 100000 bytes"));
    EXPECT_THAT(ReadContainerFile(file), ::pangolin::testing::IsOk());
  }
  // Snappy blocks carry a CRC-32 of the uncompressed data.
  std::string block = testing::Snappy(data);
  block.back() = static_cast<char>(block.back() ^ 1);
  EXPECT_THAT(
      ReadContainerFile(testing::Header(kSchema, "snappy") + Long(2) +
                        Long(static_cast<int64_t>(block.size())) + block + testing::DefaultSync()),
      IsErrorWithMessage(ErrorCode::kBadRequest, "checksum"));
}

TEST(AvroContainerTest, RefusesUnsupportedCodecsByName) {
  for (const char* codec : {"bzip2", "xz"}) {
    EXPECT_THAT(ReadContainerFile(Container(kSchema, {}, codec)),
                IsErrorWithMessage(ErrorCode::kUnsupported, std::string("'") + codec + "'"));
  }
  EXPECT_THAT(ReadContainerFile(Container(kSchema, {}, "lz77")),
              IsErrorWithMessage(ErrorCode::kUnsupported, "Unknown Avro codec 'lz77'"));
}

TEST(AvroContainerTest, RejectsBadHeaders) {
  EXPECT_THAT(ReadContainerFile(""), IsErrorWithMessage(ErrorCode::kBadRequest, "bad magic"));
  EXPECT_THAT(ReadContainerFile("Obj\x02"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "bad magic"));
  std::string header = testing::Header(kSchema);
  for (size_t cut : {size_t{4}, size_t{6}, size_t{40}, header.size() - 1}) {
    EXPECT_THAT(ReadContainerFile(header.substr(0, cut)), IsError(ErrorCode::kBadRequest)) << cut;
  }
  // No schema; a schema that is not JSON; a metadata count too large for the file.
  std::string no_schema = std::string("Obj\x01", 4) + Long(1) + Str("avro.codec") + Str("null") +
                          Long(0) + testing::DefaultSync();
  EXPECT_THAT(ReadContainerFile(no_schema),
              IsErrorWithMessage(ErrorCode::kBadRequest, "avro.schema"));
  EXPECT_THAT(ReadContainerFile(testing::Header("{not json")), IsError(ErrorCode::kBadRequest));
  std::string huge = std::string("Obj\x01", 4) + Long(int64_t{1} << 40) + Str("k");
  EXPECT_THAT(ReadContainerFile(huge), IsErrorWithMessage(ErrorCode::kBadRequest, "cannot fit"));
}

TEST(AvroContainerTest, RejectsCorruptBlocks) {
  std::string header = testing::Header(kSchema);
  std::string good = Container(kSchema, {{2, Rec(1, "a") + Rec(2, "b")}});
  // Every truncation inside the block fails cleanly.
  for (size_t cut = header.size() + 1; cut < good.size(); ++cut) {
    EXPECT_THAT(ReadContainerFile(good.substr(0, cut)), IsError(ErrorCode::kBadRequest)) << cut;
  }
  std::string bad_sync = good;
  bad_sync.back() ^= 0x20;
  EXPECT_THAT(ReadContainerFile(bad_sync),
              IsErrorWithMessage(ErrorCode::kBadRequest, "sync marker"));
  // The count says three records but the block holds two.
  EXPECT_THAT(ReadContainerFile(Container(kSchema, {{3, Rec(1, "a") + Rec(2, "b")}})),
              IsError(ErrorCode::kBadRequest));
  // The count says one record but the block holds two.
  EXPECT_THAT(ReadContainerFile(Container(kSchema, {{1, Rec(1, "a") + Rec(2, "b")}})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "left over"));
  // A block size beyond the end of the file; a negative count; a huge count.
  EXPECT_THAT(ReadContainerFile(header + Long(1) + Long(1000) + Rec(1, "a")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "exceeds"));
  EXPECT_THAT(ReadContainerFile(header + Long(-1) + Long(0) + testing::DefaultSync()),
              IsErrorWithMessage(ErrorCode::kBadRequest, "negative"));
  EXPECT_THAT(ReadContainerFile(Container(kSchema, {{int64_t{1} << 60, Rec(1, "a")}})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "cannot fit"));
  EXPECT_THAT(ReadContainerFile(Container(kSchema, {{0, "x"}})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "no records"));
  // A string length inside a record that runs past the block.
  EXPECT_THAT(ReadContainerFile(Container(kSchema, {{1, Long(1) + Long(50) + "abc"}})),
              IsErrorWithMessage(ErrorCode::kBadRequest, "block at file byte"));
}

TEST(AvroContainerTest, RejectsCorruptAndOversizedDeflateBlocks) {
  std::string header = testing::Header(kSchema, "deflate");
  std::string garbage = "this is not deflate data";
  EXPECT_THAT(ReadContainerFile(header + Long(1) + Long(static_cast<int64_t>(garbage.size())) +
                                garbage + testing::DefaultSync()),
              IsErrorWithMessage(ErrorCode::kBadRequest, "deflate"));
  std::string deflated = testing::RawDeflate(Rec(1, "a") + Rec(2, "b"));
  std::string cut = deflated.substr(0, deflated.size() / 2);
  EXPECT_THAT(ReadContainerFile(header + Long(2) + Long(static_cast<int64_t>(cut.size())) + cut +
                                testing::DefaultSync()),
              IsError(ErrorCode::kBadRequest));
  // A small block that inflates beyond the limit.
  std::string big(1 << 20, 'a');
  std::string file = Container(kSchema, {{1, Long(1) + Str(big)}}, "deflate");
  EXPECT_LT(file.size(), 10'000u);
  ReaderOptions options;
  options.max_block_size = 100'000;
  EXPECT_THAT(ReadContainerFile(file, options),
              IsErrorWithMessage(ErrorCode::kBadRequest, "more than 100000 bytes"));
  EXPECT_THAT(ReadContainerFile(file), ::pangolin::testing::IsOk());
}

}  // namespace
}  // namespace pangolin::avro
