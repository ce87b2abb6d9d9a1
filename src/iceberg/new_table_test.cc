// NewTableMetadata: id reassignment (nested types, identifier fields), partition and sort binding
// by column name, format version and properties.
#include "iceberg/new_table.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

// Client-chosen ids that collide with nothing in particular.
// {10: id long, 20: loc struct{30: lat double, 31: lon double}, 40: tags list<50: string>,
//  60: attrs map<70: string, 80: struct{90: v int}>}
CreateTableRequest NestedRequest() {
  CreateTableRequest request;
  request.name = "t";
  auto& f = request.schema.fields;
  f.push_back({10, "id", true, Type::Primitive("long"), "the id", {}, {}, {}});
  f.push_back({20,
               "loc",
               false,
               Type::Struct({{30, "lat", true, Type::Primitive("double"), {}, {}, {}, {}},
                             {31, "lon", true, Type::Primitive("double"), {}, {}, {}, {}}}),
               {},
               {},
               {},
               {}});
  f.push_back(
      {40, "tags", false, Type::List(50, false, Type::Primitive("string")), {}, {}, {}, {}});
  f.push_back({60,
               "attrs",
               false,
               Type::Map(70, Type::Primitive("string"), 80, true,
                         Type::Struct({{90, "v", false, Type::Primitive("int"), {}, {}, {}, {}}})),
               {},
               {},
               {},
               {}});
  request.schema.schema_id = 5;
  request.schema.identifier_field_ids = {10};
  request.partition_spec = UnboundPartitionSpec{
      7, {{31, {}, 5000, "lon_bucket", "bucket[8]"}, {10, {}, {}, "id", "identity"}}};
  request.write_order = SortOrder{9, {{"identity", 30, {}, "desc", "nulls-last"}}};
  request.properties = {{"format-version", "1"}, {"owner", "me"}, {"current-snapshot-id", "5"}};
  return request;
}

TEST(NewTableTest, ReassignsIdsBreadthFirstPerStruct) {
  ASSERT_OK_AND_ASSIGN(auto md, NewTableMetadata(NestedRequest(), "s3://b/t/", "u", 123));
  const Schema& schema = md.schemas.at(0);
  EXPECT_EQ(schema.schema_id, 0);
  EXPECT_EQ(schema.fields[0].id, 1);
  EXPECT_EQ(schema.fields[0].doc, "the id");
  EXPECT_EQ(schema.fields[1].id, 2);
  EXPECT_EQ(schema.fields[2].id, 3);
  EXPECT_EQ(schema.fields[3].id, 4);
  EXPECT_EQ(schema.fields[1].type.fields[0].id, 5);               // loc.lat
  EXPECT_EQ(schema.fields[1].type.fields[1].id, 6);               // loc.lon
  EXPECT_EQ(schema.fields[2].type.element_id, 7);                 // tags.element
  EXPECT_EQ(schema.fields[3].type.key_id, 8);                     // attrs.key
  EXPECT_EQ(schema.fields[3].type.value_id, 9);                   // attrs.value
  EXPECT_EQ(schema.fields[3].type.children[1].fields[0].id, 10);  // attrs.value.v
  EXPECT_EQ(md.last_column_id, 10);
  EXPECT_EQ(schema.identifier_field_ids, std::vector<int>{1});
  EXPECT_EQ(md.location, "s3://b/t");
  EXPECT_EQ(md.last_updated_ms, 123);
  EXPECT_TRUE(md.metadata_log.empty());
  EXPECT_FALSE(md.current_snapshot_id);
}

TEST(NewTableTest, BindsSpecAndOrderByName) {
  ASSERT_OK_AND_ASSIGN(auto md, NewTableMetadata(NestedRequest(), "s3://b/t", "u", 1));
  const PartitionSpec& spec = md.partition_specs.at(0);
  EXPECT_EQ(spec.spec_id, 0);
  ASSERT_EQ(spec.fields.size(), 2u);
  EXPECT_EQ(spec.fields[0].source_id, 6);
  EXPECT_EQ(spec.fields[0].field_id, 1000);
  EXPECT_EQ(spec.fields[1].source_id, 1);
  EXPECT_EQ(spec.fields[1].field_id, 1001);
  EXPECT_EQ(md.last_partition_id, 1001);
  ASSERT_EQ(md.sort_orders.size(), 1u);
  EXPECT_EQ(md.default_sort_order_id, 1);
  EXPECT_EQ(md.sort_orders[0].order_id, 1);
  EXPECT_EQ(md.sort_orders[0].fields[0].source_id, 5);
  EXPECT_EQ(md.sort_orders[0].fields[0].direction, "desc");
}

TEST(NewTableTest, FormatVersionAndProperties) {
  ASSERT_OK_AND_ASSIGN(auto md, NewTableMetadata(NestedRequest(), "s3://b/t", "u", 1));
  EXPECT_EQ(md.format_version, 1);
  EXPECT_EQ(md.properties, (std::map<std::string, std::string>{
                               {"owner", "me"}, {"write.parquet.compression-codec", "zstd"}}));
  CreateTableRequest request = NestedRequest();
  request.properties = {{"write.parquet.compression-codec", "snappy"}};
  ASSERT_OK_AND_ASSIGN(auto v2, NewTableMetadata(request, "s3://b/t", "u", 1));
  EXPECT_EQ(v2.format_version, 2);
  EXPECT_EQ(v2.properties.at("write.parquet.compression-codec"), "snappy");
  request.properties = {{"format-version", "4"}};
  EXPECT_THAT(NewTableMetadata(request, "s3://b/t", "u", 1), IsError(ErrorCode::kInvalidArgument));
  request.properties = {{"format-version", "x"}};
  EXPECT_THAT(NewTableMetadata(request, "s3://b/t", "u", 1), IsError(ErrorCode::kInvalidArgument));
}

TEST(NewTableTest, UnpartitionedUnsorted) {
  CreateTableRequest request;
  request.schema = testing::SimpleSchema();
  request.properties = {{"format-version", "3"}};
  ASSERT_OK_AND_ASSIGN(auto md, NewTableMetadata(request, "s3://b/t", "u", 1));
  EXPECT_EQ(md.format_version, 3);
  EXPECT_EQ(md.last_partition_id, 999);
  EXPECT_TRUE(md.partition_specs.at(0).fields.empty());
  EXPECT_EQ(md.default_sort_order_id, 0);
  EXPECT_EQ(md.next_row_id, 0);
}

TEST(NewTableTest, Validation) {
  CreateTableRequest request = NestedRequest();
  request.partition_spec->fields.push_back({999, {}, {}, "nope", "identity"});
  EXPECT_THAT(NewTableMetadata(request, "s3://b/t", "u", 1),
              IsErrorWithMessage(ErrorCode::kValidation, "Cannot find source column"));
  request = NestedRequest();
  request.partition_spec->fields.push_back({20, {}, {}, "loc_id", "identity"});
  EXPECT_THAT(NewTableMetadata(request, "s3://b/t", "u", 1),
              IsErrorWithMessage(ErrorCode::kValidation, "non-primitive"));
  request = NestedRequest();
  request.partition_spec->fields = {{10, {}, {}, "id_x", "some_future_transform[3]"}};
  EXPECT_THAT(NewTableMetadata(request, "s3://b/t", "u", 1),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Invalid transform"));
}

}  // namespace
}  // namespace pangolin::iceberg
