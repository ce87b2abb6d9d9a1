// TableFiles: metadata files read through the cache and written as new files.
#include "service/table_files.h"

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "iceberg/metadata_files.h"
#include "serde/gzip.h"
#include "serde/table_metadata.h"

namespace pangolin::service {

namespace {

// The Java client's message for a metadata file that is gone (clients match it).
Error MissingFile(const std::string& location) {
  return Error{ErrorCode::kNotFound, "Failed to open input stream for file: " + location};
}

}  // namespace

Result<std::shared_ptr<const CachedMetadata>> TableFiles::Read(const std::string& location) {
  if (auto cached = cache_.Get(location)) {
    ASSIGN_OR_RETURN(bool exists, io_.Exists(location));
    if (!exists) return tl::unexpected(MissingFile(location));
    return cached;
  }
  auto read = io_.Read(location);
  if (!read) {
    if (read.error().code == ErrorCode::kNotFound) return tl::unexpected(MissingFile(location));
    return tl::unexpected(read.error());
  }
  std::string bytes = std::move(*read);
  if (EndsWith(location, ".gz.metadata.json") || EndsWith(location, ".metadata.json.gz")) {
    ASSIGN_OR_RETURN(bytes, serde::Gunzip(bytes));
  }
  ASSIGN_OR_RETURN(iceberg::TableMetadata metadata, serde::ParseTableMetadata(bytes));
  auto entry = std::make_shared<CachedMetadata>();
  entry->json = serde::SerializeTableMetadata(metadata);
  entry->metadata = std::move(metadata);
  cache_.Put(location, entry);
  return std::shared_ptr<const CachedMetadata>(std::move(entry));
}

Result<std::shared_ptr<const CachedMetadata>> TableFiles::Write(
    iceberg::TableMetadata metadata, const std::optional<std::string>& previous_location,
    std::string* location) {
  *location = iceberg::NewMetadataFileLocation(metadata, previous_location, NewUuid());
  auto entry = std::make_shared<CachedMetadata>();
  entry->json = serde::SerializeTableMetadata(metadata);
  entry->metadata = std::move(metadata);
  bool gzip = EndsWith(*location, ".gz.metadata.json");
  RETURN_IF_ERROR(io_.WriteNew(*location, gzip ? serde::Gzip(entry->json) : entry->json));
  cache_.Put(*location, entry);
  return std::shared_ptr<const CachedMetadata>(std::move(entry));
}

void TableFiles::DeleteQuietly(const std::string& location) {
  if (auto deleted = io_.Delete(location); !deleted) {
    log::Warn("could not delete metadata file")
        .With("location", location)
        .With("error", deleted.error().message);
  }
}

}  // namespace pangolin::service
