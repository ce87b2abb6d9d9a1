// S3 locations, endpoints and object URLs.
#include <gtest/gtest.h>

#include "storage/s3/s3_location_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage::s3 {
namespace {

using ::pangolin::testing::IsError;

TEST(S3LocationTest, ParsesEverySchemeAndKeepsIt) {
  for (const char* scheme : {"s3", "s3a", "s3n", "S3"}) {
    auto loc = ParseS3Location(std::string(scheme) + "://bucket/a/b.json", true);
    ASSERT_TRUE(loc) << loc.error().message;
    EXPECT_EQ(loc->scheme, scheme);
    EXPECT_EQ(loc->bucket, "bucket");
    EXPECT_EQ(loc->key, "a/b.json");
    EXPECT_EQ(loc->WithKey("c"), std::string(scheme) + "://bucket/c");
  }
}

TEST(S3LocationTest, PrefixesMayNameABucket) {
  auto whole = ParseS3Location("s3://bucket", false);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->key, "");
  auto dir = ParseS3Location("s3://bucket/dir/", false);
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->key, "dir/");
}

TEST(S3LocationTest, RefusesBadLocations) {
  for (const char* bad : {"", "bucket/key", "file:///x", "gs://bucket/key", "s3://", "s3:///key",
                          "s3://b/key", "s3://bad_bucket!/key", "s3://-bucket/key", "s3://bucket",
                          "s3://bucket/", "s3://bucket/dir/", "s3://bucket/a/../b",
                          "s3://bucket/./a", "s3://bucket/a//b", "s3://bucket/a\nb"}) {
    EXPECT_THAT(ParseS3Location(bad, true), IsError(ErrorCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(ParseS3Location("s3://bucket/a/../b", false), IsError(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(IsS3Location("s3a://x/y"));
  EXPECT_FALSE(IsS3Location("file:///x"));
}

TEST(S3LocationTest, BuildsVirtualHostedAndPathStyleUrls) {
  auto aws = ParseS3Endpoint("", "eu-west-1", false);
  ASSERT_TRUE(aws);
  EXPECT_EQ(ObjectUrl(*aws, "bucket", "a b/c+d"),
            "https://bucket.s3.eu-west-1.amazonaws.com/a%20b/c%2Bd");
  EXPECT_EQ(ObjectUrl(*aws, "my.bucket", "k"), "https://s3.eu-west-1.amazonaws.com/my.bucket/k");
  auto minio = ParseS3Endpoint("http://127.0.0.1:9000/", "us-east-1", true);
  ASSERT_TRUE(minio);
  EXPECT_EQ(ObjectUrl(*minio, "warehouse", "t/m.json"), "http://127.0.0.1:9000/warehouse/t/m.json");
  EXPECT_EQ(ObjectUrl(*minio, "warehouse", "", "list-type=2"),
            "http://127.0.0.1:9000/warehouse/?list-type=2");
  auto local = ParseS3Endpoint("http://localhost:9000", "us-east-1", false);
  ASSERT_TRUE(local);
  EXPECT_EQ(ObjectUrl(*local, "warehouse", "k"), "http://warehouse.localhost:9000/k");
  EXPECT_THAT(ParseS3Endpoint("ftp://host", "us-east-1", true),
              IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace pangolin::storage::s3
