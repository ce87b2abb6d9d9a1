// IcebergService::PurgeTableFiles: what `purgeRequested` deletes. Exactly the files the table's
// metadata references — data and delete files of live manifest entries (unless gc.enabled=false),
// manifests, manifest lists, statistics files, earlier metadata files and the current one — and
// only those under the catalog's location. Never a directory delete: another table may have been
// created at the same location (after a rename, for example) and must not lose its files.
#include <set>

#include "catalog/locations.h"
#include "common/log.h"
#include "iceberg/manifest.h"
#include "service/iceberg_service.h"

namespace pangolin::service {
namespace {

// Adds the live files of every manifest of `snapshot` (and the manifests themselves) to `files`.
void AddSnapshotFiles(storage::FileIO& io, const iceberg::Snapshot& snapshot, bool data_files,
                      std::set<std::string>* files) {
  std::vector<std::string> manifests = snapshot.manifests.value_or(std::vector<std::string>{});
  if (snapshot.manifest_list) {
    files->insert(*snapshot.manifest_list);
    auto list = io.Read(*snapshot.manifest_list);
    auto decoded = list ? iceberg::ReadManifestList(*list)
                        : Result<std::vector<iceberg::ManifestFile>>(tl::unexpected(list.error()));
    if (!decoded) {
      log::Warn("purge: cannot read a manifest list; its files stay")
          .With("location", *snapshot.manifest_list)
          .With("error", decoded.error().message);
      return;
    }
    for (const auto& manifest : *decoded) manifests.push_back(manifest.manifest_path);
  }
  for (const auto& manifest : manifests) {
    if (!files->insert(manifest).second || !data_files) continue;
    auto bytes = io.Read(manifest);
    auto entries = bytes
                       ? iceberg::ReadManifest(*bytes)
                       : Result<std::vector<iceberg::ManifestEntry>>(tl::unexpected(bytes.error()));
    if (!entries) {
      log::Warn("purge: cannot read a manifest; its data files stay")
          .With("location", manifest)
          .With("error", entries.error().message);
      continue;
    }
    for (const auto& entry : *entries) {
      if (entry.status != iceberg::ManifestEntryStatus::kDeleted) {
        files->insert(entry.data_file.file_path);
      }
    }
  }
}

}  // namespace

void IcebergService::PurgeTableFiles(storage::FileIO& io, const iceberg::TableMetadata& metadata,
                                     const std::string& metadata_location,
                                     const std::string& base) {
  // As the Java library: data files are deleted only while garbage collection is enabled.
  bool data_files = metadata.Property("gc.enabled", "true") != "false";
  std::set<std::string> files;
  for (const auto& snapshot : metadata.snapshots) {
    AddSnapshotFiles(io, snapshot, data_files, &files);
  }
  for (const auto& statistics : metadata.statistics) files.insert(statistics.statistics_path);
  for (const auto& statistics : metadata.partition_statistics) {
    files.insert(statistics.statistics_path);
  }
  for (const auto& entry : metadata.metadata_log) files.insert(entry.metadata_file);
  files.insert(metadata_location);
  size_t outside = 0;
  for (const auto& file : files) {
    if (catalog::IsUnder(file, base)) {
      files_.DeleteQuietly(io, file);
    } else {
      ++outside;
    }
  }
  if (outside > 0) {
    log::Info("purge: kept files outside the catalog's location")
        .With("table_location", metadata.location)
        .With("files", outside);
  }
}

}  // namespace pangolin::service
