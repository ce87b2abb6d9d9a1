// Signature Version 4: canonical request, string to sign, signing key, and the two ways of
// carrying the signature (Authorization header, presigned query).
#include "storage/s3/sigv4.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <utility>

#include "common/digest.h"
#include "common/strings.h"
#include "storage/s3/http_url_internal.h"

namespace pangolin::storage::s3 {
namespace {

using Clock = std::chrono::system_clock;
using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Headers an intermediary may add, drop or rewrite: signing them would break the signature.
const std::set<std::string>& UnsignedHeaders() {
  static const std::set<std::string> names = {"authorization",
                                              "connection",
                                              "expect",
                                              "keep-alive",
                                              "proxy-authenticate",
                                              "proxy-authorization",
                                              "te",
                                              "trailer",
                                              "transfer-encoding",
                                              "upgrade",
                                              "user-agent",
                                              "x-amzn-trace-id"};
  return names;
}

// Trims a header value and collapses runs of spaces into one, as the canonical form asks.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  for (char c : Trim(value)) {
    if ((c == ' ' || c == '\t') && !out.empty() && out.back() == ' ') continue;
    out.push_back(c == '\t' ? ' ' : c);
  }
  return out;
}

// The canonical URI: each segment decoded and encoded once more (S3), or twice (other services).
Result<std::string> CanonicalUri(std::string_view raw_path, bool double_encode) {
  std::vector<std::string> segments = Split(raw_path, "/");
  for (auto& segment : segments) {
    auto decoded = PercentDecode(segment);
    if (!decoded) return Err(ErrorCode::kInvalidArgument, "Malformed escape in URL path");
    segment = UriEncode(*decoded, false);
    if (double_encode) segment = UriEncode(segment, false);
  }
  std::string uri = Join(segments, "/");
  return uri.empty() ? "/" : uri;
}

// The query's pairs, decoded and encoded again in canonical form (a name without '=' has an
// empty value).
Result<QueryPairs> CanonicalQueryPairs(std::string_view raw_query) {
  QueryPairs pairs;
  for (const std::string& part : Split(raw_query, "&")) {
    if (part.empty()) continue;
    size_t equals = part.find('=');
    auto name = PercentDecode(std::string_view(part).substr(0, equals));
    auto value =
        PercentDecode(equals == std::string::npos ? std::string_view()
                                                  : std::string_view(part).substr(equals + 1));
    if (!name || !value) return Err(ErrorCode::kInvalidArgument, "Malformed escape in URL query");
    pairs.emplace_back(UriEncode(*name, false), UriEncode(*value, false));
  }
  return pairs;
}

std::string JoinQuery(QueryPairs pairs) {
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

std::string DateStamp(const std::string& amz_date) { return amz_date.substr(0, 8); }

std::string Scope(const SigV4Params& params, const std::string& amz_date) {
  return fmt::format("{}/{}/{}/{}", DateStamp(amz_date), params.region, params.service,
                     params.dialect.terminator);
}

std::string SigningKey(const SigV4Params& params, const std::string& amz_date) {
  std::string key = HmacSha256(params.dialect.key_prefix + params.credentials.secret_access_key,
                               DateStamp(amz_date));
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  return HmacSha256(key, params.dialect.terminator);
}

// The parts of a signature computed from a canonical request.
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string hex;
};

Result<Signature> Compute(const SigV4Params& params, const std::string& amz_date,
                          std::string canonical_request, const StringSigner& sign = {}) {
  Signature out;
  out.string_to_sign = fmt::format("{}\n{}\n{}\n{}", params.dialect.algorithm, amz_date,
                                   Scope(params, amz_date), Sha256Hex(canonical_request));
  if (sign) {
    ASSIGN_OR_RETURN(out.hex, sign(out.string_to_sign));
  } else {
    out.hex = HexEncode(HmacSha256(SigningKey(params, amz_date), out.string_to_sign));
  }
  out.canonical_request = std::move(canonical_request);
  return out;
}

Status CheckParams(std::string_view method, const SigV4Params& params, bool needs_secret = true) {
  if (method.empty()) return Err(ErrorCode::kInvalidArgument, "No HTTP method to sign");
  if (params.credentials.access_key_id.empty() ||
      (needs_secret && params.credentials.secret_access_key.empty())) {
    return Err(ErrorCode::kInvalidArgument, "Signing credentials are missing");
  }
  if (params.region.empty() || params.service.empty()) {
    return Err(ErrorCode::kInvalidArgument, "Signing region or service is missing");
  }
  return Ok();
}

// Lower-cased names, the values of names that differ only in case merged in order.
HeaderValues LowerCaseNames(const HeaderValues& headers) {
  HeaderValues out;
  for (const auto& [name, values] : headers) {
    auto& merged = out[ToLower(Trim(name))];
    merged.insert(merged.end(), values.begin(), values.end());
  }
  return out;
}

// "name:value\n" lines of the signed headers and their ';'-joined names.
std::pair<std::string, std::string> CanonicalHeaders(const HeaderValues& headers) {
  std::string lines, names;
  for (const auto& [name, values] : headers) {
    if (UnsignedHeaders().count(name) != 0) continue;
    std::vector<std::string> canonical;
    for (const auto& value : values) canonical.push_back(CanonicalHeaderValue(value));
    lines += name + ":" + Join(canonical, ",") + "\n";
    if (!names.empty()) names.push_back(';');
    names += name;
  }
  return {lines, names};
}

}  // namespace

SigV4Dialect AwsDialect() { return SigV4Dialect{}; }

SigV4Dialect GoogDialect() {
  return SigV4Dialect{"GOOG4-HMAC-SHA256", "GOOG4", "goog4_request", "x-goog", "X-Goog"};
}

std::string AmzDate(Clock::time_point now) {
  std::time_t seconds = Clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[17];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

Result<SignedRequest> SignDescribedRequest(const DescribedRequest& request,
                                           const SigV4Params& params, Clock::time_point now) {
  RETURN_IF_ERROR(CheckParams(request.method, params));
  ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(request.url));
  ASSIGN_OR_RETURN(std::string uri, CanonicalUri(url.path, params.double_encode_path));
  ASSIGN_OR_RETURN(QueryPairs query, CanonicalQueryPairs(url.query));

  const std::string& prefix = params.dialect.header_prefix;
  const std::string amz_date = AmzDate(now);
  HeaderValues headers = LowerCaseNames(request.headers);
  std::string payload_hash = request.payload_hash;
  if (auto given = headers.find(prefix + "-content-sha256");
      payload_hash.empty() && given != headers.end() && !given->second.empty()) {
    payload_hash = CanonicalHeaderValue(given->second.front());
  }
  if (payload_hash.empty()) payload_hash = kUnsignedPayload;
  headers.erase("authorization");
  headers.erase(prefix + "-security-token");
  if (headers.find("host") == headers.end()) headers["host"] = {url.host};
  headers[prefix + "-date"] = {amz_date};
  if (params.send_content_sha256) headers[prefix + "-content-sha256"] = {payload_hash};
  if (!params.credentials.session_token.empty()) {
    headers[prefix + "-security-token"] = {params.credentials.session_token};
  }

  auto [header_lines, signed_names] = CanonicalHeaders(headers);
  std::string canonical =
      fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, uri, JoinQuery(std::move(query)),
                  header_lines, signed_names, payload_hash);
  ASSIGN_OR_RETURN(Signature signature, Compute(params, amz_date, std::move(canonical)));
  headers["authorization"] = {fmt::format(
      "{} Credential={}/{}, SignedHeaders={}, Signature={}", params.dialect.algorithm,
      params.credentials.access_key_id, Scope(params, amz_date), signed_names, signature.hex)};
  return SignedRequest{request.url, std::move(headers), std::move(signature.canonical_request),
                       std::move(signature.string_to_sign), std::move(signature.hex)};
}

Status SignHttpRequest(net::HttpRequest& request, const SigV4Params& params, Clock::time_point now,
                       std::string_view payload_hash) {
  DescribedRequest described{request.method, request.url, {}, std::string(payload_hash)};
  if (described.payload_hash.empty()) described.payload_hash = Sha256Hex(request.body);
  for (const auto& [name, value] : request.headers) described.headers[name].push_back(value);
  ASSIGN_OR_RETURN(SignedRequest signed_request, SignDescribedRequest(described, params, now));
  request.headers.clear();
  for (const auto& [name, values] : signed_request.headers) {
    for (const auto& value : values) request.headers.emplace_back(name, value);
  }
  return Ok();
}

Result<std::string> PresignUrl(const DescribedRequest& request, const SigV4Params& params,
                               Clock::time_point now, std::chrono::seconds expires,
                               const StringSigner& sign) {
  RETURN_IF_ERROR(CheckParams(request.method, params, !sign));
  if (expires.count() < 1 || expires.count() > 7 * 24 * 3600) {
    return Err(ErrorCode::kInvalidArgument, "A presigned URL lives from 1 second to 7 days");
  }
  ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(request.url));
  ASSIGN_OR_RETURN(std::string uri, CanonicalUri(url.path, params.double_encode_path));
  ASSIGN_OR_RETURN(QueryPairs query, CanonicalQueryPairs(url.query));

  HeaderValues headers = LowerCaseNames(request.headers);
  headers.erase("authorization");
  if (headers.find("host") == headers.end()) headers["host"] = {url.host};
  std::string payload_hash = request.payload_hash;
  if (auto given = headers.find(params.dialect.header_prefix + "-content-sha256");
      payload_hash.empty() && given != headers.end() && !given->second.empty()) {
    payload_hash = CanonicalHeaderValue(given->second.front());
  }
  if (payload_hash.empty()) payload_hash = kUnsignedPayload;
  auto [header_lines, signed_names] = CanonicalHeaders(headers);

  const std::string amz_date = AmzDate(now);
  const std::string& prefix = params.dialect.query_prefix;
  auto add = [&query](std::string name, std::string_view value) {
    query.emplace_back(std::move(name), UriEncode(value, false));
  };
  add(prefix + "-Algorithm", params.dialect.algorithm);
  add(prefix + "-Credential", params.credentials.access_key_id + "/" + Scope(params, amz_date));
  add(prefix + "-Date", amz_date);
  add(prefix + "-Expires", std::to_string(expires.count()));
  add(prefix + "-SignedHeaders", signed_names);
  if (!params.credentials.session_token.empty()) {
    add(prefix + "-Security-Token", params.credentials.session_token);
  }
  std::string canonical_query = JoinQuery(std::move(query));
  std::string canonical = fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, uri,
                                      canonical_query, header_lines, signed_names, payload_hash);
  ASSIGN_OR_RETURN(Signature signature, Compute(params, amz_date, std::move(canonical), sign));
  return fmt::format("{}://{}{}?{}&{}-Signature={}", url.scheme, url.host, url.path,
                     canonical_query, prefix, signature.hex);
}

}  // namespace pangolin::storage::s3
