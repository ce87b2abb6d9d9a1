// Cryptographic digests for integrity checks (audit hash chains, API key hashes), HMAC for request
// signing, and random
// bytes for secrets (login state, PKCE verifiers, one-time codes).
#pragma once

#include <string>
#include <string_view>

namespace pangolin {

// The 32 bytes of the SHA-256 of `data`.
std::string Sha256(std::string_view data);
// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// The 32 bytes of HMAC-SHA256(key, data) (request signing: SigV4, Azure SharedKey, SAS).
std::string HmacSha256(std::string_view key, std::string_view data);
// The 16 bytes of the MD5 of `data` (only where a protocol demands it, e.g. Content-MD5).
std::string Md5(std::string_view data);
// `size` bytes from the operating system's random source (OpenSSL's CSPRNG).
std::string RandomBytes(size_t size);

}  // namespace pangolin
