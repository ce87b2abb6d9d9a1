// Small string helpers shared by every module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pangolin {

std::vector<std::string> Split(std::string_view text, std::string_view separator);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::string ToLower(std::string_view text);
// `text` without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);
// Percent-decodes `text`; nullopt on a malformed escape. '+' is kept as is (path semantics).
std::optional<std::string> PercentDecode(std::string_view text);
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text);
// Parses a base-10 integer that must fill the whole string.
std::optional<long long> ParseInt(std::string_view text);
// "true"/"false" (case-insensitive), "1"/"0", "yes"/"no".
std::optional<bool> ParseBool(std::string_view text);
// Lowercase hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// Base64url without padding (RFC 4648 §5), as JWTs use it.
std::string Base64UrlEncode(std::string_view bytes);
// Standard base64 with padding (RFC 4648 §4), as HTTP Basic credentials use it.
std::string Base64Encode(std::string_view bytes);
// Decodes standard base64 (padding optional); nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// FNV-1a 64 of `text` as 16 hex digits: a stable, non-cryptographic digest (the same on every
// build and replica), for cache validators and request fingerprints.
std::string Fnv1aHex(std::string_view text);

}  // namespace pangolin
