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
// Whether the file system holding the open file `fd` makes a name just linked to that file
// durable when the file is fsynced: ext4 (without a journal its fsync syncs the directory of a new
// entry, with one it commits the transaction that made the entry), XFS (it forces the log past
// the link) and Btrfs (it logs the inode's new names). Anywhere else, or where the file system
// cannot be told, false: the directory must be synced as well. Looked up once per device.
bool FsyncPersistsNewName(int fd);
// Creates `dir` and its missing ancestors, syncing each parent that gained an entry.
Status MakeDirectories(const std::string& dir);

}  // namespace pangolin::storage::local_internal
