// Avro binary decoding: primitive reads over a byte range (every read bounds-checked) and a
// generic decoder from a writer schema to a Value tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "avro/schema.h"
#include "avro/value.h"
#include "common/result.h"

namespace pangolin::avro {

// Reads the binary encoding of Avro primitives from `data`, which must outlive the decoder.
// Every read fails with kBadRequest instead of reading past the end or accepting a malformed
// varint; after a failure the position is unspecified.
class Decoder {
 public:
  // Reads `data` from byte `start` on (positions stay relative to the start of `data`).
  explicit Decoder(std::string_view data, size_t start = 0)
      : data_(data), pos_(start <= data.size() ? start : data.size()) {}

  Result<int64_t> ReadLong();  // zig-zag varint, at most 10 bytes
  Result<int32_t> ReadInt();   // zig-zag varint within the int32 range
  Result<bool> ReadBoolean();  // one byte, 0 or 1
  Result<float> ReadFloat();   // 4 bytes little-endian IEEE 754
  Result<double> ReadDouble();
  // A long length followed by that many bytes; the view points into the decoder's data.
  Result<std::string_view> ReadBytes();
  Result<std::string_view> ReadFixed(size_t size);

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Decodes values of a writer schema. An array or map block count is accepted only when its
// items could fit in the remaining bytes; items that may encode in zero bytes (nulls, empty
// records) draw on a budget instead, so no corrupt count allocates more than the input can
// justify. One ValueReader may decode many values; the budget spans them all.
class ValueReader {
 public:
  static constexpr uint64_t kDefaultZeroSizeItemBudget = uint64_t{1} << 20;
  explicit ValueReader(uint64_t zero_size_item_budget = kDefaultZeroSizeItemBudget)
      : zero_size_budget_(zero_size_item_budget) {}

  // Errors: kBadRequest for truncated or malformed data (a bad union index or enum ordinal, a
  // count that cannot fit, a negative length, an exhausted budget).
  Result<Value> Read(const NodePtr& schema, Decoder& in);
  // Checks that `count` values of `schema` can follow in `in` (see the class comment).
  Status CheckCount(const Node& schema, uint64_t count, const Decoder& in);

 private:
  Result<Value> ReadRecord(const NodePtr& schema, Decoder& in);
  Result<Value> ReadArray(const Node& schema, Decoder& in);
  Result<Value> ReadMap(const Node& schema, Decoder& in);
  // The item count of the next array/map block (0 at the end), skipping a block byte size.
  Result<uint64_t> ReadBlockCount(const Node& items, Decoder& in);

  uint64_t zero_size_budget_;
};

}  // namespace pangolin::avro
