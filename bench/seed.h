// Seeding for the benchmarks: N tables in 100 namespaces, committed directly into a store
// (bench/branching_bench.cc, bench/seed_tables.cc). Every table points at one metadata file, so
// that loadTable succeeds for all of them without N files on disk.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "catalog/model.h"
#include "common/ids.h"
#include "store/metadata_store.h"

namespace pangolin::bench {

constexpr int kNamespaces = 100;

// Table i lives in namespace i * namespaces / N (contiguous blocks, so inserts arrive in key
// order). Namespaces are ns_000, ns_001, ...; tables t_0000000, t_0000001, ...
struct Shape {
  size_t tables = 0;
  int namespaces = kNamespaces;
  int NamespaceOf(size_t i) const {
    return static_cast<int>(i * static_cast<size_t>(namespaces) / tables);
  }
  static std::string NamespaceName(int ns);
  static std::string TableName(size_t i);
  catalog::ContentKey Key(size_t i) const;
  // "ns_042/t_0000042": the key of table i in a plain key-value table.
  std::string RawKey(size_t i) const;
  // Tables in namespace `ns`.
  size_t TablesIn(int ns) const;
};

// A commit on `branch` by "bench", with a fixed time.
store::CommitRequest NewCommit(std::string branch, std::string message);

// Content of a table whose metadata is at `location`, with a fresh id.
catalog::Content TableContent(const std::string& location);

// Commits the shape's namespaces, then the shape's tables (all at `location`) on main, `batch` puts
// per commit; `progress` hears about every tenth of a large catalog. Returns the seconds taken.
// Throws std::runtime_error when a commit fails.
double SeedTables(store::MetadataStore& store, const TenantId& tenant, const CatalogId& catalog,
                  const Shape& shape, size_t batch, const std::string& location,
                  const std::function<void(const std::string&)>& progress);

}  // namespace pangolin::bench
