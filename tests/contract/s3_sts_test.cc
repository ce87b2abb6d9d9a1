// Vended S3 credentials against MinIO (PANGOLIN_TEST_S3_ENDPOINT): AssumeRole with the session
// policy of one prefix gives credentials that work under that prefix, read-only or read-write,
// and nowhere else; they expire when asked.
#include <gtest/gtest.h>

#include "contract/s3_support.h"
#include "storage/s3/sts.h"
#include "testing/matchers.h"

namespace pangolin::storage {
namespace {

using namespace std::chrono;
using contract::S3TestServer;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

class S3StsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = contract::S3TestServerFromEnv();
    ASSERT_TRUE(server) << server.error().message;
    server_ = *server;
    auto client = contract::TestHttpClient();
    ASSERT_TRUE(client) << client.error().message;
    client_ = *client;
    auto io = contract::MakeTestS3FileIO(server_);
    ASSERT_TRUE(io) << io.error().message;
    root_io_ = std::move(*io);
    prefix_ = NewUuid();
    table_a_ = "s3://" + server_.bucket + "/" + prefix_ + "/a";
    table_b_ = "s3://" + server_.bucket + "/" + prefix_ + "/b";
  }

  s3::StsRequest Request(std::string policy, seconds duration = seconds(3600)) {
    s3::StsRequest request;
    request.endpoint = server_.endpoint;
    request.region = server_.region;
    request.access_key_id = server_.access_key_id;
    request.secret_access_key = server_.secret_access_key;
    request.role_arn = "arn:aws:iam::000000000000:role/pangolin-test";
    request.role_session_name = "pangolin-test";
    request.duration = duration;
    request.policy = std::move(policy);
    return request;
  }

  // A FileIO with credentials vended for `prefix` of the bucket.
  std::unique_ptr<FileIO> VendedIo(const std::string& prefix, bool write) {
    auto credentials = s3::AssumeRole(
        *client_, Request(s3::SessionPolicyForPrefix(server_.bucket, prefix, write)));
    EXPECT_THAT(credentials, IsOk());
    if (!credentials) return nullptr;
    EXPECT_NE(credentials->access_key_id, server_.access_key_id);
    EXPECT_FALSE(credentials->session_token.empty());
    auto io =
        contract::MakeTestS3FileIO(server_, true, credentials->access_key_id,
                                   credentials->secret_access_key, credentials->session_token);
    EXPECT_THAT(io, IsOk());
    return io ? std::move(*io) : nullptr;
  }

  S3TestServer server_;
  std::shared_ptr<net::HttpClient> client_;
  std::unique_ptr<FileIO> root_io_;
  std::string prefix_, table_a_, table_b_;
};

TEST_F(S3StsTest, ReadWriteCredentialsWorkUnderTheirPrefixOnly) {
  ASSERT_THAT(root_io_->WriteNew(table_b_ + "/metadata/1.json", "b"), IsOk());
  auto io = VendedIo(prefix_ + "/a", true);
  ASSERT_NE(io, nullptr);
  ASSERT_THAT(io->WriteNew(table_a_ + "/metadata/1.json", "a"), IsOk());
  EXPECT_THAT(io->Read(table_a_ + "/metadata/1.json"), ::testing::Optional(std::string("a")));
  EXPECT_THAT(io->Exists(table_a_ + "/metadata/1.json"), ::testing::Optional(true));
  auto listed = io->List(table_a_ + "/");
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), 1u);
  ASSERT_THAT(io->Delete(table_a_ + "/metadata/1.json"), IsOk());

  EXPECT_THAT(io->Read(table_b_ + "/metadata/1.json"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->WriteNew(table_b_ + "/metadata/2.json", "x"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->Delete(table_b_ + "/metadata/1.json"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->List(table_b_ + "/"), IsError(ErrorCode::kForbidden));
  // "a" grants nothing on a sibling that merely starts with the same letters.
  EXPECT_THAT(io->WriteNew(table_a_ + "2/x", "x"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(root_io_->Read(table_b_ + "/metadata/1.json"), ::testing::Optional(std::string("b")));
}

TEST_F(S3StsTest, ReadOnlyCredentialsCannotWriteOrDelete) {
  ASSERT_THAT(root_io_->WriteNew(table_a_ + "/data/1.parquet", "rows"), IsOk());
  auto io = VendedIo(prefix_ + "/a", false);
  ASSERT_NE(io, nullptr);
  EXPECT_THAT(io->Read(table_a_ + "/data/1.parquet"), ::testing::Optional(std::string("rows")));
  EXPECT_THAT(io->List(table_a_), IsOk());
  EXPECT_THAT(io->WriteNew(table_a_ + "/data/2.parquet", "x"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->Delete(table_a_ + "/data/1.parquet"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(root_io_->Exists(table_a_ + "/data/1.parquet"), ::testing::Optional(true));
}

TEST_F(S3StsTest, CredentialsExpireAfterTheDurationAsked) {
  const auto before = system_clock::now();
  auto credentials = s3::AssumeRole(
      *client_, Request(s3::SessionPolicyForPrefix(server_.bucket, prefix_, false), seconds(900)));
  ASSERT_THAT(credentials, IsOk());
  EXPECT_GT(credentials->expiration, before);
  // The server's clock is this machine's; a second of rounding either way.
  EXPECT_LE(credentials->expiration, system_clock::now() + seconds(901));
  EXPECT_GE(credentials->expiration, before + seconds(899));
}

TEST_F(S3StsTest, RefusalsAreReported) {
  s3::StsRequest wrong_secret = Request("");
  wrong_secret.secret_access_key = "not-the-secret";
  EXPECT_THAT(s3::AssumeRole(*client_, wrong_secret), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(s3::AssumeRole(*client_, Request("", seconds(10))),
              IsError(ErrorCode::kInvalidArgument));  // under STS's 900 s minimum
  EXPECT_THAT(s3::AssumeRole(*client_, Request("{not json")), IsError(ErrorCode::kInvalidArgument));
  s3::StsRequest no_endpoint = Request("");
  no_endpoint.endpoint = "http://127.0.0.1:1";
  EXPECT_THAT(s3::AssumeRole(*client_, no_endpoint), IsError(ErrorCode::kUnavailable));
}

}  // namespace
}  // namespace pangolin::storage
