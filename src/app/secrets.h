// Start-up side of encryption at rest: the check that every stored secret can be decrypted with
// the configured keys, and the --reencrypt-secrets command.
#pragma once

#include "app/config.h"
#include "service/auth_service.h"
#include "service/tenancy_service.h"

namespace pangolin::app {

// Counts the stored secrets. Refuses to go on (error naming the secrets and the key ids, never
// secret material) when some cannot be decrypted with the configured keys; logs a warning when
// secrets are stored unencrypted or under a previous key, or when no key is configured.
Status CheckStoredSecrets(const Config& config, service::TenancyService& tenancy,
                          service::AuthService& auth);

// Re-encrypts every stored secret with the current key and prints the counts on standard
// output; returns the process exit code (1 when some secret cannot be decrypted).
int ReencryptSecrets(const Config& config, service::TenancyService& tenancy,
                     service::AuthService& auth);

}  // namespace pangolin::app
