// Encryption at rest of the secrets Pangolin keeps in its store (warehouse credentials, token
// signing keys): AES-256-GCM with a random 96-bit nonce per value and the value's slot (what it is
// and whose, e.g. "warehouse:<id>:storage_config:<key>") as associated data, so that a ciphertext
// copied into another slot does not decrypt. A key ring of one current key (encrypts) and previous
// keys (decrypt only) lets the key rotate. Stored form, the envelope:
//   enc:v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>
// where the key id is 8 hex digits derived from the key (it reveals nothing of the key).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::auth {

inline constexpr size_t kSecretKeySize = 32;    // AES-256
inline constexpr size_t kSecretNonceSize = 12;  // 96-bit GCM nonce
inline constexpr size_t kSecretTagSize = 16;    // 128-bit GCM tag

// A 32-byte key written as 64 hex digits or as base64 (standard or URL-safe alphabet, padding
// optional). Errors: kInvalidArgument saying what is wrong, never quoting `text`.
Result<std::string> ParseSecretKey(std::string_view text);

// The public name of `key`: 8 lowercase hex digits of HMAC-SHA256(key, "pangolin secrets key id").
std::string SecretKeyId(std::string_view key);

// True when `value` is in the envelope form (starts with "enc:"), whatever its version.
bool IsSecretEnvelope(std::string_view value);
// The key id of a v1 envelope; nullopt when `value` is not one.
std::optional<std::string> SecretEnvelopeKeyId(std::string_view value);

// The AES-256-GCM primitive (OpenSSL EVP): ciphertext ‖ 16-byte tag of `plaintext` under `key`
// (32 bytes) and `nonce` (12 bytes), authenticating `aad` too. Errors: kInvalidArgument (sizes),
// kInternal (OpenSSL).
Result<std::string> Aes256GcmSeal(std::string_view key, std::string_view nonce,
                                  std::string_view plaintext, std::string_view aad);
// The plaintext of `sealed` (ciphertext ‖ tag). Errors: kInvalidArgument (sizes); kInternal when
// the tag does not authenticate (wrong key, nonce or aad, or altered bytes).
Result<std::string> Aes256GcmOpen(std::string_view key, std::string_view nonce,
                                  std::string_view sealed, std::string_view aad);

// The key ring and the envelope codec. Immutable; thread-safe.
class SecretCipher {
 public:
  // `current` encrypts and decrypts, each of `previous` decrypts; all are raw 32-byte keys (see
  // ParseSecretKey). A previous key equal to the current one is ignored. Errors: kInvalidArgument
  // (a key of the wrong size; two different keys with the same id).
  static Result<SecretCipher> Make(std::string current, std::vector<std::string> previous = {});

  const std::string& current_key_id() const { return keys_.front().id; }
  // True when `key_id` names a key of the ring.
  bool HasKey(std::string_view key_id) const;

  // The envelope of `plaintext` for `slot`, under the current key with a fresh random nonce.
  // Errors: kInternal (OpenSSL).
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view slot) const;
  // The plaintext of `envelope` stored at `slot`. Errors, all kInternal, naming the slot and the
  // key id but no secret material: not a v1 envelope; encrypted with a key not in the ring; does
  // not authenticate (altered, or copied from another slot).
  Result<std::string> Decrypt(std::string_view envelope, std::string_view slot) const;

 private:
  struct Key {
    std::string id;
    std::string bytes;
  };
  explicit SecretCipher(std::vector<Key> keys) : keys_(std::move(keys)) {}
  const Key* Find(std::string_view key_id) const;

  std::vector<Key> keys_;  // the current key first
};

}  // namespace pangolin::auth
