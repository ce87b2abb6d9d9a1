// The FileIO contract over S3, against MinIO (scripts/services/minio.sh, endpoint in
// PANGOLIN_TEST_S3_ENDPOINT): path style on 127.0.0.1, and virtual-hosted style on
// bucket.localhost. Then what only S3 has: schemes, key encoding, paging, permissions.
#include "contract/file_io_contract.h"
#include "contract/s3_support.h"

namespace pangolin::storage {
namespace {

using contract::S3TestServer;
using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

template <bool kPathStyle>
struct S3Factory {
  Result<std::unique_ptr<FileIO>> Make() {
    ASSIGN_OR_RETURN(server, contract::S3TestServerFromEnv());
    return contract::MakeTestS3FileIO(server, kPathStyle);
  }
  std::string Root() { return contract::FreshS3Root(server); }
  std::vector<std::string> BadLocations(const std::string& root) {
    const std::string bucket = "s3://" + server.bucket;
    return {bucket,          bucket + "/",    root + "/dir/", root + "/a/../b",
            root + "/./a",   root + "//a",    "s3:///key",    "s3://x/key",
            "gs://bucket/k", "file:///tmp/x", "relative/key", ""};
  }
  std::string ForeignLocation() { return "file:///tmp/x"; }

  S3TestServer server;
};

using S3PathStyleFactory = S3Factory<true>;
using S3VirtualHostFactory = S3Factory<false>;
INSTANTIATE_TYPED_TEST_SUITE_P(S3PathStyle, FileIOContract, S3PathStyleFactory);
INSTANTIATE_TYPED_TEST_SUITE_P(S3VirtualHost, FileIOContract, S3VirtualHostFactory);

class S3FileIOTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = contract::S3TestServerFromEnv();
    ASSERT_TRUE(server) << server.error().message;
    server_ = *server;
    auto io = contract::MakeTestS3FileIO(server_);
    ASSERT_TRUE(io) << io.error().message;
    io_ = std::move(*io);
    root_ = contract::FreshS3Root(server_);
  }

  S3TestServer server_;
  std::unique_ptr<FileIO> io_;
  std::string root_;
};

TEST_F(S3FileIOTest, EverySchemeReachesTheSameObjectsAndListsInItsOwn) {
  const std::string key = root_.substr(std::string("s3://").size());
  ASSERT_THAT(io_->WriteNew("s3a://" + key + "/t/1", "one"), IsOk());
  EXPECT_THAT(io_->Read("s3n://" + key + "/t/1"), ::testing::Optional(std::string("one")));
  auto listed = io_->List("s3a://" + key + "/t/");
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().location, "s3a://" + key + "/t/1");
  EXPECT_TRUE(io_->Handles("S3A://b/k"));
}

TEST_F(S3FileIOTest, KeysWithReservedCharactersRoundTrip) {
  std::vector<std::string> names = {"a b",         "plus+sign",         "dollar$amp&eq=",
                                    "per%cent",    "\xE2\x82\xAC-euro", "semi;colon,comma",
                                    "tilde~star*", "quote'paren()",     "x?y#z"};
  for (const auto& name : names) {
    ASSERT_THAT(io_->WriteNew(root_ + "/k/" + name, name), IsOk()) << name;
  }
  for (const auto& name : names) {
    EXPECT_THAT(io_->Read(root_ + "/k/" + name), ::testing::Optional(name)) << name;
    EXPECT_THAT(io_->Exists(root_ + "/k/" + name), ::testing::Optional(true)) << name;
  }
  auto listed = io_->List(root_ + "/k/");
  ASSERT_THAT(listed, IsOk());
  std::set<std::string> locations;
  for (const auto& file : *listed) locations.insert(file.location);
  for (const auto& name : names) EXPECT_EQ(locations.count(root_ + "/k/" + name), 1u) << name;
  ASSERT_THAT(io_->DeletePrefix(root_ + "/k"), IsOk());
  EXPECT_THAT(io_->List(root_ + "/"), ::testing::Optional(::testing::IsEmpty()));
}

// More than one page of ListObjectsV2 and more than one DeleteObjects batch (1000 each).
TEST_F(S3FileIOTest, ListsAndDeletesPastOneThousandObjects) {
  constexpr int kObjects = 1003;
  for (int i = 0; i < kObjects; ++i) {
    ASSERT_THAT(io_->WriteNew(fmt::format("{}/many/{:05d}", root_, i), "x"), IsOk());
  }
  ASSERT_THAT(io_->WriteNew(root_ + "/many2/keep", "x"), IsOk());
  auto listed = io_->List(root_ + "/many/");
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), static_cast<size_t>(kObjects));
  ASSERT_THAT(io_->DeletePrefix(root_ + "/many"), IsOk());
  auto left = io_->List(root_ + "/");
  ASSERT_THAT(left, IsOk());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().location, root_ + "/many2/keep");
}

TEST_F(S3FileIOTest, WrongCredentialsAreForbidden) {
  auto io = contract::MakeTestS3FileIO(server_, true, server_.access_key_id, "wrong-secret");
  ASSERT_THAT(io, IsOk());
  EXPECT_THAT((*io)->Read(root_ + "/x"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT((*io)->WriteNew(root_ + "/x", "x"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT((*io)->List(root_ + "/"), IsError(ErrorCode::kForbidden));
}

TEST_F(S3FileIOTest, AMissingBucketIsAnIoErrorNamingIt) {
  EXPECT_THAT(io_->Read("s3://no-such-bucket-pangolin/x"), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(io_->List("s3://no-such-bucket-pangolin/x"),
              ::pangolin::testing::IsErrorWithMessage(ErrorCode::kIo, "NoSuchBucket"));
  EXPECT_THAT(io_->DeletePrefix("s3://" + server_.bucket), IsError(ErrorCode::kInvalidArgument));
}

TEST_F(S3FileIOTest, FactoryRefusesIncompleteConfiguration) {
  auto client = contract::TestHttpClient();
  ASSERT_THAT(client, IsOk());
  S3Config config;
  config.endpoint = server_.endpoint;
  EXPECT_THAT(MakeS3FileIO(config, *client), IsError(ErrorCode::kInvalidArgument));
  config.access_key_id = "a";
  config.secret_access_key = "b";
  EXPECT_THAT(MakeS3FileIO(config, nullptr), IsError(ErrorCode::kInvalidArgument));
  config.endpoint = "ftp://127.0.0.1";
  EXPECT_THAT(MakeS3FileIO(config, *client), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace pangolin::storage
