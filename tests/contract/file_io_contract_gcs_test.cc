// The FileIO contract over Google Cloud Storage's JSON API, against fake-gcs-server. Start it with
//   export PANGOLIN_TEST_GCS_ENDPOINT=$(scripts/services/fake_gcs.sh start /tmp/pangolin-gcs)
// (it creates the bucket "warehouse"); without it these tests fail rather than skip.
#include <cstdlib>

#include "common/ids.h"
#include "contract/file_io_contract.h"
#include "net/curl_http_client.h"
#include "storage/gcs/gcs_file_io.h"
#include "storage/s3/s3_file_io.h"

namespace pangolin::storage {
namespace {

constexpr std::string_view kBucket = "warehouse";

Result<std::unique_ptr<FileIO>> MakeTestGcsFileIO(const std::function<void(GcsConfig&)>& edit) {
  const char* endpoint = std::getenv("PANGOLIN_TEST_GCS_ENDPOINT");
  if (endpoint == nullptr || *endpoint == '\0') {
    return Err(ErrorCode::kUnavailable,
               "PANGOLIN_TEST_GCS_ENDPOINT is not set: start fake-gcs-server with "
               "`scripts/services/fake_gcs.sh start DATA_DIR` and export the endpoint it prints");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> client, net::MakeCurlHttpClient());
  GcsConfig config;
  config.endpoint = endpoint;
  config.anonymous = true;
  edit(config);
  return MakeGcsFileIO(std::move(config), std::move(client));
}

std::string FreshRoot() { return "gs://" + std::string(kBucket) + "/" + NewUuid(); }

struct GcsFactory {
  Result<std::unique_ptr<FileIO>> Make() {
    return MakeTestGcsFileIO([](GcsConfig&) {});
  }
  std::string Root() { return FreshRoot(); }
  std::vector<std::string> BadLocations(const std::string& root) {
    return {"",
            "gs://",
            "gs:///key",
            "gs://warehouse",
            "gs://warehouse/",
            root + "/dir/",
            root + "/a/../b",
            root + "/a/./b",
            root + "/line\nbreak",
            "gs://Not_A_Bucket!/key",
            "s3://bucket/key",
            "file:///tmp/key"};
  }
  std::string ForeignLocation() { return "s3://bucket/key"; }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Gcs, FileIOContract, GcsFactory);

// Beyond the contract: listings that take several pages, and requests that carry a token.
TEST(GcsFileIOFakeServerTest, ListsAcrossPagesWithABearerToken) {
  auto io = MakeTestGcsFileIO([](GcsConfig& config) {
    config.anonymous = false;
    config.access_token = "ya29.test-token";
    config.list_page_size = 2;
  });
  ASSERT_TRUE(io) << io.error().message;
  const std::string root = FreshRoot();
  std::set<std::string> written;
  for (const char* name : {"/p/1", "/p/2", "/p/3", "/p/sub/4", "/p/sub/5", "/q/6"}) {
    ASSERT_THAT((*io)->WriteNew(root + name, name), ::pangolin::testing::IsOk());
    if (std::string_view(name).substr(0, 3) == "/p/") written.insert(root + name);
  }
  auto files = (*io)->List(root + "/p/");
  ASSERT_THAT(files, ::pangolin::testing::IsOk());
  std::set<std::string> listed;
  for (const FileInfo& file : *files) listed.insert(file.location);
  EXPECT_EQ(listed, written);
  ASSERT_THAT((*io)->DeletePrefix(root + "/p"), ::pangolin::testing::IsOk());
  EXPECT_THAT((*io)->List(root + "/"),
              ::testing::Optional(::testing::SizeIs(1)));  // only /q/6 is left
  ASSERT_THAT((*io)->DeletePrefix(root), ::pangolin::testing::IsOk());
}

// Google Cloud Storage's XML API with HMAC keys (S3Flavor::kGcsXml) against fake-gcs-server,
// which serves reads, listings and deletes through its XML API but takes no XML PUT and checks
// no signature: objects are written here through the JSON API, and
// src/storage/s3/s3_file_io_test.cc checks the create-only PUT and the GOOG4 signature.
TEST(GcsXmlFileIOFakeServerTest, ReadsListsAndDeletesWithHmacKeys) {
  auto json = MakeTestGcsFileIO([](GcsConfig&) {});
  ASSERT_TRUE(json) << json.error().message;
  auto client = net::MakeCurlHttpClient();
  ASSERT_TRUE(client);
  S3Config config;
  config.flavor = S3Flavor::kGcsXml;
  config.endpoint = std::getenv("PANGOLIN_TEST_GCS_ENDPOINT");
  config.region = "auto";
  config.path_style = true;
  config.access_key_id = "GOOG1EXAMPLEACCESSID";
  config.secret_access_key = "example-hmac-secret";
  auto xml = MakeS3FileIO(std::move(config), std::move(*client));
  ASSERT_TRUE(xml) << xml.error().message;

  using ::pangolin::testing::IsError;
  using ::pangolin::testing::IsOk;
  const std::string root = FreshRoot();
  for (const char* name : {"/a/1", "/a/2", "/a/sub/3", "/b/4"}) {
    ASSERT_THAT((*json)->WriteNew(root + name, std::string("data") + name), IsOk());
  }
  EXPECT_THAT((*xml)->Read(root + "/a/1"), ::testing::Optional(std::string("data/a/1")));
  EXPECT_THAT((*xml)->Exists(root + "/a/2"), ::testing::Optional(true));
  EXPECT_THAT((*xml)->Exists(root + "/a/none"), ::testing::Optional(false));
  EXPECT_THAT((*xml)->Read(root + "/a/none"), IsError(ErrorCode::kNotFound));
  auto files = (*xml)->List(root + "/a/");
  ASSERT_THAT(files, IsOk());
  std::map<std::string, int64_t> listed;
  for (const FileInfo& file : *files) listed[file.location] = file.size;
  EXPECT_EQ(listed, (std::map<std::string, int64_t>{
                        {root + "/a/1", 8}, {root + "/a/2", 8}, {root + "/a/sub/3", 12}}));

  ASSERT_THAT((*xml)->Delete(root + "/a/1"), IsOk());
  EXPECT_THAT((*json)->Exists(root + "/a/1"), ::testing::Optional(false));
  ASSERT_THAT((*xml)->Delete(root + "/a/1"), IsOk());  // already gone
  ASSERT_THAT((*xml)->DeletePrefix(root + "/a"), IsOk());
  auto left = (*json)->List(root + "/");
  ASSERT_THAT(left, IsOk());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().location, root + "/b/4");
  ASSERT_THAT((*json)->DeletePrefix(root), IsOk());
}

}  // namespace
}  // namespace pangolin::storage
