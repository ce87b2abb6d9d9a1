// Temp directories for tests.
#include "testing/temp_dir.h"

#include "common/ids.h"

namespace pangolin::testing {

TempDir::TempDir() : TempDir(std::filesystem::temp_directory_path()) {}

TempDir::TempDir(const std::filesystem::path& parent)
    : path_(parent / ("pangolin-test-" + NewUuid())) {
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace pangolin::testing
