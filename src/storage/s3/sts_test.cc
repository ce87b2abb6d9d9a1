// Session policies for vended credentials (the text IAM and MinIO evaluate). AssumeRole itself
// runs against MinIO in tests/contract/s3_sts_test.cc.
#include "storage/s3/sts.h"

#include <gtest/gtest.h>

namespace pangolin::storage::s3 {
namespace {

TEST(SessionPolicyTest, ReadOnlyPolicyForATablePrefix) {
  EXPECT_EQ(SessionPolicyForPrefix("warehouse", "/cat/ns/t/", false),
            R"({"Version":"2012-10-17","Statement":[)"
            R"({"Effect":"Allow","Action":["s3:GetObject"],)"
            R"("Resource":["arn:aws:s3:::warehouse/cat/ns/t/*"]},)"
            R"({"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::warehouse"],)"
            R"("Condition":{"StringLike":{"s3:prefix":["cat/ns/t","cat/ns/t/*"]}}},)"
            R"({"Effect":"Allow","Action":["s3:GetBucketLocation"],)"
            R"("Resource":["arn:aws:s3:::warehouse"]}]})");
}

TEST(SessionPolicyTest, WritePolicyAddsTheWriteActions) {
  std::string policy = SessionPolicyForPrefix("warehouse", "cat/t", true);
  EXPECT_NE(policy.find(R"("Action":["s3:GetObject","s3:PutObject","s3:DeleteObject",)"
                        R"("s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],)"
                        R"("Resource":["arn:aws:s3:::warehouse/cat/t/*"]})"),
            std::string::npos)
      << policy;
}

TEST(SessionPolicyTest, WholeBucketHasNoPrefixCondition) {
  std::string policy = SessionPolicyForPrefix("warehouse", "", false);
  EXPECT_NE(policy.find(R"("Resource":["arn:aws:s3:::warehouse/*"])"), std::string::npos);
  EXPECT_EQ(policy.find("Condition"), std::string::npos);
}

TEST(SessionPolicyTest, WildcardsAndJsonSpecialsMatchOnlyThemselves) {
  std::string policy = SessionPolicyForPrefix("warehouse", "a*b?c$d\"e\\f\n", false);
  EXPECT_NE(policy.find(R"(arn:aws:s3:::warehouse/a${*}b${?}c${$}d\"e\\f\u000a/*)"),
            std::string::npos)
      << policy;
  EXPECT_NE(policy.find(R"(["a${*}b${?}c${$}d\"e\\f\u000a","a${*}b${?}c${$}d\"e\\f\u000a/*"])"),
            std::string::npos)
      << policy;
}

}  // namespace
}  // namespace pangolin::storage::s3
