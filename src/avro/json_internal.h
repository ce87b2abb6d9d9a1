// A minimal JSON reader for Avro schema text (the avro module may not use Boost.JSON, and a
// schema is small). Module-private: other modules parse JSON in serde.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace pangolin::avro::internal {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;                                   // kString: decoded; kNumber: as written
  std::vector<Json> items;                            // kArray
  std::vector<std::pair<std::string, Json>> members;  // kObject, in document order

  // The first member named `key` of an object, or nullptr.
  const Json* Find(std::string_view key) const;
};

// Parses one JSON document (RFC 8259) nested at most `max_depth` deep.
// Errors: kBadRequest naming the byte offset of the problem.
Result<Json> ParseJson(std::string_view text, int max_depth = 128);

}  // namespace pangolin::avro::internal
