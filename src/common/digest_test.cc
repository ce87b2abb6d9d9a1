// SHA-256 against the FIPS 180-2 vectors, hex encoding and random bytes.
#include "common/digest.h"

#include <gtest/gtest.h>

#include "common/strings.h"

namespace pangolin {
namespace {

TEST(DigestTest, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("abc").size(), 32u);
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
}

TEST(DigestTest, RandomBytesHaveTheSizeAskedAndDiffer) {
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
}

}  // namespace
}  // namespace pangolin
