// TableFiles: reading and writing Iceberg table and view metadata files through the FileIO of the
// catalog's warehouse (each call names it), with the parsed table files cached by location (a
// metadata file is never rewritten; a cached file is still checked to exist through the caller's
// FileIO, so its credentials decide). Shared by the services that read or write metadata.
// Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "iceberg/table_metadata.h"
#include "iceberg/view_metadata.h"
#include "service/metadata_cache.h"
#include "storage/file_io.h"

namespace pangolin::service {

struct CachedView {
  iceberg::ViewMetadata metadata;
  std::string json;  // the canonical serialization of `metadata`
};

class TableFiles {
 public:
  // `cache_bytes`: the memory the metadata cache may hold (see MetadataCache).
  explicit TableFiles(size_t cache_bytes = 256u << 20) : cache_(cache_bytes) {}

  // Errors: kNotFound as Read's when the metadata file at `location` is gone from storage.
  Status RequireFile(storage::FileIO& io, const std::string& location);
  // Parses (and caches) the metadata file at `location`; gzip files are recognised by name. A
  // cached file is still checked to exist, so a table whose current file was removed from storage
  // reads as broken (kNotFound, "Failed to open input stream for file: …") instead of stale.
  Result<std::shared_ptr<const CachedMetadata>> Read(storage::FileIO& io,
                                                     const std::string& location);
  // Writes `metadata` as a new file next to `previous_location` (or under the table location),
  // never overwriting; sets `*location`. Errors: FileIO's.
  Result<std::shared_ptr<const CachedMetadata>> Write(
      storage::FileIO& io, iceberg::TableMetadata metadata,
      const std::optional<std::string>& previous_location, std::string* location);
  // View metadata files, the same way (not cached: views are small and read rarely).
  Result<std::shared_ptr<const CachedView>> ReadView(storage::FileIO& io,
                                                     const std::string& location);
  Result<std::shared_ptr<const CachedView>> WriteView(
      storage::FileIO& io, iceberg::ViewMetadata metadata,
      const std::optional<std::string>& previous_location, std::string* location);
  // Deletes a file nobody references any more; a failure is only logged.
  void DeleteQuietly(storage::FileIO& io, const std::string& location);

 private:
  MetadataCache cache_;
};

}  // namespace pangolin::service
