// Checked-in files the tests read (fixtures under src/*/testdata), found from the source tree's
// root as CMake knows it, not from __FILE__ (which a compiler cache may have made relative).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pangolin::testing {

// The bytes of `relative` (a path from the source tree's root); nullopt when it cannot be read.
std::optional<std::string> ReadSourceFile(std::string_view relative);

}  // namespace pangolin::testing
