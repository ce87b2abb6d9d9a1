// Catalog domain values: warehouses, catalogs, namespaces, identifiers and the versioned catalog
// content (ARCHITECTURE §3.4). Pure values; no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/result.h"

namespace pangolin::catalog {

using Properties = std::map<std::string, std::string>;

// A namespace is a non-empty list of levels; the empty list is the catalog root.
using Namespace = std::vector<std::string>;

struct TableIdentifier {
  Namespace ns;
  std::string name;
  friend auto operator<=>(const TableIdentifier&, const TableIdentifier&) = default;
};

// "a.b.t" style display name, as used in the Java client's messages.
std::string ToString(const Namespace& ns);
std::string ToString(const TableIdentifier& id);

// Rejects empty levels, NUL and the unit separator inside a level, and over-long names.
Status ValidateNamespace(const Namespace& ns);
Status ValidateName(std::string_view what, std::string_view name);

struct Warehouse {
  WarehouseId id;
  std::string name;
  TenantId tenant_id;
  bool use_sts = false;
  Properties storage_config;
  // Serialized VendingStrategy (externally tagged JSON), empty when absent. Opaque here.
  std::string vending_strategy_json;
  friend bool operator==(const Warehouse&, const Warehouse&) = default;
};

enum class CatalogType { kLocal, kFederated };

struct Catalog {
  CatalogId id;
  std::string name;
  TenantId tenant_id;
  CatalogType catalog_type = CatalogType::kLocal;
  std::optional<std::string> warehouse_name;
  std::optional<std::string> storage_location;
  Properties properties;
  friend bool operator==(const Catalog&, const Catalog&) = default;
};

// The key of one entry in a catalog's versioned state. Namespaces and objects (tables, views,
// generic assets) live in separate key spaces; tables and views share the object space, so a
// table and a view can never have the same identifier.
struct ContentKey {
  enum class Space { kNamespace, kObject };
  Space space = Space::kObject;
  Namespace parent;  // for a namespace: all levels but the last
  std::string name;  // for a namespace: its last level
  friend auto operator<=>(const ContentKey&, const ContentKey&) = default;
};

ContentKey NamespaceKey(const Namespace& ns);
ContentKey ObjectKey(const TableIdentifier& id);
Namespace KeyNamespacePath(const ContentKey& key);  // full levels of a namespace key
std::string ToString(const ContentKey& key);        // "a.b" (namespace) or "a.b.t" (object)

enum class ContentType { kNamespace, kIcebergTable, kIcebergView };

// One entry's value. `id` is stable across renames and commits.
struct Content {
  ContentType type = ContentType::kNamespace;
  std::string id;
  std::string metadata_location;  // tables and views
  Properties properties;          // namespaces
  friend bool operator==(const Content&, const Content&) = default;
};

// A branch name. Issue-3 versioning adds tags and commit hashes as read-only references.
inline constexpr std::string_view kMainBranch = "main";

}  // namespace pangolin::catalog
