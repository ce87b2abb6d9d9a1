// The FileIO contract over Google Cloud Storage's JSON API, against fake-gcs-server. Start it with
//   export PANGOLIN_TEST_GCS_ENDPOINT=$(scripts/services/fake_gcs.sh start /tmp/pangolin-gcs)
// (it creates the bucket "warehouse"); without it these tests fail rather than skip.
#include <cstdlib>

#include "common/ids.h"
#include "contract/file_io_contract.h"
#include "net/curl_http_client.h"
#include "storage/gcs/gcs_file_io.h"

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

}  // namespace
}  // namespace pangolin::storage
