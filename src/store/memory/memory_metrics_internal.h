// The metrics reports of every tenant in the memory store. Not thread-safe; the memory store
// serialises access with its own mutex and checks catalogs before calling in.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

class MetricsReports {
 public:
  // Errors: kAlreadyExists (id).
  Status Add(const MetricsReport& report);
  // Errors: kBadRequest (token).
  Result<Page<MetricsReport>> List(const CatalogId& catalog, const MetricsReportFilter& filter,
                                   const PageRequest& page) const;
  size_t Purge(int64_t before_ms);
  void EraseCatalog(const CatalogId& catalog);

 private:
  struct Stored {
    MetricsReport report;
    int64_t created = 0;
  };
  std::vector<Stored> reports_;  // in the order added
  std::set<std::string> ids_;
  int64_t next_created_ = 1;
};

// Whether `report` passes `filter`.
bool Matches(const MetricsReportFilter& filter, const MetricsReport& report);

}  // namespace pangolin::store::memory_internal
