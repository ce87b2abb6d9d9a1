// STS AssumeRole over HttpClient, and session policies written as JSON text by hand (the policy
// grammar used here is small; a JSON library would be a new dependency for this module).
#include "storage/s3/sts.h"

#include <cstdio>
#include <ctime>
#include <optional>
#include <pugixml.hpp>

#include "common/strings.h"
#include "storage/http_retry.h"
#include "storage/s3/http_url_internal.h"
#include "storage/s3/sigv4.h"

namespace pangolin::storage::s3 {
namespace {

using Clock = std::chrono::system_clock;

// A JSON string literal for `text` (quotes included).
std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

// Writes IAM's wildcard and variable characters as the policy variables that stand for them.
std::string PolicyLiteral(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '$') {
      out += "${";
      out.push_back(c);
      out.push_back('}');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const auto& item : items) quoted.push_back(JsonString(item));
  return "[" + Join(quoted, ",") + "]";
}

// "2026-02-13T12:00:00Z" or with fractional seconds; nullopt when malformed.
std::optional<Clock::time_point> ParseIso8601(const std::string& text) {
  std::tm utc{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &utc.tm_year, &utc.tm_mon,
                  &utc.tm_mday, &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(text).substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {  // fractional seconds
    size_t end = rest.find_first_not_of("0123456789", 1);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (rest != "Z") return std::nullopt;
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return Clock::from_time_t(timegm(&utc));
}

Error StsError(const net::HttpResponse& answer) {
  pugi::xml_document doc;
  std::string code, message;
  if (doc.load_buffer(answer.body.data(), answer.body.size())) {
    pugi::xml_node error = doc.child("ErrorResponse").child("Error");
    code = error.child("Code").text().as_string();
    message = error.child("Message").text().as_string();
  }
  ErrorCode kind = answer.status == 403   ? ErrorCode::kForbidden
                   : answer.status == 400 ? ErrorCode::kInvalidArgument
                                          : ErrorCode::kIo;
  return Error{kind,
               fmt::format("STS AssumeRole failed: HTTP {} {} {}", answer.status, code, message)};
}

Result<TemporaryCredentials> ParseCredentials(const std::string& body) {
  pugi::xml_document doc;
  pugi::xml_node credentials;
  if (!doc.load_buffer(body.data(), body.size()) ||
      !(credentials =
            doc.child("AssumeRoleResponse").child("AssumeRoleResult").child("Credentials"))) {
    return Err(ErrorCode::kIo, "STS AssumeRole answered without credentials");
  }
  TemporaryCredentials out{credentials.child("AccessKeyId").text().as_string(),
                           credentials.child("SecretAccessKey").text().as_string(),
                           credentials.child("SessionToken").text().as_string(),
                           {}};
  auto expiration = ParseIso8601(credentials.child("Expiration").text().as_string());
  if (out.access_key_id.empty() || out.secret_access_key.empty() || !expiration) {
    return Err(ErrorCode::kIo, "STS AssumeRole answered incomplete credentials");
  }
  out.expiration = *expiration;
  return out;
}

}  // namespace

Result<TemporaryCredentials> AssumeRole(net::HttpClient& client, const StsRequest& request) {
  if (request.role_session_name.empty() || request.duration.count() <= 0) {
    return Err(ErrorCode::kInvalidArgument, "AssumeRole needs a session name and a duration");
  }
  std::string url = request.endpoint.empty()
                        ? fmt::format("https://sts.{}.amazonaws.com/", request.region)
                        : request.endpoint;
  ASSIGN_OR_RETURN(HttpUrl parsed, ParseHttpUrl(url));
  if (!parsed.query.empty()) return Err(ErrorCode::kInvalidArgument, "STS endpoint has a query");

  std::vector<std::pair<std::string, std::string>> form = {
      {"Action", "AssumeRole"},
      {"Version", "2011-06-15"},
      {"RoleSessionName", request.role_session_name},
      {"DurationSeconds", std::to_string(request.duration.count())}};
  if (!request.role_arn.empty()) form.emplace_back("RoleArn", request.role_arn);
  if (!request.policy.empty()) form.emplace_back("Policy", request.policy);
  if (!request.external_id.empty()) form.emplace_back("ExternalId", request.external_id);

  SigV4Params params;
  params.credentials = {request.access_key_id, request.secret_access_key, request.session_token};
  params.region = request.region;
  params.service = "sts";
  params.send_content_sha256 = false;
  net::HttpRequest base;
  base.method = "POST";
  base.url = url;
  base.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  base.body = net::FormEncode(form);
  net::HttpRequest probe = base;  // signing fails only on bad input: check it once up front
  RETURN_IF_ERROR(SignHttpRequest(probe, params, Clock::now()));

  auto make = [&]() {
    net::HttpRequest signed_request = base;
    static_cast<void>(SignHttpRequest(signed_request, params, Clock::now()));
    return signed_request;
  };
  ASSIGN_OR_RETURN(net::HttpResponse answer, storage::SendWithRetry(client, make));
  if (answer.status != 200) return tl::unexpected(StsError(answer));
  return ParseCredentials(answer.body);
}

std::string SessionPolicyForPrefix(std::string_view bucket, std::string_view key_prefix,
                                   bool write) {
  while (!key_prefix.empty() && key_prefix.front() == '/') key_prefix.remove_prefix(1);
  while (!key_prefix.empty() && key_prefix.back() == '/') key_prefix.remove_suffix(1);
  const std::string bucket_arn = "arn:aws:s3:::" + PolicyLiteral(bucket);
  const std::string prefix = PolicyLiteral(key_prefix);

  std::vector<std::string> actions = {"s3:GetObject"};
  if (write) {
    actions.insert(actions.end(), {"s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                                   "s3:ListMultipartUploadParts"});
  }
  const std::string objects = prefix.empty() ? bucket_arn + "/*" : bucket_arn + "/" + prefix + "/*";
  std::string list =
      R"({"Effect":"Allow","Action":["s3:ListBucket"],"Resource":)" + JsonList({bucket_arn});
  if (!prefix.empty()) {
    list +=
        R"(,"Condition":{"StringLike":{"s3:prefix":)" + JsonList({prefix, prefix + "/*"}) + "}}";
  }
  list += "}";
  return R"({"Version":"2012-10-17","Statement":[)"
         R"({"Effect":"Allow","Action":)" +
         JsonList(actions) + R"(,"Resource":)" + JsonList({objects}) + "}," + list +
         R"(,{"Effect":"Allow","Action":["s3:GetBucketLocation"],"Resource":)" +
         JsonList({bucket_arn}) + "}]}";
}

}  // namespace pangolin::storage::s3
