// Deflate pieces: joined into one gzip member, they decode (with zlib, as clients do) to the
// texts in order, whether each was compressed or stored, and a kept piece is made once, at its
// second use.
#include "common/deflate.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/gunzip.h"

namespace pangolin {
namespace {

using ::pangolin::testing::Gunzip;

std::string Join(std::initializer_list<const DeflatePiece*> pieces) {
  std::string out(GzipStart());
  for (const DeflatePiece* piece : pieces) out += piece->bytes;
  return out + GzipEnd(pieces);
}

std::string Json(size_t at_least) {
  std::string text = "[";
  for (int i = 0; text.size() < at_least; ++i) {
    text += R"({"snapshot-id":)" + std::to_string(i * 7919) + R"(,"manifest-list":"s3://b/m)" +
            std::to_string(i) + R"(.avro"},)";
  }
  text.back() = ']';
  return text;
}

TEST(DeflateTest, PiecesJoinIntoOneMember) {
  std::string head = R"({"metadata-location":"s3://b/t/metadata/1.json","metadata":)";
  std::string middle = Json(200 * 1024);
  std::string tail = R"(,"config":{"token":"x"}})";
  DeflatePiece a = Deflate(head), b = Deflate(middle), c = Deflate(tail);
  EXPECT_LT(b.bytes.size(), middle.size() / 4);  // compressed
  EXPECT_EQ(a.bytes.size(), head.size() + 5);    // stored: one block
  EXPECT_EQ(Gunzip(Join({&a, &b, &c})), head + middle + tail);
}

TEST(DeflateTest, EmptyAndSingleTexts) {
  DeflatePiece empty = Deflate("");
  EXPECT_TRUE(empty.bytes.empty());
  EXPECT_EQ(Gunzip(Join({&empty})), "");
  std::string text = Json(3000);
  DeflatePiece one = Deflate(text);
  EXPECT_EQ(Gunzip(Join({&empty, &one, &empty})), text);
}

TEST(DeflateTest, APieceMayRepeat) {
  std::string text = Json(300 * 1024);
  DeflatePiece piece = Deflate(text);
  EXPECT_EQ(Gunzip(Join({&piece, &piece})), text + text);
}

TEST(DeflateTest, KeptPieceIsMadeAtTheSecondUseOnce) {
  std::string text = Json(4000);
  LazyDeflatePiece lazy;
  EXPECT_EQ(lazy.Get(text), nullptr);
  const DeflatePiece* second = lazy.Get(text);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(lazy.Get(text), second);
  EXPECT_EQ(second->length, text.size());
  EXPECT_EQ(Gunzip(Join({second})), text);
  LazyDeflatePiece short_text;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(short_text.Get("{}"), nullptr);
}

}  // namespace
}  // namespace pangolin
