// Shared Key signing for the Blob service (see shared_key.h for the string-to-sign).
#include "storage/azure/shared_key.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <vector>

#include "common/digest.h"
#include "common/strings.h"

namespace pangolin::storage::azure {
namespace {

// The standard headers of the string-to-sign, in its order (Content-Length is handled apart).
constexpr std::string_view kSignedHeaders[] = {"content-encoding",
                                               "content-language",
                                               "content-length",
                                               "content-md5",
                                               "content-type",
                                               "date",
                                               "if-modified-since",
                                               "if-match",
                                               "if-none-match",
                                               "if-unmodified-since",
                                               "range"};

const std::string* FindHeader(const net::HttpRequest& request, std::string_view lower_name) {
  for (const auto& [name, value] : request.headers) {
    if (ToLower(name) == lower_name) return &value;
  }
  return nullptr;
}

// Splits an absolute http(s) URL into its path (at least "/") and its query (without '?').
Result<std::pair<std::string_view, std::string_view>> PathAndQuery(std::string_view url) {
  size_t scheme_end = url.find("://");
  std::string_view scheme = url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end);
  if (scheme != "http" && scheme != "https") {
    return Err(ErrorCode::kInvalidArgument, "Not an absolute http(s) URL: {}", url);
  }
  std::string_view rest = url.substr(scheme_end + 3);
  size_t query_start = rest.find('?');
  std::string_view query;
  if (query_start != std::string_view::npos) {
    query = rest.substr(query_start + 1);
    rest = rest.substr(0, query_start);
  }
  size_t path_start = rest.find('/');
  if (path_start == 0) return Err(ErrorCode::kInvalidArgument, "URL without a host: {}", url);
  std::string_view path = path_start == std::string_view::npos ? "/" : rest.substr(path_start);
  return std::make_pair(path, query);
}

}  // namespace

std::string HttpDate(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  // The C locale's names are the English ones RFC 1123 requires; strftime's %a/%b would follow
  // the process locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

Result<std::string> DecodeAccountKey(std::string_view key_base64) {
  auto key = Base64Decode(Trim(key_base64));
  if (!key || key->empty()) {
    return Err(ErrorCode::kInvalidArgument, "The Azure account key is not valid base64");
  }
  return *key;
}

Result<std::string> CanonicalizedResource(std::string_view account, std::string_view url) {
  ASSIGN_OR_RETURN(auto parts, PathAndQuery(url));
  std::string out = "/" + std::string(account) + std::string(parts.first);
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& pair : Split(parts.second, "&")) {
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    auto name = PercentDecode(std::string_view(pair).substr(0, equals));
    auto value = equals == std::string::npos
                     ? std::optional<std::string>("")
                     : PercentDecode(std::string_view(pair).substr(equals + 1));
    if (!name || !value) {
      return Err(ErrorCode::kInvalidArgument, "Malformed escape in the query of {}", url);
    }
    params[ToLower(*name)].push_back(std::move(*value));
  }
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    out += "\n" + name + ":" + Join(values, ",");
  }
  return out;
}

Result<std::string> SharedKeyStringToSign(const net::HttpRequest& request,
                                          std::string_view account) {
  ASSIGN_OR_RETURN(std::string resource, CanonicalizedResource(account, request.url));
  std::string out = request.method + "\n";
  for (std::string_view name : kSignedHeaders) {
    if (name == "content-length") {
      const std::string* given = FindHeader(request, name);
      std::string length = given ? *given : std::to_string(request.body.size());
      out += (length == "0" ? "" : length) + "\n";
      continue;
    }
    const std::string* value = FindHeader(request, name);
    out += (value ? *value : "") + "\n";
  }
  std::map<std::string, std::string> ms_headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = ToLower(Trim(name));
    if (StartsWith(lower, "x-ms-")) ms_headers[lower] = std::string(Trim(value));
  }
  for (const auto& [name, value] : ms_headers) out += name + ":" + value + "\n";
  return out + resource;
}

std::string SharedKeySignature(std::string_view key, std::string_view string_to_sign) {
  return Base64Encode(HmacSha256(key, string_to_sign));
}

Status SignSharedKey(net::HttpRequest& request, std::string_view account, std::string_view key,
                     std::chrono::system_clock::time_point now) {
  if (!FindHeader(request, "x-ms-date")) request.headers.emplace_back("x-ms-date", HttpDate(now));
  if (!FindHeader(request, "x-ms-version")) {
    request.headers.emplace_back("x-ms-version", std::string(kServiceVersion));
  }
  ASSIGN_OR_RETURN(std::string string_to_sign, SharedKeyStringToSign(request, account));
  request.headers.emplace_back(
      "Authorization",
      fmt::format("SharedKey {}:{}", account, SharedKeySignature(key, string_to_sign)));
  return Ok();
}

}  // namespace pangolin::storage::azure
