// Partition transforms applied to literals, and inclusive projection of predicates through them.
#include "iceberg/partition_projection.h"

#include <cstring>

#include "common/strings.h"

namespace pangolin::iceberg {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
constexpr int64_t kMicrosPerHour = 3'600'000'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The source value as micros since the epoch (dates at midnight), for the time transforms.
std::optional<int64_t> Micros(const Literal& value) {
  if (value.type == "date") {
    if (const auto* days = std::get_if<int32_t>(&value.value)) return *days * kMicrosPerDay;
  } else if (value.type == "timestamp" || value.type == "timestamptz") {
    if (const auto* micros = std::get_if<int64_t>(&value.value)) return *micros;
  } else if (value.type == "timestamp_ns" || value.type == "timestamptz_ns") {
    if (const auto* nanos = std::get_if<int64_t>(&value.value)) return FloorDiv(*nanos, 1000);
  }
  return std::nullopt;
}

std::optional<int64_t> Width(const std::string& transform, std::string_view name) {
  if (!StartsWith(transform, std::string(name) + "[") || !EndsWith(transform, "]")) {
    return std::nullopt;
  }
  auto width = ParseInt(
      std::string_view(transform).substr(name.size() + 1, transform.size() - name.size() - 2));
  if (!width || *width <= 0 || *width > INT32_MAX) return std::nullopt;
  return *width;
}

// Bytes hashed for bucketing (Appendix B): ints and longs as 8-byte little-endian longs, dates as
// ints, timestamps as micros, strings as UTF-8.
std::optional<std::string> HashBytes(const Literal& value) {
  std::optional<int64_t> number;
  if (const auto* i = std::get_if<int32_t>(&value.value)) number = *i;
  if (const auto* l = std::get_if<int64_t>(&value.value)) number = *l;
  if (value.type == "int" || value.type == "long" || value.type == "date" ||
      value.type == "timestamp" || value.type == "timestamptz") {
    if (!number) return std::nullopt;
    std::string bytes(8, '\0');
    uint64_t bits = static_cast<uint64_t>(*number);
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
    return bytes;
  }
  if (value.type == "string") {
    if (const auto* s = std::get_if<std::string>(&value.value)) return *s;
  }
  return std::nullopt;
}

// The first `width` code points of UTF-8 `text`.
std::string TruncateUtf8(const std::string& text, int64_t width) {
  size_t pos = 0;
  for (int64_t n = 0; n < width && pos < text.size(); ++n) {
    ++pos;
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  }
  return text.substr(0, pos);
}

int64_t CodePoints(const std::string& text) {
  int64_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool Monotonic(const std::string& transform) {
  return transform == "year" || transform == "month" || transform == "day" || transform == "hour" ||
         StartsWith(transform, "truncate[");
}

// v - 1 or v + 1 in the value's own unit (integers and times only).
std::optional<Literal> Step(const Literal& value, int delta) {
  Literal out = value;
  if (auto* i = std::get_if<int32_t>(&out.value)) {
    *i += delta;
    return out;
  }
  if (auto* l = std::get_if<int64_t>(&out.value)) {
    *l += delta;
    return out;
  }
  return std::nullopt;  // strings: truncation already rounds down
}

}  // namespace

int32_t Murmur3Hash32(std::string_view bytes) {
  const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
  uint32_t h = 0;
  size_t blocks = bytes.size() / 4;
  for (size_t i = 0; i < blocks; ++i) {
    uint32_t k;
    std::memcpy(&k, bytes.data() + i * 4, 4);  // little-endian hosts only (x86, ARM)
    k *= c1;
    k = (k << 15) | (k >> 17);
    k *= c2;
    h ^= k;
    h = (h << 13) | (h >> 19);
    h = h * 5 + 0xe6546b64;
  }
  uint32_t k = 0;
  const auto* tail = reinterpret_cast<const unsigned char*>(bytes.data() + blocks * 4);
  switch (bytes.size() & 3) {
    case 3:
      k ^= static_cast<uint32_t>(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      k ^= static_cast<uint32_t>(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      k ^= tail[0];
      k *= c1;
      k = (k << 15) | (k >> 17);
      k *= c2;
      h ^= k;
  }
  h ^= static_cast<uint32_t>(bytes.size());
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return static_cast<int32_t>(h);
}

std::optional<Literal> ApplyTransform(const std::string& transform, const Literal& value,
                                      const std::string& partition_type) {
  auto as = [&](int64_t result) -> std::optional<Literal> {
    if (result < INT32_MIN || result > INT32_MAX) return std::nullopt;
    return Literal{partition_type, static_cast<int32_t>(result)};
  };
  if (transform == "year" || transform == "month" || transform == "day" || transform == "hour") {
    std::optional<int64_t> micros = Micros(value);
    if (!micros || *micros < 0) return std::nullopt;  // pre-1970: not projected (see header)
    if (transform == "hour") {
      if (value.type == "date") return std::nullopt;
      return as(FloorDiv(*micros, kMicrosPerHour));
    }
    int64_t days = FloorDiv(*micros, kMicrosPerDay);
    if (transform == "day") return as(days);
    int64_t year;
    unsigned month, day;
    CivilFromDays(days, &year, &month, &day);
    return as(transform == "year" ? year - 1970 : (year - 1970) * 12 + (month - 1));
  }
  if (auto buckets = Width(transform, "bucket")) {
    std::optional<std::string> bytes = HashBytes(value);
    if (!bytes) return std::nullopt;
    return as((Murmur3Hash32(*bytes) & INT32_MAX) % *buckets);
  }
  if (auto width = Width(transform, "truncate")) {
    if (const auto* i = std::get_if<int32_t>(&value.value); i && value.type == "int") {
      int64_t v = *i;
      return Literal{partition_type, static_cast<int32_t>(v - (((v % *width) + *width) % *width))};
    }
    if (const auto* l = std::get_if<int64_t>(&value.value); l && value.type == "long") {
      return Literal{partition_type, *l - (((*l % *width) + *width) % *width)};
    }
    if (const auto* s = std::get_if<std::string>(&value.value); s && value.type == "string") {
      return Literal{partition_type, TruncateUtf8(*s, *width)};
    }
  }
  return std::nullopt;
}

std::optional<BoundExpression> ProjectInclusive(const BoundExpression& predicate,
                                                const std::string& transform,
                                                const std::string& partition_type) {
  if (transform == "void") return std::nullopt;
  BoundExpression out = predicate;
  out.type = partition_type;
  out.values.clear();
  auto project = [&](const Literal& value, int step) -> bool {
    std::optional<Literal> stepped = step == 0 ? value : Step(value, step);
    if (!stepped) stepped = value;  // truncated strings: the bound itself is inclusive
    std::optional<Literal> projected = ApplyTransform(transform, *stepped, partition_type);
    if (!projected) return false;
    out.values.push_back(std::move(*projected));
    return true;
  };
  switch (predicate.op) {
    case ExprOp::kIsNull:
    case ExprOp::kNotNull:
      return out;  // every transform but void keeps nulls null and values non-null
    case ExprOp::kEq:
    case ExprOp::kIn:
      for (const auto& value : predicate.values) {
        if (!project(value, 0)) return std::nullopt;
      }
      return out;
    case ExprOp::kLt:
    case ExprOp::kLtEq:
    case ExprOp::kGt:
    case ExprOp::kGtEq: {
      if (!Monotonic(transform)) return std::nullopt;
      // lt v holds only for values <= v - 1, whose transforms are <= t(v - 1); gt likewise.
      int step = predicate.op == ExprOp::kLt ? -1 : predicate.op == ExprOp::kGt ? 1 : 0;
      if (!project(predicate.values.at(0), step)) return std::nullopt;
      out.op = predicate.op == ExprOp::kLt || predicate.op == ExprOp::kLtEq ? ExprOp::kLtEq
                                                                            : ExprOp::kGtEq;
      return out;
    }
    case ExprOp::kStartsWith: {
      auto width = Width(transform, "truncate");
      const auto* prefix = std::get_if<std::string>(&predicate.values.at(0).value);
      if (!width || !prefix || predicate.type != "string") return std::nullopt;
      if (CodePoints(*prefix) >= *width) {  // every match truncates to the prefix's truncation
        out.op = ExprOp::kEq;
        out.values.push_back(Literal{partition_type, TruncateUtf8(*prefix, *width)});
        return out;
      }
      out.values.push_back(Literal{partition_type, *prefix});
      return out;  // a shorter prefix: every match's truncation still starts with it
    }
    default:
      return std::nullopt;  // not-eq, not-in, not-starts-with, NaN tests: nothing safe to say
  }
}

}  // namespace pangolin::iceberg
