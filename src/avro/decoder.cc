// Avro binary decoding (Avro 1.11 specification, "Binary Encoding").
#include "avro/decoder.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace pangolin::avro {

namespace {

// Reserve no more than this many items ahead of decoding them: a count is checked against the
// remaining bytes, but a full reservation would still cost sizeof(Value) per byte.
constexpr uint64_t kMaxReserve = 1024;

tl::unexpected<Error> Corrupt(std::string_view what, size_t position) {
  return Err(ErrorCode::kBadRequest, "Invalid Avro data at byte {}: {}", position, what);
}

uint64_t LittleEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i > 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i - 1]);
  }
  return value;
}

}  // namespace

Result<int64_t> Decoder::ReadLong() {
  uint64_t raw = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= data_.size()) return Corrupt("truncated varint", pos_);
    auto byte = static_cast<unsigned char>(data_[pos_++]);
    if (shift == 63 && (byte & 0x7E) != 0) return Corrupt("varint overflows 64 bits", pos_);
    raw |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));  // zig-zag
    }
  }
  return Corrupt("varint longer than 10 bytes", pos_);
}

Result<int32_t> Decoder::ReadInt() {
  ASSIGN_OR_RETURN(int64_t value, ReadLong());
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return Corrupt("int out of range", pos_);
  }
  return static_cast<int32_t>(value);
}

Result<bool> Decoder::ReadBoolean() {
  if (pos_ >= data_.size()) return Corrupt("truncated boolean", pos_);
  auto byte = static_cast<unsigned char>(data_[pos_++]);
  if (byte > 1) return Corrupt("boolean byte is neither 0 nor 1", pos_ - 1);
  return byte == 1;
}

Result<float> Decoder::ReadFloat() {
  ASSIGN_OR_RETURN(std::string_view bytes, ReadFixed(4));
  auto bits = static_cast<uint32_t>(LittleEndian(bytes));
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

Result<double> Decoder::ReadDouble() {
  ASSIGN_OR_RETURN(std::string_view bytes, ReadFixed(8));
  uint64_t bits = LittleEndian(bytes);
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

Result<std::string_view> Decoder::ReadBytes() {
  size_t start = pos_;
  ASSIGN_OR_RETURN(int64_t length, ReadLong());
  if (length < 0) return Corrupt("negative length", start);
  if (static_cast<uint64_t>(length) > remaining()) {
    return Corrupt(fmt::format("length {} exceeds the {} remaining bytes", length, remaining()),
                   start);
  }
  return ReadFixed(static_cast<size_t>(length));
}

Result<std::string_view> Decoder::ReadFixed(size_t size) {
  if (size > remaining()) return Corrupt("truncated data", pos_);
  std::string_view out = data_.substr(pos_, size);
  pos_ += size;
  return out;
}

Status ValueReader::CheckCount(const Node& schema, uint64_t count, const Decoder& in) {
  if (schema.min_encoded_size > 0) {
    if (count > in.remaining() / schema.min_encoded_size) {
      return Corrupt(
          fmt::format("count {} cannot fit in the {} remaining bytes", count, in.remaining()),
          in.position());
    }
    return Ok();
  }
  // Zero-size items cost decoding work without consuming input: charge their weight.
  uint64_t weight = std::max<uint64_t>(schema.value_weight, 1);
  if (count > zero_size_budget_ / weight) {
    return Corrupt(fmt::format("count {} of zero-size items exceeds the limit", count),
                   in.position());
  }
  zero_size_budget_ -= count * weight;
  return Ok();
}

Result<uint64_t> ValueReader::ReadBlockCount(const Node& items, Decoder& in) {
  size_t start = in.position();
  ASSIGN_OR_RETURN(int64_t count, in.ReadLong());
  if (count < 0) {
    if (count == std::numeric_limits<int64_t>::min()) return Corrupt("invalid block count", start);
    count = -count;
    ASSIGN_OR_RETURN(int64_t byte_size, in.ReadLong());  // lets writers skip; not needed here
    if (byte_size < 0 || static_cast<uint64_t>(byte_size) > in.remaining()) {
      return Corrupt("invalid block byte size", start);
    }
  }
  RETURN_IF_ERROR(CheckCount(items, static_cast<uint64_t>(count), in));
  return static_cast<uint64_t>(count);
}

Result<Value> ValueReader::ReadArray(const Node& schema, Decoder& in) {
  Array items;
  while (true) {
    ASSIGN_OR_RETURN(uint64_t count, ReadBlockCount(*schema.items, in));
    if (count == 0) break;
    items.reserve(items.size() + static_cast<size_t>(std::min(count, kMaxReserve)));
    for (uint64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(Value item, Read(schema.items, in));
      items.push_back(std::move(item));
    }
  }
  return Value{std::move(items)};
}

Result<Value> ValueReader::ReadMap(const Node& schema, Decoder& in) {
  Map entries;
  // An entry is a string key (one byte at least) followed by a value.
  Node entry;
  entry.min_encoded_size = 1 + schema.items->min_encoded_size;
  while (true) {
    ASSIGN_OR_RETURN(uint64_t count, ReadBlockCount(entry, in));
    if (count == 0) break;
    entries.reserve(entries.size() + static_cast<size_t>(std::min(count, kMaxReserve)));
    for (uint64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(std::string_view key, in.ReadBytes());
      ASSIGN_OR_RETURN(Value value, Read(schema.items, in));
      entries.emplace_back(std::string(key), std::move(value));
    }
  }
  return Value{std::move(entries)};
}

Result<Value> ValueReader::ReadRecord(const NodePtr& schema, Decoder& in) {
  Record record;
  record.schema = schema;
  record.fields.reserve(schema->fields.size());
  for (const Field& field : schema->fields) {
    ASSIGN_OR_RETURN(Value value, Read(field.type, in));
    record.fields.push_back(std::move(value));
  }
  return Value{std::move(record)};
}

Result<Value> ValueReader::Read(const NodePtr& schema, Decoder& in) {
  switch (schema->type) {
    case Type::kNull:
      return Value{};
    case Type::kBoolean: {
      ASSIGN_OR_RETURN(bool value, in.ReadBoolean());
      return Value{value};
    }
    case Type::kInt: {
      ASSIGN_OR_RETURN(int32_t value, in.ReadInt());
      return Value{int64_t{value}};
    }
    case Type::kLong: {
      ASSIGN_OR_RETURN(int64_t value, in.ReadLong());
      return Value{value};
    }
    case Type::kFloat: {
      ASSIGN_OR_RETURN(float value, in.ReadFloat());
      return Value{static_cast<double>(value)};
    }
    case Type::kDouble: {
      ASSIGN_OR_RETURN(double value, in.ReadDouble());
      return Value{value};
    }
    case Type::kBytes: {
      ASSIGN_OR_RETURN(std::string_view value, in.ReadBytes());
      return Value{Bytes{std::string(value)}};
    }
    case Type::kString: {
      ASSIGN_OR_RETURN(std::string_view value, in.ReadBytes());
      return Value{std::string(value)};
    }
    case Type::kFixed: {
      ASSIGN_OR_RETURN(std::string_view value, in.ReadFixed(static_cast<size_t>(schema->size)));
      return Value{Bytes{std::string(value)}};
    }
    case Type::kEnum: {
      size_t start = in.position();
      ASSIGN_OR_RETURN(int32_t index, in.ReadInt());
      if (index < 0 || static_cast<size_t>(index) >= schema->symbols.size()) {
        return Corrupt(fmt::format("enum ordinal {} out of range", index), start);
      }
      return Value{schema->symbols[static_cast<size_t>(index)]};
    }
    case Type::kUnion: {
      size_t start = in.position();
      ASSIGN_OR_RETURN(int64_t index, in.ReadLong());
      if (index < 0 || static_cast<uint64_t>(index) >= schema->branches.size()) {
        return Corrupt(fmt::format("union branch {} out of range", index), start);
      }
      return Read(schema->branches[static_cast<size_t>(index)], in);
    }
    case Type::kRecord:
      return ReadRecord(schema, in);
    case Type::kArray:
      return ReadArray(*schema, in);
    case Type::kMap:
      return ReadMap(*schema, in);
  }
  return Err(ErrorCode::kInternal, "unknown Avro type");
}

}  // namespace pangolin::avro
