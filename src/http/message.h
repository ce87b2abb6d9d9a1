// Plain HTTP request and response values: what handlers see instead of Beast types.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pangolin {
class LazyDeflatePiece;
class MemoryFile;
}  // namespace pangolin

namespace pangolin::http {

struct Request {
  std::string method;  // upper case: GET, POST, ...
  std::string path;    // raw (still percent-encoded) path, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;

  // The first header named `name` (lower case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The first query parameter named `name`, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // The body is `body`, then the bytes of `shared_body` (immutable text shared with a cache, such
  // as a table's serialized metadata, sent without being copied), then `body_tail`.
  std::string body;
  std::shared_ptr<const std::string> shared_body;
  // When set, the bytes of `shared_body` in a file, which the server sends with sendfile.
  std::shared_ptr<const MemoryFile> shared_file;
  // When set, keeps the gzip piece of `shared_body`: a 200 answer then goes out compressed to
  // clients that accept gzip, once the piece is worth making (LazyDeflatePiece).
  std::shared_ptr<const LazyDeflatePiece> shared_deflate;
  std::string body_tail;

  size_t BodySize() const;
  // The whole body as one string (a copy when part of it is shared).
  std::string JoinedBody() const;

  static Response Json(int status, std::string body);
  // `head` + `*shared` + `tail` as a JSON answer, the shared part sent without a copy.
  static Response Json(int status, std::string head, std::shared_ptr<const std::string> shared,
                       std::string tail);
  static Response NoContent();
};

// Whether an Accept-Encoding field value accepts gzip (RFC 9110 12.5.3): named, as gzip or
// x-gzip, or through "*", with a q-value above 0.
bool AcceptsGzip(std::string_view accept_encoding);

// Parses "a=1&b=x%20y" into decoded pairs; nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

}  // namespace pangolin::http
