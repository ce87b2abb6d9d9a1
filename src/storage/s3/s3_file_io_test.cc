// The GCS XML flavor of S3FileIO at the request level: what it sends to Google Cloud Storage with
// HMAC keys. fake-gcs-server's XML API takes no PUT and checks no signature, so these requests
// are checked here; tests/contract/file_io_contract_gcs_test.cc runs reads, listings and deletes
// against it.
#include "storage/s3/s3_file_io.h"

#include <gtest/gtest.h>

#include <mutex>

#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::storage {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

// Answers every request with `answer(request)` and records it.
class RecordingClient final : public net::HttpClient {
 public:
  using Answer = std::function<net::HttpResponse(const net::HttpRequest&)>;
  explicit RecordingClient(Answer answer) : answer_(std::move(answer)) {}

  Result<net::HttpResponse> Send(const net::HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sent.push_back(request);
    return answer_(request);
  }

  std::vector<net::HttpRequest> sent;

 private:
  Answer answer_;
  std::mutex mutex_;
};

std::string Header(const net::HttpRequest& request, std::string_view name) {
  for (const auto& [n, v] : request.headers) {
    if (ToLower(n) == name) return v;
  }
  return {};
}

std::unique_ptr<FileIO> GcsXml(std::shared_ptr<RecordingClient> client) {
  S3Config config;
  config.flavor = S3Flavor::kGcsXml;
  config.region = "auto";
  config.path_style = true;
  config.access_key_id = "GOOG1EXAMPLEACCESSID";
  config.secret_access_key = "example-hmac-secret";
  auto io = MakeS3FileIO(std::move(config), std::move(client));
  EXPECT_TRUE(io) << io.error().message;
  return std::move(*io);
}

TEST(S3FileIOGcsXmlTest, WritesCreateOnlyWithTheGenerationPreconditionSignedAsGoog4) {
  auto client = std::make_shared<RecordingClient>([](const net::HttpRequest& request) {
    return net::HttpResponse{
        Header(request, "x-goog-if-generation-match") == "0" ? 200 : 400, {}, ""};
  });
  auto io = GcsXml(client);
  ASSERT_THAT(io->WriteNew("gs://bucket/t/metadata/v1.json", "{}"), IsOk());
  ASSERT_EQ(client->sent.size(), 1u);
  const net::HttpRequest& put = client->sent[0];
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.url, "https://storage.googleapis.com/bucket/t/metadata/v1.json");
  EXPECT_EQ(Header(put, "if-none-match"), "");
  EXPECT_TRUE(StartsWith(Header(put, "authorization"),
                         "GOOG4-HMAC-SHA256 Credential=GOOG1EXAMPLEACCESSID/"))
      << Header(put, "authorization");
  EXPECT_NE(Header(put, "authorization").find("/auto/storage/goog4_request, SignedHeaders="),
            std::string::npos);
  EXPECT_NE(Header(put, "x-goog-date"), "");
  EXPECT_EQ(Header(put, "x-goog-content-sha256"),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}

TEST(S3FileIOGcsXmlTest, AnExistingObjectIsAlreadyExists) {
  auto client = std::make_shared<RecordingClient>([](const net::HttpRequest&) {
    return net::HttpResponse{
        412,
        {},
        "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you "
        "specified did not hold.</Message></Error>"};
  });
  EXPECT_THAT(GcsXml(client)->WriteNew("gs://bucket/k", "x"), IsError(ErrorCode::kAlreadyExists));
}

TEST(S3FileIOGcsXmlTest, DeletesAPrefixObjectByObject) {
  auto client = std::make_shared<RecordingClient>([](const net::HttpRequest& request) {
    if (request.method == "GET") {
      return net::HttpResponse{200,
                               {},
                               "<ListBucketResult><Contents><Key>t/a</Key><Size>1</Size></Contents>"
                               "<Contents><Key>t/b c</Key><Size>2</Size></Contents>"
                               "</ListBucketResult>"};
    }
    return net::HttpResponse{204, {}, ""};
  });
  ASSERT_THAT(GcsXml(client)->DeletePrefix("gs://bucket/t"), IsOk());
  ASSERT_EQ(client->sent.size(), 3u);
  EXPECT_TRUE(StartsWith(client->sent[0].url, "https://storage.googleapis.com/bucket/?"))
      << client->sent[0].url;
  EXPECT_NE(client->sent[0].url.find("prefix=t%2F"), std::string::npos);
  EXPECT_EQ(client->sent[1].method, "DELETE");
  EXPECT_EQ(client->sent[1].url, "https://storage.googleapis.com/bucket/t/a");
  EXPECT_EQ(client->sent[2].url, "https://storage.googleapis.com/bucket/t/b%20c");
}

TEST(S3FileIOGcsXmlTest, HandlesGsLocationsOnly) {
  auto client = std::make_shared<RecordingClient>([](const net::HttpRequest&) {
    return net::HttpResponse{200, {}, ""};
  });
  auto io = GcsXml(client);
  EXPECT_TRUE(io->Handles("gs://bucket/k"));
  EXPECT_FALSE(io->Handles("s3://bucket/k"));
  EXPECT_THAT(io->Read("s3://bucket/k"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(io->Read("gs://bucket/a/../k"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(client->sent.empty());
}

}  // namespace
}  // namespace pangolin::storage
