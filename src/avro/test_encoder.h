// Test support: builds Avro binary encodings and container files byte by byte, so decoder tests
// can state exactly what they feed in (including corrupt input). Header-only; tests only.
#pragma once

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pangolin::avro::testing {

// Zig-zag varint of `value` (Avro int and long).
inline std::string Long(int64_t value) {
  uint64_t raw = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  std::string out;
  do {
    auto byte = static_cast<unsigned char>(raw & 0x7F);
    raw >>= 7;
    if (raw != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (raw != 0);
  return out;
}

// A length-prefixed string or bytes value.
inline std::string Str(std::string_view text) {
  return Long(static_cast<int64_t>(text.size())) + std::string(text);
}

inline std::string Float(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  return out;
}

inline std::string Double(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  return out;
}

// Raw deflate (no zlib header or trailer), as Avro's "deflate" codec stores blocks.
inline std::string RawDeflate(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// One zstd frame, as Avro's "zstandard" codec stores blocks.
inline std::string Zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

// A raw snappy block and the big-endian CRC-32 of `data`, as Avro's "snappy" codec stores blocks.
inline std::string Snappy(std::string_view data) {
  size_t size = snappy_max_compressed_length(data.size());
  std::string out(size, '\0');
  snappy_compress(data.data(), data.size(), out.data(), &size);
  out.resize(size);
  auto crc = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(crc >> shift));
  return out;
}

// `data` compressed as `codec` stores it ("null" and unknown codecs: unchanged).
inline std::string Compress(std::string_view data, std::string_view codec) {
  if (codec == "deflate") return RawDeflate(data);
  if (codec == "zstandard") return Zstd(data);
  if (codec == "snappy") return Snappy(data);
  return std::string(data);
}

inline const std::string& DefaultSync() {
  static const std::string sync = "0123456789abcdef";
  return sync;
}

// One data block: its record count and the concatenated encoded records.
struct Block {
  int64_t count = 0;
  std::string data;
};

// A container file header: magic, metadata (avro.schema, avro.codec unless empty, `extra`), sync.
inline std::string Header(std::string_view schema, std::string_view codec = "null",
                          const std::vector<std::pair<std::string, std::string>>& extra = {},
                          const std::string& sync = DefaultSync()) {
  std::vector<std::pair<std::string, std::string>> entries = {{"avro.schema", std::string(schema)}};
  if (!codec.empty()) entries.emplace_back("avro.codec", std::string(codec));
  entries.insert(entries.end(), extra.begin(), extra.end());
  std::string out("Obj\x01", 4);
  out += Long(static_cast<int64_t>(entries.size()));
  for (const auto& [key, value] : entries) out += Str(key) + Str(value);
  out += Long(0);
  return out + sync;
}

// A block as stored: count, byte size, data (compressed as `codec` says), sync.
inline std::string EncodeBlock(const Block& block, std::string_view codec = "null",
                               const std::string& sync = DefaultSync()) {
  std::string data = Compress(block.data, codec);
  return Long(block.count) + Long(static_cast<int64_t>(data.size())) + data + sync;
}

// A whole container file.
inline std::string Container(std::string_view schema, const std::vector<Block>& blocks,
                             std::string_view codec = "null",
                             const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  std::string out = Header(schema, codec, extra);
  for (const Block& block : blocks) out += EncodeBlock(block, codec);
  return out;
}

}  // namespace pangolin::avro::testing
