// Metadata file bookkeeping: the name of the next table or view metadata file (§4.3), the files
// dropped from the metadata-log by a commit (§4.4), and the refs-only view of a table for loadTable
// snapshots=refs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "iceberg/table_metadata.h"
#include "iceberg/view_metadata.h"

namespace pangolin::iceberg {

// `<dir>/<NNNNN>-<uuid><ext>`: dir = property write.metadata.path (trailing '/' stripped) or
// `<location>/metadata`; NNNNN = the version parsed from `previous_location`'s file name + 1, or
// 0; ext = ".gz.metadata.json" when write.metadata.compression-codec=gzip, else ".metadata.json".
std::string NewMetadataFileLocation(const TableMetadata& metadata,
                                    const std::optional<std::string>& previous_location,
                                    const std::string& uuid);
// The same for a view, whose files are gzip-compressed unless the codec property says `none`.
std::string NewMetadataFileLocation(const ViewMetadata& metadata,
                                    const std::optional<std::string>& previous_location,
                                    const std::string& uuid);

// The version number at the start of a metadata file name ("00003-....metadata.json" -> 3), or
// -1 when the name carries none.
int ParseMetadataFileVersion(const std::string& location);

// Files in `before`'s metadata-log that are not in `after`'s (to delete when
// write.metadata.delete-after-commit.enabled=true), in log order.
std::vector<std::string> RemovedMetadataFiles(const TableMetadata& before,
                                              const TableMetadata& after);

// `metadata` with only the snapshots some ref points at (and their statistics); the logs are kept.
TableMetadata WithReferencedSnapshotsOnly(const TableMetadata& metadata);

}  // namespace pangolin::iceberg
