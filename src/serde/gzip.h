// gzip compression for `.gz.metadata.json` files (zlib).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::serde {

// Decompresses gzip (or zlib) data; concatenated gzip members are all decoded.
// Errors: kBadRequest when `data` is not valid compressed data.
Result<std::string> Gunzip(std::string_view data);
// Compresses `data` as a single gzip member.
std::string Gzip(std::string_view data);

}  // namespace pangolin::serde
