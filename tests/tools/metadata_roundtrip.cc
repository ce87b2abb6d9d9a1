// Reads every `*.metadata.json` in IN_DIR, parses it with Pangolin's table-metadata parser and
// writes the re-serialized JSON under the same name in OUT_DIR. The metadata round-trip suite
// (tests/conformance/metadata) compares the two against files written by the Iceberg Java
// library and by PyIceberg. Exit status 1 when any file fails to parse.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "serde/table_metadata.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: metadata_roundtrip IN_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path in_dir(argv[1]);
  const fs::path out_dir(argv[2]);
  fs::create_directories(out_dir);
  int files = 0;
  int failures = 0;
  for (const auto& entry : fs::directory_iterator(in_dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".metadata.json")) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto metadata = pangolin::serde::ParseTableMetadata(text.str());
    if (!metadata) {
      std::cerr << name << ": " << metadata.error().message << "\n";
      ++failures;
      continue;
    }
    std::ofstream(out_dir / name, std::ios::binary)
        << pangolin::serde::SerializeTableMetadata(*metadata);
  }
  std::cout << files << " files, " << failures << " failed to parse\n";
  return failures == 0 && files > 0 ? 0 : 1;
}
