// gzip codec round trips and corrupt input.
#include "serde/gzip.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;

TEST(GzipTest, RoundTrip) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "{\"format-version\":2," + std::to_string(i) + "}";
  std::string compressed = Gzip(text);
  ASSERT_GE(compressed.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  EXPECT_LT(compressed.size(), text.size());
  ASSERT_OK_AND_ASSIGN(auto back, Gunzip(compressed));
  EXPECT_EQ(back, text);
  ASSERT_OK_AND_ASSIGN(auto empty, Gunzip(Gzip("")));
  EXPECT_EQ(empty, "");
}

TEST(GzipTest, ConcatenatedMembers) {
  ASSERT_OK_AND_ASSIGN(auto both, Gunzip(Gzip("ab") + Gzip("cd")));
  EXPECT_EQ(both, "abcd");
}

TEST(GzipTest, CorruptInput) {
  EXPECT_THAT(Gunzip("not gzip"), IsError(ErrorCode::kBadRequest));
  std::string truncated = Gzip("hello world hello world");
  truncated.resize(truncated.size() / 2);
  EXPECT_THAT(Gunzip(truncated), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(Gunzip(""), IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::serde
