// Canonical storage_config keys: aliases, derived roots, vending defaults and refusals.
#include <gtest/gtest.h>

#include "storage/vending/storage_keys_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage::vending {
namespace {

using ::pangolin::testing::IsErrorWithMessage;

TEST(StorageKeysTest, AliasesBecomeCanonicalKeysAndTheRootIsDerived) {
  auto s3 = Canonicalize({{"type", "s3"},
                          {"bucket", "lake"},
                          {"region", "eu-west-1"},
                          {"access_key_id", "AKID"},
                          {"secret_access_key", "SECRET"},
                          {"role_arn", "arn:aws:iam::1:role/r"}});
  ASSERT_TRUE(s3) << s3.error().message;
  EXPECT_EQ(*s3, (StorageConfig{{"type", "s3"},
                                {"root", "s3://lake"},
                                {"vending", "aws-sts"},
                                {"s3.bucket", "lake"},
                                {"s3.region", "eu-west-1"},
                                {"s3.access-key-id", "AKID"},
                                {"s3.secret-access-key", "SECRET"},
                                {"s3.role-arn", "arn:aws:iam::1:role/r"}}));
  auto azure = Canonicalize({{"type", "adls"},
                             {"azure.account-name", "acct"},
                             {"account_key", "a2V5"},
                             {"container", "data"}});
  ASSERT_TRUE(azure) << azure.error().message;
  EXPECT_EQ(azure->at("type"), "azure");
  EXPECT_EQ(azure->at("root"), "abfss://data@acct.dfs.core.windows.net");
  EXPECT_EQ(azure->at("vending"), "azure-sas");
  auto gcs = Canonicalize({{"type", "gcp"}, {"gcp.bucket", "b"}, {"gcs.no-auth", "true"}});
  ASSERT_TRUE(gcs) << gcs.error().message;
  EXPECT_EQ(gcs->at("root"), "gs://b");
  EXPECT_EQ(gcs->at("vending"), "none");
}

TEST(StorageKeysTest, TheBucketComesFromTheRootAndTheRootMustBeInsideIt) {
  auto from_root = Canonicalize({{"type", "s3"}, {"root", "s3://lake/tenant-a/"}});
  ASSERT_TRUE(from_root) << from_root.error().message;
  EXPECT_EQ(from_root->at("s3.bucket"), "lake");
  EXPECT_EQ(from_root->at("root"), "s3://lake/tenant-a");
  EXPECT_THAT(Canonicalize({{"type", "s3"}, {"s3.bucket", "lake"}, {"root", "s3://other/x"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "not inside s3://lake"));
  EXPECT_THAT(Canonicalize({{"type", "s3"}, {"s3.bucket", "lake"}, {"root", "s3://lake2"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "not inside"));
}

TEST(StorageKeysTest, MistakesAreRefusedNamingTheKey) {
  EXPECT_THAT(Canonicalize({{"type", "ftp"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Unsupported warehouse storage type"));
  EXPECT_THAT(Canonicalize({{"type", "s3"}, {"s3.bucket", "b"}, {"s3.secret-acess-key", "x"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "s3.secret-acess-key"));
  EXPECT_THAT(Canonicalize({{"type", "s3"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "s3.bucket"));
  EXPECT_THAT(Canonicalize({{"type", "s3"}, {"s3.bucket", "b"}, {"s3.access-key-id", "AKID"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "go together"));
  EXPECT_THAT(Canonicalize({{"type", "s3"}, {"s3.bucket", "b"}, {"s3.endpoint", "ftp://x"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "s3.endpoint"));
  EXPECT_THAT(Canonicalize({{"type", "s3"}, {"s3.bucket", "b"}, {"vending", "aws-sts"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "s3.access-key-id"));
  EXPECT_THAT(Canonicalize({{"type", "local"}, {"root", "/w"}, {"vending", "aws-sts"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "not available for a local warehouse"));
  EXPECT_THAT(Canonicalize({{"type", "local"}, {"root", "relative"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "absolute path"));
  EXPECT_THAT(Canonicalize({{"type", "gcs"}, {"gcs.bucket", "b"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "exactly one of"));
  EXPECT_THAT(Canonicalize({{"type", "gcs"}, {"gcs.bucket", "b"}, {"gcs.hmac-secret", "s"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "go together"));
  EXPECT_THAT(Canonicalize({{"type", "gcs"},
                            {"gcs.bucket", "b"},
                            {"gcs.hmac-access-key-id", "GOOG1E"},
                            {"gcs.hmac-secret", "s"},
                            {"gcs.oauth2.token", "t"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "exactly one of"));
  EXPECT_THAT(Canonicalize({{"type", "gcs"},
                            {"gcs.bucket", "b"},
                            {"gcs.hmac-access-key-id", "GOOG1E"},
                            {"gcs.hmac-secret", "s"},
                            {"vending", "gcs-downscoped"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "gcs.service-account-json"));
  EXPECT_THAT(Canonicalize({{"type", "local"}, {"root", "/w"}, {"vending.duration-seconds", "60"}}),
              IsErrorWithMessage(ErrorCode::kBadRequest, "900 to 43200"));
}

}  // namespace
}  // namespace pangolin::storage::vending
