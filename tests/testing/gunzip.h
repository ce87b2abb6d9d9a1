// Decoding of gzip answers as HTTP clients decode them, for tests of what the server compresses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pangolin::testing {

// The text of the one gzip member `data` holds; nullopt unless the member is valid, whole, and
// alone (nothing after it).
std::optional<std::string> Gunzip(std::string_view data);

}  // namespace pangolin::testing
