// Cryptographic digests for integrity checks (audit hash chains, API key hashes).
#pragma once

#include <string>
#include <string_view>

namespace pangolin {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace pangolin
