// API key generation, parsing and secret hashing over OpenSSL's CSPRNG and SHA-256.
#include "auth/api_key.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "common/strings.h"

namespace pangolin::auth {
namespace {

constexpr std::string_view kPrefix = "pgl_";
constexpr size_t kKeyIdBytes = 8;
constexpr size_t kKeyIdChars = 2 * kKeyIdBytes;
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretChars = 43;  // ceil(32 * 8 / 6), unpadded
constexpr size_t kSha256HexChars = 64;

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xF]);
  }
  return out;
}

// A key that is not random is worse than no key: a failing CSPRNG is a broken invariant.
template <size_t N>
std::array<unsigned char, N> RandomBytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(N)) != 1) {
    std::fputs("pangolin: RAND_bytes failed; refusing to issue a predictable API key\n", stderr);
    std::abort();
  }
  return bytes;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

ApiKey NewApiKey() {
  auto id_bytes = RandomBytes<kKeyIdBytes>();
  auto secret_bytes = RandomBytes<kSecretBytes>();
  ApiKey key;
  key.key_id = Hex(id_bytes.data(), id_bytes.size());
  key.secret = Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(secret_bytes.data()), secret_bytes.size()));
  OPENSSL_cleanse(secret_bytes.data(), secret_bytes.size());
  key.text = fmt::format("{}{}_{}", kPrefix, key.key_id, key.secret);
  return key;
}

std::optional<ApiKey> ParseApiKey(std::string_view text) {
  // The secret's alphabet includes '_', so the parts are found by position, not by splitting.
  if (text.size() != kPrefix.size() + kKeyIdChars + 1 + kSecretChars) return std::nullopt;
  if (!StartsWith(text, kPrefix)) return std::nullopt;
  std::string_view key_id = text.substr(kPrefix.size(), kKeyIdChars);
  std::string_view secret = text.substr(kPrefix.size() + kKeyIdChars + 1);
  if (text[kPrefix.size() + kKeyIdChars] != '_') return std::nullopt;
  if (!std::all_of(key_id.begin(), key_id.end(), IsLowerHex)) return std::nullopt;
  if (!std::all_of(secret.begin(), secret.end(), IsBase64Url)) return std::nullopt;
  return ApiKey{std::string(key_id), std::string(secret), std::string(text)};
}

std::string HashSecret(std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(secret.data(), secret.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    std::fputs("pangolin: SHA-256 unavailable\n", stderr);
    std::abort();
  }
  return Hex(digest.data(), size);
}

bool SecretMatches(std::string_view hash, std::string_view secret) {
  if (hash.size() != kSha256HexChars) return false;
  std::string computed = HashSecret(secret);
  return CRYPTO_memcmp(computed.data(), hash.data(), kSha256HexChars) == 0;
}

}  // namespace pangolin::auth
