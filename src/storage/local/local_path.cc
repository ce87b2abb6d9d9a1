// Location parsing and POSIX helpers of the local FileIO.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

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

namespace {

// The type of the file system mounted from device `dev` ("ext4", "xfs", ...), from
// /proc/self/mountinfo ("36 35 98:0 /root /mnt rw,noatime master:1 - ext4 /dev/vda rw"); "" when
// no mount names that device.
std::string MountedType(dev_t dev) {
  std::ifstream mounts("/proc/self/mountinfo");
  const std::string device = fmt::format("{}:{}", major(dev), minor(dev));
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string id, parent, numbers;
    fields >> id >> parent >> numbers;
    if (numbers != device) continue;
    size_t separator = line.find(" - ");
    if (separator == std::string::npos) continue;
    std::istringstream rest(line.substr(separator + 3));
    std::string type;
    rest >> type;
    return type;
  }
  return "";
}

}  // namespace

bool FsyncPersistsNewName(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return false;
  static std::mutex mu;
  static std::map<dev_t, bool> known;
  std::lock_guard lock(mu);
  auto found = known.find(info.st_dev);
  if (found != known.end()) return found->second;
  std::string type = MountedType(info.st_dev);
  bool persists = type == "ext4" || type == "xfs" || type == "btrfs";
  known.emplace(info.st_dev, persists);
  return persists;
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
