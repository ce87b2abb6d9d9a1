// Location parsing and POSIX helpers of the local FileIO.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"
#include "storage/local/local_path_internal.h"

namespace pangolin::storage::local_internal {

bool IsLocalLocation(std::string_view location) {
  return StartsWith(location, "file:") || StartsWith(location, "/");
}

Result<LocalPath> ParseLocation(std::string_view location) {
  LocalPath parsed;
  std::string_view rest = location;
  if (StartsWith(rest, "file://")) {
    rest.remove_prefix(7);
    if (StartsWith(rest, "localhost/")) rest.remove_prefix(9);
    parsed.scheme = std::string(location.substr(0, location.size() - rest.size()));
  } else if (StartsWith(rest, "file:")) {
    rest.remove_prefix(5);
    parsed.scheme = "file:";
  }
  if (!StartsWith(rest, "/")) {
    return Err(ErrorCode::kInvalidArgument, "Not a local absolute location: {}", location);
  }
  if (rest.find('\0') != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "Location contains a NUL byte: {}", location);
  }
  for (const auto& segment : Split(rest, "/")) {
    if (segment == "..") {
      return Err(ErrorCode::kInvalidArgument, "Location contains a '..' segment: {}", location);
    }
  }
  parsed.path = std::string(rest);
  return parsed;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Error ErrnoError(std::string_view what, std::string_view path) {
  int error = errno;
  ErrorCode code = (error == ENOENT || error == ENOTDIR) ? ErrorCode::kNotFound : ErrorCode::kIo;
  return Error{code, fmt::format("{} {}: {}", what, path, std::strerror(error))};
}

Status SyncDirectory(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    Error error = ErrnoError("sync directory", dir);
    return MakeError(ErrorCode::kIo, error.message);
  }
  return Ok();
}

Status MakeDirectories(const std::string& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return Ok();
    return Err(ErrorCode::kIo, "Not a directory: {}", dir);
  }
  size_t slash = dir.find_last_of('/');
  std::string parent = slash == 0 ? "/" : dir.substr(0, slash);
  if (slash != std::string::npos && parent != dir) RETURN_IF_ERROR(MakeDirectories(parent));
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    Error error = ErrnoError("create directory", dir);
    return MakeError(ErrorCode::kIo, error.message);
  }
  return SyncDirectory(parent);
}

}  // namespace pangolin::storage::local_internal
