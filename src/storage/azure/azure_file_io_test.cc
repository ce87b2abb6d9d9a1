// Azure FileIO pieces that need no server: location parsing, URL encoding of blob names, the XML
// answers, and the factory's refusals. The behaviour against a server is the contract test's.
#include "storage/azure/azure_file_io.h"

#include <gtest/gtest.h>

#include "storage/azure/azure_location_internal.h"
#include "storage/azure/azure_xml_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage {
namespace {

using namespace azure_internal;
using ::pangolin::testing::IsError;

TEST(AzureLocationTest, ParsesEverySchemeAndHost) {
  auto abfss = ParseAzureLocation("abfss://warehouse@acct.dfs.core.windows.net/db/t/v1.json");
  ASSERT_TRUE(abfss);
  EXPECT_EQ(abfss->root, "abfss://warehouse@acct.dfs.core.windows.net/");
  EXPECT_EQ(abfss->account, "acct");
  EXPECT_EQ(abfss->container, "warehouse");
  EXPECT_EQ(abfss->path, "db/t/v1.json");
  auto wasb = ParseAzureLocation("wasb://my-container@acct2.blob.core.windows.net");
  ASSERT_TRUE(wasb);
  EXPECT_EQ(wasb->root, "wasb://my-container@acct2.blob.core.windows.net/");
  EXPECT_EQ(wasb->path, "");
  EXPECT_EQ(ParseAzureLocation("abfs://c01@acct.dfs.core.windows.net/a/")->path, "a/");
  EXPECT_EQ(ParseAzureLocation("wasbs://c01@acct.blob.core.windows.net/a%20b")->path, "a%20b");
  EXPECT_TRUE(IsAzureLocation("wasbs://x") && !IsAzureLocation("s3://b/k") &&
              !IsAzureLocation("abfss:/x"));
}

TEST(AzureLocationTest, RefusesMalformedLocations) {
  for (const char* bad :
       {"s3://bucket/key", "abfss://acct.dfs.core.windows.net/x",
        "abfss://@acct.dfs.core.windows.net/x", "abfss://c@/x",
        "abfss://Upper@acct.dfs.core.windows.net/x", "abfss://ab@acct.dfs.core.windows.net/x",
        "abfss://c--c@acct.dfs.core.windows.net/x", "abfss://cc-@acct.dfs.core.windows.net/x",
        "abfss://ccc@ACCT.dfs.core.windows.net/x", "abfss://ccc@acct.dfs.core.windows.net:443/x",
        "abfss://ccc@acct.dfs.core.windows.net/a/../b",
        "abfss://ccc@acct.dfs.core.windows.net/a/./b", "abfss://ccc@acct.dfs.core.windows.net/a//b",
        "abfss://ccc@acct.dfs.core.windows.net//b"}) {
    EXPECT_THAT(ParseAzureLocation(bad), IsError(ErrorCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(ParseAzureLocation(std::string("abfss://ccc@acct.dfs.core.windows.net/a\0b", 41)),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(AzureLocationTest, EncodesEachSegmentOfABlobName) {
  EXPECT_EQ(EncodeBlobPath("db/t/x=1 y/ä?.json"), "db/t/x%3D1%20y/%C3%A4%3F.json");
  EXPECT_EQ(EncodeBlobPath("a/"), "a/");
}

TEST(AzureXmlTest, ReadsAListPage) {
  auto page = ParseListPage(R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1/devstoreaccount1" ContainerName="c">
  <Prefix>t/</Prefix><MaxResults>5000</MaxResults>
  <Blobs>
    <Blob><Name>t/a</Name><Properties><Content-Length>3</Content-Length></Properties></Blob>
    <Blob><Name>t/dir</Name><Properties><Content-Length>0</Content-Length>
      <ResourceType>directory</ResourceType></Properties></Blob>
    <Blob><Name Encoded="true">t/%EF%BF%BE</Name>
      <Properties><Content-Length>0</Content-Length></Properties></Blob>
  </Blobs>
  <NextMarker>2!token</NextMarker>
</EnumerationResults>)");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->blobs.size(), 2u);
  EXPECT_EQ(page->blobs[0].name, "t/a");
  EXPECT_EQ(page->blobs[0].size, 3);
  EXPECT_EQ(page->blobs[1].name, "t/\xEF\xBF\xBE");
  EXPECT_EQ(page->next_marker, "2!token");
  EXPECT_THAT(ParseListPage("<Error/>"), IsError(ErrorCode::kIo));
  EXPECT_THAT(ParseListPage("not xml"), IsError(ErrorCode::kIo));
}

TEST(AzureXmlTest, ReadsAnErrorBody) {
  auto error = ParseServiceError(R"(<?xml version="1.0" encoding="utf-8"?>
<Error><Code>BlobAlreadyExists</Code><Message>The specified blob already exists.
RequestId:1
Time:2024-01-01T00:00:00Z</Message></Error>)");
  EXPECT_EQ(error.code, "BlobAlreadyExists");
  EXPECT_EQ(error.message, "The specified blob already exists.");
  EXPECT_EQ(ParseServiceError("").code, "");
  EXPECT_EQ(ParseServiceError("<html/>").code, "");
}

TEST(AzureFileIOTest, FactoryRefusesIncompleteConfigurations) {
  struct NoClient : net::HttpClient {
    Result<net::HttpResponse> Send(const net::HttpRequest&) override {
      return Err(ErrorCode::kUnavailable, "no network in this test");
    }
  };
  auto client = std::make_shared<NoClient>();
  auto config = [](std::string name, std::string key, std::string sas, std::string endpoint) {
    AzureConfig out;
    out.account_name = std::move(name);
    out.account_key = std::move(key);
    out.sas_token = std::move(sas);
    out.endpoint = std::move(endpoint);
    return out;
  };
  EXPECT_THAT(MakeAzureFileIO(config("acct", "", "", ""), client),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeAzureFileIO(config("", "a2V5", "", ""), client),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeAzureFileIO(config("acct", "!!", "", ""), client),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeAzureFileIO(config("acct", "", "sv=x", ""), nullptr),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(MakeAzureFileIO(config("acct", "", "?sv=x", "ftp://host"), client),
              IsError(ErrorCode::kInvalidArgument));
  auto io = MakeAzureFileIO(config("acct", "", "?sv=x", ""), client);
  ASSERT_TRUE(io);
  EXPECT_THAT((*io)->Read("abfss://ccc@other.dfs.core.windows.net/x"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT((*io)->Read("abfss://ccc@acct.dfs.core.windows.net/dir/"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT((*io)->DeletePrefix("abfss://ccc@acct.dfs.core.windows.net/"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT((*io)->Read("abfss://ccc@acct.dfs.core.windows.net/x"), IsError(ErrorCode::kIo));
}

// Answers like the Blob service would after the first Put Blob's answer got lost: the blob exists,
// written by that first attempt.
class LostAnswerClient : public net::HttpClient {
 public:
  Result<net::HttpResponse> Send(const net::HttpRequest& request) override {
    requests.push_back(request);
    net::HttpResponse answer;
    if (request.method == "PUT" && requests.size() == 1) {
      for (const auto& [name, value] : request.headers) {
        if (name == "x-ms-meta-pangolinwriteid") stored_write_id = value;
      }
      return Err(ErrorCode::kUnavailable, "connection reset");
    }
    if (request.method == "PUT") {
      answer.status = 409;
      answer.headers = {{"x-ms-error-code", "BlobAlreadyExists"}};
    } else {
      answer.status = 200;
      answer.headers = {{"x-ms-meta-pangolinwriteid", stored_write_id}};
    }
    return answer;
  }
  std::vector<net::HttpRequest> requests;
  std::string stored_write_id = "someone-else";
};

TEST(AzureFileIOTest, RetriedWriteRecognisesItsOwnBlob) {
  auto client = std::make_shared<LostAnswerClient>();
  AzureConfig config;
  config.account_name = "acct";
  config.sas_token = "?sv=1&sig=s";
  auto io = MakeAzureFileIO(config, client);
  ASSERT_TRUE(io);
  EXPECT_TRUE((*io)->WriteNew("abfss://ccc@acct.dfs.core.windows.net/a b", "x"));
  ASSERT_EQ(client->requests.size(), 3u);  // PUT (answer lost), PUT (409), HEAD
  EXPECT_EQ(client->requests[0].url, "https://acct.blob.core.windows.net/ccc/a%20b?sv=1&sig=s");
  EXPECT_EQ(client->requests[2].method, "HEAD");

  // Without a lost answer, a 409 is someone else's blob.
  auto other = std::make_shared<LostAnswerClient>();
  other->requests.resize(1);
  auto second = MakeAzureFileIO(config, other);
  ASSERT_TRUE(second);
  EXPECT_THAT((*second)->WriteNew("abfss://ccc@acct.dfs.core.windows.net/x", "x"),
              IsError(ErrorCode::kAlreadyExists));
}

}  // namespace
}  // namespace pangolin::storage
