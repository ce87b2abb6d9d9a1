// The connection pool and the transaction bound to a thread by MetadataStore::Audited.
#include <random>
#include <thread>

#include "store/postgres/postgres_db_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

// The connections Database::Bound attached to this thread, one per database at most.
thread_local std::vector<std::pair<const Database*, Connection*>> tls_bound;

class Binding {
 public:
  Binding(const Database* db, Connection* conn) { tls_bound.emplace_back(db, conn); }
  ~Binding() { tls_bound.pop_back(); }
  Binding(const Binding&) = delete;
  Binding& operator=(const Binding&) = delete;
};

}  // namespace

Result<Pool::Lease> Pool::Acquire() {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, wait_, [this] { return !idle_.empty() || open_ < size_; })) {
    return Err(ErrorCode::kUnavailable,
               "all {} PostgreSQL connections stayed busy for {} ms; retry later", size_,
               wait_.count());
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;  // reserves the slot while connecting without the lock
  lock.unlock();
  auto conn = Connection::Open(settings_);
  if (!conn) {
    lock.lock();
    --open_;
    cv_.notify_one();
    return tl::unexpected(conn.error());
  }
  return Lease(this, std::move(*conn));
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn->broken()) {
      // A lost connection most often means the server restarted: the idle ones are gone too.
      // Dropping them now spares the next callers a failed attempt each.
      open_ -= 1 + static_cast<int>(idle_.size());
      idle_.clear();
    } else if (!conn->idle()) {
      --open_;  // still in a transaction its user could not end: never hand it out again
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_all();
}

Connection* Database::BoundConnection() const {
  for (const auto& [db, conn] : tls_bound) {
    if (db == this) return conn;
  }
  return nullptr;
}

void Database::Backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  int base_ms = 2 << attempt;  // 4, 8, 16, ... ms
  std::uniform_int_distribution<int> jitter(0, base_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(base_ms + jitter(random)));
}

Status Database::Bound(const std::function<Status()>& change,
                       const std::function<Status(Connection&)>& finish) {
  if (BoundConnection() != nullptr) {
    return Err(ErrorCode::kInternal, "store: Audited called inside an audited change");
  }
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
    Connection& conn = *lease;
    Status began = conn.Simple("BEGIN ISOLATION LEVEL READ COMMITTED");
    if (!began) {
      // Nothing ran yet: a connection found dead (a restarted server) is replaced and retried.
      if (conn.broken() && attempt < kMaxAttempts) continue;
      return began;
    }
    Status status;
    {
      Binding binding(this, &conn);
      try {
        status = change();
      } catch (const std::exception& e) {
        status = MakeError(ErrorCode::kInternal, std::string("store: ") + e.what());
      }
    }
    if (status) status = finish(conn);
    if (!status) {
      if (!conn.broken()) (void)conn.Simple("ROLLBACK");
      return status;
    }
    return conn.Simple("COMMIT");
  }
}

}  // namespace pangolin::store::postgres_internal
