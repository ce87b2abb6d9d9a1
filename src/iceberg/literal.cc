// Single-value serialization (Iceberg format spec, Appendix D) and literal ordering. Bounds
// written by Java for a column later promoted (int -> long, float -> double) keep their old
// width, which is why a 4-byte long or double is accepted.
#include "iceberg/literal.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "common/strings.h"

namespace pangolin::iceberg {

namespace {

enum class Family {
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kTimestampNs,
  kTimestampTzNs,
  kString,
  kUuid,
  kFixed,
  kBinary,
  kDecimal,
};

struct ParsedType {
  Family family = Family::kBoolean;
  int64_t length = 0;  // kFixed
  int scale = 0;       // kDecimal
};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::optional<ParsedType> ParseType(std::string_view type) {
  static constexpr std::pair<std::string_view, Family> kPlain[] = {
      {"boolean", Family::kBoolean},
      {"int", Family::kInt},
      {"long", Family::kLong},
      {"float", Family::kFloat},
      {"double", Family::kDouble},
      {"date", Family::kDate},
      {"time", Family::kTime},
      {"timestamp", Family::kTimestamp},
      {"timestamptz", Family::kTimestampTz},
      {"timestamp_ns", Family::kTimestampNs},
      {"timestamptz_ns", Family::kTimestampTzNs},
      {"string", Family::kString},
      {"uuid", Family::kUuid},
      {"binary", Family::kBinary},
  };
  for (const auto& [name, family] : kPlain) {
    if (type == name) return ParsedType{family};
  }
  if (StartsWith(type, "fixed[") && EndsWith(type, "]")) {
    auto length = ParseInt(Trim(type.substr(6, type.size() - 7)));
    if (!length || *length < 0) return std::nullopt;
    return ParsedType{Family::kFixed, *length};
  }
  if (StartsWith(type, "decimal(") && EndsWith(type, ")")) {
    std::string_view inner = type.substr(8, type.size() - 9);
    size_t comma = inner.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    auto precision = ParseInt(Trim(inner.substr(0, comma)));
    auto scale = ParseInt(Trim(inner.substr(comma + 1)));
    if (!precision || !scale || *precision < 1 || *scale < 0 || *scale > *precision) {
      return std::nullopt;
    }
    return ParsedType{Family::kDecimal, 0, static_cast<int>(*scale)};
  }
  return std::nullopt;
}

uint64_t LittleEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i > 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i - 1]);
  }
  return value;
}

std::string ToLittleEndian(uint64_t value, int size) {
  std::string out;
  for (int i = 0; i < size; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

template <typename Float, typename Bits>
Float FromBits(Bits bits) {
  Float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

template <typename Bits, typename Float>
Bits ToBits(Float value) {
  Bits bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

tl::unexpected<Error> BadLength(std::string_view type, size_t size) {
  return Err(ErrorCode::kBadRequest, "Invalid single-value serialization of {}: {} bytes", type,
             size);
}

bool IsLongLike(Family family) {
  return family == Family::kLong || family == Family::kTime || family == Family::kTimestamp ||
         family == Family::kTimestampTz || family == Family::kTimestampNs ||
         family == Family::kTimestampTzNs;
}

}  // namespace

Result<Literal> DecodeSingleValue(std::string_view type, std::string_view bytes) {
  auto parsed = ParseType(type);
  if (!parsed) {
    return Err(ErrorCode::kUnsupported, "No single-value serialization for type '{}'", type);
  }
  Literal out{std::string(type), false};
  Family family = parsed->family;
  size_t size = bytes.size();
  if (family == Family::kBoolean) {
    if (size != 1) return BadLength(type, size);
    out.value = bytes[0] != 0;
  } else if (family == Family::kInt || family == Family::kDate) {
    if (size != 4) return BadLength(type, size);
    out.value = static_cast<int32_t>(static_cast<uint32_t>(LittleEndian(bytes)));
  } else if (IsLongLike(family)) {
    if (size == 4 && family == Family::kLong) {  // written before an int -> long promotion
      out.value = int64_t{static_cast<int32_t>(static_cast<uint32_t>(LittleEndian(bytes)))};
    } else if (size == 8) {
      out.value = static_cast<int64_t>(LittleEndian(bytes));
    } else {
      return BadLength(type, size);
    }
  } else if (family == Family::kFloat) {
    if (size != 4) return BadLength(type, size);
    out.value = FromBits<float>(static_cast<uint32_t>(LittleEndian(bytes)));
  } else if (family == Family::kDouble) {
    if (size == 4) {  // written before a float -> double promotion
      out.value = double{FromBits<float>(static_cast<uint32_t>(LittleEndian(bytes)))};
    } else if (size == 8) {
      out.value = FromBits<double>(LittleEndian(bytes));
    } else {
      return BadLength(type, size);
    }
  } else {
    if (family == Family::kUuid && size != 16) return BadLength(type, size);
    if (family == Family::kFixed && static_cast<int64_t>(size) != parsed->length) {
      return BadLength(type, size);
    }
    if (family == Family::kDecimal && size == 0) return BadLength(type, size);
    out.value = std::string(bytes);
  }
  return out;
}

std::string EncodeSingleValue(const Literal& literal) {
  return std::visit(
      [](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) {
          return std::string(1, value ? '\x01' : '\x00');
        } else if constexpr (std::is_same_v<T, int32_t>) {
          return ToLittleEndian(static_cast<uint32_t>(value), 4);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return ToLittleEndian(static_cast<uint64_t>(value), 8);
        } else if constexpr (std::is_same_v<T, float>) {
          return ToLittleEndian(ToBits<uint32_t>(value), 4);
        } else if constexpr (std::is_same_v<T, double>) {
          return ToLittleEndian(ToBits<uint64_t>(value), 8);
        } else {
          return value;
        }
      },
      literal.value);
}

namespace {

std::optional<int64_t> AsInteger(const Literal& literal) {
  if (const auto* v = std::get_if<int32_t>(&literal.value)) return *v;
  if (const auto* v = std::get_if<int64_t>(&literal.value)) return *v;
  return std::nullopt;
}

std::optional<double> AsFloating(const Literal& literal) {
  if (const auto* v = std::get_if<float>(&literal.value)) return double{*v};
  if (const auto* v = std::get_if<double>(&literal.value)) return *v;
  return std::nullopt;
}

int Sign(auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); }

// Maps a double's bits to an integer whose order is the spec's total order.
int64_t TotalOrderKey(double value) {
  auto bits = ToBits<int64_t>(value);
  return bits < 0 ? bits ^ std::numeric_limits<int64_t>::max() : bits;
}

std::optional<__int128> UnscaledValue(const std::string& bytes) {
  if (bytes.empty() || bytes.size() > 16) return std::nullopt;
  unsigned __int128 raw =
      static_cast<unsigned char>(bytes[0]) >= 0x80 ? ~static_cast<unsigned __int128>(0) : 0;
  for (char c : bytes) raw = (raw << 8) | static_cast<unsigned char>(c);
  return static_cast<__int128>(raw);
}

int CompareBytes(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c < 0 ? -1 : 1;
  return Sign(a.size(), b.size());
}

}  // namespace

std::optional<int> CompareLiterals(const Literal& a, const Literal& b) {
  auto ta = ParseType(a.type);
  auto tb = ParseType(b.type);
  if (!ta || !tb) return std::nullopt;
  auto integral = [](Family f) { return f == Family::kInt || f == Family::kLong; };
  auto floating = [](Family f) { return f == Family::kFloat || f == Family::kDouble; };
  if (integral(ta->family) && integral(tb->family)) {
    auto x = AsInteger(a), y = AsInteger(b);
    if (!x || !y) return std::nullopt;
    return Sign(*x, *y);
  }
  if (floating(ta->family) && floating(tb->family)) {
    auto x = AsFloating(a), y = AsFloating(b);
    if (!x || !y) return std::nullopt;
    return Sign(TotalOrderKey(*x), TotalOrderKey(*y));
  }
  if (ta->family != tb->family || a.value.index() != b.value.index()) return std::nullopt;
  if (const auto* x = std::get_if<bool>(&a.value)) return Sign(*x, std::get<bool>(b.value));
  if (auto x = AsInteger(a)) return Sign(*x, *AsInteger(b));
  const auto* x = std::get_if<std::string>(&a.value);
  if (x == nullptr) return std::nullopt;
  const auto& y = std::get<std::string>(b.value);
  if (ta->family != Family::kDecimal) return CompareBytes(*x, y);
  if (ta->scale != tb->scale) return std::nullopt;
  auto ux = UnscaledValue(*x), uy = UnscaledValue(y);
  if (!ux || !uy) return std::nullopt;
  return Sign(*ux, *uy);
}

std::string LiteralToString(const Literal& literal) {
  std::string text = std::visit(
      [](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) {
          return value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return "";
        } else {
          return fmt::format("{}", value);
        }
      },
      literal.value);
  if (const auto* bytes = std::get_if<std::string>(&literal.value)) {
    if (literal.type == "string") {
      text = "\"" + *bytes + "\"";
    } else {
      text = "0x";
      for (char c : *bytes) text += fmt::format("{:02x}", static_cast<unsigned char>(c));
    }
  }
  return literal.type + " " + text;
}

// H. Hinnant's days_from_civil and civil_from_days.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

}  // namespace pangolin::iceberg
