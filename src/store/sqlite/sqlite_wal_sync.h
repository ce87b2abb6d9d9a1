// Group commit. The writer connection commits without syncing (synchronous=NORMAL) under the
// store's write lock; each writer then waits, outside the lock, until the WAL is synced past its
// commit, and one fdatasync serves every writer that waits meanwhile. A commit is acknowledged
// only once it is durable, as with synchronous=FULL, but the next writer no longer waits for the
// sync of the one before. Other connections may read a commit before its sync is over: after a
// power loss they may have seen a change that is gone, one whose writer was never acknowledged.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"

namespace pangolin::store::sqlite_internal {

class WalSync {
 public:
  // Opens the WAL of the database at `db_path`, which exists once the database is in WAL mode.
  // Errors: kUnavailable.
  static Result<std::unique_ptr<WalSync>> Open(const std::string& db_path);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Call under the write lock after each COMMIT: the number of the commit just written.
  uint64_t Committed() { return ++committed_; }
  // Returns once commit `number` and every one before it are durable. Errors:
  // kCommitStateUnknown (the sync failed: the commits are visible, but whether they survive a
  // power loss is unknown).
  Status Through(uint64_t number);

 private:
  explicit WalSync(int fd) : fd_(fd) {}
  int fd_;
  std::atomic<uint64_t> committed_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t synced_ = 0;
  bool syncing_ = false;
};

}  // namespace pangolin::store::sqlite_internal
