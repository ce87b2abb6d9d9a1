// Cryptographic digests for integrity checks (audit hash chains, API key hashes) and random
// bytes for secrets (login state, PKCE verifiers, one-time codes).
#pragma once

#include <string>
#include <string_view>

namespace pangolin {

// The 32 bytes of the SHA-256 of `data`.
std::string Sha256(std::string_view data);
// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// `size` bytes from the operating system's random source (OpenSSL's CSPRNG).
std::string RandomBytes(size_t size);

}  // namespace pangolin
