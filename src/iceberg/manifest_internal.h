// Typed access to the fields of decoded Avro records of manifests and manifest lists: lookup by
// Iceberg field id then by name, and conversion with type checks. Module-private.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "avro/schema.h"
#include "avro/value.h"
#include "common/result.h"
#include "iceberg/literal.h"

namespace pangolin::iceberg::internal {

// How a field is found: by id first, then by name, then by an older name.
struct FieldKey {
  int id = 0;
  std::string_view name;
  std::string_view alias = {};
};

// The field's value, or nullptr when the record has no such field.
const avro::Value* FindField(const avro::Record& record, const FieldKey& key);
// The index of the field in `schema` (a record node), or -1.
int FindFieldIndex(const avro::Node& schema, const FieldKey& key);

// Typed getters: nullopt for an absent or null field; kBadRequest for a value of another type
// (or an int outside the int32 range). Require* also fail on absent or null fields.
Result<std::optional<int64_t>> GetLong(const avro::Record& record, const FieldKey& key);
Result<int64_t> RequireLong(const avro::Record& record, const FieldKey& key);
Result<std::optional<int>> GetInt(const avro::Record& record, const FieldKey& key);
Result<int> RequireInt(const avro::Record& record, const FieldKey& key);
Result<std::optional<bool>> GetBool(const avro::Record& record, const FieldKey& key);
Result<std::optional<std::string>> GetString(const avro::Record& record, const FieldKey& key);
Result<std::string> RequireString(const avro::Record& record, const FieldKey& key);
// Avro bytes or fixed.
Result<std::optional<std::string>> GetBytes(const avro::Record& record, const FieldKey& key);
Result<std::optional<std::vector<int64_t>>> GetLongList(const avro::Record& record,
                                                        const FieldKey& key);
// A record-valued field (nullptr when absent or null).
Result<const avro::Record*> GetRecord(const avro::Record& record, const FieldKey& key);
// An array-valued field (nullptr when absent or null).
Result<const avro::Array*> GetArray(const avro::Record& record, const FieldKey& key);
// Iceberg maps keyed by column id: Avro arrays of {key, value} records (logicalType "map"), or
// Avro maps whose string keys are decimal ids. Empty when absent or null.
Result<std::map<int, int64_t>> GetIdToLong(const avro::Record& record, const FieldKey& key);
Result<std::map<int, std::string>> GetIdToBytes(const avro::Record& record, const FieldKey& key);

// The Iceberg primitive type an Avro schema node stands for ("date" for int/date, "timestamptz"
// for long/timestamp-micros adjusted to UTC, "decimal(P, S)", "uuid", "fixed[L]", "unknown" for
// null, ...); a nullable union stands for its other branch.
// Errors: kUnsupported for records, arrays, maps, enums and other unions.
Result<std::string> IcebergType(const avro::Node& node);

// The literal for a decoded Avro value of Iceberg type `type` (from IcebergType); nullopt for
// null. Errors: kBadRequest when the value does not match the type.
Result<std::optional<Literal>> ToLiteral(const avro::Value& value, const std::string& type);

}  // namespace pangolin::iceberg::internal
