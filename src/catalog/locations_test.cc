#include "catalog/locations.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::catalog {
namespace {
using ::pangolin::testing::IsError;

TEST(LocationsTest, NormalizesFileUris) {
  EXPECT_EQ(*NormalizeLocation("/data/w/"), "file:///data/w");
  EXPECT_EQ(*NormalizeLocation("file:/data/w"), "file:///data/w");
  EXPECT_EQ(*NormalizeLocation("file:///data/w"), "file:///data/w");
  EXPECT_EQ(*NormalizeLocation("s3://bucket/p/"), "s3://bucket/p");
  EXPECT_THAT(NormalizeLocation("relative/path"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(NormalizeLocation("file:///a/../b"), IsError(ErrorCode::kInvalidArgument));
}

TEST(LocationsTest, BaseComesFromCatalogOrWarehouseRoot) {
  Catalog catalog;
  catalog.name = "lake";
  Warehouse warehouse;
  warehouse.storage_config["root"] = "/srv/wh";
  EXPECT_EQ(*CatalogBaseLocation(catalog, &warehouse), "file:///srv/wh/lake");
  catalog.storage_location = "file:///other/place";
  EXPECT_EQ(*CatalogBaseLocation(catalog, &warehouse), "file:///other/place");
  catalog.storage_location.reset();
  EXPECT_THAT(CatalogBaseLocation(catalog, nullptr), IsError(ErrorCode::kInvalidArgument));
}

TEST(LocationsTest, TableLocationsCannotEscapeTheirNamespace) {
  EXPECT_EQ(DefaultTableLocation("file:///w", {"a", "b"}, "t"), "file:///w/a/b/t");
  EXPECT_EQ(DefaultTableLocation("file:///w", {".."}, "x/../y"), "file:///w/%2E%2E/x%2F..%2Fy");
}

TEST(LocationsTest, ClientLocationsMustStayUnderTheBase) {
  EXPECT_EQ(*CheckLocation("file:///w/lake/t", "file:///w/lake"), "file:///w/lake/t");
  EXPECT_THAT(CheckLocation("file:///w/lake2/t", "file:///w/lake"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(CheckLocation("file:///w/lake/../x", "file:///w/lake"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(IsUnder("file:///w/lakehouse", "file:///w/lake"));
  EXPECT_TRUE(IsUnder("/w/lake/ns/t", "file:///w/lake"));
}

}  // namespace
}  // namespace pangolin::catalog

namespace pangolin::catalog {
namespace {

TEST(IdentifiersTest, NamesMustBeValidUtf8WithoutControlSeparators) {
  EXPECT_TRUE(ValidateName("table", "caf\xc3\xa9"));
  EXPECT_TRUE(ValidateName("table", "\xf0\x9f\x90\xbc"));
  EXPECT_FALSE(ValidateName("table", "\xff"));
  EXPECT_FALSE(ValidateName("table", "\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(ValidateName("table", "\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(ValidateName("table", "\xe2\x82"));      // truncated
  EXPECT_FALSE(ValidateName("table",
                            "a\x1f"
                            "b"));
  EXPECT_FALSE(ValidateName("table", ""));
  EXPECT_FALSE(ValidateNamespace({}));
  EXPECT_FALSE(ValidateNamespace({"a", ""}));
}

}  // namespace
}  // namespace pangolin::catalog
