#include "store/sqlite/sqlite_wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pangolin::store::sqlite_internal {

Result<std::unique_ptr<WalSync>> WalSync::Open(const std::string& db_path) {
  std::string wal = db_path + "-wal";
  int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Err(ErrorCode::kUnavailable, "SQLite: cannot open the WAL {}: {}", wal,
               std::strerror(errno));
  }
  return std::unique_ptr<WalSync>(new WalSync(fd));
}

WalSync::~WalSync() { ::close(fd_); }

Status WalSync::Through(uint64_t number) {
  std::unique_lock lock(mu_);
  while (synced_ < number) {
    if (syncing_) {
      cv_.wait(lock);
      continue;
    }
    // Everything committed until now is in the WAL file: this sync makes all of it durable.
    syncing_ = true;
    uint64_t target = committed_.load();
    lock.unlock();
    int rc = ::fdatasync(fd_);
    int error = errno;
    lock.lock();
    syncing_ = false;
    cv_.notify_all();
    if (rc != 0) {
      return Err(ErrorCode::kCommitStateUnknown,
                 "SQLite: cannot sync the WAL ({}): the change is written but may not survive a "
                 "power loss",
                 std::strerror(error));
    }
    synced_ = std::max(synced_, target);
  }
  return Ok();
}

}  // namespace pangolin::store::sqlite_internal
