// TableFiles: metadata files read through the cache and written as new files.
#include "service/table_files.h"

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "iceberg/metadata_files.h"
#include "serde/gzip.h"
#include "serde/table_metadata.h"
#include "serde/view_metadata.h"

namespace pangolin::service {

namespace {

// The Java client's message for a metadata file that is gone (clients match it).
Error MissingFile(const std::string& location) {
  return Error{ErrorCode::kNotFound, "Failed to open input stream for file: " + location};
}

bool Gzipped(const std::string& location) {
  return EndsWith(location, ".gz.metadata.json") || EndsWith(location, ".metadata.json.gz");
}

// The JSON text of the metadata file at `location`, decompressed.
Result<std::string> ReadText(storage::FileIO& io, const std::string& location) {
  auto read = io.Read(location);
  if (!read) {
    if (read.error().code == ErrorCode::kNotFound) return tl::unexpected(MissingFile(location));
    return tl::unexpected(read.error());
  }
  if (Gzipped(location)) return serde::Gunzip(*read);
  return std::move(*read);
}

// Writes `json` as the new file at `location`, compressed when its name says so. (A conditional
// expression choosing between the compressed copy and `json` would copy `json` too.)
Status WriteText(storage::FileIO& io, const std::string& location, const std::string& json) {
  if (Gzipped(location)) return io.WriteNew(location, serde::Gzip(json));
  return io.WriteNew(location, json);
}

}  // namespace

Status TableFiles::RequireFile(storage::FileIO& io, const std::string& location) {
  ASSIGN_OR_RETURN(bool exists, io.Exists(location));
  if (!exists) return tl::unexpected(MissingFile(location));
  return Ok();
}

Result<std::shared_ptr<const CachedMetadata>> TableFiles::Read(storage::FileIO& io,
                                                               const std::string& location) {
  if (auto cached = cache_.Get(location)) {
    RETURN_IF_ERROR(RequireFile(io, location));
    return cached;
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadText(io, location));
  ASSIGN_OR_RETURN(iceberg::TableMetadata metadata, serde::ParseTableMetadata(bytes));
  auto entry = std::make_shared<CachedMetadata>();
  entry->json = serde::SerializeTableMetadata(metadata, bytes.size());
  entry->metadata = std::move(metadata);
  cache_.Put(location, entry);
  return std::shared_ptr<const CachedMetadata>(std::move(entry));
}

Result<std::shared_ptr<const CachedMetadata>> TableFiles::Write(
    storage::FileIO& io, iceberg::TableMetadata metadata,
    const std::optional<std::string>& previous_location, std::string* location) {
  *location = iceberg::NewMetadataFileLocation(metadata, previous_location, NewUuid());
  // The new version is about as long as the one before, when that is still cached.
  std::shared_ptr<const CachedMetadata> previous =
      previous_location ? cache_.Get(*previous_location) : nullptr;
  auto entry = std::make_shared<CachedMetadata>();
  entry->json = serde::SerializeTableMetadata(metadata, previous ? previous->json.size() : 0);
  entry->metadata = std::move(metadata);
  RETURN_IF_ERROR(WriteText(io, *location, entry->json));
  cache_.Put(*location, entry);
  return std::shared_ptr<const CachedMetadata>(std::move(entry));
}

Result<std::shared_ptr<const CachedView>> TableFiles::ReadView(storage::FileIO& io,
                                                               const std::string& location) {
  ASSIGN_OR_RETURN(std::string bytes, ReadText(io, location));
  ASSIGN_OR_RETURN(iceberg::ViewMetadata metadata, serde::ParseViewMetadata(bytes));
  auto entry = std::make_shared<CachedView>();
  entry->json = serde::SerializeViewMetadata(metadata);
  entry->metadata = std::move(metadata);
  return std::shared_ptr<const CachedView>(std::move(entry));
}

Result<std::shared_ptr<const CachedView>> TableFiles::WriteView(
    storage::FileIO& io, iceberg::ViewMetadata metadata,
    const std::optional<std::string>& previous_location, std::string* location) {
  *location = iceberg::NewMetadataFileLocation(metadata, previous_location, NewUuid());
  auto entry = std::make_shared<CachedView>();
  entry->json = serde::SerializeViewMetadata(metadata);
  entry->metadata = std::move(metadata);
  RETURN_IF_ERROR(WriteText(io, *location, entry->json));
  return std::shared_ptr<const CachedView>(std::move(entry));
}

void TableFiles::DeleteQuietly(storage::FileIO& io, const std::string& location) {
  if (auto deleted = io.Delete(location); !deleted) {
    log::Warn("could not delete metadata file")
        .With("location", location)
        .With("error", deleted.error().message);
  }
}

}  // namespace pangolin::service
