#include "store/sqlite/sqlite_wal_header.h"

#include <atomic>
#include <memory>

namespace pangolin::store::sqlite_internal {

namespace {

// The header is two copies of a 48-byte WalIndexHdr: a writer writes the second, then the first;
// a reader that finds both equal has one whole header.
constexpr size_t kHeaderBytes = 48;
constexpr int kRegionBytes = 32 * 1024;  // SQLite maps the WAL index in regions of 32 KB

}  // namespace

std::unique_ptr<WalHeader> WalHeader::Watch(Connection& conn) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(conn.db(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return nullptr;
  }
  // Region 0 holds the header; it stays mapped until the connection closes. Not extended here:
  // the connection in WAL mode has mapped it already.
  volatile void* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kRegionBytes, 0, &region) != SQLITE_OK ||
      region == nullptr) {
    return nullptr;
  }
  return std::unique_ptr<WalHeader>(new WalHeader(static_cast<const volatile uint8_t*>(region)));
}

std::optional<WalHeader::Look> WalHeader::Now() const {
  Look first{};
  Look second{};
  for (size_t i = 0; i < kHeaderBytes; ++i) first[i] = header_[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  for (size_t i = 0; i < kHeaderBytes; ++i) second[i] = header_[kHeaderBytes + i];
  std::atomic_thread_fence(std::memory_order_acquire);
  // isInit (byte 12) is 0 until the header is built, and again while a connection rebuilds it.
  if (first != second || first[12] == 0) return std::nullopt;
  return first;
}

}  // namespace pangolin::store::sqlite_internal
