// A decoded Avro datum as a dynamic value tree. Ints and longs are int64, floats and doubles are
// double, enums are their symbol, fixed is Bytes, a union is the value of its chosen branch, and
// a record keeps its schema node so fields can be found by name or by Iceberg field id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "avro/schema.h"

namespace pangolin::avro {

struct Value;

// Avro bytes and fixed (std::string holds Avro strings and enum symbols).
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

using Array = std::vector<Value>;
using Map = std::vector<std::pair<std::string, Value>>;  // in encoded order

struct Record {
  NodePtr schema;             // the kRecord node; fields[i] is schema->fields[i]
  std::vector<Value> fields;  // positional

  // The value of the field named `name` / with field-id `id`, or nullptr when absent.
  const Value* Find(std::string_view name) const;
  const Value* FindById(int id) const;
};

struct Value {
  std::variant<std::monostate, bool, int64_t, double, std::string, Bytes, Array, Map, Record> data;

  bool IsNull() const { return std::holds_alternative<std::monostate>(data); }
  // Pointers to the held alternative, or nullptr when another one is held.
  const bool* AsBool() const { return std::get_if<bool>(&data); }
  const int64_t* AsLong() const { return std::get_if<int64_t>(&data); }
  const double* AsDouble() const { return std::get_if<double>(&data); }
  const std::string* AsString() const { return std::get_if<std::string>(&data); }
  const Bytes* AsBytes() const { return std::get_if<Bytes>(&data); }
  const Array* AsArray() const { return std::get_if<Array>(&data); }
  const Map* AsMap() const { return std::get_if<Map>(&data); }
  const Record* AsRecord() const { return std::get_if<Record>(&data); }
};

}  // namespace pangolin::avro
