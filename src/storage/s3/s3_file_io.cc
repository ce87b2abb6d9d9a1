// S3FileIO: each FileIO call is one or a few S3 REST requests (GetObject, HeadObject, conditional
// PutObject, DeleteObject, ListObjectsV2, DeleteObjects), each signed afresh per attempt. The
// GCS XML flavor differs in its scheme, signature dialect, write precondition and deletes.
#include "storage/s3/s3_file_io.h"

#include <chrono>
#include <utility>

#include "common/digest.h"
#include "common/strings.h"
#include "storage/http_retry.h"
#include "storage/s3/http_url_internal.h"
#include "storage/s3/s3_location_internal.h"
#include "storage/s3/s3_xml_internal.h"
#include "storage/s3/sigv4.h"

namespace pangolin::storage {
namespace {

using namespace s3;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr size_t kMaxObjectBytes = size_t{256} << 20;
constexpr size_t kMaxListBytes = size_t{16} << 20;
constexpr std::chrono::milliseconds kCallTimeout{30'000};
constexpr std::chrono::milliseconds kTransferTimeout{600'000};
constexpr size_t kDeleteBatch = 1000;  // DeleteObjects' limit

struct Call {
  std::string method;
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout = kCallTimeout;
  size_t max_response_bytes = 4u << 20;
};

// A call without headers or body.
Call Bare(std::string method, std::string url) {
  return Call{std::move(method), std::move(url), {}, {}, kCallTimeout, 4u << 20};
}

std::string_view ServiceName(S3Flavor flavor) { return flavor == S3Flavor::kGcsXml ? "GCS" : "S3"; }

// The error for an answer the service refused: kForbidden for 403, kNotFound for 404, kIo
// otherwise, with the service's own code and message.
Error AnswerError(const net::HttpResponse& answer, S3Flavor flavor, std::string_view what,
                  std::string_view location) {
  S3ErrorBody body = ParseErrorBody(answer.body);
  std::string detail = body.code.empty() ? "" : fmt::format(": {} {}", body.code, body.message);
  ErrorCode code = answer.status == 403   ? ErrorCode::kForbidden
                   : answer.status == 404 ? ErrorCode::kNotFound
                                          : ErrorCode::kIo;
  return Error{code, fmt::format("{} {} {} failed: HTTP {}{}", ServiceName(flavor), what, location,
                                 answer.status, detail)};
}

class S3FileIO final : public FileIO {
 public:
  S3FileIO(S3Flavor flavor, S3Endpoint endpoint, SigV4Params params,
           std::shared_ptr<net::HttpClient> client)
      : flavor_(flavor),
        endpoint_(std::move(endpoint)),
        params_(std::move(params)),
        client_(std::move(client)) {}

  Result<std::string> Read(std::string_view location) override {
    ASSIGN_OR_RETURN(S3Location loc, Parse(location, true));
    Call call{"GET",          ObjectUrl(endpoint_, loc.bucket, loc.key), {}, {}, kTransferTimeout,
              kMaxObjectBytes};
    auto answer = Send(call);
    if (!answer && answer.error().code == ErrorCode::kPayloadTooLarge) {
      return Err(ErrorCode::kIo, "{} object {} is larger than {} bytes", ServiceName(flavor_),
                 location, kMaxObjectBytes);
    }
    RETURN_IF_ERROR(answer);
    if (answer->status != 200)
      return tl::unexpected(AnswerError(*answer, flavor_, "read", location));
    return std::move(answer->body);
  }

  Result<bool> Exists(std::string_view location) override {
    ASSIGN_OR_RETURN(S3Location loc, Parse(location, true));
    ASSIGN_OR_RETURN(net::HttpResponse answer,
                     Send(Bare("HEAD", ObjectUrl(endpoint_, loc.bucket, loc.key))));
    if (answer.status == 200) return true;
    if (answer.status == 404) return false;
    return tl::unexpected(AnswerError(answer, flavor_, "exists", location));
  }

  Status WriteNew(std::string_view location, std::string_view data) override {
    ASSIGN_OR_RETURN(S3Location loc, Parse(location, true));
    Call call{"PUT",
              ObjectUrl(endpoint_, loc.bucket, loc.key),
              {{"Content-Type", "application/octet-stream"}, CreateOnlyHeader()},
              std::string(data),
              kTransferTimeout,
              4u << 20};
    int attempts = 0;
    ASSIGN_OR_RETURN(net::HttpResponse answer, Send(call, &attempts));
    if (answer.status == 200) return Ok();
    if (answer.status == 412 || answer.status == 409) {
      // After a lost answer, the object found may be our own first attempt.
      if (attempts > 1 && Read(location) == std::string(data)) return Ok();
      return Err(ErrorCode::kAlreadyExists, "Location already exists: {}", location);
    }
    return tl::unexpected(AnswerError(answer, flavor_, "write", location));
  }

  Status Delete(std::string_view location) override {
    ASSIGN_OR_RETURN(S3Location loc, Parse(location, true));
    ASSIGN_OR_RETURN(net::HttpResponse answer,
                     Send(Bare("DELETE", ObjectUrl(endpoint_, loc.bucket, loc.key))));
    if (answer.status == 200 || answer.status == 204 || answer.status == 404) return Ok();
    return tl::unexpected(AnswerError(answer, flavor_, "delete", location));
  }

  Result<std::vector<FileInfo>> List(std::string_view prefix) override {
    ASSIGN_OR_RETURN(S3Location loc, Parse(prefix, false));
    std::vector<FileInfo> files;
    RETURN_IF_ERROR(ForEachPage(loc, loc.key, prefix, [&](const ListPage& page) -> Status {
      for (const auto& object : page.objects) {
        files.push_back(FileInfo{loc.WithKey(object.key), object.size});
      }
      return Ok();
    }));
    return files;
  }

  Status DeletePrefix(std::string_view prefix) override {
    ASSIGN_OR_RETURN(S3Location loc, Parse(prefix, false));
    if (loc.key.empty()) {
      return Err(ErrorCode::kInvalidArgument, "Refusing to delete a whole bucket: {}", prefix);
    }
    const std::string directory = EndsWith(loc.key, "/") ? loc.key : loc.key + "/";
    return ForEachPage(loc, directory, prefix, [&](const ListPage& page) -> Status {
      if (flavor_ == S3Flavor::kGcsXml) {
        for (const auto& object : page.objects) RETURN_IF_ERROR(Delete(loc.WithKey(object.key)));
        return Ok();
      }
      std::vector<std::string> keys;
      for (const auto& object : page.objects) {
        keys.push_back(object.key);
        if (keys.size() == kDeleteBatch) RETURN_IF_ERROR(DeleteBatch(loc, keys, prefix));
      }
      return DeleteBatch(loc, keys, prefix);
    });
  }

  bool Handles(std::string_view location) const override { return IsS3Location(location, flavor_); }

 private:
  Result<S3Location> Parse(std::string_view location, bool key_required) const {
    return ParseS3Location(location, key_required, flavor_);
  }

  // The precondition that makes a PUT create-only.
  std::pair<std::string, std::string> CreateOnlyHeader() const {
    if (flavor_ == S3Flavor::kGcsXml) return {"x-goog-if-generation-match", "0"};
    return {"If-None-Match", "*"};
  }

  // Sends `call` signed, retrying as the storage policy says; counts attempts when asked.
  Result<net::HttpResponse> Send(const Call& call, int* attempts = nullptr) {
    std::string payload_hash = Sha256Hex(call.body);
    auto make = [&]() {
      net::HttpRequest request;
      request.method = call.method;
      request.url = call.url;
      request.headers = call.headers;
      request.body = call.body;
      request.timeout = call.timeout;
      request.max_response_bytes = call.max_response_bytes;
      // Only a malformed URL or missing credentials fail to sign: both are checked when the
      // FileIO is made, so the request is sent signed.
      static_cast<void>(
          SignHttpRequest(request, params_, std::chrono::system_clock::now(), payload_hash));
      if (attempts != nullptr) ++*attempts;
      return request;
    };
    return SendWithRetry(*client_, make);
  }

  // Calls `visit` for each ListObjectsV2 page of the keys starting with `key_prefix`.
  template <typename Visit>
  Status ForEachPage(const S3Location& loc, const std::string& key_prefix,
                     std::string_view location, Visit visit) {
    std::string token;
    do {
      std::string query = "encoding-type=url&list-type=2&prefix=" + UriEncode(key_prefix, false);
      if (!token.empty()) query += "&continuation-token=" + UriEncode(token, false);
      Call call = Bare("GET", ObjectUrl(endpoint_, loc.bucket, "", query));
      call.max_response_bytes = kMaxListBytes;
      ASSIGN_OR_RETURN(net::HttpResponse answer, Send(call));
      if (answer.status != 200) {
        Error error = AnswerError(answer, flavor_, "list", location);
        if (error.code == ErrorCode::kNotFound) error.code = ErrorCode::kIo;  // no such bucket
        return tl::unexpected(std::move(error));
      }
      ASSIGN_OR_RETURN(ListPage page, ParseListObjectsV2(answer.body));
      RETURN_IF_ERROR(visit(page));
      token = page.truncated ? page.next_continuation_token : "";
    } while (!token.empty());
    return Ok();
  }

  // Deletes `keys` (emptied afterwards) in one DeleteObjects request.
  Status DeleteBatch(const S3Location& loc, std::vector<std::string>& keys,
                     std::string_view location) {
    if (keys.empty()) return Ok();
    std::string body = DeleteObjectsBody(keys);
    keys.clear();
    Call call{"POST",
              ObjectUrl(endpoint_, loc.bucket, "", "delete="),
              {{"Content-Type", "application/xml"}, {"Content-MD5", Base64Encode(Md5(body))}},
              std::move(body),
              kCallTimeout,
              4u << 20};
    ASSIGN_OR_RETURN(net::HttpResponse answer, Send(call));
    if (answer.status != 200)
      return tl::unexpected(AnswerError(answer, flavor_, "delete prefix", location));
    ASSIGN_OR_RETURN(std::vector<std::string> failures, ParseDeleteObjectsErrors(answer.body));
    if (!failures.empty()) {
      return Err(ErrorCode::kIo, "S3 delete prefix {}: {} object(s) not deleted, first: {}",
                 location, failures.size(), failures.front());
    }
    return Ok();
  }

  const S3Flavor flavor_;
  const S3Endpoint endpoint_;
  const SigV4Params params_;
  const std::shared_ptr<net::HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<FileIO>> MakeS3FileIO(S3Config config,
                                             std::shared_ptr<net::HttpClient> client) {
  const std::string_view name = ServiceName(config.flavor);
  if (!client) return Err(ErrorCode::kInvalidArgument, "{} FileIO needs an HTTP client", name);
  if (config.access_key_id.empty() || config.secret_access_key.empty()) {
    return Err(ErrorCode::kInvalidArgument, "{} FileIO needs an access key id and a secret key",
               name);
  }
  if (config.region.empty()) return Err(ErrorCode::kInvalidArgument, "{} region is empty", name);
  ASSIGN_OR_RETURN(S3Endpoint endpoint, ParseS3Endpoint(config.endpoint, config.region,
                                                        config.path_style, config.flavor));
  SigV4Params params;
  params.credentials = {std::move(config.access_key_id), std::move(config.secret_access_key),
                        std::move(config.session_token)};
  params.region = std::move(config.region);
  params.service = "s3";
  if (config.flavor == S3Flavor::kGcsXml) {
    params.dialect = GoogDialect();
    params.service = "storage";
  }
  return std::unique_ptr<FileIO>(std::make_unique<S3FileIO>(config.flavor, std::move(endpoint),
                                                            std::move(params), std::move(client)));
}

}  // namespace pangolin::storage
