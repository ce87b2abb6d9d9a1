// Plain HTTP request and response values: what handlers see instead of Beast types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  std::string body;

  static Response Json(int status, std::string body);
  static Response NoContent();
};

// Parses "a=1&b=x%20y" into decoded pairs; nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

}  // namespace pangolin::http
