// Connections and transactions of the PostgreSQL store: a blocking pool that replaces lost
// connections, and Database, which runs each store method in the transaction it needs.
//
// Isolation: writes run at READ COMMITTED and take row locks where a decision depends on a row
// another writer may change (a branch head, a merge operation's version, an idempotency claim,
// a tenant's audit chain head, a tenant or catalog row whose children are checked): a waiting
// writer then reads the committed state once the lock is granted, so compare-and-swap decisions
// are made on current data without retries. Uniqueness is the unique indexes' word. Reads of more
// than one statement run in a REPEATABLE READ READ ONLY transaction (one snapshot); one-statement
// reads run on their own. A transaction lost to a deadlock or serialization failure (40P01,
// 40001) is run again, at most kMaxAttempts times in all, and so is one whose connection was
// lost before COMMIT was sent (the server then rolled it back: after a restart, the pool's idle
// connections are found dead this way); then kUnavailable. A connection lost during COMMIT
// leaves the outcome unknown: not retried, and Commit reports kCommitStateUnknown.
//
// MetadataStore::Audited binds one connection and its transaction to the calling thread: every
// method of the store called on that thread meanwhile runs inside it, each as a SAVEPOINT (a
// failing one is rolled back alone, and is not retried).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "store/postgres/postgres_conn_internal.h"

namespace pangolin::store::postgres_internal {

class Pool {
 public:
  // Returns its connection to the pool when destroyed (one that is broken, or still in a
  // transaction, is discarded instead).
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->Return(std::move(conn_));
    }
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Pool(ConnectSettings settings, int size, std::chrono::milliseconds wait)
      : settings_(std::move(settings)), size_(size), wait_(wait) {}

  // An idle connection, else a new one while fewer than `size` are open, else waits up to
  // `wait` for one to be returned. Errors: kUnavailable (cannot connect; none free in time).
  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<Connection> conn);

  const ConnectSettings settings_;
  const int size_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle, leased, or being opened
};

// How many times a transaction is tried before its transient failure is returned.
inline constexpr int kMaxAttempts = 6;

class Database {
 public:
  explicit Database(Pool& pool) : pool_(pool) {}

  // `body(conn)` in a REPEATABLE READ READ ONLY transaction: one snapshot for all its reads.
  template <typename Body>
  auto Read(Body&& body) -> decltype(body(std::declval<Connection&>())) {
    return Run("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body);
  }
  // `body(conn)`, which runs a single read statement, on its own (no transaction round trips).
  template <typename Body>
  auto Query(Body&& body) -> decltype(body(std::declval<Connection&>())) {
    return Run(nullptr, body);
  }
  // `body(conn)` in a READ COMMITTED transaction: all of it commits or nothing does. When the
  // connection is lost during COMMIT nobody can tell which: the error is then `unknown_outcome`
  // (Commit says kCommitStateUnknown, so that the files of a commit that may have landed are
  // kept).
  template <typename Body>
  auto Write(Body&& body, ErrorCode unknown_outcome = ErrorCode::kUnavailable)
      -> decltype(body(std::declval<Connection&>())) {
    return Run("BEGIN ISOLATION LEVEL READ COMMITTED", body, unknown_outcome);
  }

  // Runs `change` with this thread bound to one transaction, then `finish(conn)` in it, and
  // commits when both succeed; otherwise rolls everything back. Not retried: `change` may have
  // done things outside the store. Errors: those of `change` and `finish`; kInternal when
  // called inside `change`.
  Status Bound(const std::function<Status()>& change,
               const std::function<Status(Connection&)>& finish);

 private:
  // The connection Bound attached to the calling thread for this database, or nullptr.
  Connection* BoundConnection() const;
  // Sleeps a little longer at each attempt, with jitter, before a retry.
  static void Backoff(int attempt);

  template <typename Body>
  auto Run(const char* begin, Body& body, ErrorCode unknown_outcome = ErrorCode::kUnavailable)
      -> decltype(body(std::declval<Connection&>())) {
    if (Connection* bound = BoundConnection()) return InSavepoint(*bound, body);
    for (int attempt = 1;; ++attempt) {
      auto lease = pool_.Acquire();
      if (!lease) return tl::unexpected(lease.error());
      bool retry = false;
      auto result = Transact(**lease, begin, body, unknown_outcome, retry);
      if (result || !retry || attempt == kMaxAttempts) return result;
      Backoff(attempt);
    }
  }

  // One attempt. `retry` tells whether a failure may be retried: a deadlock or serialization
  // failure, or a connection lost before COMMIT was sent (the server then rolled back).
  template <typename Body>
  static auto Transact(Connection& conn, const char* begin, Body& body, ErrorCode unknown_outcome,
                       bool& retry) -> decltype(body(conn)) {
    conn.ClearTransient();
    if (begin != nullptr) {
      Status began = conn.Simple(begin);
      if (!began) {
        retry = conn.broken();
        return tl::unexpected(began.error());
      }
    }
    auto result = Call(conn, body);
    if (!result) {
      retry = conn.transient() || conn.broken();
      if (begin != nullptr && !conn.broken()) (void)conn.Simple("ROLLBACK");
      return result;
    }
    if (begin == nullptr) return result;
    Status committed = conn.Simple("COMMIT");
    if (!committed) {
      retry = conn.transient();
      if (conn.broken()) {  // not retried: the transaction may have committed
        return MakeError(unknown_outcome,
                         "PostgreSQL connection lost while committing; the change may or may "
                         "not have been stored: " +
                             committed.error().message);
      }
      return tl::unexpected(committed.error());
    }
    return result;
  }

  // `body(conn)` inside the transaction already open on `conn`, as a savepoint.
  template <typename Body>
  static auto InSavepoint(Connection& conn, Body& body) -> decltype(body(conn)) {
    RETURN_IF_ERROR(conn.Simple("SAVEPOINT pangolin_nested"));
    auto result = Call(conn, body);
    if (result) {
      RETURN_IF_ERROR(conn.Simple("RELEASE SAVEPOINT pangolin_nested"));
    } else {
      (void)conn.Simple("ROLLBACK TO SAVEPOINT pangolin_nested");
      (void)conn.Simple("RELEASE SAVEPOINT pangolin_nested");
    }
    return result;
  }

  // Exceptions from `body` become kInternal (the caller rolls back).
  template <typename Body>
  static auto Call(Connection& conn, Body& body) -> decltype(body(conn)) {
    try {
      return body(conn);
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInternal, std::string("store: ") + e.what());
    }
  }

  Pool& pool_;
};

}  // namespace pangolin::store::postgres_internal
