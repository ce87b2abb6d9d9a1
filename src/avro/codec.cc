// Avro block codecs: "deflate" is raw RFC 1951 data (no zlib header or checksum). Writers differ
// in what follows the deflate stream (PyIceberg leaves part of a zlib checksum), so bytes after
// the end of the stream are ignored, as Avro's own readers do.
#include <zlib.h>

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

}  // namespace

Status CheckCodec(std::string_view codec) {
  if (codec == "null" || codec == "deflate") return Ok();
  for (std::string_view known : {"snappy", "zstandard", "bzip2", "xz"}) {
    if (codec == known) {
      return Err(ErrorCode::kUnsupported,
                 "Avro codec '{}' is not supported (this build decodes only 'null' and 'deflate')",
                 codec);
    }
  }
  return Err(ErrorCode::kUnsupported, "Unknown Avro codec '{}'", codec);
}

Status Decompress(std::string_view codec, std::string_view block, size_t max_size,
                  std::string* out) {
  if (codec == "deflate") return InflateRaw(block, max_size, out);
  RETURN_IF_ERROR(CheckCodec(codec));
  out->assign(block);
  return Ok();
}

}  // namespace pangolin::avro::internal
