// AES-256-GCM through OpenSSL's EVP AEAD interface, and the envelope around it.
#include "auth/secret_cipher.h"

#include <algorithm>

#include "auth/openssl_internal.h"
#include "common/digest.h"
#include "common/strings.h"

namespace pangolin::auth {
namespace {

using internal::Bytes;
using internal::OpensslError;
using CipherCtx =
    std::unique_ptr<EVP_CIPHER_CTX, internal::OpensslDeleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

constexpr std::string_view kEnvelopePrefix = "enc:";
constexpr std::string_view kV1Prefix = "enc:v1:";
// Binds each ciphertext to the envelope version as well as to its slot.
constexpr std::string_view kAadPrefix = "pangolin-secret:v1:";

std::optional<std::string> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); i += 2) {
    int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

Status CheckSizes(std::string_view key, std::string_view nonce) {
  if (key.size() != kSecretKeySize) {
    return Err(ErrorCode::kInvalidArgument, "AES-256-GCM needs a {}-byte key", kSecretKeySize);
  }
  if (nonce.size() != kSecretNonceSize) {
    return Err(ErrorCode::kInvalidArgument, "AES-256-GCM needs a {}-byte nonce", kSecretNonceSize);
  }
  return Ok();
}

// A context set up for one message: cipher, nonce length, key, nonce and the associated data.
Result<CipherCtx> GcmContext(bool encrypt, std::string_view key, std::string_view nonce,
                             std::string_view aad) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return OpensslError("EVP_CIPHER_CTX_new");
  auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
  if (init(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                          nullptr) != 1 ||
      init(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(nonce)) != 1) {
    return OpensslError("AES-256-GCM setup");
  }
  int length = 0;
  auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  if (!aad.empty() &&
      update(ctx.get(), nullptr, &length, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return OpensslError("AES-256-GCM associated data");
  }
  return ctx;
}

}  // namespace

Result<std::string> ParseSecretKey(std::string_view text) {
  // Keys often come from files: surrounding whitespace, a final newline included, is not the key.
  while (!text.empty() && std::string_view(" \t\r\n").find(text.front()) != text.npos) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::string_view(" \t\r\n").find(text.back()) != text.npos) {
    text.remove_suffix(1);
  }
  std::optional<std::string> key;
  if (text.size() == 2 * kSecretKeySize) key = HexDecode(text);
  if (!key) {
    std::string_view unpadded = text;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.remove_suffix(1);
    key = Base64UrlDecode(unpadded);
    if (!key) key = Base64Decode(unpadded);
  }
  if (!key) {
    return Err(ErrorCode::kInvalidArgument,
               "not a key: expected {} bytes written as 64 hex digits or as base64 (e.g. the "
               "output of `openssl rand -base64 32`)",
               kSecretKeySize);
  }
  if (key->size() != kSecretKeySize) {
    return Err(
        ErrorCode::kInvalidArgument,
        "the key is {} bytes long; AES-256 needs exactly {} (e.g. `openssl rand -base64 32`)",
        key->size(), kSecretKeySize);
  }
  return *key;
}

std::string SecretKeyId(std::string_view key) {
  return HexEncode(HmacSha256(key, "pangolin secrets key id").substr(0, 4));
}

bool IsSecretEnvelope(std::string_view value) { return StartsWith(value, kEnvelopePrefix); }

std::optional<std::string> SecretEnvelopeKeyId(std::string_view value) {
  if (!StartsWith(value, kV1Prefix)) return std::nullopt;
  value.remove_prefix(kV1Prefix.size());
  size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return std::string(value.substr(0, colon));
}

Result<std::string> Aes256GcmSeal(std::string_view key, std::string_view nonce,
                                  std::string_view plaintext, std::string_view aad) {
  RETURN_IF_ERROR(CheckSizes(key, nonce));
  ASSIGN_OR_RETURN(CipherCtx ctx, GcmContext(true, key, nonce, aad));
  std::string out(plaintext.size() + kSecretTagSize, '\0');
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  int length = 0, final_length = 0;
  if (EVP_EncryptUpdate(ctx.get(), data, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), data + length, &final_length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kSecretTagSize,
                          data + plaintext.size()) != 1) {
    return OpensslError("AES-256-GCM encryption");
  }
  return out;
}

Result<std::string> Aes256GcmOpen(std::string_view key, std::string_view nonce,
                                  std::string_view sealed, std::string_view aad) {
  RETURN_IF_ERROR(CheckSizes(key, nonce));
  if (sealed.size() < kSecretTagSize) {
    return Err(ErrorCode::kInvalidArgument, "AES-256-GCM input shorter than its tag");
  }
  std::string_view ciphertext = sealed.substr(0, sealed.size() - kSecretTagSize);
  std::string tag(sealed.substr(ciphertext.size()));
  ASSIGN_OR_RETURN(CipherCtx ctx, GcmContext(false, key, nonce, aad));
  std::string out(ciphertext.size(), '\0');
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  int length = 0, final_length = 0;
  if (EVP_DecryptUpdate(ctx.get(), data, &length, Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kSecretTagSize, tag.data()) != 1) {
    return OpensslError("AES-256-GCM decryption");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), data + length, &final_length) != 1) {
    OpensslError("AES-256-GCM tag");  // clears the error queue
    std::fill(out.begin(), out.end(), '\0');
    return Err(ErrorCode::kInternal, "AES-256-GCM: the tag does not authenticate");
  }
  return out;
}

Result<SecretCipher> SecretCipher::Make(std::string current, std::vector<std::string> previous) {
  std::vector<Key> keys;
  previous.insert(previous.begin(), std::move(current));
  for (auto& bytes : previous) {
    if (bytes.size() != kSecretKeySize) {
      return Err(ErrorCode::kInvalidArgument, "a secrets key must be {} bytes, not {}",
                 kSecretKeySize, bytes.size());
    }
    std::string id = SecretKeyId(bytes);
    auto same_id = std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return k.id == id; });
    if (same_id != keys.end()) {
      if (same_id->bytes == bytes) continue;
      return Err(ErrorCode::kInvalidArgument, "two different secrets keys share the id {}", id);
    }
    keys.push_back(Key{std::move(id), std::move(bytes)});
  }
  return SecretCipher(std::move(keys));
}

bool SecretCipher::HasKey(std::string_view key_id) const { return Find(key_id) != nullptr; }

const SecretCipher::Key* SecretCipher::Find(std::string_view key_id) const {
  for (const auto& key : keys_) {
    if (key.id == key_id) return &key;
  }
  return nullptr;
}

Result<std::string> SecretCipher::Encrypt(std::string_view plaintext, std::string_view slot) const {
  const Key& key = keys_.front();
  std::string nonce = RandomBytes(kSecretNonceSize);
  ASSIGN_OR_RETURN(std::string sealed,
                   Aes256GcmSeal(key.bytes, nonce, plaintext, std::string(kAadPrefix) += slot));
  return std::string(kV1Prefix) + key.id + ":" + Base64UrlEncode(nonce + sealed);
}

Result<std::string> SecretCipher::Decrypt(std::string_view envelope, std::string_view slot) const {
  std::optional<std::string> key_id = SecretEnvelopeKeyId(envelope);
  if (!key_id) {
    return Err(ErrorCode::kInternal, "the secret at {} is not an encrypted value of version v1",
               slot);
  }
  const Key* key = Find(*key_id);
  if (!key) {
    return Err(ErrorCode::kInternal,
               "the secret at {} was encrypted with key id {}, which is not among the configured "
               "keys",
               slot, *key_id);
  }
  std::string_view body = envelope.substr(kV1Prefix.size() + key_id->size() + 1);
  std::optional<std::string> bytes = Base64UrlDecode(body);
  if (!bytes || bytes->size() < kSecretNonceSize + kSecretTagSize) {
    return Err(ErrorCode::kInternal, "the secret at {} is a malformed encrypted value", slot);
  }
  auto opened = Aes256GcmOpen(key->bytes, std::string_view(*bytes).substr(0, kSecretNonceSize),
                              std::string_view(*bytes).substr(kSecretNonceSize),
                              std::string(kAadPrefix) += slot);
  if (!opened) {
    return Err(ErrorCode::kInternal,
               "the secret at {} does not decrypt with key id {}: it was altered, or copied from "
               "another place",
               slot, *key_id);
  }
  return opened;
}

}  // namespace pangolin::auth
