// StoredSecrets: how services keep secrets in the store. With a key configured
// (PANGOLIN_SECRETS_KEY) every secret is stored as an envelope of auth::SecretCipher, bound to its
// slot; without one, plaintext is stored only where the policy allows it (development mode for
// warehouse credentials). Values stored before a key was configured still read, and a sweep
// counts what is stored under which key and re-encrypts it with the current one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/secret_cipher.h"
#include "common/result.h"

namespace pangolin::service {

struct SecretsPolicy {
  const auth::SecretCipher* cipher = nullptr;  // null: no key configured
  bool allow_plaintext = false;                // store plaintext when there is no key
};

enum class SecretSweep { kCheck, kReencrypt };

// What a sweep found (and did). Problems name slots and key ids, never secret material.
struct SecretCensus {
  size_t plaintext = 0;               // stored unencrypted
  size_t current = 0;                 // encrypted with the current key
  size_t previous = 0;                // encrypted with a previous key
  size_t unreadable = 0;              // encrypted, and no configured key decrypts them
  size_t reencrypted = 0;             // rewritten with the current key by this sweep
  std::vector<std::string> problems;  // the first few unreadable values, explained

  void Add(const SecretCensus& other);
};

class StoredSecrets {
 public:
  explicit StoredSecrets(SecretsPolicy policy = {}) : policy_(policy) {}

  bool encrypts() const { return policy_.cipher != nullptr; }

  // The stored form of `plaintext` at `slot`: its envelope under the current key, or the
  // plaintext when no key is configured and the policy allows it. A value that looks like an
  // envelope is refused: it would be taken for one when read. Errors: kBadRequest naming
  // `field` (no key and no plaintext allowed: "set PANGOLIN_SECRETS_KEY"; an "enc:" value);
  // kInternal (OpenSSL).
  Result<std::string> Seal(std::string_view plaintext, std::string_view slot,
                           std::string_view field) const;
  // The plaintext of a stored value: an envelope decrypted, anything else as it is (stored before
  // a key was configured). Errors: kInternal naming the slot and the key id (no key configured,
  // a key not configured, a value that does not decrypt), saying which settings to check.
  Result<std::string> Open(std::string_view stored, std::string_view slot) const;

  // Counts `stored` in `census` and, for kReencrypt, returns the value re-sealed under the
  // current key when it is plaintext or under a previous key (else nullopt: keep it as it is).
  Result<std::optional<std::string>> Sweep(std::string_view stored, std::string_view slot,
                                           SecretSweep mode, SecretCensus& census) const;

 private:
  SecretsPolicy policy_;
};

}  // namespace pangolin::service
