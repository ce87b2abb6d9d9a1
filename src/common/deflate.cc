// Raw deflate (windowBits -15) with a sync flush at the end of each piece: the flush closes the
// piece's last block and pads to a byte with an empty stored block, and nothing in a piece refers
// back past its start, so pieces join. The member ends with an empty final block (fixed Huffman
// codes: the bits 1, 01 and the seven-bit end-of-block code, 0x03 0x00) and the gzip trailer.
#include "common/deflate.h"

#include <zlib.h>

#include <algorithm>

namespace pangolin {
namespace {

// Below this, compression gains too little to be worth the CPU; stored blocks cost 5 bytes each.
constexpr size_t kCompressFrom = 512;
constexpr size_t kStoredMax = 65535;

// One zlib compressor per thread, reset for each piece (initializing one clears 256 KB).
class Compressor {
 public:
  Compressor() { ok_ = deflateInit2(&stream_, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK; }
  ~Compressor() {
    if (ok_) deflateEnd(&stream_);
  }
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  // False when zlib failed (it cannot, short of memory): the caller stores the text instead.
  bool Compress(std::string_view text, std::string& out) {
    if (!ok_ || deflateReset(&stream_) != Z_OK) return false;
    out.resize(deflateBound(&stream_, text.size()) + 16);
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream_.avail_in = static_cast<uInt>(text.size());
    size_t written = 0;
    while (true) {
      stream_.next_out = reinterpret_cast<Bytef*>(out.data() + written);
      stream_.avail_out = static_cast<uInt>(out.size() - written);
      int rc = deflate(&stream_, Z_SYNC_FLUSH);
      written = out.size() - stream_.avail_out;
      if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
      if (stream_.avail_in == 0 && stream_.avail_out > 0) break;  // all in, flush complete
      out.resize(out.size() * 2);
    }
    out.resize(written);
    return true;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

void Store(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size() + (text.size() / kStoredMax + 1) * 5);
  for (size_t at = 0; at < text.size(); at += kStoredMax) {
    size_t n = std::min(kStoredMax, text.size() - at);
    // A stored block that is not final: the bits 0 and 00, padded to the byte; then LEN and its
    // complement, little-endian, and the bytes.
    const char header[5] = {0, static_cast<char>(n & 0xff), static_cast<char>(n >> 8),
                            static_cast<char>(~n & 0xff), static_cast<char>((~n >> 8) & 0xff)};
    out.append(header, 5).append(text.substr(at, n));
  }
}

void AppendLittleEndian(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

DeflatePiece Deflate(std::string_view text) {
  DeflatePiece piece;
  piece.length = text.size();
  piece.crc =
      static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
  thread_local Compressor compressor;
  if (text.size() < kCompressFrom || !compressor.Compress(text, piece.bytes)) {
    Store(text, piece.bytes);
  }
  return piece;
}

std::string_view GzipStart() {
  // Magic, deflate, no flags, no modification time, no extra flags, OS unknown.
  static constexpr char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
  return {kHeader, sizeof kHeader};
}

std::string GzipEnd(std::initializer_list<const DeflatePiece*> pieces) {
  uLong crc = crc32(0, nullptr, 0);
  size_t length = 0;
  for (const DeflatePiece* piece : pieces) {
    crc = crc32_combine(crc, piece->crc, static_cast<z_off_t>(piece->length));
    length += piece->length;
  }
  std::string out("\x03\x00", 2);
  AppendLittleEndian(out, static_cast<uint32_t>(crc));
  AppendLittleEndian(out, static_cast<uint32_t>(length));  // ISIZE: the length modulo 2^32
  return out;
}

const DeflatePiece* LazyDeflatePiece::Get(std::string_view text) const {
  if (text.size() < kWorthBytes) return nullptr;
  if (uses_.load(std::memory_order_relaxed) < 1 && uses_.fetch_add(1) < 1) return nullptr;
  std::call_once(made_, [&] { piece_ = Deflate(text); });
  return &piece_;
}

}  // namespace pangolin
