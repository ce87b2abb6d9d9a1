// Metadata file naming, removed-file computation and the refs-only snapshot view.
#include "iceberg/metadata_files.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

#include "common/strings.h"

namespace pangolin::iceberg {

int ParseMetadataFileVersion(const std::string& location) {
  size_t slash = location.rfind('/');
  std::string name = slash == std::string::npos ? location : location.substr(slash + 1);
  size_t dash = name.find('-');
  if (dash == std::string::npos) return -1;
  auto version = ParseInt(name.substr(0, dash));
  if (!version || *version < 0 || *version > 2147483646) return -1;
  return static_cast<int>(*version);
}

namespace {

template <typename Metadata>
std::string NextFile(const Metadata& metadata, const std::optional<std::string>& previous_location,
                     const std::string& uuid, const std::string& default_codec) {
  std::string dir = metadata.Property("write.metadata.path", "");
  if (dir.empty()) {
    std::string location = metadata.location;
    while (!location.empty() && location.back() == '/') location.pop_back();
    dir = location + "/metadata";
  }
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  int version = previous_location ? ParseMetadataFileVersion(*previous_location) + 1 : 0;
  std::string codec = ToLower(metadata.Property("write.metadata.compression-codec", default_codec));
  std::string ext = codec == "gzip" ? ".gz.metadata.json" : ".metadata.json";
  return fmt::format("{}/{:05d}-{}{}", dir, version, uuid, ext);
}

}  // namespace

std::string NewMetadataFileLocation(const TableMetadata& metadata,
                                    const std::optional<std::string>& previous_location,
                                    const std::string& uuid) {
  return NextFile(metadata, previous_location, uuid, "none");
}

std::string NewMetadataFileLocation(const ViewMetadata& metadata,
                                    const std::optional<std::string>& previous_location,
                                    const std::string& uuid) {
  return NextFile(metadata, previous_location, uuid, "gzip");
}

std::vector<std::string> RemovedMetadataFiles(const TableMetadata& before,
                                              const TableMetadata& after) {
  std::unordered_set<std::string_view> kept;
  for (const auto& entry : after.metadata_log) kept.insert(entry.metadata_file);
  std::vector<std::string> removed;
  for (const auto& entry : before.metadata_log) {
    if (!kept.count(entry.metadata_file)) removed.push_back(entry.metadata_file);
  }
  return removed;
}

TableMetadata WithReferencedSnapshotsOnly(const TableMetadata& metadata) {
  std::set<int64_t> referenced;
  for (const auto& [name, ref] : metadata.refs) referenced.insert(ref.snapshot_id);
  TableMetadata out = metadata;
  std::erase_if(out.snapshots, [&](const Snapshot& s) { return !referenced.count(s.snapshot_id); });
  std::erase_if(out.statistics,
                [&](const StatisticsFile& s) { return !referenced.count(s.snapshot_id); });
  std::erase_if(out.partition_statistics,
                [&](const PartitionStatisticsFile& s) { return !referenced.count(s.snapshot_id); });
  return out;
}

}  // namespace pangolin::iceberg
