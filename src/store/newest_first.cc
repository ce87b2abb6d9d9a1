// Newest-first page tokens: base64url of "<time_ms>:<created>".
#include "store/newest_first.h"

#include <fmt/format.h>

#include "common/strings.h"

namespace pangolin::store::newest_first {

std::string EncodeToken(const Position& last) {
  return Base64UrlEncode(fmt::format("{}:{}", last.time_ms, last.created));
}

Result<std::optional<Position>> DecodeToken(const std::string& token) {
  if (token.empty()) return std::optional<Position>();
  std::optional<std::string> text = Base64UrlDecode(token);
  std::vector<std::string> parts = text ? Split(*text, ":") : std::vector<std::string>();
  std::optional<long long> ms = parts.size() == 2 ? ParseInt(parts[0]) : std::nullopt;
  std::optional<long long> created = parts.size() == 2 ? ParseInt(parts[1]) : std::nullopt;
  if (!ms || !created) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<Position>(Position{*ms, *created});
}

}  // namespace pangolin::store::newest_first
