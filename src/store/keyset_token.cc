// Two-part keyset tokens: base64url of "<length of first>:<first><second>" for text keys (any
// bytes in either part), of "<time_ms>:<id>" for time keys.
#include "store/keyset_token.h"

#include <fmt/format.h>

#include "common/strings.h"

namespace pangolin::store::keyset {
namespace {

tl::unexpected<Error> BadToken(const std::string& token) {
  return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
}

// Splits "<number>:<rest>". Errors: kBadRequest.
Result<std::pair<int64_t, std::string>> DecodeNumbered(const std::string& token) {
  std::optional<std::string> text = Base64UrlDecode(token);
  if (!text) return BadToken(token);
  size_t colon = text->find(':');
  if (colon == std::string::npos) return BadToken(token);
  std::optional<long long> number = ParseInt(std::string_view(*text).substr(0, colon));
  if (!number) return BadToken(token);
  return std::pair<int64_t, std::string>(*number, text->substr(colon + 1));
}

}  // namespace

std::string EncodeToken(const TextKey& last) {
  return Base64UrlEncode(fmt::format("{}:{}{}", last.first.size(), last.first, last.second));
}

std::string EncodeToken(const TimeKey& last) {
  return Base64UrlEncode(fmt::format("{}:{}", last.time_ms, last.id));
}

Result<std::optional<TextKey>> DecodeTextToken(const std::string& token) {
  if (token.empty()) return std::optional<TextKey>();
  ASSIGN_OR_RETURN(auto decoded, DecodeNumbered(token));
  auto [length, rest] = std::move(decoded);
  if (length < 0 || static_cast<size_t>(length) > rest.size()) return BadToken(token);
  return std::optional<TextKey>(TextKey{rest.substr(0, length), rest.substr(length)});
}

Result<std::optional<TimeKey>> DecodeTimeToken(const std::string& token) {
  if (token.empty()) return std::optional<TimeKey>();
  ASSIGN_OR_RETURN(auto decoded, DecodeNumbered(token));
  return std::optional<TimeKey>(TimeKey{decoded.first, std::move(decoded.second)});
}

}  // namespace pangolin::store::keyset
