// Service-user API keys: "pgl_<key id>_<secret>". The key id (16 lowercase hex digits) is stored
// in clear and indexed, so authentication is one lookup; the secret (43 base64url characters,
// 256 random bits) is stored only as its SHA-256 and compared in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pangolin::auth {

struct ApiKey {
  std::string key_id;
  std::string secret;
  std::string text;  // "pgl_" + key_id + "_" + secret: shown to the user once
};

// A new key from the OS's random source.
ApiKey NewApiKey();

// Splits a presented key; nullopt when it is not of the form above (wrong prefix, key id or
// secret of the wrong length or alphabet).
std::optional<ApiKey> ParseApiKey(std::string_view text);

// Lowercase hex SHA-256 of `secret`.
std::string HashSecret(std::string_view secret);

// True when HashSecret(secret) equals `hash`, compared in constant time.
bool SecretMatches(std::string_view hash, std::string_view secret);

}  // namespace pangolin::auth
