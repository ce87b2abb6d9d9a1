// Remote signing of S3 requests for engines: which requests stay inside a table's prefix, and
// their SigV4 signature with the warehouse's keys.
#include <cctype>
#include <chrono>
#include <pugixml.hpp>

#include "common/strings.h"
#include "storage/s3/sigv4.h"
#include "storage/vending/backends_internal.h"
#include "storage/vending/storage_keys_internal.h"

namespace pangolin::storage::vending {
namespace {

struct Url {
  std::string scheme;
  std::string authority;                                   // host[:port], lower-cased
  std::string path;                                        // percent-encoded, starting with '/'
  std::vector<std::pair<std::string, std::string>> query;  // decoded
};

Result<Url> ParseUrl(std::string_view text) {
  Url url;
  size_t scheme = text.find("://");
  if (scheme == std::string_view::npos) {
    return Err(ErrorCode::kBadRequest, "Cannot sign '{}': not an absolute URL", text);
  }
  url.scheme = ToLower(text.substr(0, scheme));
  std::string_view rest = text.substr(scheme + 3);
  size_t end = rest.find_first_of("/?");
  url.authority = ToLower(rest.substr(0, end));
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  size_t question = rest.find('?');
  url.path = std::string(rest.substr(0, question));
  if (url.path.empty()) url.path = "/";
  if (question != std::string_view::npos) {
    for (const auto& pair : Split(rest.substr(question + 1), "&")) {
      if (pair.empty()) continue;
      size_t equals = pair.find('=');
      auto name = PercentDecode(pair.substr(0, equals));
      auto value = PercentDecode(equals == std::string::npos ? "" : pair.substr(equals + 1));
      if (!name || !value) return Err(ErrorCode::kBadRequest, "Cannot sign '{}': bad query", text);
      url.query.emplace_back(*name, *value);
    }
  }
  return url;
}

bool HasQuery(const Url& url, std::string_view name) {
  for (const auto& [key, value] : url.query) {
    if (key == name) return true;
  }
  return false;
}

std::string QueryValue(const Url& url, std::string_view name) {
  for (const auto& [key, value] : url.query) {
    if (key == name) return value;
  }
  return {};
}

// True when `key` is `prefix` itself or below it, taken as a directory, with no dot segments.
bool KeyInside(std::string_view key, std::string_view prefix) {
  for (const auto& segment : Split(key, "/")) {
    if (segment == "." || segment == "..") return false;
  }
  if (prefix.empty()) return true;
  return key == prefix || (key.starts_with(prefix) && key[prefix.size()] == '/');
}

// The keys a DeleteObjects body names. Errors: kBadRequest (not that XML).
Result<std::vector<std::string>> DeletedKeys(std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) {
    return Err(ErrorCode::kBadRequest, "Cannot sign DeleteObjects: the body is not XML");
  }
  std::vector<std::string> keys;
  for (const auto& object : doc.child("Delete").children("Object")) {
    keys.emplace_back(object.child_value("Key"));
  }
  if (keys.empty()) {
    return Err(ErrorCode::kBadRequest, "Cannot sign DeleteObjects: the body names no object");
  }
  return keys;
}

tl::unexpected<Error> Refuse(const RemoteSignRequest& request, std::string_view why) {
  return Err(ErrorCode::kForbidden, "Refusing to sign {} {}: {}", request.method, request.uri, why);
}

}  // namespace

Result<RemoteSignResult> SignS3ForPrefix(const StorageConfig& config, std::string_view prefix,
                                         Access access, const RemoteSignRequest& request,
                                         const Clock& clock) {
  ASSIGN_OR_RETURN(Url url, ParseUrl(request.uri));
  std::string region = Get(config, kS3Region).empty() ? "us-east-1" : Get(config, kS3Region);
  std::string endpoint = Get(config, kS3Endpoint);
  if (endpoint.empty()) endpoint = "https://s3." + region + ".amazonaws.com";
  ASSIGN_OR_RETURN(Url base, ParseUrl(endpoint));
  std::string bucket = Get(config, kS3Bucket);
  // Path style: /bucket/key on the endpoint; virtual-hosted: /key on bucket.<endpoint host>.
  std::string encoded_key;
  if (url.scheme != base.scheme) return Refuse(request, "not the warehouse's endpoint");
  if (url.authority == base.authority) {
    std::string_view path = std::string_view(url.path).substr(1);
    size_t slash = path.find('/');
    if (path.substr(0, slash) != bucket) return Refuse(request, "not the warehouse's bucket");
    encoded_key = slash == std::string_view::npos ? "" : std::string(path.substr(slash + 1));
  } else if (url.authority == bucket + "." + base.authority) {
    encoded_key = url.path.substr(1);
  } else {
    return Refuse(request, "not the warehouse's endpoint or bucket");
  }
  auto key = PercentDecode(encoded_key);
  if (!key) return Err(ErrorCode::kBadRequest, "Cannot sign {}: bad escape", request.uri);
  std::string_view location = prefix.substr(prefix.find("://") + 3);
  std::string key_prefix(location.substr(std::min(location.size(), location.find('/') + 1)));
  while (!key_prefix.empty() && key_prefix.back() == '/') key_prefix.pop_back();

  std::string method = request.method;
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  bool write = false;
  if (key->empty()) {
    // Bucket-level: listings of the prefix, and DeleteObjects of keys inside it.
    if ((method == "GET" || method == "HEAD") && !HasQuery(url, "delete")) {
      if (!KeyInside(QueryValue(url, "prefix"), key_prefix)) {
        return Refuse(request, "the listing reaches outside the table");
      }
    } else if (method == "POST" && HasQuery(url, "delete")) {
      write = true;
      ASSIGN_OR_RETURN(auto keys, DeletedKeys(request.body));
      for (const auto& deleted : keys) {
        if (!KeyInside(deleted, key_prefix)) return Refuse(request, "it deletes outside the table");
      }
    } else {
      return Refuse(request, "not an operation on the table's objects");
    }
  } else {
    if (!KeyInside(*key, key_prefix)) return Refuse(request, "the object is outside the table");
    if (method == "PUT" || method == "DELETE" || method == "POST") {
      write = true;
    } else if (method != "GET" && method != "HEAD") {
      return Refuse(request, "unsupported method");
    }
  }
  if (write && access != Access::kReadWrite) return Refuse(request, "read-only access");

  s3::SigV4Params params;
  params.credentials = {Get(config, kS3AccessKeyId), Get(config, kS3SecretAccessKey),
                        Get(config, kS3SessionToken)};
  params.region = region;
  s3::DescribedRequest described{request.method, request.uri, request.headers, ""};
  auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(clock.NowMs()));
  ASSIGN_OR_RETURN(s3::SignedRequest signed_request,
                   s3::SignDescribedRequest(described, params, now).map_error([](Error e) {
                     return Error{ErrorCode::kBadRequest, e.message};
                   }));
  return RemoteSignResult{signed_request.url, std::move(signed_request.headers)};
}

}  // namespace pangolin::storage::vending
