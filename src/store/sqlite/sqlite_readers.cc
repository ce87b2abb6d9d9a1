// ReaderPool: leases of read connections that keep their read transaction while nothing is
// committed. A deferred BEGIN starts reading at the first statement, on a state at least as new
// as the header looked before it; a commit in between moves the header, and the next lease
// starts over.
#include "store/sqlite/sqlite_readers.h"

#include <chrono>

namespace pangolin::store::sqlite_internal {
namespace {
constexpr auto kSweepEvery = std::chrono::milliseconds(250);
}  // namespace

ReaderPool::ReaderPool(const WalHeader* header) : header_(header) {
  if (header_) sweeper_ = std::thread([this] { Sweep(); });
}

ReaderPool::~ReaderPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

ReaderPool::Lease::~Lease() {
  if (reader_.conn) pool_->Put(std::move(reader_));
}

void ReaderPool::Lease::EndSnapshot() { End(reader_); }

void ReaderPool::Add(std::unique_ptr<Connection> conn) { Put(Reader{std::move(conn), {}}); }

void ReaderPool::Put(Reader reader) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(reader));
  }
  freed_.notify_one();
}

ReaderPool::Lease ReaderPool::Acquire() {
  Reader reader;
  {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [this] { return !free_.empty(); });
    reader = std::move(free_.back());
    free_.pop_back();
  }
  reader.leased = true;
  std::optional<WalHeader::Look> now = header_ ? header_->Now() : std::nullopt;
  Connection& conn = *reader.conn;
  bool open = sqlite3_get_autocommit(conn.db()) == 0;
  if (open && now && reader.snapshot == now) return {this, std::move(reader)};
  End(reader);
  if (now && conn.Run("BEGIN")) reader.snapshot = now;
  return {this, std::move(reader)};
}

void ReaderPool::EndIdleSnapshots() { EndIdle(nullptr); }

void ReaderPool::EndIdle(const std::optional<WalHeader::Look>* now) {
  std::lock_guard lock(mu_);
  for (Reader& reader : free_) {
    if (!now || !*now || reader.snapshot != *now || !reader.leased) End(reader);
    if (now) reader.leased = false;
  }
}

void ReaderPool::End(Reader& reader) {
  sqlite3* db = reader.conn->db();
  if (sqlite3_get_autocommit(db) == 0) (void)reader.conn->Run("COMMIT");
  if (sqlite3_get_autocommit(db) == 0) (void)reader.conn->Run("ROLLBACK");
  reader.snapshot.reset();
}

void ReaderPool::Sweep() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (stop_.wait_for(lock, kSweepEvery, [this] { return stopping_; })) break;
    std::optional<WalHeader::Look> now = header_->Now();
    lock.unlock();
    EndIdle(&now);
    lock.lock();
  }
}

}  // namespace pangolin::store::sqlite_internal
