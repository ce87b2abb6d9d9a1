// zlib-based gzip codec: windowBits 15+16 writes a gzip header, 15+32 detects gzip or zlib.
#include "serde/gzip.h"

#include <zlib.h>

namespace pangolin::serde {

namespace {
constexpr size_t kChunk = 64 * 1024;

Result<std::string> Inflate(std::string_view data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK)
    return Err(ErrorCode::kInternal, "inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[kChunk];
  int rc = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = kChunk;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, kChunk - stream.avail_out);
    if (rc == Z_STREAM_END && stream.avail_in > 0) {
      rc = inflateReset(&stream);  // another gzip member follows
      if (rc != Z_OK) break;
      continue;
    }
    if (rc != Z_OK) break;
    if (stream.avail_in == 0 && stream.avail_out != 0) break;  // truncated input
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return Err(ErrorCode::kBadRequest, "Invalid gzip data");
  return out;
}
}  // namespace

Result<std::string> Gunzip(std::string_view data) { return Inflate(data); }

std::string Gzip(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[kChunk];
  int rc = Z_OK;
  do {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = kChunk;
    rc = deflate(&stream, Z_FINISH);
    out.append(buffer, kChunk - stream.avail_out);
  } while (rc == Z_OK);
  deflateEnd(&stream);
  return out;
}

}  // namespace pangolin::serde
