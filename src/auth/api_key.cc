// API key generation, parsing and secret hashing over OpenSSL's CSPRNG and SHA-256.
#include "auth/api_key.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <algorithm>

#include "common/digest.h"
#include "common/strings.h"

namespace pangolin::auth {
namespace {

constexpr std::string_view kPrefix = "pgl_";
constexpr size_t kKeyIdBytes = 8;
constexpr size_t kKeyIdChars = 2 * kKeyIdBytes;
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretChars = 43;  // ceil(32 * 8 / 6), unpadded
constexpr size_t kSha256HexChars = 64;

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

ApiKey NewApiKey() {
  std::string secret_bytes = RandomBytes(kSecretBytes);
  ApiKey key;
  key.key_id = HexEncode(RandomBytes(kKeyIdBytes));
  key.secret = Base64UrlEncode(secret_bytes);
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

std::string HashSecret(std::string_view secret) { return Sha256Hex(secret); }

bool SecretMatches(std::string_view hash, std::string_view secret) {
  if (hash.size() != kSha256HexChars) return false;
  std::string computed = HashSecret(secret);
  return CRYPTO_memcmp(computed.data(), hash.data(), kSha256HexChars) == 0;
}

}  // namespace pangolin::auth
