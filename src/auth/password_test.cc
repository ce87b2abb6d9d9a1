// Passwords: argon2id hashes verify only the password they were made from, malformed or
// non-argon2id hashes never verify, and the policy refuses weak or hostile input.
#include "auth/password.h"

#include <gtest/gtest.h>

#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::auth {
namespace {
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

TEST(PasswordTest, HashVerifiesItsPasswordOnly) {
  ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("correct horse battery"));
  EXPECT_TRUE(StartsWith(hash, "$argon2id$v=19$")) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse battery "));
  EXPECT_FALSE(VerifyPassword(hash, "wrong password!!"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
}

TEST(PasswordTest, SaltsEveryHash) {
  ASSERT_OK_AND_ASSIGN(std::string first, HashPassword("same password here"));
  ASSERT_OK_AND_ASSIGN(std::string second, HashPassword("same password here"));
  EXPECT_NE(first, second);
  EXPECT_TRUE(VerifyPassword(second, "same password here"));
}

TEST(PasswordTest, MalformedHashesNeverVerify) {
  ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("correct horse battery"));
  EXPECT_FALSE(VerifyPassword("", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("$argon2id$", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash.substr(0, hash.size() - 5), "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash + std::string(1, '\0') + "x", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(std::string(1000, '$'), "correct horse battery"));
  // The same hash relabelled as argon2i, and a bcrypt hash: other algorithms are refused.
  std::string argon2i = "$argon2i$" + hash.substr(std::string("$argon2id$").size());
  EXPECT_FALSE(VerifyPassword(argon2i, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("$2b$12$C6UzMDM.H6dfI/f/IKcEeO5S1WZzq.b2VVJtVN9U2Zw2VeXqEGBWm",
                              "correct horse battery"));
}

TEST(PasswordTest, DummyHashIsStableAndValid) {
  const std::string& dummy = DummyHash();
  EXPECT_TRUE(StartsWith(dummy, "$argon2id$")) << dummy;
  EXPECT_EQ(&dummy, &DummyHash());
  EXPECT_FALSE(VerifyPassword(dummy, "correct horse battery"));
}

TEST(PasswordTest, PolicyRefusesShortLongAndNulPasswords) {
  EXPECT_THAT(CheckPasswordPolicy("abcdefghijkl"), IsOk());
  EXPECT_THAT(CheckPasswordPolicy("abcdefghijk"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "at least 12"));
  EXPECT_THAT(CheckPasswordPolicy(""), IsErrorWithMessage(ErrorCode::kBadRequest, "at least 12"));
  // Twelve characters, but 24 bytes of UTF-8 ("é" twelve times) is fine; 11 of them is not.
  std::string accents;
  for (int i = 0; i < 12; ++i) accents += "\xC3\xA9";
  EXPECT_THAT(CheckPasswordPolicy(accents), IsOk());
  EXPECT_THAT(CheckPasswordPolicy(accents.substr(2)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "at least 12"));
  EXPECT_THAT(CheckPasswordPolicy(std::string(1024, 'a')), IsOk());
  EXPECT_THAT(CheckPasswordPolicy(std::string(1025, 'a')),
              IsErrorWithMessage(ErrorCode::kBadRequest, "at most 1024"));
  EXPECT_THAT(CheckPasswordPolicy(std::string("abcdefgh\0ijklmn", 15)),
              IsErrorWithMessage(ErrorCode::kBadRequest, "NUL"));
}

}  // namespace
}  // namespace pangolin::auth
