// Service SAS: the string-to-sign layout, signatures, the token, and the scope rules on values.
// Azurite refusing what a SAS does not allow is checked by the contract test.
#include "storage/azure/sas.h"

#include <gtest/gtest.h>

#include "common/strings.h"
#include "storage/azure/shared_key.h"
#include "testing/matchers.h"

namespace pangolin::storage::azure {
namespace {

using ::pangolin::testing::IsError;
using namespace std::chrono_literals;

// The emulator account key Microsoft publishes for Azurite and the storage emulator.
constexpr std::string_view kEmulatorKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

std::chrono::system_clock::time_point Year2030() {
  return std::chrono::system_clock::from_time_t(1'893'456'000);  // 2030-01-01T00:00:00Z
}

ServiceSasOptions DirectoryOptions() {
  ServiceSasOptions options;
  options.account = "devstoreaccount1";
  options.container = "warehouse";
  options.path = "db/t";
  options.resource = SasResource::kDirectory;
  options.permissions = "racwdl";
  options.expiry = Year2030();
  options.directory_depth = 2;
  return options;
}

TEST(SasTest, StringToSignHasTheFieldsOfVersion20201206AndLater) {
  // Field order from learn.microsoft.com, "Create a service SAS" (version 2020-12-06 and later):
  // sp, st, se, canonicalizedResource, si, sip, spr, sv, sr, snapshot time, ses, rscc, rscd, rsce,
  // rscl, rsct.
  EXPECT_EQ(ServiceSasStringToSign(DirectoryOptions()),
            "racwdl\n\n2030-01-01T00:00:00Z\n/blob/devstoreaccount1/warehouse/db/t\n\n\nhttps\n" +
                std::string(kServiceVersion) + "\nd\n\n\n\n\n\n\n");
}

TEST(SasTest, TokenCarriesTheSignedFields) {
  // The signature was computed apart from this code (Python's hmac and base64 over the string
  // above with the emulator key).
  EXPECT_EQ(ServiceSas(DirectoryOptions(), kEmulatorKey).value(),
            "sv=2023-11-03&spr=https&se=2030-01-01T00%3A00%3A00Z&sr=d&sp=racwdl&sdd=2"
            "&sig=5dfrPDljTZGA7dTq3xMgGNix%2By%2BDqvkZ7hanOKKp49s%3D");
  ServiceSasOptions container;
  container.account = "devstoreaccount1";
  container.container = "warehouse";
  container.permissions = "rl";
  container.start = Year2030() - 1h;
  container.expiry = Year2030();
  container.protocol = "https,http";
  EXPECT_EQ(ServiceSas(container, kEmulatorKey).value(),
            "sv=2023-11-03&spr=https%2Chttp&st=2029-12-31T23%3A00%3A00Z"
            "&se=2030-01-01T00%3A00%3A00Z&sr=c&sp=rl"
            "&sig=L0ErWF0%2F%2F5D2ah%2FJiqzB7c2wEJcUqjDVogdBFloUQ00%3D");
}

TEST(SasTest, ScopeIsADirectoryOnlyWithAHierarchicalNamespace) {
  EXPECT_EQ(DirectoryScope("/db/t/", true, true),
            (SasScope{SasResource::kDirectory, "db/t", 2, "racwdl"}));
  EXPECT_EQ(DirectoryScope("db/t", false, true),
            (SasScope{SasResource::kDirectory, "db/t", 2, "rl"}));
  EXPECT_EQ(DirectoryScope("db/ns/t", false, false),
            (SasScope{SasResource::kContainer, "", std::nullopt, "rl"}));
  EXPECT_EQ(DirectoryScope("db/ns/t", true, false),
            (SasScope{SasResource::kContainer, "", std::nullopt, "racwdl"}));
  EXPECT_EQ(DirectoryScope("", true, true),
            (SasScope{SasResource::kContainer, "", std::nullopt, "racwdl"}));
  EXPECT_EQ(DirectoryScope("t", false, true), (SasScope{SasResource::kDirectory, "t", 1, "rl"}));
}

TEST(SasTest, DirectoryScopedSasFollowsTheScope) {
  auto hns = DirectoryScopedSas("acct", kEmulatorKey, "wh", "/db/t/", false, Year2030(), true);
  ASSERT_TRUE(hns);
  EXPECT_NE(hns->find("&sr=d&sp=rl&sdd=2&"), std::string::npos) << *hns;
  EXPECT_NE(hns->find("spr=https&"), std::string::npos) << *hns;
  auto flat = DirectoryScopedSas("acct", kEmulatorKey, "wh", "db/t", true, Year2030(), false);
  ASSERT_TRUE(flat);
  EXPECT_NE(flat->find("&sr=c&sp=racwdl&sig="), std::string::npos) << *flat;
  EXPECT_EQ(flat->find("sdd="), std::string::npos) << *flat;
}

TEST(SasTest, DirectoryDepthCountsSegments) {
  EXPECT_EQ(DirectoryDepth(""), 0);
  EXPECT_EQ(DirectoryDepth("/"), 0);
  EXPECT_EQ(DirectoryDepth("mydirectory"), 1);
  EXPECT_EQ(DirectoryDepth("mydirectory/mysubdirectory"), 2);
  EXPECT_EQ(DirectoryDepth("/a/b/c/"), 3);
}

TEST(SasTest, RefusesInconsistentOptions) {
  ServiceSasOptions options = DirectoryOptions();
  options.permissions.clear();
  EXPECT_THAT(ServiceSas(options, kEmulatorKey), IsError(ErrorCode::kInvalidArgument));
  options = DirectoryOptions();
  options.resource = SasResource::kContainer;
  EXPECT_THAT(ServiceSas(options, kEmulatorKey), IsError(ErrorCode::kInvalidArgument));
  options.path.clear();
  EXPECT_THAT(ServiceSas(options, kEmulatorKey), IsError(ErrorCode::kInvalidArgument));  // sdd
  options.directory_depth.reset();
  EXPECT_TRUE(ServiceSas(options, kEmulatorKey));
  EXPECT_THAT(ServiceSas(options, "%%%"), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace pangolin::storage::azure
