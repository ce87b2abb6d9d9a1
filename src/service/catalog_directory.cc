// CatalogDirectory; see catalog_directory.h.
#include "service/catalog_directory.h"

namespace pangolin::service {

std::string CatalogDirectory::Key(const TenantId& tenant, std::string_view name) {
  std::string key = tenant.value;
  key += '/';
  key += name;
  return key;
}

std::optional<CatalogDirectory::Entry> CatalogDirectory::Find(const TenantId& tenant,
                                                              std::string_view name,
                                                              int64_t version) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key(tenant, name));
  if (it == entries_.end() || it->second.version != version) return std::nullopt;
  return it->second.entry;
}

void CatalogDirectory::Remember(const TenantId& tenant, std::string_view name, int64_t version,
                                Entry entry) {
  std::string key = Key(tenant, name);
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (it->second.version > version) return;
    it->second = Slot{version, std::move(entry)};
    return;
  }
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(std::move(key), Slot{version, std::move(entry)});
}

}  // namespace pangolin::service
