// Parsing of local FileIO locations and small POSIX helpers (file descriptors, fsync) for the
// local FileIO.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::storage::local_internal {

// A parsed location: `scheme` ("file://", "file:" or "") followed by the absolute `path`.
struct LocalPath {
  std::string scheme;
  std::string path;
  std::string Location(std::string_view other_path) const {
    return scheme + std::string(other_path);
  }
};

bool IsLocalLocation(std::string_view location);
// Errors: kInvalidArgument (not a local absolute location, or a `..` segment, or NUL).
Result<LocalPath> ParseLocation(std::string_view location);

// An owned file descriptor; closed on destruction.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// An error for the current errno: kNotFound for ENOENT/ENOTDIR, kIo otherwise.
Error ErrnoError(std::string_view what, std::string_view path);
// fsyncs the directory `dir` so that entries created in it are durable.
Status SyncDirectory(const std::string& dir);
// Creates `dir` and its missing ancestors, syncing each parent that gained an entry.
Status MakeDirectories(const std::string& dir);

}  // namespace pangolin::storage::local_internal
