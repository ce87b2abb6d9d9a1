// ReaderPool: the store's read connections. A reader keeps its read transaction open between
// leases for as long as the WAL-index header does not move, that is while nothing is committed:
// that spares each read the shared-memory locking of starting and ending a transaction (a mutex
// that all readers took twice per read, and often a lock system call). Readers not leased end
// theirs before each write of this store, and a sweeper thread ends, every quarter of a second,
// those of idle readers that are older than the header or were not leased since its last pass:
// no snapshot holds back the checkpoints or the restart of the WAL for long, and an idle store
// holds none.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_db_internal.h"
#include "store/sqlite/sqlite_wal_header.h"

namespace pangolin::store::sqlite_internal {

class ReaderPool {
  struct Reader {
    std::unique_ptr<Connection> conn;
    // The header as it was when the transaction kept open began; nullopt when none is.
    std::optional<WalHeader::Look> snapshot;
    bool leased = false;  // since the sweeper last passed
  };

 public:
  class Lease {
   public:
    Lease(ReaderPool* pool, Reader reader) : pool_(pool), reader_(std::move(reader)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() const { return *reader_.conn; }
    // Whether the connection is in a read transaction that shows what is committed now; if not,
    // a read of more than one statement starts its own.
    bool InSnapshot() const { return reader_.snapshot.has_value(); }
    // Ends the transaction (after an error that may have left it unusable).
    void EndSnapshot();

   private:
    ReaderPool* pool_;
    Reader reader_;
  };

  // `header` null: no transaction is kept open.
  explicit ReaderPool(const WalHeader* header);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  void Add(std::unique_ptr<Connection> conn);
  // A reader, once one is free, whose open transaction (when it has one) shows what is
  // committed now.
  Lease Acquire();
  // Ends the transactions of the readers not leased now (before a write).
  void EndIdleSnapshots();

 private:
  void Put(Reader reader);
  // Ends the transactions of the readers not leased now; with `now`, only of those older than it
  // or not leased since the last sweep.
  void EndIdle(const std::optional<WalHeader::Look>* now);
  static void End(Reader& reader);
  void Sweep();

  const WalHeader* header_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<Reader> free_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace pangolin::store::sqlite_internal
