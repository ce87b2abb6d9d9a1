// The FileIO contract over the local filesystem.
#include "contract/file_io_contract.h"
#include "storage/local/local_file_io.h"
#include "testing/temp_dir.h"

namespace pangolin::storage {
namespace {

struct LocalFactory {
  Result<std::unique_ptr<FileIO>> Make() { return MakeLocalFileIO(); }
  std::string Root() { return "file://" + dir.path().string(); }
  std::vector<std::string> BadLocations(const std::string& root) {
    return {"relative/path", "file:relative", root + "/a/../b", "s3://bucket/key", ""};
  }
  std::string ForeignLocation() { return "s3://bucket/key"; }

  testing::TempDir dir;
};

INSTANTIATE_TYPED_TEST_SUITE_P(Local, FileIOContract, LocalFactory);

}  // namespace
}  // namespace pangolin::storage
