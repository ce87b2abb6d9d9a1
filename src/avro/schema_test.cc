// Avro schema JSON parsing: every type, names and namespaces, Iceberg id attributes, logical-type
// attributes kept as props, and refusal of malformed or recursive schemas.
#include "avro/schema.h"

#include <gtest/gtest.h>

#include "avro/json_internal.h"
#include "testing/matchers.h"

namespace pangolin::avro {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

TEST(AvroJsonTest, ParsesScalarsEscapesAndNesting) {
  ASSERT_OK_AND_ASSIGN(
      auto json,
      internal::ParseJson(
          R"( {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00"} )"));
  ASSERT_EQ(json.kind, internal::Json::Kind::kObject);
  const internal::Json* a = json.Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0].text, "1");
  EXPECT_EQ(a->items[1].text, "-2.5e3");
  EXPECT_TRUE(a->items[2].boolean);
  EXPECT_FALSE(a->items[3].boolean);
  EXPECT_EQ(a->items[3].kind, internal::Json::Kind::kBool);
  EXPECT_EQ(a->items[4].kind, internal::Json::Kind::kNull);
  EXPECT_EQ(json.Find("b")->text, "x\"\\/\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(json.Find("c"), nullptr);
}

TEST(AvroJsonTest, RejectsMalformedJson) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "\"abc", "01", "1.", "-", "tru",
                          "\"\\ud800\"", "\"\\x\"", "{} x", "\"a\nb\""}) {
    EXPECT_THAT(internal::ParseJson(bad), IsError(ErrorCode::kBadRequest)) << bad;
  }
  std::string deep(200, '[');
  EXPECT_THAT(internal::ParseJson(deep + std::string(200, ']')),
              IsErrorWithMessage(ErrorCode::kBadRequest, "nesting too deep"));
}

TEST(AvroSchemaTest, ParsesPrimitivesByNameAndObject) {
  for (auto [json, type] :
       std::vector<std::pair<std::string, Type>>{{"\"null\"", Type::kNull},
                                                 {"\"boolean\"", Type::kBoolean},
                                                 {"\"int\"", Type::kInt},
                                                 {"\"long\"", Type::kLong},
                                                 {"\"float\"", Type::kFloat},
                                                 {"\"double\"", Type::kDouble},
                                                 {"\"bytes\"", Type::kBytes},
                                                 {"{\"type\": \"string\"}", Type::kString}}) {
    ASSERT_OK_AND_ASSIGN(NodePtr node, ParseSchema(json));
    EXPECT_EQ(node->type, type) << json;
  }
}

TEST(AvroSchemaTest, KeepsLogicalTypeAttributesAsProps) {
  ASSERT_OK_AND_ASSIGN(
      NodePtr node,
      ParseSchema(R"({"type": "long", "logicalType": "timestamp-micros", "adjust-to-utc": true,
                      "nested": {"dropped": 1}})"));
  EXPECT_EQ(node->type, Type::kLong);
  ASSERT_NE(node->Prop("logicalType"), nullptr);
  EXPECT_EQ(*node->Prop("logicalType"), "timestamp-micros");
  EXPECT_EQ(*node->Prop("adjust-to-utc"), "true");
  EXPECT_EQ(node->Prop("nested"), nullptr);
}

TEST(AvroSchemaTest, ParsesIcebergRecordWithIdsAndReferences) {
  constexpr const char* kSchema = R"({
    "type": "record", "name": "manifest_file", "namespace": "iceberg",
    "fields": [
      {"name": "path", "type": "string", "field-id": 500, "doc": "where"},
      {"name": "partitions", "type": ["null", {"type": "array", "element-id": 508,
        "items": {"type": "record", "name": "r508", "fields": [
          {"name": "contains_null", "type": "boolean", "field-id": 509},
          {"name": "lower", "type": ["null", "bytes"], "field-id": 510, "default": null}]}}],
       "default": null, "field-id": 507},
      {"name": "again", "type": ["null", "r508"], "field-id": 600},
      {"name": "full", "type": ["null", "iceberg.r508"], "field-id": 601},
      {"name": "counts", "type": {"type": "map", "values": "long", "key-id": 7, "value-id": "8"}},
      {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
      {"name": "uuid", "type": {"type": "fixed", "name": "u16", "size": 16,
                                "logicalType": "uuid"}}
    ]})";
  ASSERT_OK_AND_ASSIGN(NodePtr node, ParseSchema(kSchema));
  ASSERT_EQ(node->type, Type::kRecord);
  EXPECT_EQ(node->name, "iceberg.manifest_file");
  ASSERT_EQ(node->fields.size(), 7u);
  EXPECT_EQ(node->fields[0].field_id, 500);
  EXPECT_EQ(node->FieldIndex("partitions"), 1);
  EXPECT_EQ(node->FieldIndexById(507), 1);
  EXPECT_EQ(node->FieldIndexById(999), -1);
  EXPECT_EQ(node->FieldIndex("nope"), -1);
  const Node* list = node->fields[1].type->NonNullBranch();
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->type, Type::kArray);
  EXPECT_EQ(list->element_id, 508);
  EXPECT_EQ(list->items->name, "iceberg.r508");
  EXPECT_EQ(list->items->fields[1].field_id, 510);
  // A named type referenced later is the same node.
  EXPECT_EQ(node->fields[2].type->NonNullBranch(), list->items.get());
  EXPECT_EQ(node->fields[3].type->NonNullBranch(), list->items.get());
  const Node& map = *node->fields[4].type;
  EXPECT_EQ(map.type, Type::kMap);
  EXPECT_EQ(map.key_id, 7);
  EXPECT_EQ(map.value_id, 8);
  EXPECT_EQ(map.items->type, Type::kLong);
  EXPECT_EQ(node->fields[5].type->symbols, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(node->fields[6].type->size, 16);
  EXPECT_EQ(*node->fields[6].type->Prop("logicalType"), "uuid");
  // path (1) + partitions union (1) + again (1) + full (1) + map (1) + enum (1) + fixed (16).
  EXPECT_EQ(node->min_encoded_size, 22u);
}

TEST(AvroSchemaTest, MinEncodedSizeOfNullsIsZero) {
  ASSERT_OK_AND_ASSIGN(NodePtr node, ParseSchema(R"({"type": "record", "name": "n", "fields": [
      {"name": "a", "type": "null"}]})"));
  EXPECT_EQ(node->min_encoded_size, 0u);
  ASSERT_OK_AND_ASSIGN(NodePtr d, ParseSchema(R"(["null", "double"])"));
  EXPECT_EQ(d->min_encoded_size, 1u);
}

TEST(AvroSchemaTest, RejectsInvalidSchemas) {
  for (
      const char* bad : {
          R"("nope")",
          R"(42)",
          R"({"name": "x"})",
          R"({"type": "record", "fields": []})",
          R"({"type": "record", "name": "r"})",
          R"({"type": "record", "name": "r", "fields": [{"name": "a"}]})",
          R"({"type": "record", "name": "r", "fields": [{"name": "a", "type": "int", "field-id": "x"}]})",
          R"({"type": "record", "name": "r", "fields": [{"name": "a", "type": "int", "field-id": 3000000000}]})",
          R"({"type": "fixed", "name": "f"})",
          R"({"type": "fixed", "name": "f", "size": -1})",
          R"({"type": "enum", "name": "e", "symbols": [1]})",
          R"({"type": "array"})",
          R"({"type": "map", "values": "long", "key-id": 1.5})",
          R"(["null", ["int"]])",
      }) {
    EXPECT_THAT(ParseSchema(bad), IsError(ErrorCode::kBadRequest)) << bad;
  }
}

TEST(AvroSchemaTest, RefusesRecursiveTypes) {
  EXPECT_THAT(ParseSchema(R"({"type": "record", "name": "node", "fields": [
                 {"name": "next", "type": ["null", "node"]}]})"),
              IsErrorWithMessage(ErrorCode::kUnsupported, "Recursive"));
}

TEST(AvroSchemaTest, RefusesNamedTypesReusedIntoExponentialWork) {
  // Each level holds two of the previous one: 2^30 nulls per record in zero bytes.
  std::string json =
      R"({"type": "record", "name": "l0", "fields": [{"name": "n", "type": "null"}]})";
  for (int i = 1; i <= 30; ++i) {
    json = fmt::format(R"({{"type": "record", "name": "l{}", "fields": [{{"name": "a", "type": {}}},
                          {{"name": "b", "type": "l{}"}}]}})",
                       i, json, i - 1);
  }
  EXPECT_THAT(ParseSchema(json), IsErrorWithMessage(ErrorCode::kBadRequest, "decodes into"));
  // Wide records whose fields take bytes are fine.
  std::string wide = R"({"type": "record", "name": "w", "fields": [)";
  for (int i = 0; i < 3000; ++i) {
    wide += fmt::format(R"({}{{"name": "f{}", "type": ["null", "long"]}})", i ? "," : "", i);
  }
  ASSERT_OK_AND_ASSIGN(NodePtr node, ParseSchema(wide + "]}"));
  EXPECT_EQ(node->value_weight, 6001u);
  EXPECT_EQ(node->min_encoded_size, 3000u);
}

TEST(AvroSchemaTest, BoundsNestingDepth) {
  std::string json;
  for (int i = 0; i < 100; ++i) json += R"({"type": "array", "items": )";
  json += "\"int\"";
  for (int i = 0; i < 100; ++i) json += "}";
  EXPECT_THAT(ParseSchema(json), IsErrorWithMessage(ErrorCode::kBadRequest, "too deep"));
}

}  // namespace
}  // namespace pangolin::avro
