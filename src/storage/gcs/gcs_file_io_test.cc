// GcsFileIO's requests and error mapping against a scripted server: URLs and encoding, the
// Authorization header, preconditions, paging, and how GCS's answers become errors. (The same
// FileIO runs the shared contract against fake-gcs-server in tests/contract.)
#include "storage/gcs/gcs_file_io.h"

#include <gtest/gtest.h>

#include "storage/gcs/gcs_location_internal.h"
#include "storage/gcs/test_support_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;
using namespace ::pangolin::storage::gcs_testing;

constexpr std::string_view kEndpoint = "http://gcs.test";

TEST(GcsLocationTest, ParsesBucketAndObject) {
  ASSERT_OK_AND_ASSIGN(auto loc, gcs_internal::ParseObjectLocation("gs://my-bucket/a b/c+d%e"));
  EXPECT_EQ(loc.bucket, "my-bucket");
  EXPECT_EQ(loc.object, "a b/c+d%e");
  EXPECT_EQ(gcs_internal::ObjectUrl(kEndpoint, loc),
            "http://gcs.test/storage/v1/b/my-bucket/o/a%20b%2Fc%2Bd%25e");
  EXPECT_EQ(loc.Location("x/y"), "gs://my-bucket/x/y");
  ASSERT_OK_AND_ASSIGN(auto root, gcs_internal::ParsePrefixLocation("gs://b.example.com"));
  EXPECT_EQ(root.bucket, "b.example.com");
  EXPECT_EQ(root.object, "");
}

TEST(GcsLocationTest, RefusesWhatIsNoObjectLocation) {
  for (const char* bad :
       {"", "gs:/b/o", "s3://bucket/o", "gs://", "gs:///o", "gs://bucket", "gs://bucket/",
        "gs://bucket/dir/", "gs://Bucket/o", "gs://b/o", "gs://-bucket/o", "gs://bucket!/o",
        "gs://bucket/a/../b", "gs://bucket/./a", "gs://bucket/a\nb"}) {
    EXPECT_THAT(gcs_internal::ParseObjectLocation(bad), IsError(ErrorCode::kInvalidArgument))
        << bad;
  }
  EXPECT_THAT(gcs_internal::ParseObjectLocation("gs://bucket/" + std::string(1025, 'x')),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(gcs_internal::IsValidBucketName("a_b-c.d"));
  EXPECT_FALSE(gcs_internal::IsValidBucketName(std::string(64, 'a')));
  EXPECT_FALSE(gcs_internal::IsValidBucketName("a..b"));
}

class GcsFileIOTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GcsConfig config;
    config.endpoint = std::string(kEndpoint) + "/";
    config.access_token = "ya29.static";
    config.list_page_size = 2;
    ASSERT_OK_AND_ASSIGN(io_, MakeGcsFileIO(config, client_));
  }
  void TearDown() override { EXPECT_EQ(client_->pending(), 0u); }

  std::shared_ptr<ScriptedHttpClient> client_ = std::make_shared<ScriptedHttpClient>();
  std::unique_ptr<FileIO> io_;
};

TEST_F(GcsFileIOTest, ReadsMediaWithTheBearerToken) {
  client_->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.url, "http://gcs.test/storage/v1/b/lake/o/t%2Fmetadata%2F1.json?alt=media");
    EXPECT_EQ(HeaderOf(request, "authorization"), "Bearer ya29.static");
    EXPECT_GE(request.max_response_bytes, size_t{256} << 20);
    return Answer(200, "content");
  });
  EXPECT_EQ(io_->Read("gs://lake/t/metadata/1.json"), "content");
  client_->Expect(Reply(404, R"({"error":{"code":404,"message":"No such object: wh/x"}})"));
  EXPECT_THAT(io_->Read("gs://lake/x"), IsError(ErrorCode::kNotFound));
}

TEST_F(GcsFileIOTest, MapsRefusalsAndFailures) {
  client_->Expect(Reply(403,
                        R"({"error":{"code":403,"message":"sa@p does not have )"
                        R"(storage.objects.get access to the Google Cloud Storage object."}})"));
  EXPECT_THAT(io_->Read("gs://lake/x"),
              IsErrorWithMessage(ErrorCode::kForbidden, "does not have storage.objects.get"));
  client_->Expect(Reply(401, R"({"error":{"code":401,"message":"Invalid Credentials"}})"));
  EXPECT_THAT(io_->Exists("gs://lake/x"),
              IsErrorWithMessage(ErrorCode::kForbidden, "Invalid Credentials"));
  client_->Expect(Reply(400, R"({"error":{"code":400,"message":"Invalid bucket name"}})"));
  EXPECT_THAT(io_->Delete("gs://lake/x"),
              IsErrorWithMessage(ErrorCode::kIo, "HTTP 400): Invalid bucket name"));
  for (int i = 0; i < 5; ++i) client_->Expect(Reply(503, "busy"));
  EXPECT_THAT(io_->Exists("gs://lake/x"), IsErrorWithMessage(ErrorCode::kIo, "HTTP 503"));
  client_->Expect([](const net::HttpRequest&) -> Result<net::HttpResponse> {
    return Err(ErrorCode::kPayloadTooLarge, "answer too large");
  });
  EXPECT_THAT(io_->Read("gs://lake/huge"), IsErrorWithMessage(ErrorCode::kIo, "256 MiB"));
}

TEST_F(GcsFileIOTest, WriteNewUploadsWithAGenerationPrecondition) {
  client_->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url,
              "http://gcs.test/upload/storage/v1/b/lake/o?uploadType=media&ifGenerationMatch=0"
              "&name=ns%2Ft%2Fv1.json");
    EXPECT_EQ(request.body, std::string("da\0ta", 5));
    EXPECT_EQ(HeaderOf(request, "content-type"), "application/octet-stream");
    return Answer(200, R"({"name":"ns/t/v1.json","generation":"1"})");
  });
  EXPECT_THAT(io_->WriteNew("gs://lake/ns/t/v1.json", std::string("da\0ta", 5)), IsOk());
  client_->Expect(Reply(412, R"({"error":{"code":412,"message":"Precondition Failed"}})"));
  EXPECT_THAT(io_->WriteNew("gs://lake/ns/t/v1.json", "other"), IsError(ErrorCode::kAlreadyExists));
}

TEST_F(GcsFileIOTest, ARetriedUploadThatLandedIsRecognised) {
  client_->Expect(Reply(503));  // the first attempt landed, its answer was lost
  client_->Expect(Reply(412));
  client_->Expect(Reply(200, "mine"));  // read back
  EXPECT_THAT(io_->WriteNew("gs://lake/a", "mine"), IsOk());
  client_->Expect(Reply(503));
  client_->Expect(Reply(412));
  client_->Expect(Reply(200, "someone else's"));
  EXPECT_THAT(io_->WriteNew("gs://lake/a", "mine"), IsError(ErrorCode::kAlreadyExists));
}

TEST_F(GcsFileIOTest, ListPagesThroughThePrefix) {
  client_->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.url,
              "http://gcs.test/storage/v1/b/lake/o?prefix=ns%2Ft%2F&maxResults=2"
              "&fields=nextPageToken%2Citems%28name%2Csize%29");
    return Answer(200, R"({"items":[{"name":"ns/t/b","size":"2"},{"name":"ns/t/a","size":"1"}],)"
                       R"("nextPageToken":"tok/1"})");
  });
  client_->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_NE(request.url.find("&pageToken=tok%2F1"), std::string::npos) << request.url;
    return Answer(200, R"({"items":[{"name":"ns/t/c/d","size":"30"}]})");
  });
  ASSERT_OK_AND_ASSIGN(std::vector<FileInfo> files, io_->List("gs://lake/ns/t/"));
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].location, "gs://lake/ns/t/a");
  EXPECT_EQ(files[0].size, 1);
  EXPECT_EQ(files[2].location, "gs://lake/ns/t/c/d");
  EXPECT_EQ(files[2].size, 30);
  client_->Expect(Reply(200, "not json"));
  EXPECT_THAT(io_->List("gs://lake/x"), IsErrorWithMessage(ErrorCode::kIo, "malformed"));
}

TEST_F(GcsFileIOTest, DeletePrefixDeletesOneDirectory) {
  client_->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_NE(request.url.find("?prefix=ns%2Ft%2F&"), std::string::npos) << request.url;
    return Answer(200, R"({"items":[{"name":"ns/t/a","size":"1"}]})");
  });
  client_->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.method, "DELETE");
    EXPECT_EQ(request.url, "http://gcs.test/storage/v1/b/lake/o/ns%2Ft%2Fa");
    return Answer(404);  // already gone: fine
  });
  EXPECT_THAT(io_->DeletePrefix("gs://lake/ns/t"), IsOk());
  EXPECT_THAT(io_->DeletePrefix("gs://lake"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io_->DeletePrefix("gs://lake/"), IsError(ErrorCode::kInvalidArgument));
}

// A configuration with anonymous access, changed by `edit`.
GcsConfig Config(const std::function<void(GcsConfig&)>& edit) {
  GcsConfig config;
  config.anonymous = true;
  edit(config);
  return config;
}

TEST(GcsFileIOConfigTest, RefusesInvalidConfigurations) {
  auto client = std::make_shared<ScriptedHttpClient>();
  auto make = [&](const std::function<void(GcsConfig&)>& edit) {
    return MakeGcsFileIO(Config(edit), client);
  };
  EXPECT_THAT(make([](GcsConfig& c) { c.anonymous = false; }),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "exactly one"));
  EXPECT_THAT(make([](GcsConfig& c) { c.access_token = "t"; }),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make([](GcsConfig& c) { c.endpoint = "ftp://x"; }),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make([](GcsConfig& c) { c.list_page_size = 0; }),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(make([](GcsConfig& c) {
                c.anonymous = false;
                c.service_account_json = "{}";
              }),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeGcsFileIO(Config([](GcsConfig&) {}), nullptr),
              IsError(ErrorCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(auto io, make([](GcsConfig&) {}));
  EXPECT_TRUE(io->Handles("gs://b/o"));
  EXPECT_FALSE(io->Handles("s3://b/o"));
}

TEST(GcsFileIOServiceAccountTest, FetchesATokenOnceAndSendsIt) {
  auto client = std::make_shared<ScriptedHttpClient>();
  TestKey key = GenerateRsaKey();
  GcsConfig config;
  config.endpoint = "https://storage.example.test";
  config.service_account_json =
      KeyFileJson(PrivateKeyPem(key.get()), "https://oauth.example.test/token");
  ASSERT_OK_AND_ASSIGN(auto io, MakeGcsFileIO(config, client));
  client->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
    EXPECT_EQ(request.url, "https://oauth.example.test/token");
    return Answer(200, R"({"access_token":"ya29.sa","expires_in":3599})");
  });
  for (int i = 0; i < 2; ++i) {
    client->Expect([](const net::HttpRequest& request) -> Result<net::HttpResponse> {
      EXPECT_EQ(HeaderOf(request, "authorization"), "Bearer ya29.sa");
      return Answer(200, "{}");
    });
  }
  EXPECT_THAT(io->Exists("gs://lake/a"), ::testing::Optional(true));
  EXPECT_THAT(io->Exists("gs://lake/b"), ::testing::Optional(true));
  client->Expect(Reply(400, R"({"error":"invalid_grant","error_description":"account disabled"})"));
  ASSERT_OK_AND_ASSIGN(auto refused, MakeGcsFileIO(config, client));
  EXPECT_THAT(refused->Read("gs://lake/a"),
              IsErrorWithMessage(ErrorCode::kForbidden, "account disabled"));
  EXPECT_EQ(client->pending(), 0u);
}

}  // namespace
}  // namespace pangolin::storage
