// S3 XML answers and requests, on bodies shaped like the S3 API reference's examples.
#include <gtest/gtest.h>

#include "storage/s3/s3_xml_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage::s3 {
namespace {

using ::pangolin::testing::IsError;

TEST(S3XmlTest, ReadsErrorBodies) {
  S3ErrorBody body =
      ParseErrorBody(R"(<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>)"
                     R"(<Message>Access Denied</Message><RequestId>1</RequestId></Error>)");
  EXPECT_EQ(body.code, "AccessDenied");
  EXPECT_EQ(body.message, "Access Denied");
  EXPECT_EQ(ParseErrorBody("").code, "");
  EXPECT_EQ(ParseErrorBody("<html>bad gateway</html>").code, "");
}

TEST(S3XmlTest, ReadsListPagesWithUrlEncodedKeys) {
  auto page = ParseListObjectsV2(
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>)"
      R"(<Prefix>t%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>)"
      R"(<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>)"
      R"(<Contents><Key>t/a+b%2Bc</Key><Size>5</Size></Contents>)"
      R"(<Contents><Key>t/%E2%82%AC</Key><Size>1234567890123</Size></Contents>)"
      R"(<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>)"
      R"(</ListBucketResult>)");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "t/a b+c");
  EXPECT_EQ(page->objects[0].size, 5);
  EXPECT_EQ(page->objects[1].key, "t/\xE2\x82\xAC");
  EXPECT_EQ(page->objects[1].size, 1234567890123);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_THAT(ParseListObjectsV2("<Error/>"), IsError(ErrorCode::kIo));
  EXPECT_THAT(ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated>"
                                 "</ListBucketResult>"),
              IsError(ErrorCode::kIo));
}

// A server that ignores encoding-type=url (GCS's XML API may) lists keys as they are.
TEST(S3XmlTest, TakesKeysAsTheyAreWithoutUrlEncoding) {
  auto page = ParseListObjectsV2(
      "<ListBucketResult><Contents><Key>t/a+b%2Bc</Key><Size>5</Size></Contents>"
      "</ListBucketResult>");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "t/a+b%2Bc");
}

TEST(S3XmlTest, WritesQuietDeleteRequestsWithEscapedKeys) {
  EXPECT_EQ(DeleteObjectsBody({"a/1", "b&<\"c"}),
            R"(<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet>)"
            R"(<Object><Key>a/1</Key></Object><Object><Key>b&amp;&lt;"c</Key></Object></Delete>)");
}

TEST(S3XmlTest, ReadsDeleteFailures) {
  auto none = ParseDeleteObjectsErrors(R"(<DeleteResult></DeleteResult>)");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto some =
      ParseDeleteObjectsErrors(R"(<DeleteResult><Error><Key>k</Key><Code>AccessDenied</Code>)"
                               R"(<Message>Access Denied</Message></Error></DeleteResult>)");
  ASSERT_TRUE(some);
  EXPECT_EQ(*some, std::vector<std::string>{"k: AccessDenied Access Denied"});
  EXPECT_THAT(ParseDeleteObjectsErrors("junk"), IsError(ErrorCode::kIo));
}

}  // namespace
}  // namespace pangolin::storage::s3
