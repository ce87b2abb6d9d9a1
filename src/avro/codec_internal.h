// Block codecs of Avro container files. Module-private.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::avro::internal {

// Ok for the codecs this build decodes ("null", "deflate", "zstandard", "snappy").
// Errors: kUnsupported naming the codec (bzip2, xz or an unknown name).
Status CheckCodec(std::string_view codec);

// Decompresses one block of `codec` (which passed CheckCodec) into `out`.
// Errors: kBadRequest for data that does not decompress or expands beyond `max_size` bytes.
Status Decompress(std::string_view codec, std::string_view block, size_t max_size,
                  std::string* out);

}  // namespace pangolin::avro::internal
