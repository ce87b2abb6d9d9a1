// GcsFileIO: FileIO over the GCS JSON API (storage/v1). Objects appear atomically: a media upload
// is one request, and ifGenerationMatch=0 makes GCS refuse it when the name is taken.
#include "storage/gcs/gcs_file_io.h"

#include <algorithm>
#include <chrono>

#include "common/strings.h"
#include "serde/gcs.h"
#include "storage/gcs/gcs_location_internal.h"
#include "storage/gcs/oauth_internal.h"
#include "storage/gcs/service_account.h"
#include "storage/gcs/token_source.h"
#include "storage/http_retry.h"

namespace pangolin::storage {
namespace {

using gcs_internal::GcsLocation;

constexpr std::string_view kDefaultEndpoint = "https://storage.googleapis.com";
constexpr size_t kMaxReadBytes = size_t{256} << 20;
constexpr std::chrono::milliseconds kDataTimeout{300'000};
constexpr std::chrono::milliseconds kMetadataTimeout{30'000};

// The error for an answer GCS gave to `what` (e.g. "read gs://b/o").
tl::unexpected<Error> Failure(const net::HttpResponse& answer, std::string_view what) {
  std::string reason = gcs_internal::DescribeFailure(answer);
  if (answer.status == 401 || answer.status == 403) {
    return Err(ErrorCode::kForbidden, "GCS refused to {} (HTTP {}): {}", what, answer.status,
               reason);
  }
  return Err(ErrorCode::kIo, "GCS failed to {} (HTTP {}): {}", what, answer.status, reason);
}

class GcsFileIO final : public FileIO {
 public:
  GcsFileIO(std::string endpoint, std::unique_ptr<gcs::AccessTokenSource> tokens,
            std::shared_ptr<net::HttpClient> client, int page_size)
      : endpoint_(std::move(endpoint)),
        tokens_(std::move(tokens)),
        client_(std::move(client)),
        page_size_(page_size) {}

  Result<std::string> Read(std::string_view location) override {
    ASSIGN_OR_RETURN(GcsLocation loc, gcs_internal::ParseObjectLocation(location));
    net::HttpRequest request;
    request.url = gcs_internal::ObjectUrl(endpoint_, loc) + "?alt=media";
    request.timeout = kDataTimeout;
    request.max_response_bytes = kMaxReadBytes;
    ASSIGN_OR_RETURN(net::HttpResponse answer, Call(std::move(request), "read", location));
    if (answer.status == 200) return std::move(answer.body);
    if (answer.status == 404) return Err(ErrorCode::kNotFound, "No object at {}", location);
    return Failure(answer, "read " + std::string(location));
  }

  Result<bool> Exists(std::string_view location) override {
    ASSIGN_OR_RETURN(GcsLocation loc, gcs_internal::ParseObjectLocation(location));
    net::HttpRequest request;
    request.url = gcs_internal::ObjectUrl(endpoint_, loc) + "?fields=name";
    ASSIGN_OR_RETURN(net::HttpResponse answer, Call(std::move(request), "stat", location));
    if (answer.status == 200) return true;
    if (answer.status == 404) return false;
    return Failure(answer, "stat " + std::string(location));
  }

  Status WriteNew(std::string_view location, std::string_view data) override {
    ASSIGN_OR_RETURN(GcsLocation loc, gcs_internal::ParseObjectLocation(location));
    net::HttpRequest request;
    request.method = "POST";
    request.url = gcs_internal::UploadUrl(endpoint_, loc.bucket) +
                  "?uploadType=media&ifGenerationMatch=0&name=" + PercentEncode(loc.object);
    request.headers = {{"Content-Type", "application/octet-stream"}};
    request.body = std::string(data);
    request.timeout = kDataTimeout;
    int attempts = 0;
    ASSIGN_OR_RETURN(net::HttpResponse answer,
                     Call(std::move(request), "write", location, &attempts));
    if (answer.status == 200) return Ok();
    if (answer.status != 412) return Failure(answer, "write " + std::string(location));
    if (attempts > 1) return CheckOwnWrite(location, data);
    return Err(ErrorCode::kAlreadyExists, "Location already exists: {}", location);
  }

  Status Delete(std::string_view location) override {
    ASSIGN_OR_RETURN(GcsLocation loc, gcs_internal::ParseObjectLocation(location));
    net::HttpRequest request;
    request.method = "DELETE";
    request.url = gcs_internal::ObjectUrl(endpoint_, loc);
    ASSIGN_OR_RETURN(net::HttpResponse answer, Call(std::move(request), "delete", location));
    if (answer.status == 200 || answer.status == 204 || answer.status == 404) return Ok();
    return Failure(answer, "delete " + std::string(location));
  }

  Result<std::vector<FileInfo>> List(std::string_view prefix) override {
    ASSIGN_OR_RETURN(GcsLocation loc, gcs_internal::ParsePrefixLocation(prefix));
    std::vector<FileInfo> files;
    std::string page_token;
    do {
      ASSIGN_OR_RETURN(serde::GcsObjectPage page, ListPage(loc, page_token, prefix));
      for (serde::GcsObject& object : page.items) {
        files.push_back(FileInfo{loc.Location(object.name), object.size});
      }
      page_token = std::move(page.next_page_token);
    } while (!page_token.empty());
    std::sort(files.begin(), files.end(),
              [](const FileInfo& a, const FileInfo& b) { return a.location < b.location; });
    return files;
  }

  Status DeletePrefix(std::string_view prefix) override {
    ASSIGN_OR_RETURN(GcsLocation loc, gcs_internal::ParsePrefixLocation(prefix));
    if (loc.object.empty()) {
      return Err(ErrorCode::kInvalidArgument, "Refusing to delete a whole bucket: {}", prefix);
    }
    const std::string directory = EndsWith(loc.object, "/") ? loc.object : loc.object + "/";
    ASSIGN_OR_RETURN(std::vector<FileInfo> files, List(loc.Location(directory)));
    for (const FileInfo& file : files) RETURN_IF_ERROR(Delete(file.location));
    return Ok();
  }

  bool Handles(std::string_view location) const override {
    return gcs_internal::IsGcsLocation(location);
  }

 private:
  // Sends `request` with the current token, retrying as http_retry.h says; `attempts` (when
  // given) counts the requests sent. A lost connection becomes kIo.
  Result<net::HttpResponse> Call(net::HttpRequest request, std::string_view what,
                                 std::string_view location, int* attempts = nullptr) {
    if (tokens_) {
      auto token = tokens_->Token();
      if (!token) {
        const ErrorCode code =
            token.error().code == ErrorCode::kForbidden ? ErrorCode::kForbidden : ErrorCode::kIo;
        return Err(code, "No GCS access token to {} {}: {}", what, location, token.error().message);
      }
      request.headers.emplace_back("Authorization", "Bearer " + token->value);
    }
    auto answer = SendWithRetry(*client_, [&] {
      if (attempts != nullptr) ++*attempts;
      return request;
    });
    if (!answer) {
      std::string_view reason = answer.error().code == ErrorCode::kPayloadTooLarge
                                    ? "the object is larger than 256 MiB"
                                    : std::string_view(answer.error().message);
      return Err(ErrorCode::kIo, "GCS failed to {} {}: {}", what, location, reason);
    }
    return answer;
  }

  Result<serde::GcsObjectPage> ListPage(const GcsLocation& loc, const std::string& page_token,
                                        std::string_view prefix) {
    net::HttpRequest request;
    request.url = gcs_internal::ObjectsUrl(endpoint_, loc.bucket) +
                  "?prefix=" + PercentEncode(loc.object) +
                  "&maxResults=" + std::to_string(page_size_) +
                  "&fields=" + PercentEncode("nextPageToken,items(name,size)");
    if (!page_token.empty()) request.url += "&pageToken=" + PercentEncode(page_token);
    request.timeout = kMetadataTimeout;
    request.max_response_bytes = size_t{64} << 20;
    ASSIGN_OR_RETURN(net::HttpResponse answer, Call(std::move(request), "list", prefix));
    if (answer.status != 200) return Failure(answer, "list " + std::string(prefix));
    auto page = serde::ParseGcsObjectPage(answer.body);
    if (!page) {
      return Err(ErrorCode::kIo, "GCS listing of {} is malformed: {}", prefix,
                 page.error().message);
    }
    return page;
  }

  // After a retried upload answered 412: the first attempt may have landed. The object is ours
  // when it holds exactly `data` (names Pangolin writes are unique, so equal content means the
  // same writer); otherwise the name was taken.
  Status CheckOwnWrite(std::string_view location, std::string_view data) {
    auto stored = Read(location);
    if (!stored) {
      return Err(ErrorCode::kIo, "GCS write of {} has an unknown outcome: {}", location,
                 stored.error().message);
    }
    if (*stored == data) return Ok();
    return Err(ErrorCode::kAlreadyExists, "Location already exists: {}", location);
  }

  const std::string endpoint_;
  const std::unique_ptr<gcs::AccessTokenSource> tokens_;  // null: anonymous
  const std::shared_ptr<net::HttpClient> client_;
  const int page_size_;
};

Result<std::string> NormalizeEndpoint(std::string endpoint) {
  if (endpoint.empty()) return std::string(kDefaultEndpoint);
  while (EndsWith(endpoint, "/")) endpoint.pop_back();
  if (!StartsWith(endpoint, "http://") && !StartsWith(endpoint, "https://")) {
    return Err(ErrorCode::kInvalidArgument, "GCS endpoint must be an http(s) URL: '{}'", endpoint);
  }
  return endpoint;
}

// The token source the configuration asks for; null for anonymous access.
Result<std::unique_ptr<gcs::AccessTokenSource>> MakeTokenSource(
    const GcsConfig& config, const std::shared_ptr<net::HttpClient>& client) {
  const int given = int{!config.service_account_json.empty()} + int{!config.access_token.empty()} +
                    int{config.anonymous};
  if (given != 1) {
    return Err(ErrorCode::kInvalidArgument,
               "GCS needs exactly one of a service account key, an access token or anonymous "
               "access ({} given)",
               given);
  }
  if (config.anonymous) return std::unique_ptr<gcs::AccessTokenSource>();
  if (!config.access_token.empty()) return gcs::MakeStaticTokenSource(config.access_token);
  ASSIGN_OR_RETURN(gcs::ServiceAccount account,
                   gcs::ServiceAccount::FromJson(config.service_account_json));
  return gcs::MakeServiceAccountTokenSource(std::move(account), std::string(gcs::kScopeReadWrite),
                                            client);
}

}  // namespace

Result<std::unique_ptr<FileIO>> MakeGcsFileIO(GcsConfig config,
                                              std::shared_ptr<net::HttpClient> client) {
  if (!client) return Err(ErrorCode::kInvalidArgument, "GCS FileIO needs an HTTP client");
  if (config.list_page_size < 1 || config.list_page_size > 1000) {
    return Err(ErrorCode::kInvalidArgument, "GCS list page size must be 1..1000, not {}",
               config.list_page_size);
  }
  ASSIGN_OR_RETURN(std::string endpoint, NormalizeEndpoint(std::move(config.endpoint)));
  ASSIGN_OR_RETURN(auto tokens, MakeTokenSource(config, client));
  return std::unique_ptr<FileIO>(std::make_unique<GcsFileIO>(
      std::move(endpoint), std::move(tokens), std::move(client), config.list_page_size));
}

}  // namespace pangolin::storage
