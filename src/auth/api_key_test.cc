// API keys: the documented text form, a parser that refuses anything else, and hashed secrets
// compared in constant time.
#include "auth/api_key.h"

#include <gtest/gtest.h>

#include <set>

#include "common/strings.h"

namespace pangolin::auth {
namespace {

bool AllOf(std::string_view text, std::string_view alphabet) {
  return text.find_first_not_of(alphabet) == std::string_view::npos;
}

constexpr std::string_view kLowerHex = "0123456789abcdef";
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(ApiKeyTest, NewKeysHaveTheDocumentedForm) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    ApiKey key = NewApiKey();
    EXPECT_EQ(key.key_id.size(), 16u);
    EXPECT_TRUE(AllOf(key.key_id, kLowerHex)) << key.key_id;
    EXPECT_EQ(key.secret.size(), 43u);
    EXPECT_TRUE(AllOf(key.secret, kBase64Url)) << key.secret;
    EXPECT_EQ(Base64UrlDecode(key.secret)->size(), 32u);
    EXPECT_EQ(key.text, "pgl_" + key.key_id + "_" + key.secret);
    EXPECT_TRUE(seen.insert(key.key_id).second);
    EXPECT_TRUE(seen.insert(key.secret).second);
  }
}

TEST(ApiKeyTest, ParseRoundTrips) {
  ApiKey key = NewApiKey();
  std::optional<ApiKey> parsed = ParseApiKey(key.text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->key_id, key.key_id);
  EXPECT_EQ(parsed->secret, key.secret);
  EXPECT_EQ(parsed->text, key.text);
  // A secret may itself contain '_' and '-'.
  std::string tricky = "pgl_0123456789abcdef_" + std::string(20, '_') + std::string(23, '-');
  ASSERT_TRUE(ParseApiKey(tricky));
  EXPECT_EQ(ParseApiKey(tricky)->secret, std::string(20, '_') + std::string(23, '-'));
}

TEST(ApiKeyTest, ParseRejectsOtherForms) {
  const std::string id = "0123456789abcdef";
  const std::string secret(43, 'A');
  EXPECT_TRUE(ParseApiKey("pgl_" + id + "_" + secret));
  EXPECT_FALSE(ParseApiKey(""));
  EXPECT_FALSE(ParseApiKey("pgk_" + id + "_" + secret));                  // prefix
  EXPECT_FALSE(ParseApiKey("PGL_" + id + "_" + secret));                  // prefix case
  EXPECT_FALSE(ParseApiKey("pgl_0123456789ABCDEF_" + secret));            // uppercase hex
  EXPECT_FALSE(ParseApiKey("pgl_0123456789abcdeg_" + secret));            // not hex
  EXPECT_FALSE(ParseApiKey("pgl_0123456789abcde_" + secret + "A"));       // id too short
  EXPECT_FALSE(ParseApiKey("pgl_" + id + "-" + secret));                  // separator
  EXPECT_FALSE(ParseApiKey("pgl_" + id + "_" + secret + "A"));            // secret too long
  EXPECT_FALSE(ParseApiKey("pgl_" + id + "_" + secret.substr(1)));        // secret too short
  EXPECT_FALSE(ParseApiKey("pgl_" + id + "_" + secret.substr(1) + "="));  // padding
  EXPECT_FALSE(ParseApiKey("pgl_" + id + "_" + secret.substr(1) + "+"));  // standard base64
  EXPECT_FALSE(ParseApiKey(" pgl_" + id + "_" + secret.substr(1)));
}

TEST(ApiKeyTest, HashesAndComparesSecrets) {
  // SHA-256("abc") from FIPS 180-2.
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashSecret(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  ApiKey key = NewApiKey();
  std::string hash = HashSecret(key.secret);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_TRUE(SecretMatches(hash, key.secret));
  EXPECT_FALSE(SecretMatches(hash, NewApiKey().secret));
  EXPECT_FALSE(SecretMatches(hash, key.secret.substr(1)));
  EXPECT_FALSE(SecretMatches(hash.substr(1), key.secret));
  EXPECT_FALSE(SecretMatches("", key.secret));
  EXPECT_FALSE(SecretMatches(hash + "0", key.secret));
}

}  // namespace
}  // namespace pangolin::auth
