// Single-value serialization of every primitive type (format spec Appendix D), promoted bounds,
// malformed lengths, and the ordering scan planning relies on.
#include "iceberg/literal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Literal Decode(std::string_view type, std::string_view hex) {
  auto literal = DecodeSingleValue(type, Hex(hex));
  EXPECT_TRUE(literal) << type << ": " << literal.error().message;
  return literal ? *literal : Literal{};
}

TEST(SingleValueTest, DecodesEveryPrimitiveType) {
  struct Case {
    std::string type;
    std::string hex;
    Literal expected;
  };
  const std::vector<Case> cases = {
      {"boolean", "01", {"boolean", true}},
      {"boolean", "00", {"boolean", false}},
      {"int", "d6ffffff", {"int", int32_t{-42}}},
      {"date", "0c4d0000", {"date", int32_t{19724}}},  // 2024-01-02
      {"long", "0000000000010000", {"long", int64_t{1} << 40}},
      {"time", "151fda8b0a000000", {"time", int64_t{45296000789}}},
      {"timestamp", "46d34dc0ed0d0600", {"timestamp", int64_t{1704164645000006}}},
      {"timestamptz", "0088e571df0d0600", {"timestamptz", int64_t{1704103200000000}}},
      {"timestamp_ns",
       "0100000000000080",
       {"timestamp_ns", std::numeric_limits<int64_t>::min() + 1}},
      {"timestamptz_ns", "ffffffffffffffff", {"timestamptz_ns", int64_t{-1}}},
      {"float", "0000c03f", {"float", 1.5f}},
      {"double", "00000000000002c0", {"double", -2.25}},
      {"string", "68c3a96c6c6f", {"string", std::string("h\xC3\xA9llo")}},
      {"string", "", {"string", std::string()}},
      {"uuid",
       "f79c3e09677c4bbda4793f349cb785e7",
       {"uuid", Hex("f79c3e09677c4bbda4793f349cb785e7")}},
      {"fixed[3]", "616263", {"fixed[3]", std::string("abc")}},
      {"binary", "0001ff", {"binary", Hex("0001ff")}},
      {"decimal(9, 2)", "cfc7", {"decimal(9, 2)", Hex("cfc7")}},  // -123.45
      {"decimal(38,10)", "00", {"decimal(38,10)", Hex("00")}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Decode(c.type, c.hex), c.expected) << c.type << " " << c.hex;
    EXPECT_EQ(EncodeSingleValue(c.expected), Hex(c.hex)) << c.type;
  }
}

TEST(SingleValueTest, ReadsBoundsWrittenBeforeTypePromotion) {
  EXPECT_EQ(Decode("long", "d6ffffff"), (Literal{"long", int64_t{-42}}));
  EXPECT_EQ(Decode("double", "0000c03f"), (Literal{"double", 1.5}));
  EXPECT_THAT(DecodeSingleValue("timestamp", Hex("d6ffffff")), IsError(ErrorCode::kBadRequest));
}

TEST(SingleValueTest, RejectsWrongLengths) {
  for (auto [type, hex] : std::vector<std::pair<std::string, std::string>>{{"boolean", ""},
                                                                           {"boolean", "0101"},
                                                                           {"int", "010000"},
                                                                           {"date", "0100000000"},
                                                                           {"long", "01"},
                                                                           {"time", "0100000000"},
                                                                           {"float", "0000c03f00"},
                                                                           {"double", "00"},
                                                                           {"uuid", "00"},
                                                                           {"fixed[3]", "6162"},
                                                                           {"decimal(9, 2)", ""}}) {
    EXPECT_THAT(DecodeSingleValue(type, Hex(hex)), IsErrorWithMessage(ErrorCode::kBadRequest, type))
        << type << " " << hex;
  }
}

TEST(SingleValueTest, RefusesTypesWithoutASingleValueForm) {
  for (const char* type : {"variant", "unknown", "geometry", "geography", "struct", "decimal(9)",
                           "fixed[x]", "list<int>", ""}) {
    EXPECT_THAT(DecodeSingleValue(type, "x"), IsError(ErrorCode::kUnsupported)) << type;
  }
}

int Compare(const Literal& a, const Literal& b) {
  auto result = CompareLiterals(a, b);
  EXPECT_TRUE(result.has_value()) << LiteralToString(a) << " vs " << LiteralToString(b);
  return result.value_or(99);
}

TEST(CompareLiteralsTest, OrdersNumbersIncludingPromotion) {
  EXPECT_LT(Compare({"int", int32_t{-5}}, {"int", int32_t{3}}), 0);
  EXPECT_EQ(Compare({"int", int32_t{7}}, {"long", int64_t{7}}), 0);
  EXPECT_GT(Compare({"long", int64_t{1} << 40}, {"int", int32_t{7}}), 0);
  EXPECT_LT(Compare({"date", int32_t{19723}}, {"date", int32_t{19724}}), 0);
  EXPECT_GT(Compare({"timestamptz", int64_t{2}}, {"timestamptz", int64_t{1}}), 0);
  EXPECT_EQ(Compare({"float", 1.5f}, {"double", 1.5}), 0);
  EXPECT_EQ(Compare({"boolean", false}, {"boolean", false}), 0);
  EXPECT_LT(Compare({"boolean", false}, {"boolean", true}), 0);
}

TEST(CompareLiteralsTest, FloatingPointTotalOrder) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> ascending = {-nan, -inf, -1.0, -0.0, 0.0, 1e-300, 1.0, inf, nan};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(Compare({"double", ascending[i]}, {"double", ascending[i + 1]}), 0) << i;
    EXPECT_GT(Compare({"double", ascending[i + 1]}, {"double", ascending[i]}), 0) << i;
  }
  EXPECT_EQ(Compare({"double", nan}, {"double", nan}), 0);
  EXPECT_LT(Compare({"float", -0.0f}, {"float", 0.0f}), 0);
}

TEST(CompareLiteralsTest, BytesCompareUnsignedAndStringsByCodePoint) {
  EXPECT_LT(Compare({"string", std::string("a")}, {"string", std::string("ab")}), 0);
  EXPECT_LT(Compare({"string", std::string("z")}, {"string", std::string("\xC3\xA9")}), 0);
  EXPECT_EQ(Compare({"string", std::string()}, {"string", std::string()}), 0);
  EXPECT_LT(Compare({"binary", Hex("7f")}, {"binary", Hex("80")}), 0);
  EXPECT_LT(Compare({"fixed[2]", Hex("0001")}, {"fixed[2]", Hex("ff00")}), 0);
  EXPECT_GT(Compare({"uuid", Hex("f79c3e09677c4bbda4793f349cb785e7")},
                    {"uuid", Hex("079c3e09677c4bbda4793f349cb785e7")}),
            0);
}

TEST(CompareLiteralsTest, DecimalsCompareByUnscaledValueAcrossWidths) {
  // -123.45 as 2 and as 4 bytes, 1.00 as 1 byte, 100000.00 as 4 bytes.
  Literal small_negative{"decimal(9, 2)", Hex("cfc7")};
  Literal wide_negative{"decimal(9, 2)", Hex("ffffcfc7")};
  Literal one{"decimal(9, 2)", Hex("64")};
  Literal big{"decimal(9, 2)", Hex("00989680")};
  EXPECT_EQ(Compare(small_negative, wide_negative), 0);
  EXPECT_LT(Compare(wide_negative, one), 0);
  EXPECT_LT(Compare(one, big), 0);
  EXPECT_GT(Compare(big, small_negative), 0);
  EXPECT_EQ(Compare({"decimal(38, 0)", Hex("80000000000000000000000000000000")},
                    {"decimal(38, 0)", Hex("80000000000000000000000000000000")}),
            0);
  EXPECT_LT(Compare({"decimal(38, 0)", Hex("80000000000000000000000000000000")},
                    {"decimal(38, 0)", Hex("7fffffffffffffffffffffffffffffff")}),
            0);
}

TEST(CompareLiteralsTest, IncomparableValues) {
  EXPECT_FALSE(CompareLiterals({"int", int32_t{1}}, {"string", std::string("1")}));
  EXPECT_FALSE(CompareLiterals({"date", int32_t{1}}, {"int", int32_t{1}}));
  EXPECT_FALSE(CompareLiterals({"timestamp", int64_t{1}}, {"timestamptz", int64_t{1}}));
  EXPECT_FALSE(CompareLiterals({"decimal(9, 2)", Hex("01")}, {"decimal(9, 3)", Hex("01")}));
  EXPECT_FALSE(
      CompareLiterals({"decimal(9, 2)", std::string(17, '\x01')}, {"decimal(9, 2)", Hex("01")}));
  EXPECT_FALSE(CompareLiterals({"variant", std::string()}, {"variant", std::string()}));
  EXPECT_FALSE(CompareLiterals({"int", std::string("bad")}, {"int", int32_t{1}}));
}

TEST(LiteralToStringTest, RendersTypeAndValue) {
  EXPECT_EQ(LiteralToString({"int", int32_t{42}}), "int 42");
  EXPECT_EQ(LiteralToString({"boolean", true}), "boolean true");
  EXPECT_EQ(LiteralToString({"string", std::string("a")}), "string \"a\"");
  EXPECT_EQ(LiteralToString({"binary", Hex("00ff")}), "binary 0x00ff");
  EXPECT_EQ(LiteralToString({"double", -2.25}), "double -2.25");
}

}  // namespace
}  // namespace pangolin::iceberg
