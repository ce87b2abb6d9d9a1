// Local-only FileIO behaviour beyond the contract: location forms, temp-file hygiene, refusals.
#include "storage/local/local_file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/local/local_path_internal.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::storage {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

class LocalFileIOTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto io = MakeLocalFileIO();
    ASSERT_TRUE(io);
    io_ = std::move(*io);
    dir_path_ = dir_.path().string();
  }
  testing::TempDir dir_;
  std::string dir_path_;
  std::unique_ptr<FileIO> io_;
};

TEST_F(LocalFileIOTest, AcceptsEveryLocalLocationForm) {
  ASSERT_THAT(io_->WriteNew("file://" + dir_path_ + "/a", "1"), IsOk());
  EXPECT_THAT(io_->Read("file:" + dir_path_ + "/a"), ::testing::Optional(std::string("1")));
  EXPECT_THAT(io_->Read(dir_path_ + "/a"), ::testing::Optional(std::string("1")));
  EXPECT_THAT(io_->Read("file://localhost" + dir_path_ + "/a"),
              ::testing::Optional(std::string("1")));
  EXPECT_THAT(io_->WriteNew(dir_path_ + "/a", "2"), IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(io_->Read("file://otherhost" + dir_path_ + "/a"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(io_->Handles("file:/x") && io_->Handles("/x") && !io_->Handles("gs://b/x"));
}

TEST_F(LocalFileIOTest, ListKeepsTheFormOfThePrefix) {
  ASSERT_THAT(io_->WriteNew(dir_path_ + "/d/f", "x"), IsOk());
  for (const std::string scheme : {"", "file:", "file://"}) {
    auto files = io_->List(scheme + dir_path_ + "/d/");
    ASSERT_THAT(files, IsOk());
    ASSERT_EQ(files->size(), 1u);
    EXPECT_EQ(files->front().location, scheme + dir_path_ + "/d/f");
    EXPECT_EQ(files->front().size, 1);
  }
}

TEST_F(LocalFileIOTest, LeavesNoTemporaryFilesBehind) {
  ASSERT_THAT(io_->WriteNew(dir_path_ + "/deep/er/f", "x"), IsOk());
  EXPECT_THAT(io_->WriteNew(dir_path_ + "/deep/er/f", "y"), IsError(ErrorCode::kAlreadyExists));
  int entries = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (entry.is_regular_file()) ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(LocalFileIOTest, RefusesDangerousOrMeaninglessRequests) {
  EXPECT_THAT(io_->DeletePrefix("file:///"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io_->DeletePrefix("/"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io_->DeletePrefix(dir_path_ + "/x/../.."), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io_->List("relative/"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io_->WriteNew(dir_path_ + "/dir/", "x"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io_->Read(dir_path_), IsError(ErrorCode::kNotFound));  // a directory is no object
  ASSERT_THAT(io_->WriteNew(dir_path_ + "/file", "x"), IsOk());
  EXPECT_THAT(io_->WriteNew(dir_path_ + "/file/child", "x"), IsError(ErrorCode::kIo));
}

// Only the file systems whose fsync makes a new name durable skip the directory's sync: never
// tmpfs or procfs, which are not among them, and whose files WriteNew still writes whole.
TEST_F(LocalFileIOTest, SyncsTheDirectoryUnlessTheFileSystemNeedsNot) {
  int proc = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(proc, 0);
  EXPECT_FALSE(local_internal::FsyncPersistsNewName(proc));
  ::close(proc);
  if (!std::filesystem::is_directory("/dev/shm")) GTEST_SKIP() << "no /dev/shm";
  testing::TempDir shm("/dev/shm");
  std::string path = shm.path().string() + "/m/f";
  ASSERT_THAT(io_->WriteNew(path, "x"), IsOk());
  EXPECT_THAT(io_->Read(path), ::testing::Optional(std::string("x")));
  int file = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(file, 0);
  EXPECT_FALSE(local_internal::FsyncPersistsNewName(file));
  ::close(file);
}

}  // namespace
}  // namespace pangolin::storage
