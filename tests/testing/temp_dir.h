// A directory under the system temp dir (or under `parent`) that is removed, with its contents,
// on destruction.
#pragma once

#include <filesystem>

namespace pangolin::testing {

class TempDir {
 public:
  TempDir();
  explicit TempDir(const std::filesystem::path& parent);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace pangolin::testing
