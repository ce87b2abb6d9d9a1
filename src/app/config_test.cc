#include "app/config.h"

#include <gtest/gtest.h>

#include <map>

#include "common/digest.h"
#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::app {
namespace {

using ::pangolin::testing::IsErrorWithMessage;

Result<Config> Load(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
  return LoadConfig(args, [&](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

TEST(ConfigTest, ReadsTheOriginalsEnvironmentVariables) {
  auto config = Load({{"PANGOLIN_NO_AUTH", "true"},
                      {"PORT", "9090"},
                      {"DATABASE_URL", "sqlite:///var/lib/p.db"},
                      {"LOG_FORMAT", "json"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 9090);
  EXPECT_EQ(config->store, StoreKind::kSqlite);
  EXPECT_EQ(config->sqlite_path, "/var/lib/p.db");
  EXPECT_EQ(config->log_format, log::Format::kJson);
  auto lifetime =
      Load({{"PANGOLIN_NO_AUTH", "true"}, {"PANGOLIN_IDEMPOTENCY_KEY_LIFETIME", "P1DT1H30M"}});
  ASSERT_TRUE(lifetime) << lifetime.error().message;
  EXPECT_EQ(lifetime->idempotency_key_lifetime, std::chrono::minutes(25 * 60 + 30));
  auto retention =
      Load({{"PANGOLIN_NO_AUTH", "true"}, {"PANGOLIN_METRICS_REPORT_RETENTION", "P30D"}});
  ASSERT_TRUE(retention) << retention.error().message;
  EXPECT_EQ(retention->metrics_report_retention, std::chrono::hours(24 * 30));
}

TEST(ConfigTest, FlagsWinOverEnvironment) {
  auto config = Load({{"PORT", "9090"}, {"DATABASE_URL", "memory"}},
                     {"--no-auth", "--port", "0", "--database-url", "data/p.db"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 0);
  EXPECT_EQ(config->sqlite_path, "data/p.db");
}

TEST(ConfigTest, BadSettingsAreNamed) {
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "true"}, {"PORT", "http"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PORT"));
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "maybe"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_NO_AUTH"));
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "1"}, {"DATABASE_URL", "mongodb://"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "DATABASE_URL"));
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "1"}, {"DATABASE_URL", "mysql://x/y"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "DATABASE_URL"));
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "1"}, {"LOG_FORMAT", "xml"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "LOG_FORMAT"));
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "1"}, {"PANGOLIN_IDEMPOTENCY_KEY_LIFETIME", "30m"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_IDEMPOTENCY_KEY_LIFETIME"));
  EXPECT_THAT(Load({}, {"--bogus"}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "command line"));
}

TEST(ConfigTest, MongoUrlsSelectTheMongoStore) {
  for (const char* url : {"mongodb://pangolin:secret@db1:27017,db2:27017/catalog?replicaSet=rs0",
                          "mongodb+srv://cluster.example.net/catalog"}) {
    ASSERT_OK_AND_ASSIGN(Config config, Load({{"DATABASE_URL", url}}));
    EXPECT_EQ(config.store, StoreKind::kMongo);
    EXPECT_EQ(config.database_url, url);  // as given: libmongoc reads it
  }
  ASSERT_OK_AND_ASSIGN(Config typed, Load({{"PANGOLIN_STORAGE_TYPE", "mongo"},
                                           {"DATABASE_URL", "mongodb://localhost/p"}}));
  EXPECT_EQ(typed.store, StoreKind::kMongo);
  EXPECT_THAT(Load({{"PANGOLIN_STORAGE_TYPE", "mongo"}, {"DATABASE_URL", "memory"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_STORAGE_TYPE"));
}

TEST(ConfigTest, PostgresUrlsSelectThePostgresStore) {
  for (const char* url : {"postgres://pangolin:secret@db.internal:5432/catalog?sslmode=require",
                          "postgresql://db.internal/catalog"}) {
    ASSERT_OK_AND_ASSIGN(Config config, Load({{"DATABASE_URL", url}}));
    EXPECT_EQ(config.store, StoreKind::kPostgres);
    EXPECT_EQ(config.database_url, url);            // as given: libpq reads it
    EXPECT_EQ(config.database_max_connections, 0);  // twice the worker threads
  }
  ASSERT_OK_AND_ASSIGN(Config flag, Load({{"DATABASE_URL", "memory"}},
                                         {"--database-url", "postgresql://localhost/p"}));
  EXPECT_EQ(flag.store, StoreKind::kPostgres);
  ASSERT_OK_AND_ASSIGN(Config sized, Load({{"DATABASE_URL", "postgresql://localhost/p"},
                                           {"PANGOLIN_STORAGE_TYPE", "postgres"},
                                           {"DATABASE_MAX_CONNECTIONS", "20"},
                                           {"DATABASE_CONNECT_TIMEOUT", "5"}}));
  EXPECT_EQ(sized.database_max_connections, 20);
  EXPECT_EQ(sized.database_connect_timeout_s, 5);
  EXPECT_THAT(Load({{"DATABASE_URL", "postgresql://"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "DATABASE_URL"));
  EXPECT_THAT(Load({{"DATABASE_URL", "sqlite:///p.db"}, {"PANGOLIN_STORAGE_TYPE", "postgres"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_STORAGE_TYPE"));
  EXPECT_THAT(
      Load({{"DATABASE_URL", "postgresql://localhost/p"}, {"DATABASE_MAX_CONNECTIONS", "0"}}),
      IsErrorWithMessage(ErrorCode::kInvalidArgument, "DATABASE_MAX_CONNECTIONS"));
}

TEST(ConfigTest, DevelopmentModeServesLoopbackOnly) {
  EXPECT_THAT(Load({{"PANGOLIN_NO_AUTH", "true"}, {"PANGOLIN_BIND_ADDRESS", "0.0.0.0"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_BIND_ADDRESS"));
  EXPECT_TRUE(Load({{"PANGOLIN_NO_AUTH", "true"}, {"PANGOLIN_BIND_ADDRESS", "::1"}}));
  ASSERT_OK_AND_ASSIGN(Config authenticated, Load({{"PANGOLIN_BIND_ADDRESS", "0.0.0.0"}}));
  EXPECT_FALSE(authenticated.no_auth);
}

TEST(ConfigTest, AuthenticationSettings) {
  ASSERT_OK_AND_ASSIGN(Config config, Load({{"PANGOLIN_ROOT_USER", "admin"},
                                            {"PANGOLIN_ROOT_PASSWORD", "a long passphrase"},
                                            {"PANGOLIN_JWT_ISSUER", "https://lake.example"},
                                            {"PANGOLIN_SESSION_TTL_SECS", "3600"}}));
  EXPECT_EQ(config.root_user, "admin");
  EXPECT_EQ(config.root_password, "a long passphrase");
  EXPECT_EQ(config.jwt_issuer, "https://lake.example");
  EXPECT_EQ(config.jwt_audience, "pangolin");
  EXPECT_EQ(config.session_ttl, std::chrono::seconds(3600));
  EXPECT_THAT(Load({{"PANGOLIN_SESSION_TTL_SECS", "5"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_SESSION_TTL_SECS"));
  ASSERT_OK_AND_ASSIGN(Config limited, Load({{"PANGOLIN_AUTH_RATE_LIMIT", "3"},
                                             {"PANGOLIN_AUTH_RATE_WINDOW_SECS", "120"}}));
  EXPECT_EQ(limited.auth_rate_limit, 3);
  EXPECT_EQ(limited.auth_rate_window, std::chrono::seconds(120));
  EXPECT_THAT(Load({{"PANGOLIN_AUTH_RATE_LIMIT", "0"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_AUTH_RATE_LIMIT"));
}

TEST(ConfigTest, OpenIdLogin) {
  ASSERT_OK_AND_ASSIGN(Config none, Load({}));
  EXPECT_FALSE(none.oidc);
  EXPECT_THAT(Load({{"PANGOLIN_OIDC_ISSUER", "https://id.example"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_OIDC_CLIENT_ID"));
  std::map<std::string, std::string> full = {
      {"PANGOLIN_OIDC_ISSUER", "https://id.example"},
      {"PANGOLIN_OIDC_CLIENT_ID", "pangolin"},
      {"PANGOLIN_OIDC_CLIENT_SECRET", "s3cret"},
      {"PANGOLIN_OIDC_REDIRECT_URI", "https://lake.example/oauth/callback/oidc"}};
  EXPECT_THAT(Load(full),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_OAUTH_REDIRECT_URIS"));
  full["PANGOLIN_OAUTH_REDIRECT_URIS"] = "https://ui.example/done, https://cli.example/cb";
  full["PANGOLIN_OIDC_PROVISION_TENANT"] = "00000000-0000-0000-0000-000000000000";
  full["PANGOLIN_OAUTH_EMAIL_LINK_DOMAINS"] = "Example.com";
  ASSERT_OK_AND_ASSIGN(Config config, Load(full));
  ASSERT_TRUE(config.oidc);
  EXPECT_EQ(config.oidc->landing_uris,
            (std::vector<std::string>{"https://ui.example/done", "https://cli.example/cb"}));
  EXPECT_EQ(config.oidc->email_domains, (std::vector<std::string>{"example.com"}));
  EXPECT_EQ(config.oidc->provider, "oidc");
}

TEST(ConfigTest, SecretsKeysAreBase64OrHexAndNeverEchoed) {
  ASSERT_OK_AND_ASSIGN(Config none, Load({}));
  EXPECT_TRUE(none.secrets_key.empty());
  std::string current = RandomBytes(32), old1 = RandomBytes(32), old2 = RandomBytes(32);
  ASSERT_OK_AND_ASSIGN(
      Config config,
      Load({{"PANGOLIN_SECRETS_KEY", Base64Encode(current)},
            {"PANGOLIN_SECRETS_PREVIOUS_KEYS", HexEncode(old1) + ", " + Base64UrlEncode(old2)}}));
  EXPECT_EQ(config.secrets_key, current);
  EXPECT_EQ(config.secrets_previous_keys, (std::vector<std::string>{old1, old2}));
  for (const std::string& bad : {std::string("correct horse battery staple"),
                                 Base64Encode(RandomBytes(16)), HexEncode(RandomBytes(33))}) {
    auto refused = Load({{"PANGOLIN_SECRETS_KEY", bad}});
    ASSERT_THAT(refused, IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_SECRETS_KEY"));
    EXPECT_EQ(refused.error().message.find(bad), std::string::npos) << refused.error().message;
  }
  std::string bad_previous = Base64Encode(RandomBytes(20));
  auto refused = Load({{"PANGOLIN_SECRETS_KEY", Base64Encode(current)},
                       {"PANGOLIN_SECRETS_PREVIOUS_KEYS", HexEncode(old1) + "," + bad_previous}});
  ASSERT_THAT(refused,
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_SECRETS_PREVIOUS_KEYS"));
  EXPECT_NE(refused.error().message.find("key 2 of 2"), std::string::npos);
  EXPECT_EQ(refused.error().message.find(bad_previous), std::string::npos);
  EXPECT_THAT(Load({{"PANGOLIN_SECRETS_PREVIOUS_KEYS", HexEncode(old1)}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "needs PANGOLIN_SECRETS_KEY"));
}

TEST(ConfigTest, ReencryptionNeedsTheCurrentKey) {
  EXPECT_THAT(Load({}, {"--reencrypt-secrets"}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "PANGOLIN_SECRETS_KEY"));
  ASSERT_OK_AND_ASSIGN(Config config, Load({{"PANGOLIN_SECRETS_KEY", HexEncode(RandomBytes(32))}},
                                           {"--reencrypt-secrets"}));
  EXPECT_TRUE(config.reencrypt_secrets);
}

}  // namespace
}  // namespace pangolin::app
