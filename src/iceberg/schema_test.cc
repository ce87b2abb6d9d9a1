#include "iceberg/schema.h"

#include <gtest/gtest.h>

namespace pangolin::iceberg {
namespace {

TEST(SchemaTest, KnowsTheSpecsPrimitiveTypes) {
  for (std::string_view type : {"boolean",
                                "int",
                                "long",
                                "float",
                                "double",
                                "date",
                                "time",
                                "timestamp",
                                "timestamptz",
                                "timestamp_ns",
                                "timestamptz_ns",
                                "string",
                                "uuid",
                                "binary",
                                "variant",
                                "unknown",
                                "decimal(9,2)",
                                "decimal(38, 10)",
                                "fixed[16]",
                                "geometry",
                                "geometry(srid:4326)",
                                "geography(srid:4326, spherical)"}) {
    EXPECT_TRUE(IsPrimitiveType(type)) << type;
  }
  for (std::string_view type : {"no-such-type", "", "decimal", "decimal(9)", "decimal(a,b)",
                                "fixed[]", "fixed[x]", "Long", "struct", "list"}) {
    EXPECT_FALSE(IsPrimitiveType(type)) << type;
  }
}

TEST(SchemaTest, KnowsTheSpecsTransforms) {
  for (std::string_view t :
       {"identity", "year", "month", "day", "hour", "void", "bucket[16]", "truncate[4]"}) {
    EXPECT_TRUE(IsKnownTransform(t)) << t;
  }
  for (std::string_view t : {"frobnicate", "bucket", "bucket[]", "bucket[x]", "truncate(4)", ""}) {
    EXPECT_FALSE(IsKnownTransform(t)) << t;
  }
}

}  // namespace
}  // namespace pangolin::iceberg
