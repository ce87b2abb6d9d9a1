// The secret cipher: the AES-256-GCM primitive against the McGrew-Viega test vectors (test cases
// 13-16 of "The Galois/Counter Mode of Operation", the AES-256 cases NIST's GCM validation also
// uses), then the envelope: round trips, slots, tampering, key parsing and rotation.
#include "auth/secret_cipher.h"

#include <gtest/gtest.h>

#include "common/digest.h"
#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::auth {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

struct GcmVector {
  const char* name;
  const char* key;
  const char* nonce;
  const char* plaintext;
  const char* aad;
  const char* ciphertext;
  const char* tag;
};

constexpr char kKey15[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr char kPlain15[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b5"
    "25b16aedf5aa0de657ba637b391aafd255";
constexpr char kCipher15[] =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10568288"
    "38"
    "c5f61e6393ba7a0abcc9f662898015ad";

const GcmVector kVectors[] = {
    {"13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000", "",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"15", kKey15, "cafebabefacedbaddecaf888", kPlain15, "", kCipher15,
     "b094dac5d93471bdec1a502270e3cc6c"},
};

TEST(SecretCipherTest, Aes256GcmMatchesTheMcGrewViegaVectors) {
  for (const auto& v : kVectors) {
    SCOPED_TRACE(v.name);
    ASSERT_OK_AND_ASSIGN(std::string sealed, Aes256GcmSeal(Unhex(v.key), Unhex(v.nonce),
                                                           Unhex(v.plaintext), Unhex(v.aad)));
    EXPECT_EQ(HexEncode(sealed), std::string(v.ciphertext) + v.tag);
    ASSERT_OK_AND_ASSIGN(std::string opened,
                         Aes256GcmOpen(Unhex(v.key), Unhex(v.nonce), sealed, Unhex(v.aad)));
    EXPECT_EQ(HexEncode(opened), v.plaintext);
  }
  // Test case 16: 60 bytes of test case 15's plaintext, with associated data.
  std::string plain(Unhex(kPlain15).substr(0, 60));
  std::string aad = Unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  ASSERT_OK_AND_ASSIGN(std::string sealed,
                       Aes256GcmSeal(Unhex(kKey15), Unhex("cafebabefacedbaddecaf888"), plain, aad));
  EXPECT_EQ(HexEncode(sealed),
            std::string(kCipher15).substr(0, 120) + "76fc6ece0f4e1768cddf8853bb2d551b");
  EXPECT_TRUE(Aes256GcmOpen(Unhex(kKey15), Unhex("cafebabefacedbaddecaf888"), sealed, aad));
  // One flipped bit anywhere, or other associated data, and the tag does not authenticate.
  for (size_t i : {size_t{0}, sealed.size() / 2, sealed.size() - 1}) {
    std::string altered = sealed;
    altered[i] ^= 0x01;
    EXPECT_THAT(Aes256GcmOpen(Unhex(kKey15), Unhex("cafebabefacedbaddecaf888"), altered, aad),
                IsError(ErrorCode::kInternal));
  }
  EXPECT_THAT(Aes256GcmOpen(Unhex(kKey15), Unhex("cafebabefacedbaddecaf888"), sealed, "other"),
              IsError(ErrorCode::kInternal));
  EXPECT_THAT(Aes256GcmSeal("short", Unhex("cafebabefacedbaddecaf888"), "x", ""),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Aes256GcmSeal(Unhex(kKey15), "short", "x", ""), IsError(ErrorCode::kInvalidArgument));
}

TEST(SecretCipherTest, KeysParseFromHexAndBase64Only) {
  std::string key = RandomBytes(32);
  for (const std::string& text :
       {HexEncode(key), Base64Encode(key), Base64UrlEncode(key), "  " + Base64Encode(key) + "\n"}) {
    ASSERT_OK_AND_ASSIGN(std::string parsed, ParseSecretKey(text));
    EXPECT_EQ(parsed, key);
  }
  std::string short_key = Base64Encode(RandomBytes(16));
  for (const std::string& bad :
       {std::string(""), std::string("not a key!"), short_key, HexEncode(RandomBytes(31)) + "zz"}) {
    auto parsed = ParseSecretKey(bad);
    ASSERT_THAT(parsed, IsError(ErrorCode::kInvalidArgument));
    if (!bad.empty()) {
      EXPECT_EQ(parsed.error().message.find(bad), std::string::npos);
    }
  }
}

TEST(SecretCipherTest, EnvelopesRoundTripAndNameTheirKey) {
  std::string key = RandomBytes(32);
  ASSERT_OK_AND_ASSIGN(SecretCipher cipher, SecretCipher::Make(key));
  EXPECT_EQ(cipher.current_key_id(), SecretKeyId(key));
  EXPECT_EQ(cipher.current_key_id().size(), 8u);
  ASSERT_OK_AND_ASSIGN(std::string envelope, cipher.Encrypt("hunter2", "warehouse:w1:k"));
  EXPECT_TRUE(StartsWith(envelope, "enc:v1:" + cipher.current_key_id() + ":")) << envelope;
  EXPECT_EQ(envelope.find("hunter2"), std::string::npos);
  EXPECT_TRUE(IsSecretEnvelope(envelope));
  EXPECT_EQ(SecretEnvelopeKeyId(envelope), cipher.current_key_id());
  EXPECT_FALSE(IsSecretEnvelope("hunter2"));
  EXPECT_EQ(SecretEnvelopeKeyId("hunter2"), std::nullopt);
  ASSERT_OK_AND_ASSIGN(std::string opened, cipher.Decrypt(envelope, "warehouse:w1:k"));
  EXPECT_EQ(opened, "hunter2");
  // A fresh nonce every time: the same secret never encrypts to the same text.
  ASSERT_OK_AND_ASSIGN(std::string again, cipher.Encrypt("hunter2", "warehouse:w1:k"));
  EXPECT_NE(again, envelope);
  ASSERT_OK_AND_ASSIGN(std::string empty, cipher.Encrypt("", "slot"));
  EXPECT_EQ(*cipher.Decrypt(empty, "slot"), "");
}

TEST(SecretCipherTest, WrongSlotsTamperingAndUnknownKeysAreRefused) {
  ASSERT_OK_AND_ASSIGN(SecretCipher cipher, SecretCipher::Make(RandomBytes(32)));
  ASSERT_OK_AND_ASSIGN(std::string envelope, cipher.Encrypt("hunter2", "warehouse:w1:a"));
  EXPECT_THAT(cipher.Decrypt(envelope, "warehouse:w2:a"),
              IsErrorWithMessage(ErrorCode::kInternal, "warehouse:w2:a"));
  std::string altered = envelope;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_THAT(cipher.Decrypt(altered, "warehouse:w1:a"),
              IsErrorWithMessage(ErrorCode::kInternal, "does not decrypt"));
  EXPECT_THAT(cipher.Decrypt("enc:v1:" + cipher.current_key_id() + ":AAAA", "s"),
              IsErrorWithMessage(ErrorCode::kInternal, "malformed"));
  EXPECT_THAT(cipher.Decrypt("enc:v2:abc:def", "s"),
              IsErrorWithMessage(ErrorCode::kInternal, "version v1"));
  EXPECT_THAT(cipher.Decrypt("hunter2", "s"), IsError(ErrorCode::kInternal));
  ASSERT_OK_AND_ASSIGN(SecretCipher other, SecretCipher::Make(RandomBytes(32)));
  auto unknown = other.Decrypt(envelope, "warehouse:w1:a");
  ASSERT_THAT(unknown, IsErrorWithMessage(ErrorCode::kInternal, cipher.current_key_id()));
  EXPECT_NE(unknown.error().message.find("not among the configured keys"), std::string::npos);
  EXPECT_EQ(unknown.error().message.find("hunter2"), std::string::npos);
}

TEST(SecretCipherTest, PreviousKeysDecryptAndTheCurrentKeyEncrypts) {
  std::string old_key = RandomBytes(32), new_key = RandomBytes(32);
  ASSERT_OK_AND_ASSIGN(SecretCipher before, SecretCipher::Make(old_key));
  ASSERT_OK_AND_ASSIGN(std::string old_envelope, before.Encrypt("s3cret", "signing-key:k1"));
  ASSERT_OK_AND_ASSIGN(SecretCipher during, SecretCipher::Make(new_key, {old_key}));
  EXPECT_TRUE(during.HasKey(SecretKeyId(old_key)));
  EXPECT_EQ(*during.Decrypt(old_envelope, "signing-key:k1"), "s3cret");
  ASSERT_OK_AND_ASSIGN(std::string new_envelope, during.Encrypt("s3cret", "signing-key:k1"));
  EXPECT_EQ(SecretEnvelopeKeyId(new_envelope), SecretKeyId(new_key));
  ASSERT_OK_AND_ASSIGN(SecretCipher after, SecretCipher::Make(new_key));
  EXPECT_EQ(*after.Decrypt(new_envelope, "signing-key:k1"), "s3cret");
  EXPECT_THAT(after.Decrypt(old_envelope, "signing-key:k1"), IsError(ErrorCode::kInternal));
  EXPECT_THAT(SecretCipher::Make("short"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(SecretCipher::Make(new_key, {new_key, old_key}));  // duplicates are harmless
}

}  // namespace
}  // namespace pangolin::auth
