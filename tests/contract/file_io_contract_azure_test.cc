// The FileIO contract over Azure Blob Storage, against the Azurite emulator whose Blob endpoint
// PANGOLIN_TEST_AZURE_ENDPOINT names (scripts/services/azurite.sh prints it): once authorized
// with the account key (Shared Key, abfss:// locations), once with a read-write container SAS
// made by storage/azure/sas.h (wasbs:// locations). Without the endpoint every test fails.
// Also here: what the emulator refuses to a SAS that does not allow a request.
#include <cstdlib>

#include "common/ids.h"
#include "contract/file_io_contract.h"
#include "net/curl_http_client.h"
#include "storage/azure/azure_file_io.h"
#include "storage/azure/sas.h"

namespace pangolin::storage {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;
using namespace std::chrono_literals;

constexpr char kAccount[] = "devstoreaccount1";
// The emulator's account key, published by Microsoft (see scripts/services/azurite.sh).
constexpr char kKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr char kContainer[] = "warehouse";

std::string Endpoint() {
  const char* endpoint = std::getenv("PANGOLIN_TEST_AZURE_ENDPOINT");
  return endpoint ? endpoint : "";
}

Status RequireEndpoint() {
  if (!Endpoint().empty()) return Ok();
  return Err(ErrorCode::kUnavailable,
             "PANGOLIN_TEST_AZURE_ENDPOINT is not set: start Azurite with "
             "`scripts/services/azurite.sh start DIR` and export the endpoint it prints");
}

std::shared_ptr<net::HttpClient> Client() {
  static const std::shared_ptr<net::HttpClient> client = [] {
    auto made = net::MakeCurlHttpClient();
    return made ? std::shared_ptr<net::HttpClient>(std::move(*made)) : nullptr;
  }();
  return client;
}

AzureConfig KeyConfig() {
  AzureConfig config;
  config.account_name = kAccount;
  config.account_key = kKey;
  config.endpoint = Endpoint();
  return config;
}

AzureConfig SasConfig(std::string sas) {
  AzureConfig config;
  config.account_name = kAccount;
  config.sas_token = std::move(sas);
  config.endpoint = Endpoint();
  return config;
}

Status EnsureContainer(const std::string& container) {
  RETURN_IF_ERROR(RequireEndpoint());
  if (!Client()) return Err(ErrorCode::kInternal, "no HTTP client");
  return CreateAzureContainer(KeyConfig(), *Client(), container);
}

// A container SAS usable over the emulator's plain HTTP.
std::string ContainerSas(const std::string& container, std::string_view permissions,
                         std::chrono::system_clock::duration valid_for = 1h) {
  azure::ServiceSasOptions options;
  options.account = kAccount;
  options.container = container;
  options.resource = azure::SasResource::kContainer;
  options.permissions = std::string(permissions);
  options.expiry = std::chrono::system_clock::now() + valid_for;
  options.protocol = "https,http";
  return azure::ServiceSas(options, kKey).value();
}

std::string Location(const std::string& container, const std::string& path) {
  return "abfss://" + container + "@" + kAccount + ".dfs.core.windows.net/" + path;
}

std::vector<std::string> AzureBadLocations(const std::string& root) {
  return {"relative/path",
          "s3://bucket/key",
          "",
          root + "/a/../b",
          root + "/a//b",
          root + "/dir/",
          "abfss://warehouse@otheraccount.dfs.core.windows.net/x",
          "abfss://Not_A_Container@devstoreaccount1.dfs.core.windows.net/x",
          "abfss://devstoreaccount1.dfs.core.windows.net/x"};
}

struct AzureSharedKeyFactory {
  Result<std::unique_ptr<FileIO>> Make() {
    RETURN_IF_ERROR(EnsureContainer(kContainer));
    return MakeAzureFileIO(KeyConfig(), Client());
  }
  std::string Root() { return Location(kContainer, NewUuid()); }
  std::vector<std::string> BadLocations(const std::string& root) { return AzureBadLocations(root); }
  std::string ForeignLocation() { return "s3://bucket/key"; }
};

struct AzureSasFactory {
  Result<std::unique_ptr<FileIO>> Make() {
    RETURN_IF_ERROR(EnsureContainer(kContainer));
    return MakeAzureFileIO(SasConfig(ContainerSas(kContainer, azure::kReadWritePermissions)),
                           Client());
  }
  std::string Root() {
    return std::string("wasbs://") + kContainer + "@" + kAccount + ".blob.core.windows.net/" +
           NewUuid();
  }
  std::vector<std::string> BadLocations(const std::string& root) { return AzureBadLocations(root); }
  std::string ForeignLocation() { return "gs://bucket/key"; }
};

INSTANTIATE_TYPED_TEST_SUITE_P(AzureSharedKey, FileIOContract, AzureSharedKeyFactory);
INSTANTIATE_TYPED_TEST_SUITE_P(AzureSas, FileIOContract, AzureSasFactory);

class AzureSasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(EnsureContainer(kContainer), IsOk());
    auto io = MakeAzureFileIO(KeyConfig(), Client());
    ASSERT_TRUE(io) << io.error().message;
    key_io_ = std::move(*io);
    root_ = NewUuid();
  }
  std::unique_ptr<FileIO> SasIo(std::string sas) {
    auto io = MakeAzureFileIO(SasConfig(std::move(sas)), Client());
    EXPECT_TRUE(io) << io.error().message;
    return io ? std::move(*io) : nullptr;
  }
  std::unique_ptr<FileIO> key_io_;
  std::string root_;
};

TEST_F(AzureSasTest, ReadOnlySasReadsAndListsButCannotWriteOrDelete) {
  std::string existing = Location(kContainer, root_ + "/t/v1.json");
  ASSERT_THAT(key_io_->WriteNew(existing, "v1"), IsOk());
  auto io = SasIo(ContainerSas(kContainer, azure::kReadPermissions));
  ASSERT_TRUE(io);
  EXPECT_THAT(io->Read(existing), ::testing::Optional(std::string("v1")));
  EXPECT_THAT(io->Exists(existing), ::testing::Optional(true));
  auto listed = io->List(Location(kContainer, root_ + "/"));
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_THAT(io->WriteNew(Location(kContainer, root_ + "/t/v2.json"), "v2"),
              ::pangolin::testing::IsErrorWithMessage(ErrorCode::kForbidden,
                                                      "AuthorizationPermissionMismatch"));
  EXPECT_THAT(io->Delete(existing), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->DeletePrefix(Location(kContainer, root_ + "/t")), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(key_io_->Read(existing), ::testing::Optional(std::string("v1")));
  EXPECT_THAT(key_io_->Exists(Location(kContainer, root_ + "/t/v2.json")),
              ::testing::Optional(false));
}

TEST_F(AzureSasTest, SasForOneContainerIsRefusedOnAnother) {
  ASSERT_THAT(EnsureContainer("sas-a"), IsOk());
  ASSERT_THAT(EnsureContainer("sas-b"), IsOk());
  std::string in_b = Location("sas-b", root_ + "/x");
  ASSERT_THAT(key_io_->WriteNew(in_b, "b"), IsOk());
  auto io = SasIo(ContainerSas("sas-a", azure::kReadWritePermissions));
  ASSERT_TRUE(io);
  EXPECT_THAT(io->WriteNew(Location("sas-a", root_ + "/x"), "a"), IsOk());
  EXPECT_THAT(io->WriteNew(Location("sas-b", root_ + "/y"), "a"), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->Read(in_b), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->List(Location("sas-b", root_ + "/")), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->Delete(in_b), IsError(ErrorCode::kForbidden));
  EXPECT_THAT(key_io_->Read(in_b), ::testing::Optional(std::string("b")));
}

TEST_F(AzureSasTest, AlteredPermissionsBreakTheSignature) {
  std::string sas = ContainerSas(kContainer, azure::kReadPermissions);
  size_t at = sas.find("sp=rl");
  ASSERT_NE(at, std::string::npos);
  sas.replace(at, 5, "sp=racwdl");
  auto io = SasIo(sas);
  ASSERT_TRUE(io);
  EXPECT_THAT(io->WriteNew(Location(kContainer, root_ + "/x"), "x"),
              IsError(ErrorCode::kForbidden));
  EXPECT_THAT(io->Read(Location(kContainer, root_ + "/x")), IsError(ErrorCode::kForbidden));
}

TEST_F(AzureSasTest, ExpiredSasIsRefused) {
  auto io = SasIo(ContainerSas(kContainer, azure::kReadWritePermissions, -1min));
  ASSERT_TRUE(io);
  EXPECT_THAT(io->WriteNew(Location(kContainer, root_ + "/x"), "x"),
              IsError(ErrorCode::kForbidden));
}

TEST_F(AzureSasTest, VendedSasIsHttpsOnly) {
  // What Pangolin vends: on this account (no hierarchical namespace) a container SAS, HTTPS only,
  // so the emulator's plain HTTP endpoint refuses it.
  auto sas = azure::DirectoryScopedSas(kAccount, kKey, kContainer, root_ + "/t", true,
                                       std::chrono::system_clock::now() + 1h, false);
  ASSERT_THAT(sas, IsOk());
  auto io = SasIo(*sas);
  ASSERT_TRUE(io);
  EXPECT_THAT(io->WriteNew(Location(kContainer, root_ + "/t/x"), "x"),
              IsError(ErrorCode::kForbidden));
}

TEST_F(AzureSasTest, DirectorySasIsRefusedWithoutHierarchicalNamespace) {
  // The emulator, like a Blob account without hierarchical namespace, has no directory SAS.
  azure::ServiceSasOptions options;
  options.account = kAccount;
  options.container = kContainer;
  options.path = root_ + "/t";
  options.resource = azure::SasResource::kDirectory;
  options.directory_depth = 2;
  options.permissions = std::string(azure::kReadWritePermissions);
  options.expiry = std::chrono::system_clock::now() + 1h;
  options.protocol = "https,http";
  auto sas = azure::ServiceSas(options, kKey);
  ASSERT_THAT(sas, IsOk());
  auto io = SasIo(*sas);
  ASSERT_TRUE(io);
  EXPECT_THAT(io->WriteNew(Location(kContainer, root_ + "/t/x"), "x"),
              IsError(ErrorCode::kForbidden));
}

TEST_F(AzureSasTest, WrongAccountKeyIsRefused) {
  AzureConfig config = KeyConfig();
  config.account_key = "d3Jvbmcga2V5IG9mIHRoZSByaWdodCBsZW5ndGggZm9yIGFuIGFjY291bnQga2V5IQ==";
  auto io = MakeAzureFileIO(config, Client());
  ASSERT_TRUE(io);
  EXPECT_THAT((*io)->WriteNew(Location(kContainer, root_ + "/x"), "x"),
              IsError(ErrorCode::kForbidden));
}

}  // namespace
}  // namespace pangolin::storage
