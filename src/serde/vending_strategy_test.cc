// Vending strategy secrets: which fields are visited, and how an update completes from the stored
// strategy.
#include "serde/vending_strategy.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;

Result<std::string> Upper(std::string_view, std::string_view field, std::string_view value) {
  return std::string(field) + "=" + std::string(value) + "!";
}

TEST(VendingStrategyTest, OnlySecretStringFieldsAreVisited) {
  ASSERT_OK_AND_ASSIGN(
      std::string mapped,
      MapVendingStrategySecrets(
          R"({"AwsStatic":{"access_key_id":"AK","secret_access_key":"SK","n":1}})", Upper));
  EXPECT_EQ(mapped, R"({"AwsStatic":{"access_key_id":"access_key_id=AK!",)"
                    R"("secret_access_key":"secret_access_key=SK!","n":1}})");
  ASSERT_OK_AND_ASSIGN(mapped, MapVendingStrategySecrets(
                                   R"({"AwsSts":{"role_arn":"arn","external_id":"x"}})", Upper));
  EXPECT_EQ(mapped, R"({"AwsSts":{"role_arn":"arn","external_id":"x"}})");
  for (const char* field : {"account_key", "private_key", "client_secret"}) {
    std::string json = std::string(R"({"V":{")") + field + R"(":"s"}})";
    ASSERT_OK_AND_ASSIGN(mapped, MapVendingStrategySecrets(json, Upper));
    EXPECT_NE(mapped, json) << field;
  }
  EXPECT_EQ(*MapVendingStrategySecrets(R"("None")", Upper), R"("None")");
  EXPECT_EQ(*MapVendingStrategySecrets("", Upper), "");
  EXPECT_THAT(MapVendingStrategySecrets("{", Upper), IsError(ErrorCode::kBadRequest));
}

TEST(VendingStrategyTest, UpdatesOfTheSameVariantKeepWhatTheyLeaveOut) {
  constexpr char kStored[] = R"({"AzureSas":{"account_name":"acct","account_key":"K"}})";
  EXPECT_EQ(*MergeVendingStrategy(R"({"AzureSas":{}})", kStored, "****"), kStored);
  EXPECT_EQ(*MergeVendingStrategy(R"({"AzureSas":{"account_key":"****"}})", kStored, "****"),
            R"({"AzureSas":{"account_key":"K","account_name":"acct"}})");
  EXPECT_EQ(*MergeVendingStrategy(R"({"AzureSas":{"account_name":"new"}})", kStored, "****"),
            R"({"AzureSas":{"account_name":"new","account_key":"K"}})");
  EXPECT_EQ(*MergeVendingStrategy(R"({"AzureSas":{"account_key":null}})", kStored, "****"),
            R"({"AzureSas":{"account_name":"acct"}})");
  EXPECT_EQ(*MergeVendingStrategy(R"({"GcpDownscoped":{"private_key":"P"}})", kStored, "****"),
            R"({"GcpDownscoped":{"private_key":"P"}})");
  EXPECT_EQ(*MergeVendingStrategy(R"("None")", kStored, "****"), R"("None")");
  EXPECT_THAT(
      MergeVendingStrategy(R"({"AwsStatic":{"secret_access_key":"****"}})", kStored, "****"),
      IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::serde
