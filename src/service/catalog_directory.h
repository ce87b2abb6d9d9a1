// CatalogDirectory: catalogs found by (tenant, name), with the storage bound to each, remembered
// with the tenant's access version read before they were. Every change to a tenant's catalogs or
// warehouses moves that version (store::AccessStore::AccessVersion), so a request at the same
// version reads neither the catalog nor its warehouse again, and one at another version misses.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "catalog/model.h"
#include "service/catalog_storage.h"

namespace pangolin::service {

class CatalogDirectory {
 public:
  struct Entry {
    catalog::Catalog catalog;
    std::shared_ptr<const StorageBinding> storage;  // null until a request bound it
  };

  std::optional<Entry> Find(const TenantId& tenant, std::string_view name, int64_t version) const;
  // Replaces what is remembered of the catalog, unless that was found at a newer version.
  void Remember(const TenantId& tenant, std::string_view name, int64_t version, Entry entry);

 private:
  struct Slot {
    int64_t version = 0;
    Entry entry;
  };
  static constexpr size_t kMaxEntries = 10'000;
  static std::string Key(const TenantId& tenant, std::string_view name);

  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> entries_;  // by Key
};

}  // namespace pangolin::service
