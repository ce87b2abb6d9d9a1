// Avro binary decoding on hand-built buffers: zig-zag varints, every type, blocks with negative
// counts, unions, and corrupt lengths and counts that must fail without large allocations.
#include "avro/decoder.h"

#include <gtest/gtest.h>

#include <limits>

#include "avro/test_encoder.h"
#include "testing/matchers.h"

namespace pangolin::avro {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using testing::Double;
using testing::Float;
using testing::Long;
using testing::Str;

NodePtr Schema(std::string_view json) {
  auto node = ParseSchema(json);
  EXPECT_TRUE(node) << node.error().message;
  return node ? *node : nullptr;
}

Result<Value> Decode(std::string_view schema, const std::string& bytes,
                     size_t* consumed = nullptr) {
  Decoder in(bytes);
  ValueReader reader;
  auto value = reader.Read(Schema(schema), in);
  if (consumed != nullptr) *consumed = in.position();
  return value;
}

TEST(AvroDecoderTest, ZigZagVarints) {
  struct Case {
    std::string bytes;
    int64_t value;
  };
  for (const Case& c : std::vector<Case>{
           {std::string("\x00", 1), 0},
           {"\x01", -1},
           {"\x02", 1},
           {"\x03", -2},
           {"\x7f", -64},
           {"\x80\x01", 64},
           {"\xac\x02", 150},
           {"\xfe\xff\xff\xff\x0f", std::numeric_limits<int32_t>::max()},
           {"\xff\xff\xff\xff\x0f", std::numeric_limits<int32_t>::min()},
           {"\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01", std::numeric_limits<int64_t>::max()},
           {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", std::numeric_limits<int64_t>::min()},
       }) {
    Decoder in(c.bytes);
    ASSERT_OK_AND_ASSIGN(int64_t value, in.ReadLong());
    EXPECT_EQ(value, c.value);
    EXPECT_TRUE(in.AtEnd());
    EXPECT_EQ(Long(c.value), c.bytes);
  }
}

TEST(AvroDecoderTest, RejectsBadVarints) {
  Decoder truncated("\x80\x80");
  EXPECT_THAT(truncated.ReadLong(), IsErrorWithMessage(ErrorCode::kBadRequest, "truncated"));
  Decoder too_long("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  EXPECT_THAT(too_long.ReadLong(), IsError(ErrorCode::kBadRequest));
  Decoder overflow("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02");
  EXPECT_THAT(overflow.ReadLong(), IsErrorWithMessage(ErrorCode::kBadRequest, "overflows"));
  std::string big = Long(int64_t{1} << 31);
  Decoder int_range(big);
  EXPECT_THAT(int_range.ReadInt(), IsErrorWithMessage(ErrorCode::kBadRequest, "int out of range"));
  Decoder empty("");
  EXPECT_THAT(empty.ReadBoolean(), IsError(ErrorCode::kBadRequest));
  Decoder two("\x02");
  EXPECT_THAT(two.ReadBoolean(), IsError(ErrorCode::kBadRequest));
}

TEST(AvroDecoderTest, Primitives) {
  EXPECT_TRUE(Decode("\"null\"", "")->IsNull());
  EXPECT_EQ(*Decode("\"boolean\"", "\x01")->AsBool(), true);
  EXPECT_EQ(*Decode("\"int\"", Long(-123456))->AsLong(), -123456);
  EXPECT_EQ(*Decode("\"long\"", Long(int64_t{1} << 40))->AsLong(), int64_t{1} << 40);
  EXPECT_EQ(*Decode("\"float\"", Float(1.5f))->AsDouble(), 1.5);
  EXPECT_EQ(*Decode("\"double\"", Double(-0.25))->AsDouble(), -0.25);
  EXPECT_EQ(*Decode("\"string\"", Str("héllo"))->AsString(), "héllo");
  EXPECT_EQ(Decode("\"bytes\"", Str(std::string("\x00\xff", 2)))->AsBytes()->data,
            std::string("\x00\xff", 2));
  EXPECT_EQ(Decode(R"({"type": "fixed", "name": "f", "size": 3})", "abc")->AsBytes()->data, "abc");
  EXPECT_EQ(*Decode(R"({"type": "enum", "name": "e", "symbols": ["A", "B"]})", Long(1))->AsString(),
            "B");
}

TEST(AvroDecoderTest, UnionsPickTheirBranch) {
  constexpr const char* kUnion = R"(["null", "long", "string"])";
  EXPECT_TRUE(Decode(kUnion, Long(0))->IsNull());
  EXPECT_EQ(*Decode(kUnion, Long(1) + Long(7))->AsLong(), 7);
  EXPECT_EQ(*Decode(kUnion, Long(2) + Str("x"))->AsString(), "x");
  EXPECT_THAT(Decode(kUnion, Long(3)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "union branch 3"));
  EXPECT_THAT(Decode(kUnion, Long(-1)), IsError(ErrorCode::kBadRequest));
}

TEST(AvroDecoderTest, RecordsKeepFieldNamesAndIds) {
  constexpr const char* kRecord = R"({"type": "record", "name": "r", "fields": [
      {"name": "id", "type": "long", "field-id": 1},
      {"name": "name", "type": ["null", "string"], "field-id": 2}]})";
  size_t consumed = 0;
  ASSERT_OK_AND_ASSIGN(Value value,
                       Decode(kRecord, Long(42) + Long(1) + Str("n") + "tail", &consumed));
  EXPECT_EQ(consumed, 4u);
  const Record* record = value.AsRecord();
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(*record->Find("id")->AsLong(), 42);
  EXPECT_EQ(*record->FindById(2)->AsString(), "n");
  EXPECT_EQ(record->Find("other"), nullptr);
  EXPECT_EQ(record->FindById(3), nullptr);
}

TEST(AvroDecoderTest, ArraysAndMapsWithPositiveAndNegativeBlockCounts) {
  // Two blocks: 2 items, then -1 item with its byte size, then the end.
  std::string array = Long(2) + Long(1) + Long(2) + Long(-1) + Long(1) + Long(3) + Long(0);
  ASSERT_OK_AND_ASSIGN(Value value, Decode(R"({"type": "array", "items": "int"})", array));
  ASSERT_EQ(value.AsArray()->size(), 3u);
  EXPECT_EQ(*(*value.AsArray())[2].AsLong(), 3);

  std::string entry_b = Str("b") + Long(20);
  std::string map = Long(1) + Str("a") + Long(10) + Long(-1) +
                    Long(static_cast<int64_t>(entry_b.size())) + entry_b + Long(0);
  ASSERT_OK_AND_ASSIGN(Value m, Decode(R"({"type": "map", "values": "long"})", map));
  ASSERT_EQ(m.AsMap()->size(), 2u);
  EXPECT_EQ((*m.AsMap())[0].first, "a");
  EXPECT_EQ(*(*m.AsMap())[1].second.AsLong(), 20);

  ASSERT_OK_AND_ASSIGN(Value empty, Decode(R"({"type": "array", "items": "int"})", Long(0)));
  EXPECT_TRUE(empty.AsArray()->empty());
}

TEST(AvroDecoderTest, CorruptLengthsAndCountsFailWithoutAllocating) {
  // A string claiming a petabyte.
  EXPECT_THAT(Decode("\"string\"", Long(int64_t{1} << 50) + "abc"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "exceeds the 3 remaining bytes"));
  EXPECT_THAT(Decode("\"bytes\"", Long(-5)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "negative"));
  // An array of a billion longs in four bytes.
  EXPECT_THAT(Decode(R"({"type": "array", "items": "long"})", Long(1'000'000'000) + "abcd"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "cannot fit"));
  EXPECT_THAT(
      Decode(R"({"type": "array", "items": "long"})", Long(std::numeric_limits<int64_t>::min())),
      IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(Decode(R"({"type": "array", "items": "long"})", Long(-2) + Long(99) + Long(1)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "block byte size"));
  // Nulls encode in zero bytes: their count is limited by a budget instead.
  EXPECT_THAT(Decode(R"({"type": "array", "items": "null"})", Long(int64_t{1} << 40) + Long(0)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "zero-size items"));
  ASSERT_OK_AND_ASSIGN(Value nulls,
                       Decode(R"({"type": "array", "items": "null"})", Long(1000) + Long(0)));
  EXPECT_EQ(nulls.AsArray()->size(), 1000u);
  EXPECT_THAT(Decode(R"({"type": "map", "values": "null"})", Long(100) + Str("a")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "cannot fit"));
  EXPECT_THAT(Decode(R"({"type": "enum", "name": "e", "symbols": ["A"]})", Long(1)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "enum ordinal 1"));
  EXPECT_THAT(Decode(R"({"type": "fixed", "name": "f", "size": 16})", "short"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "truncated"));
  EXPECT_THAT(Decode("\"double\"", "1234567"), IsError(ErrorCode::kBadRequest));
}

TEST(AvroDecoderTest, ZeroSizeBudgetSpansValues) {
  NodePtr schema = Schema(R"({"type": "array", "items": "null"})");
  std::string bytes = Long(600) + Long(0);
  ValueReader reader(1000);
  Decoder first(bytes);
  EXPECT_THAT(reader.Read(schema, first), ::pangolin::testing::IsOk());
  Decoder second(bytes);
  EXPECT_THAT(reader.Read(schema, second), IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::avro
