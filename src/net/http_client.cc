// The parts of the HttpClient seam that do not depend on an implementation: header lookup and
// form encoding.
#include "net/http_client.h"

#include "common/strings.h"

namespace pangolin::net {

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  const std::string lower = ToLower(name);
  for (const auto& [key, value] : headers) {
    if (key == lower) return value;
  }
  return std::nullopt;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  // RFC 3986 percent-encoding everywhere (spaces as %20, not '+'): every form decoder accepts it,
  // and it is what OAuth 2.0 client authentication (RFC 6749 §2.3.1) asks for.
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(name);
    out.push_back('=');
    out += PercentEncode(value);
  }
  return out;
}

}  // namespace pangolin::net
