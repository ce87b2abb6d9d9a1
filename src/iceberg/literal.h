// Typed Iceberg values: partition values read from manifests and column bounds decoded from
// Iceberg's single-value binary serialization (format spec, Appendix D), with the ordering the
// spec defines, so that scan planning can compare them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"

namespace pangolin::iceberg {

struct Literal {
  // The Iceberg primitive type string, as in schema.h: "int", "date", "timestamptz",
  // "decimal(9, 2)", "fixed[16]", ...
  std::string type;
  // boolean: bool; int, date: int32_t (days from 1970-01-01 for date); long, time (micros from
  // midnight), timestamp[tz] (micros), timestamp[tz]_ns (nanos): int64_t; float; double;
  // string: UTF-8 bytes; uuid: the 16 bytes; fixed, binary: the bytes; decimal: the unscaled
  // value as big-endian two's complement bytes.
  std::variant<bool, int32_t, int64_t, float, double, std::string> value;
  bool operator==(const Literal&) const = default;
};

// Decodes a value in Iceberg's single-value serialization for the primitive `type`: little-endian
// int/long/float/double (a 4-byte long or double bound is read as a promoted int or float, as Java
// does), 1-byte boolean, UTF-8 string, raw uuid/fixed/binary, big-endian decimal.
// Errors: kBadRequest when the length does not fit the type; kUnsupported for types without a
// single-value form here (variant, geometry, geography, unknown, nested types) and unknown names.
Result<Literal> DecodeSingleValue(std::string_view type, std::string_view bytes);

// The inverse of DecodeSingleValue (longs as 8 bytes, decimals as given).
std::string EncodeSingleValue(const Literal& literal);

// Orders two literals of the same type family: <0, 0 or >0. Numbers compare by value (an int with
// a long and a float with a double too); floating point follows the spec's total order (-NaN <
// -inf < -0 < 0 < inf < NaN); string, binary, fixed and uuid compare as unsigned bytes (for
// strings, code point order); decimals compare by unscaled value when their scales are equal.
// nullopt when the values are not comparable (different types or scales, a decimal longer than
// 16 bytes).
std::optional<int> CompareLiterals(const Literal& a, const Literal& b);

// The proleptic Gregorian calendar and days since 1970-01-01 (dates, and the time transforms).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// A readable rendering for messages and test output, e.g. "int 42", "string \"a\"",
// "binary 0x00ff".
std::string LiteralToString(const Literal& literal);

}  // namespace pangolin::iceberg
