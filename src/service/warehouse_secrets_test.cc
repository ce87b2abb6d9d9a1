// Warehouse secrets and token signing keys at rest: encrypted on write, kept on updates that leave
// them out, decrypted for internal use only, readable across a key rotation and re-encrypted by a
// sweep; refused without a key outside development mode. Real in-memory store and local FileIO.
#include <gtest/gtest.h>

#include "auth/secret_cipher.h"
#include "common/digest.h"
#include "service/auth_service.h"
#include "service/tenancy_service.h"
#include "storage/local/local_file_io.h"
#include "store/memory/memory_store.h"
#include "testing/fixed_warehouse_storage.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::service {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

constexpr char kSecret[] = "wJalrXUtnFEMI-K7MDENG";
constexpr char kVendingSecret[] = "vending-secret-key-value";

class WarehouseSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::MakeMemoryStore());
    file_io_ = std::move(*storage::MakeLocalFileIO());
    storage_ = std::make_unique<testing::FixedWarehouseStorage>(*file_io_);
    key_a_ = RandomBytes(32);
    key_b_ = RandomBytes(32);
    cipher_a_ = *auth::SecretCipher::Make(key_a_);
  }

  TenancyService Tenancy(const auth::SecretCipher* cipher, bool dev_mode = false) {
    return TenancyService(*store_, *storage_, StoredSecrets({cipher, dev_mode}));
  }

  WarehouseInput Input() {
    WarehouseInput input;
    input.name = "wh";
    input.storage_config = {{"type", "local"},
                            {"root", dir_.path().string()},
                            {"s3.region", "eu-west-1"},
                            {"vending", "aws-static"},
                            {"s3.access-key-id", "AKIDEXAMPLE"},
                            {"s3.secret-access-key", kSecret}};
    input.vending_strategy_json =
        std::string(R"({"AwsStatic":{"access_key_id":"AKIDEXAMPLE","secret_access_key":")") +
        kVendingSecret + R"("}})";
    return input;
  }

  catalog::Warehouse Stored() { return *store_->GetWarehouse(kDefaultTenant, "wh"); }

  std::unique_ptr<store::MetadataStore> store_;
  std::unique_ptr<storage::FileIO> file_io_;
  std::unique_ptr<testing::FixedWarehouseStorage> storage_;
  testing::TempDir dir_;
  std::string key_a_, key_b_;
  std::optional<auth::SecretCipher> cipher_a_;
  Context ctx_;
};

TEST_F(WarehouseSecretsTest, SecretsAreEncryptedOnWriteAndDecryptedForInternalUse) {
  TenancyService tenancy = Tenancy(&*cipher_a_);
  ASSERT_OK_AND_ASSIGN(catalog::Warehouse created, tenancy.CreateWarehouse(ctx_, Input()));
  catalog::Warehouse stored = Stored();
  EXPECT_EQ(created, stored);
  EXPECT_EQ(stored.storage_config["s3.region"], "eu-west-1");
  EXPECT_TRUE(stored.storage_config["s3.secret-access-key"].starts_with(
      "enc:v1:" + cipher_a_->current_key_id() + ":"));
  for (const auto& [key, value] : stored.storage_config) {
    EXPECT_EQ(value.find(kSecret), std::string::npos) << key;
  }
  EXPECT_EQ(stored.vending_strategy_json.find(kVendingSecret), std::string::npos);
  EXPECT_EQ(stored.vending_strategy_json.find("AKIDEXAMPLE"), std::string::npos);
  EXPECT_NE(stored.vending_strategy_json.find("AwsStatic"), std::string::npos);

  ASSERT_OK_AND_ASSIGN(catalog::Warehouse plain,
                       tenancy.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  catalog::Properties expected = Input().storage_config;
  expected["root"] = "file://" + expected["root"];  // stored normalized
  EXPECT_EQ(plain.storage_config, expected);
  EXPECT_NE(plain.vending_strategy_json.find(kVendingSecret), std::string::npos);
  EXPECT_NE(plain.vending_strategy_json.find("AKIDEXAMPLE"), std::string::npos);
  // The ordinary read is the stored form.
  EXPECT_EQ(*tenancy.GetWarehouse(ctx_, "wh"), stored);
}

TEST_F(WarehouseSecretsTest, UpdatesKeepSecretsTheyLeaveOutOrRedact) {
  TenancyService tenancy = Tenancy(&*cipher_a_);
  ASSERT_THAT(tenancy.CreateWarehouse(ctx_, Input()), IsOk());
  WarehouseInput update = Input();
  update.storage_config.erase("s3.secret-access-key");  // left out
  update.storage_config["s3.region"] = "us-east-1";
  update.vending_strategy_json = R"({"AwsStatic":{}})";  // what reads show
  ASSERT_THAT(tenancy.UpdateWarehouse(ctx_, "wh", update), IsOk());
  ASSERT_OK_AND_ASSIGN(catalog::Warehouse plain,
                       tenancy.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_EQ(plain.storage_config["s3.secret-access-key"], kSecret);
  EXPECT_EQ(plain.storage_config["s3.region"], "us-east-1");
  EXPECT_NE(plain.vending_strategy_json.find(kVendingSecret), std::string::npos);

  update.storage_config["s3.secret-access-key"] = "****";  // the redacted placeholder
  update.vending_strategy_json = "";                       // no strategy sent
  ASSERT_THAT(tenancy.UpdateWarehouse(ctx_, "wh", update), IsOk());
  ASSERT_OK_AND_ASSIGN(plain, tenancy.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_EQ(plain.storage_config["s3.secret-access-key"], kSecret);
  EXPECT_NE(plain.vending_strategy_json.find(kVendingSecret), std::string::npos);

  update.storage_config["s3.secret-access-key"] = "new-secret";
  update.vending_strategy_json = R"({"AwsStatic":{"secret_access_key":"new-vending"}})";
  ASSERT_THAT(tenancy.UpdateWarehouse(ctx_, "wh", update), IsOk());
  ASSERT_OK_AND_ASSIGN(plain, tenancy.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_EQ(plain.storage_config["s3.secret-access-key"], "new-secret");
  EXPECT_NE(plain.vending_strategy_json.find("new-vending"), std::string::npos);
  EXPECT_NE(plain.vending_strategy_json.find("AKIDEXAMPLE"), std::string::npos);  // kept
  EXPECT_EQ(Stored().storage_config["s3.secret-access-key"].find("new-secret"), std::string::npos);

  update.storage_config["s3.secret-access-key"] = "";  // removes it
  update.vending_strategy_json = R"("None")";
  ASSERT_THAT(tenancy.UpdateWarehouse(ctx_, "wh", update), IsOk());
  ASSERT_OK_AND_ASSIGN(plain, tenancy.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_FALSE(plain.storage_config.contains("s3.secret-access-key"));
  EXPECT_EQ(plain.vending_strategy_json, R"("None")");
}

TEST_F(WarehouseSecretsTest, PlaceholdersAndEnvelopesAreNotSecrets) {
  TenancyService tenancy = Tenancy(&*cipher_a_);
  WarehouseInput input = Input();
  input.storage_config["s3.secret-access-key"] = "****";
  EXPECT_THAT(tenancy.CreateWarehouse(ctx_, input),
              IsErrorWithMessage(ErrorCode::kBadRequest, "storage_config.s3.secret-access-key"));
  input = Input();
  input.storage_config["s3.secret-access-key"] = "enc:v1:abcdef12:AAAA";
  EXPECT_THAT(tenancy.CreateWarehouse(ctx_, input), IsError(ErrorCode::kBadRequest));
  input = Input();
  input.vending_strategy_json = R"({"AzureSas":{"account_name":"a","account_key":"****"}})";
  EXPECT_THAT(tenancy.CreateWarehouse(ctx_, input),
              IsErrorWithMessage(ErrorCode::kBadRequest, "vending_strategy.AzureSas.account_key"));
}

TEST_F(WarehouseSecretsTest, WithoutAKeySecretsAreRefusedOutsideDevelopmentMode) {
  TenancyService production = Tenancy(nullptr);
  EXPECT_THAT(production.CreateWarehouse(ctx_, Input()),
              IsErrorWithMessage(ErrorCode::kBadRequest, "set PANGOLIN_SECRETS_KEY"));
  WarehouseInput plain = Input();
  plain.storage_config.erase("s3.secret-access-key");
  plain.storage_config.erase("s3.access-key-id");
  plain.vending_strategy_json = "";
  EXPECT_THAT(production.CreateWarehouse(ctx_, plain), IsOk());
  ASSERT_THAT(production.DeleteWarehouse(ctx_, "wh"), IsOk());

  TenancyService development = Tenancy(nullptr, /*dev_mode=*/true);
  ASSERT_THAT(development.CreateWarehouse(ctx_, Input()), IsOk());
  EXPECT_EQ(Stored().storage_config["s3.secret-access-key"], kSecret);
  // A key configured later reads them, and the sweep encrypts them.
  TenancyService keyed = Tenancy(&*cipher_a_);
  ASSERT_OK_AND_ASSIGN(auto read, keyed.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_EQ(read.storage_config["s3.secret-access-key"], kSecret);
  ASSERT_OK_AND_ASSIGN(SecretCensus census, keyed.SweepWarehouseSecrets(SecretSweep::kReencrypt));
  EXPECT_EQ(census.plaintext, 4u);  // two storage_config keys, two vending fields
  EXPECT_EQ(census.reencrypted, 4u);
  EXPECT_TRUE(auth::IsSecretEnvelope(Stored().storage_config["s3.secret-access-key"]));
}

TEST_F(WarehouseSecretsTest, RotationReadsWithPreviousKeysAndSweepsToTheCurrentOne) {
  ASSERT_THAT(Tenancy(&*cipher_a_).CreateWarehouse(ctx_, Input()), IsOk());
  ASSERT_OK_AND_ASSIGN(auth::SecretCipher rotating, auth::SecretCipher::Make(key_b_, {key_a_}));
  TenancyService during = Tenancy(&rotating);
  ASSERT_OK_AND_ASSIGN(auto read, during.GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_EQ(read.storage_config["s3.secret-access-key"], kSecret);
  ASSERT_OK_AND_ASSIGN(SecretCensus check, during.SweepWarehouseSecrets(SecretSweep::kCheck));
  EXPECT_EQ(check.previous, 4u);
  EXPECT_EQ(check.reencrypted, 0u);
  ASSERT_OK_AND_ASSIGN(SecretCensus swept, during.SweepWarehouseSecrets(SecretSweep::kReencrypt));
  EXPECT_EQ(swept.reencrypted, 4u);
  ASSERT_OK_AND_ASSIGN(auth::SecretCipher after, auth::SecretCipher::Make(key_b_));
  ASSERT_OK_AND_ASSIGN(read, Tenancy(&after).GetWarehouseWithSecrets(ctx_.tenant, "wh"));
  EXPECT_EQ(read.storage_config["s3.secret-access-key"], kSecret);
  ASSERT_OK_AND_ASSIGN(SecretCensus again,
                       Tenancy(&after).SweepWarehouseSecrets(SecretSweep::kCheck));
  EXPECT_EQ(again.current, 4u);

  ASSERT_OK_AND_ASSIGN(auth::SecretCipher wrong, auth::SecretCipher::Make(RandomBytes(32)));
  auto failed = Tenancy(&wrong).GetWarehouseWithSecrets(ctx_.tenant, "wh");
  ASSERT_THAT(failed, IsErrorWithMessage(ErrorCode::kInternal, "cannot be decrypted"));
  EXPECT_NE(failed.error().message.find(after.current_key_id()), std::string::npos);
  EXPECT_EQ(failed.error().message.find(kSecret), std::string::npos);
  ASSERT_OK_AND_ASSIGN(SecretCensus unreadable,
                       Tenancy(&wrong).SweepWarehouseSecrets(SecretSweep::kCheck));
  EXPECT_EQ(unreadable.unreadable, 4u);
  EXPECT_THAT(Tenancy(&wrong).UpdateWarehouse(ctx_, "wh", Input()), IsError(ErrorCode::kInternal));
}

TEST_F(WarehouseSecretsTest, SigningKeysAreEncryptedAndStillLoadFromPlaintext) {
  ManualClock clock{1700000000000};
  {
    AuthService plain(*store_, clock, AuthOptions{});
    ASSERT_THAT(plain.Bootstrap("root", "a long root password"), IsOk());
  }
  ASSERT_OK_AND_ASSIGN(auto keys, store_->ListSigningKeys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));

  AuthOptions options;
  options.secrets_cipher = &*cipher_a_;
  AuthService keyed(*store_, clock, options);
  ASSERT_THAT(keyed.Bootstrap("root", "a long root password"), IsOk());  // loads the plain key
  ASSERT_THAT(keyed.Login("root", "a long root password", std::nullopt), IsOk());
  ASSERT_OK_AND_ASSIGN(SecretCensus census, keyed.SweepSigningKeys(SecretSweep::kReencrypt));
  EXPECT_EQ(census.plaintext, 1u);
  EXPECT_EQ(census.reencrypted, 1u);
  ASSERT_OK_AND_ASSIGN(keys, store_->ListSigningKeys());
  EXPECT_TRUE(keys[0].private_key_pem.starts_with("enc:v1:" + cipher_a_->current_key_id()));

  Context root_ctx;
  root_ctx.caller.kind = catalog::Principal::Kind::kUser;
  root_ctx.caller.role = catalog::UserRole::kRoot;
  ASSERT_THAT(keyed.RotateSigningKey(root_ctx), IsOk());
  ASSERT_OK_AND_ASSIGN(keys, store_->ListSigningKeys());
  ASSERT_EQ(keys.size(), 2u);
  for (const auto& key : keys) EXPECT_TRUE(auth::IsSecretEnvelope(key.private_key_pem)) << key.kid;

  AuthService fresh(*store_, clock, options);  // a restarted server
  ASSERT_THAT(fresh.Login("root", "a long root password", std::nullopt), IsOk());
  AuthOptions wrong_options;
  auto wrong = *auth::SecretCipher::Make(RandomBytes(32));
  wrong_options.secrets_cipher = &wrong;
  AuthService wrong_key(*store_, clock, wrong_options);
  ASSERT_OK_AND_ASSIGN(SecretCensus unreadable, wrong_key.SweepSigningKeys(SecretSweep::kCheck));
  EXPECT_EQ(unreadable.unreadable, 2u);
  EXPECT_THAT(wrong_key.Login("root", "a long root password", std::nullopt),
              IsError(ErrorCode::kInternal));
}

}  // namespace
}  // namespace pangolin::service
