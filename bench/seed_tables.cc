// seed_tables: commits N tables in K namespaces directly into a SQLite store file, for the
// scale figures of bench/perf_bench.py (the layout of seed.h: table i is ns_{i*K/N}.t_{i} for K
// namespaces).
// Every table points at the metadata file of an existing table, so loadTable succeeds for all of
// them. The server must not run on the file meanwhile. Prints one JSON line:
//   {"tables": N, "namespaces": K, "seconds": S, "location": "file:///..."}
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "common/ids.h"
#include "seed.h"
#include "store/sqlite/sqlite_store.h"

namespace pangolin::bench {
namespace {

template <typename T>
T Check(Result<T> result, std::string_view what) {
  if (!result) throw std::runtime_error(fmt::format("{}: {}", what, result.error().message));
  return std::move(*result);
}

void Progress(const std::string& message) {
  std::fprintf(stderr, "[seed] %s\n", message.c_str());
  std::fflush(stderr);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{
      "Commits N tables into a Pangolin SQLite store, all pointing at one table's metadata"};
  std::string db;
  std::string catalog_name;
  std::string like_namespace;
  std::string like_table;
  size_t tables = 1000;
  size_t batch = 10000;
  int namespaces = kNamespaces;
  app.add_option("--db", db, "the store's SQLite file")->required();
  app.add_option("--catalog", catalog_name, "catalog (of the default tenant)")->required();
  app.add_option("--like-namespace", like_namespace, "namespace of the template table")->required();
  app.add_option("--like-table", like_table, "table whose metadata file every table shares")
      ->required();
  app.add_option("--tables", tables, "how many tables")->check(CLI::Range(100, 100000000));
  app.add_option("--namespaces", namespaces, "namespaces the tables are spread over")
      ->check(CLI::Range(1, 1000));
  app.add_option("--batch", batch, "put operations per commit")->check(CLI::Range(1, 10000000));
  CLI11_PARSE(app, argc, argv);

  try {
    auto store = Check(store::MakeSqliteStore({.path = db}), "open store");
    CatalogId catalog = Check(store->GetCatalog(kDefaultTenant, catalog_name), "get catalog").id;
    auto like = Check(store->GetContent(kDefaultTenant, catalog, "main",
                                        catalog::ObjectKey({{like_namespace}, like_table})),
                      "get template table");
    if (!like) throw std::runtime_error("no table " + like_namespace + "." + like_table);
    Shape shape{tables, namespaces};
    double seconds = SeedTables(*store, kDefaultTenant, catalog, shape, batch,
                                like->metadata_location, Progress);
    std::printf("{\"tables\": %zu, \"namespaces\": %d, \"seconds\": %.3f, \"location\": \"%s\"}\n",
                tables, namespaces, seconds, like->metadata_location.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seed_tables: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace pangolin::bench

int main(int argc, char** argv) { return pangolin::bench::Main(argc, argv); }
