// gzip answers assembled from pieces compressed apart: each piece is a run of raw deflate blocks
// that ends on a byte boundary without a final block, so pieces can follow one another in one
// stream. The piece of a cached text (a table's metadata) is compressed once and kept; the texts
// around it, fresh on every answer, are compressed apart (stored, when short).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>

namespace pangolin {

struct DeflatePiece {
  std::string bytes;  // raw deflate blocks, none of them final
  uint32_t crc = 0;   // CRC-32 of the text
  size_t length = 0;  // bytes of the text
};

// `text` as a piece: compressed (zlib level 1) when it is large enough to gain, else in stored
// blocks.
DeflatePiece Deflate(std::string_view text);

// The gzip member of the texts of some pieces, in order, is GzipStart(), then the pieces' bytes
// one after the other, then GzipEnd of those pieces.
std::string_view GzipStart();
std::string GzipEnd(std::initializer_list<const DeflatePiece*> pieces);

// The piece of an immutable text, made at its second use and kept: compressing a text sent once
// (a commit's answer) costs more CPU than sending it over a data-center network saves. Thread-safe.
class LazyDeflatePiece {
 public:
  // Texts shorter than this are not worth compressing.
  static constexpr size_t kWorthBytes = 1024;

  // `text` must be the same text at every call. Null while not worth it (short, first use).
  const DeflatePiece* Get(std::string_view text) const;

 private:
  mutable std::atomic<int> uses_{0};
  mutable std::once_flag made_;
  mutable DeflatePiece piece_;
};

}  // namespace pangolin
