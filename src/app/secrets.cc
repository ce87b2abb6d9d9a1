// Sweeps over the stored secrets at start-up and for --reencrypt-secrets.
#include "app/secrets.h"

#include "auth/secret_cipher.h"
#include "common/log.h"
#include "common/strings.h"

namespace pangolin::app {
namespace {

constexpr std::string_view kFix =
    "set PANGOLIN_SECRETS_KEY to the key they were encrypted with, or add that key to "
    "PANGOLIN_SECRETS_PREVIOUS_KEYS";

struct Sweeps {
  service::SecretCensus warehouses;
  service::SecretCensus signing_keys;
  service::SecretCensus Total() const {
    service::SecretCensus total = warehouses;
    total.Add(signing_keys);
    return total;
  }
};

Result<Sweeps> Sweep(service::TenancyService& tenancy, service::AuthService& auth,
                     service::SecretSweep mode) {
  Sweeps sweeps;
  ASSIGN_OR_RETURN(sweeps.warehouses, tenancy.SweepWarehouseSecrets(mode));
  ASSIGN_OR_RETURN(sweeps.signing_keys, auth.SweepSigningKeys(mode));
  return sweeps;
}

std::string CurrentKeyId(const Config& config) {
  return config.secrets_key.empty() ? "" : auth::SecretKeyId(config.secrets_key);
}

}  // namespace

Status CheckStoredSecrets(const Config& config, service::TenancyService& tenancy,
                          service::AuthService& auth) {
  ASSIGN_OR_RETURN(Sweeps sweeps, Sweep(tenancy, auth, service::SecretSweep::kCheck));
  service::SecretCensus total = sweeps.Total();
  if (total.unreadable > 0) {
    return Err(ErrorCode::kInvalidArgument,
               "{} stored secret(s) cannot be decrypted with the configured keys ({}); {}",
               total.unreadable, Join(total.problems, "; "), kFix);
  }
  if (config.secrets_key.empty()) {
    if (config.no_auth) {
      log::Warn(
          "PANGOLIN_SECRETS_KEY is not set: warehouse secrets and token signing keys are stored "
          "unencrypted (allowed in development mode only)");
    } else {
      log::Warn(
          "PANGOLIN_SECRETS_KEY is not set: token signing keys are stored unencrypted, and "
          "warehouse secrets are refused until it is");
    }
    return Ok();
  }
  if (total.plaintext > 0 || total.previous > 0) {
    log::Warn(
        "some stored secrets are not under the current key; run pangolin_api "
        "--reencrypt-secrets")
        .With("unencrypted", total.plaintext)
        .With("previous_key", total.previous)
        .With("current_key_id", CurrentKeyId(config));
  }
  return Ok();
}

int ReencryptSecrets(const Config& config, service::TenancyService& tenancy,
                     service::AuthService& auth) {
  auto sweeps = Sweep(tenancy, auth, service::SecretSweep::kReencrypt);
  if (!sweeps) {
    fmt::print(stderr, "pangolin_api: re-encryption stopped: {}\n", sweeps.error().message);
    return 1;
  }
  for (auto [what, census] : {std::pair{"warehouse secrets", &sweeps->warehouses},
                              std::pair{"signing keys", &sweeps->signing_keys}}) {
    fmt::print("{}: {} re-encrypted, {} already current, {} unreadable\n", what,
               census->reencrypted,
               census->current + census->previous + census->plaintext - census->reencrypted,
               census->unreadable);
  }
  service::SecretCensus total = sweeps->Total();
  if (total.unreadable > 0) {
    fmt::print(stderr, "pangolin_api: {} stored secret(s) cannot be decrypted ({}); {}\n",
               total.unreadable, Join(total.problems, "; "), kFix);
    return 1;
  }
  fmt::print("every stored secret is encrypted with key id {}\n", CurrentKeyId(config));
  return 0;
}

}  // namespace pangolin::app
