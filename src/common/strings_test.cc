#include "common/strings.h"

#include <gtest/gtest.h>

#include "common/ids.h"

namespace pangolin {
namespace {

TEST(StringsTest, SplitAndJoinRoundTrip) {
  EXPECT_EQ(Split("a\x1f"
                  "b\x1f"
                  "c",
                  "\x1f"),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Split("", ","), (std::vector<std::string>{""}));
  EXPECT_EQ(Join({"a", "b"}, "."), "a.b");
}

TEST(StringsTest, PercentDecodeRejectsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%1Fb"), std::optional<std::string>("a\x1f"
                                                               "b"));
  EXPECT_EQ(PercentDecode("%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz"), std::nullopt);
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
  EXPECT_EQ(PercentEncode("a b/c"), "a%20b%2Fc");
}

TEST(StringsTest, ParsesNumbersAndBooleansStrictly) {
  EXPECT_EQ(ParseInt("42"), 42);
  EXPECT_EQ(ParseInt("4x"), std::nullopt);
  EXPECT_EQ(ParseInt(""), std::nullopt);
  EXPECT_EQ(ParseBool("TRUE"), true);
  EXPECT_EQ(ParseBool("maybe"), std::nullopt);
}

TEST(StringsTest, Base64UrlRoundTrip) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x10"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s);
  }
}

TEST(IdsTest, UuidsAreCanonicalAndUnique) {
  std::string a = NewUuid(), b = NewUuid();
  EXPECT_TRUE(IsUuid(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
  std::string v7 = NewUuidV7(1700000000000);
  EXPECT_TRUE(IsUuid(v7));
  EXPECT_EQ(v7[14], '7');
  EXPECT_FALSE(IsUuid("not-a-uuid"));
}

}  // namespace
TEST(StringsTest, Base64WithPadding) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("client:s3cr3t?>"), "Y2xpZW50OnMzY3IzdD8+");
  EXPECT_EQ(Base64Decode("Y2xpZW50OnMzY3IzdD8+"), "client:s3cr3t?>");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("Zg"), "f");
  EXPECT_EQ(Base64Decode("Zm9v_w"), std::nullopt);
  EXPECT_EQ(Base64Decode("Z!=="), std::nullopt);
}

}  // namespace pangolin
