// WalHeader: whether anything was committed to a database in WAL mode since an earlier look,
// from the WAL-index header in shared memory (https://www.sqlite.org/walformat.html), without a
// read transaction. Every commit, by any connection of any process, rewrites that header (the
// WAL's last frame, its checksum, and after a restart of the WAL new salts), so two equal looks
// mean the same committed state. Lets a value read in a transaction between two equal looks be
// used again, with no SQLite call, for as long as the header does not move.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

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

}  // namespace pangolin::store::sqlite_internal
