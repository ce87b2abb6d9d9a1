// Sealing, opening and sweeping stored secrets.
#include "service/stored_secrets.h"

namespace pangolin::service {
namespace {

constexpr size_t kMaxProblems = 10;
constexpr std::string_view kKeySettings = "PANGOLIN_SECRETS_KEY or PANGOLIN_SECRETS_PREVIOUS_KEYS";

}  // namespace

void SecretCensus::Add(const SecretCensus& other) {
  plaintext += other.plaintext;
  current += other.current;
  previous += other.previous;
  unreadable += other.unreadable;
  reencrypted += other.reencrypted;
  for (const auto& problem : other.problems) {
    if (problems.size() < kMaxProblems) problems.push_back(problem);
  }
}

Result<std::string> StoredSecrets::Seal(std::string_view plaintext, std::string_view slot,
                                        std::string_view field) const {
  if (auth::IsSecretEnvelope(plaintext)) {
    return Err(ErrorCode::kBadRequest,
               "{}: a value starting with 'enc:' is taken for an encrypted one; send the secret "
               "itself",
               field);
  }
  if (policy_.cipher) return policy_.cipher->Encrypt(plaintext, slot);
  if (policy_.allow_plaintext) return std::string(plaintext);
  return Err(ErrorCode::kBadRequest,
             "{} is a secret, and this server stores secrets only encrypted: set "
             "PANGOLIN_SECRETS_KEY (32 random bytes, base64 or hex) on every server and restart "
             "them",
             field);
}

Result<std::string> StoredSecrets::Open(std::string_view stored, std::string_view slot) const {
  if (!auth::IsSecretEnvelope(stored)) return std::string(stored);
  if (!policy_.cipher) {
    return Err(ErrorCode::kInternal,
               "Stored secrets cannot be decrypted: the secret at {} is encrypted (key id {}) and "
               "no PANGOLIN_SECRETS_KEY is configured",
               slot, auth::SecretEnvelopeKeyId(stored).value_or("unknown"));
  }
  auto opened = policy_.cipher->Decrypt(stored, slot);
  if (!opened) {
    return Err(ErrorCode::kInternal, "Stored secrets cannot be decrypted: {}; check {}",
               opened.error().message, kKeySettings);
  }
  return opened;
}

Result<std::optional<std::string>> StoredSecrets::Sweep(std::string_view stored,
                                                        std::string_view slot, SecretSweep mode,
                                                        SecretCensus& census) const {
  bool envelope = auth::IsSecretEnvelope(stored);
  if (envelope) {
    std::optional<std::string> problem;
    if (!policy_.cipher) {
      problem = fmt::format("the secret at {} is encrypted (key id {}) and no key is configured",
                            slot, auth::SecretEnvelopeKeyId(stored).value_or("unknown"));
    } else if (auto opened = policy_.cipher->Decrypt(stored, slot); !opened) {
      problem = opened.error().message;
    }
    if (problem) {
      ++census.unreadable;
      if (census.problems.size() < kMaxProblems) census.problems.push_back(*problem);
      return std::nullopt;
    }
  }
  if (!envelope) {
    ++census.plaintext;
  } else if (auth::SecretEnvelopeKeyId(stored) == policy_.cipher->current_key_id()) {
    ++census.current;
    return std::nullopt;
  } else {
    ++census.previous;
  }
  if (mode != SecretSweep::kReencrypt || !policy_.cipher) return std::nullopt;
  ASSIGN_OR_RETURN(std::string plaintext, Open(stored, slot));
  ASSIGN_OR_RETURN(std::string sealed, policy_.cipher->Encrypt(plaintext, slot));
  ++census.reencrypted;
  return sealed;
}

}  // namespace pangolin::service
