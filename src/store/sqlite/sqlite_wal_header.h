// WalHeader: whether anything was committed to a database in WAL mode since an earlier look,
// from the WAL-index header in shared memory (https://www.sqlite.org/walformat.html), without a
// read transaction. Every commit, by any connection of any process, rewrites that header (the
// WAL's last frame, its checksum, and after a restart of the WAL new salts), so two equal looks
// mean the same committed state. CommittedReads uses it to answer reads again, with no SQLite
// call, for as long as the header does not move.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/sqlite/sqlite_db_internal.h"

namespace pangolin::store::sqlite_internal {

class WalHeader {
 public:
  // The committed state as of now; nullopt while a commit is rewriting the header (or where the
  // header cannot be read), which callers take as "changed".
  using Look = std::array<uint8_t, 48>;
  std::optional<Look> Now() const;

  // Watches the database of `conn`, a connection in WAL mode that stays open as long as this
  // (SQLite's own mapping of the header is read). Null where the VFS gives no shared memory.
  static std::unique_ptr<WalHeader> Watch(Connection& conn);

 private:
  explicit WalHeader(const volatile uint8_t* header) : header_(header) {}
  const volatile uint8_t* header_;
};

// Values read in the committed state the header shows now, by key: a read between two equal
// looks at the header is kept, and answered again until anything is committed (then all are
// dropped, and freed outside the lock). Kept values weigh at most `capacity` together (each weighs
// 1 unless a weight is given): once full, later reads are not kept, so that reads spread over more
// keys than that cost a lookup and nothing more. Thread-safe.
template <typename Value>
class CommittedReads {
 public:
  using Weight = size_t (*)(const Value&);

  // `header` may be null: every Get reads.
  CommittedReads(const WalHeader* header, size_t capacity, Weight weight = nullptr)
      : header_(header), capacity_(capacity), weight_(weight) {}

  // The value kept for `key`, or `read()` (a read transaction of its own, or several).
  template <typename Read>
  Result<Value> Get(const std::string& key, Read&& read) {
    std::optional<WalHeader::Look> before = header_ ? header_->Now() : std::nullopt;
    if (!before) return read();
    std::unordered_map<std::string, Value> stale;  // freed after the lock is released
    {
      std::lock_guard lock(mu_);
      if (look_ != before) {
        stale.swap(values_);
        kept_.store(0, std::memory_order_relaxed);
        look_ = before;
      } else if (auto kept = values_.find(key); kept != values_.end()) {
        return kept->second;
      }
    }
    auto value = read();
    if (value && header_->Now() == before) {
      size_t weight = weight_ ? weight_(*value) : 1;
      // Full already: no copy (a glance; the lock decides).
      if (kept_.load(std::memory_order_relaxed) + weight > capacity_) return value;
      Value copy = *value;  // made before the lock is taken
      std::lock_guard lock(mu_);
      size_t kept = kept_.load(std::memory_order_relaxed);
      if (look_ == before && kept + weight <= capacity_ &&
          values_.try_emplace(key, std::move(copy)).second) {
        kept_.store(kept + weight, std::memory_order_relaxed);
      }
    }
    return value;
  }

 private:
  const WalHeader* header_;
  const size_t capacity_;
  const Weight weight_;
  std::mutex mu_;
  std::optional<WalHeader::Look> look_;  // the state `values_` were read in
  std::unordered_map<std::string, Value> values_;
  std::atomic<size_t> kept_{0};  // the weight of `values_`; changed under `mu_`
};

}  // namespace pangolin::store::sqlite_internal
