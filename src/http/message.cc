// Request accessors and query-string parsing.
#include "http/message.h"

#include "common/strings.h"

namespace pangolin::http {

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response Response::Json(int status, std::string head, std::shared_ptr<const std::string> shared,
                        std::string tail) {
  Response response = Json(status, std::move(head));
  response.shared_body = std::move(shared);
  response.body_tail = std::move(tail);
  return response;
}

size_t Response::BodySize() const {
  return body.size() + (shared_body ? shared_body->size() : 0) + body_tail.size();
}

std::string Response::JoinedBody() const {
  if (!shared_body && body_tail.empty()) return body;
  std::string out;
  out.reserve(BodySize());
  out += body;
  if (shared_body) out += *shared_body;
  out += body_tail;
  return out;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  for (const std::string& element : Split(accept_encoding, ",")) {
    std::vector<std::string> parts = Split(element, ";");
    if (parts.empty()) continue;
    std::string coding = ToLower(Trim(parts[0]));
    bool wanted = true;
    for (size_t i = 1; i < parts.size(); ++i) {
      std::string_view param = Trim(parts[i]);
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        // q=0, 0.0, 0.00 or 0.000 refuses; anything else accepts.
        std::string_view q = Trim(param.substr(2));
        wanted = q.find_first_not_of("0.") != std::string_view::npos;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = gzip.value_or(false) || wanted;
    if (coding == "*") any = wanted;
  }
  return gzip.value_or(any.value_or(false));
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  if (query.empty()) return out;
  for (const std::string& part : Split(query, "&")) {
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string name = part.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
    for (std::string* text : {&name, &value}) {
      for (char& c : *text) {
        if (c == '+') c = ' ';
      }
    }
    auto decoded_name = PercentDecode(name);
    auto decoded_value = PercentDecode(value);
    if (!decoded_name || !decoded_value) return std::nullopt;
    out.emplace_back(std::move(*decoded_name), std::move(*decoded_value));
  }
  return out;
}

}  // namespace pangolin::http
