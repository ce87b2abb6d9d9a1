// See seed.h.
#include "seed.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

namespace pangolin::bench {

std::string Shape::NamespaceName(int ns) { return fmt::format("ns_{:03d}", ns); }

std::string Shape::TableName(size_t i) { return fmt::format("t_{:07d}", i); }

catalog::ContentKey Shape::Key(size_t i) const {
  return catalog::ObjectKey({{NamespaceName(NamespaceOf(i))}, TableName(i)});
}

std::string Shape::RawKey(size_t i) const {
  return NamespaceName(NamespaceOf(i)) + "/" + TableName(i);
}

size_t Shape::TablesIn(int ns) const {
  // The first index i with NamespaceOf(i) >= k is ceil(k * N / namespaces).
  size_t n = static_cast<size_t>(namespaces);
  auto first = [&](int k) { return (static_cast<size_t>(k) * tables + n - 1) / n; };
  return first(ns + 1) - first(ns);
}

store::CommitRequest NewCommit(std::string branch, std::string message) {
  store::CommitRequest request;
  request.branch = std::move(branch);
  request.author = "bench";
  request.message = std::move(message);
  request.time_ms = 1700000000000;
  return request;
}

catalog::Content TableContent(const std::string& location) {
  catalog::Content content;
  content.type = catalog::ContentType::kIcebergTable;
  content.id = NewUuid();
  content.metadata_location = location;
  return content;
}

double SeedTables(store::MetadataStore& store, const TenantId& tenant, const CatalogId& catalog,
                  const Shape& shape, size_t batch, const std::string& location,
                  const std::function<void(const std::string&)>& progress) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  auto check = [](const auto& result, std::string_view what) {
    if (!result) throw std::runtime_error(fmt::format("{}: {}", what, result.error().message));
  };
  auto request = NewCommit("main", "namespaces");
  for (int ns = 0; ns < shape.namespaces; ++ns) {
    catalog::Content content;
    content.type = catalog::ContentType::kNamespace;
    content.id = NewUuid();
    request.operations.push_back({catalog::Operation::Kind::kPut,
                                  catalog::NamespaceKey({Shape::NamespaceName(ns)}), content});
  }
  check(store.Commit(tenant, catalog, request), "commit namespaces");
  for (size_t first = 0; first < shape.tables; first += batch) {
    request = NewCommit("main", "tables");
    size_t end = std::min(shape.tables, first + batch);
    request.operations.reserve(end - first);
    for (size_t i = first; i < end; ++i) {
      request.operations.push_back(
          {catalog::Operation::Kind::kPut, shape.Key(i), TableContent(location)});
    }
    check(store.Commit(tenant, catalog, request), "commit tables");
    if (shape.tables >= 100000 && end % (shape.tables / 10) == 0) {
      progress(fmt::format("  {} / {} tables, {:.1f} s", end, shape.tables, seconds()));
    }
  }
  return seconds();
}

}  // namespace pangolin::bench
