// HttpClient over libcurl's easy interface. Each Send uses a fresh easy handle, so concurrent
// calls share nothing but libcurl's global state; redirects are never followed, only http(s) is
// spoken, and answers are bounded while they arrive rather than after.
#include "net/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "common/strings.h"

namespace pangolin::net {
namespace {

constexpr size_t kMaxHeaderBytes = size_t{256} * 1024;  // all header lines of one answer together

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct UrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Url = std::unique_ptr<CURLU, UrlDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// What libcurl's callbacks fill in during one exchange.
struct Exchange {
  HttpResponse response;
  size_t max_body_bytes = 0;
  size_t header_bytes = 0;
  bool too_large = false;
};

// libcurl's global state is set up once per process, by whichever thread gets here first (a
// function-local static is initialized exactly once, thread-safely).
Status GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    return Err(ErrorCode::kInternal, "libcurl initialization failed: {}", curl_easy_strerror(code));
  }
  return Ok();
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  if (bytes > exchange->max_body_bytes - exchange->response.body.size()) {
    exchange->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  exchange->response.body.append(data, bytes);
  return bytes;
}

// Called once per header line. A status line starts a new block (after a 1xx answer or a proxy's
// CONNECT answer), so only the final answer's headers are kept; folded lines join the previous
// header.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  exchange->header_bytes += bytes;
  if (exchange->header_bytes > kMaxHeaderBytes) {
    exchange->too_large = true;
    return 0;
  }
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  auto& headers = exchange->response.headers;
  if (StartsWith(line, "HTTP/")) {
    headers.clear();
  } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    if (!headers.empty()) headers.back().second.append(" ").append(Trim(line));
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers.emplace_back(ToLower(Trim(line.substr(0, colon))),
                         std::string(Trim(line.substr(colon + 1))));
  }
  return bytes;
}

std::string UrlPart(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK) return "";
  CurlString owned(raw);
  return owned ? std::string(owned.get()) : "";
}

// Parses the URL once and hands the parsed form to libcurl, so the scheme checked here is the
// scheme used. Schemes libcurl does not know parse too, to be refused with a clear message.
Result<Url> ParseUrl(const std::string& text) {
  if (text.find('\0') != std::string::npos) return Err(ErrorCode::kBadRequest, "Malformed URL");
  Url url(curl_url());
  if (!url) return Err(ErrorCode::kInternal, "Out of memory");
  CURLUcode code = curl_url_set(url.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (code != CURLUE_OK) {
    return Err(ErrorCode::kBadRequest, "Malformed URL: {}", curl_url_strerror(code));
  }
  std::string scheme = UrlPart(url.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") {
    return Err(ErrorCode::kBadRequest, "Unsupported URL scheme '{}': only http and https", scheme);
  }
  if (UrlPart(url.get(), CURLUPART_HOST).empty()) {
    return Err(ErrorCode::kBadRequest, "Malformed URL: no host");
  }
  return url;
}

bool ValidHeader(std::string_view name, std::string_view value) {
  auto bad_in_name = [](char c) { return c <= ' ' || c == ':' || c == 0x7F; };
  auto bad_in_value = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad_in_name) &&
         std::none_of(value.begin(), value.end(), bad_in_value);
}

Status Append(Slist& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (!head) return Err(ErrorCode::kInternal, "Out of memory");
  if (!list) list.reset(head);  // appending to a non-empty list returns its unchanged head
  return Ok();
}

Result<Slist> BuildHeaders(const HttpRequest& request) {
  Slist list;
  bool has_expect = false;
  for (const auto& [name, value] : request.headers) {
    // Header values are not echoed: they may carry credentials.
    if (!ValidHeader(name, value)) return Err(ErrorCode::kBadRequest, "Invalid request header");
    has_expect = has_expect || ToLower(name) == "expect";
    // "Name;" is libcurl's spelling of a header sent with an empty value.
    RETURN_IF_ERROR(Append(list, value.empty() ? name + ";" : fmt::format("{}: {}", name, value)));
  }
  // No "Expect: 100-continue" unless asked for: it costs a round trip, or a one-second wait on
  // servers that ignore it.
  if (!has_expect) {
    RETURN_IF_ERROR(Append(list, "Expect:"));
  }
  return list;
}

// Applies options in order, keeping the first failure.
class Options {
 public:
  explicit Options(CURL* easy) : easy_(easy) {}
  template <typename T>
  Options& Set(CURLoption option, T value) {
    if (code_ == CURLE_OK) code_ = curl_easy_setopt(easy_, option, value);
    return *this;
  }
  Status status() const {
    if (code_ == CURLE_OK) return Ok();
    return Err(ErrorCode::kInternal, "libcurl option refused: {}", curl_easy_strerror(code_));
  }

 private:
  CURL* easy_;
  CURLcode code_ = CURLE_OK;
};

Status SetMethod(Options& options, const HttpRequest& request) {
  const std::string& method = request.method;
  if (method == "HEAD") {
    if (!request.body.empty()) return Err(ErrorCode::kBadRequest, "A HEAD request has no body");
    return options.Set(CURLOPT_NOBODY, 1L).status();
  }
  if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE") {
    return Err(ErrorCode::kBadRequest, "Unsupported HTTP method '{}'", method);
  }
  if (method == "GET" && request.body.empty()) return options.Set(CURLOPT_HTTPGET, 1L).status();
  // POST and PUT always carry a body (an empty one is sent as Content-Length: 0).
  if (!request.body.empty() || method == "POST" || method == "PUT") {
    options.Set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()))
        .Set(CURLOPT_POSTFIELDS, request.body.data());
  }
  if (method != "POST") options.Set(CURLOPT_CUSTOMREQUEST, method.c_str());
  return options.status();
}

Status Configure(CURL* easy, const HttpRequest& request, CURLU* url, curl_slist* headers,
                 Exchange& exchange, char* error_buffer) {
  Options options(easy);
  // libcurl reads 0 as "no timeout": the shortest timeout it can express is 1 ms.
  const long timeout_ms = static_cast<long>(std::max<int64_t>(request.timeout.count(), 1));
  options.Set(CURLOPT_CURLU, url)
      .Set(CURLOPT_PROTOCOLS_STR, "http,https")
      .Set(CURLOPT_FOLLOWLOCATION, 0L)
      .Set(CURLOPT_NOSIGNAL, 1L)
      .Set(CURLOPT_TIMEOUT_MS, timeout_ms)
      .Set(CURLOPT_SSL_VERIFYPEER, 1L)
      .Set(CURLOPT_SSL_VERIFYHOST, 2L)
      .Set(CURLOPT_ERRORBUFFER, error_buffer)
      .Set(CURLOPT_HTTPHEADER, headers)
      .Set(CURLOPT_WRITEFUNCTION, &OnBody)
      .Set(CURLOPT_WRITEDATA, static_cast<void*>(&exchange))
      .Set(CURLOPT_HEADERFUNCTION, &OnHeader)
      .Set(CURLOPT_HEADERDATA, static_cast<void*>(&exchange));
  // Refuses an announced oversized body before it arrives (a HEAD answer announces a size it
  // does not send, and 0 would mean "unlimited").
  if (request.method != "HEAD" && request.max_response_bytes > 0) {
    const auto limit = std::min<uint64_t>(request.max_response_bytes, INT64_MAX);
    options.Set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limit));
  }
  RETURN_IF_ERROR(options.status());
  return SetMethod(options, request);
}

tl::unexpected<Error> PerformError(CURLcode code, const Exchange& exchange, const char* detail,
                                   const HttpRequest& request, const std::string& host) {
  const std::string text = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (exchange.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Err(ErrorCode::kPayloadTooLarge, "The answer of {} exceeds {} bytes", host,
               request.max_response_bytes);
  }
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Err(ErrorCode::kBadRequest, "Invalid URL: {}", text);
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return Err(ErrorCode::kInternal, "HTTP request to {} failed: {}", host, text);
    default:
      return Err(ErrorCode::kUnavailable, "HTTP request to {} failed: {}", host, text);
  }
}

class CurlHttpClient final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request) override {
    ASSIGN_OR_RETURN(Url url, ParseUrl(request.url));
    ASSIGN_OR_RETURN(Slist headers, BuildHeaders(request));
    Easy easy(curl_easy_init());
    if (!easy) return Err(ErrorCode::kInternal, "libcurl handle creation failed");
    Exchange exchange;
    exchange.max_body_bytes = request.max_response_bytes;
    std::array<char, CURL_ERROR_SIZE> error{};
    RETURN_IF_ERROR(
        Configure(easy.get(), request, url.get(), headers.get(), exchange, error.data()));
    CURLcode code = curl_easy_perform(easy.get());
    if (code != CURLE_OK) {
      return PerformError(code, exchange, error.data(), request,
                          UrlPart(url.get(), CURLUPART_HOST));
    }
    long status = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);
    return std::move(exchange.response);
  }
};

}  // namespace

Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient() {
  RETURN_IF_ERROR(GlobalInit());
  return std::make_unique<CurlHttpClient>();
}

}  // namespace pangolin::net
