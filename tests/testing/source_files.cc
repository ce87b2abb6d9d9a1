#include "testing/source_files.h"

#include <fstream>
#include <sstream>

namespace pangolin::testing {

std::optional<std::string> ReadSourceFile(std::string_view relative) {
  std::ifstream in(std::string(PANGOLIN_SOURCE_DIR) + "/" + std::string(relative),
                   std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace pangolin::testing
