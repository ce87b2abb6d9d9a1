// Avro block codecs: "deflate" is raw RFC 1951 data (no zlib header or checksum). Writers differ
// in what follows the deflate stream (PyIceberg leaves part of a zlib checksum), so bytes after
// the end of the stream are ignored, as Avro's own readers do. "zstandard" is one zstd frame;
// "snappy" is a raw snappy block followed by the big-endian CRC-32 of the uncompressed data.
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>

#include "avro/codec_internal.h"

namespace pangolin::avro::internal {

namespace {

constexpr size_t kChunk = 64 * 1024;

Status InflateRaw(std::string_view data, size_t max_size, std::string* out) {
  if (data.size() > UINT32_MAX) return Err(ErrorCode::kBadRequest, "Avro block too large");
  z_stream stream{};
  if (inflateInit2(&stream, -15) != Z_OK) return Err(ErrorCode::kInternal, "inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  out->clear();
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out->size() > max_size) break;
    size_t used = out->size();
    out->resize(used + kChunk);
    stream.next_out = reinterpret_cast<Bytef*>(out->data() + used);
    stream.avail_out = static_cast<uInt>(kChunk);
    rc = inflate(&stream, Z_NO_FLUSH);
    out->resize(used + (kChunk - stream.avail_out));
    if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) rc = Z_BUF_ERROR;  // truncated
  }
  inflateEnd(&stream);
  if (out->size() > max_size) {
    return Err(ErrorCode::kBadRequest, "Avro block decompresses to more than {} bytes", max_size);
  }
  if (rc != Z_STREAM_END) return Err(ErrorCode::kBadRequest, "Invalid Avro deflate block");
  return Ok();
}

Status Unzstd(std::string_view data, size_t max_size, std::string* out) {
  ZSTD_DStream* stream = ZSTD_createDStream();
  if (stream == nullptr) return Err(ErrorCode::kInternal, "ZSTD_createDStream failed");
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  out->clear();
  size_t rc = 1;
  while (rc != 0) {
    if (out->size() > max_size) break;
    size_t used = out->size();
    out->resize(used + kChunk);
    ZSTD_outBuffer buffer{out->data() + used, kChunk, 0};
    rc = ZSTD_decompressStream(stream, &buffer, &in);
    out->resize(used + buffer.pos);
    if (ZSTD_isError(rc)) break;
    if (rc != 0 && in.pos == in.size && buffer.pos < kChunk) break;  // truncated
  }
  ZSTD_freeDStream(stream);
  if (out->size() > max_size) {
    return Err(ErrorCode::kBadRequest, "Avro block decompresses to more than {} bytes", max_size);
  }
  if (rc != 0) return Err(ErrorCode::kBadRequest, "Invalid Avro zstandard block");
  return Ok();
}

Status Unsnappy(std::string_view data, size_t max_size, std::string* out) {
  if (data.size() < 4) return Err(ErrorCode::kBadRequest, "Invalid Avro snappy block");
  std::string_view compressed = data.substr(0, data.size() - 4);
  size_t length = 0;
  if (snappy_uncompressed_length(compressed.data(), compressed.size(), &length) != SNAPPY_OK) {
    return Err(ErrorCode::kBadRequest, "Invalid Avro snappy block");
  }
  if (length > max_size) {
    return Err(ErrorCode::kBadRequest, "Avro block decompresses to more than {} bytes", max_size);
  }
  out->resize(length);
  if (snappy_uncompress(compressed.data(), compressed.size(), out->data(), &length) != SNAPPY_OK) {
    return Err(ErrorCode::kBadRequest, "Invalid Avro snappy block");
  }
  out->resize(length);
  const auto* tail = reinterpret_cast<const unsigned char*>(data.data() + data.size() - 4);
  uint32_t expected = (uint32_t{tail[0]} << 24) | (uint32_t{tail[1]} << 16) |
                      (uint32_t{tail[2]} << 8) | uint32_t{tail[3]};
  uLong actual =
      crc32(0L, reinterpret_cast<const Bytef*>(out->data()), static_cast<uInt>(out->size()));
  if (actual != expected) return Err(ErrorCode::kBadRequest, "Avro snappy block checksum mismatch");
  return Ok();
}

}  // namespace

Status CheckCodec(std::string_view codec) {
  if (codec == "null" || codec == "deflate" || codec == "zstandard" || codec == "snappy") {
    return Ok();
  }
  for (std::string_view known : {"bzip2", "xz"}) {
    if (codec == known) {
      return Err(ErrorCode::kUnsupported,
                 "Avro codec '{}' is not supported (this build decodes null, deflate, zstandard "
                 "and snappy)",
                 codec);
    }
  }
  return Err(ErrorCode::kUnsupported, "Unknown Avro codec '{}'", codec);
}

Status Decompress(std::string_view codec, std::string_view block, size_t max_size,
                  std::string* out) {
  if (codec == "deflate") return InflateRaw(block, max_size, out);
  if (codec == "zstandard") return Unzstd(block, max_size, out);
  if (codec == "snappy") return Unsnappy(block, max_size, out);
  RETURN_IF_ERROR(CheckCodec(codec));
  out->assign(block);
  return Ok();
}

}  // namespace pangolin::avro::internal
