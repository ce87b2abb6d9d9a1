// AzureFileIO: FileIO over the Blob REST API (see azure_file_io.h for the contract).
#include "storage/azure/azure_file_io.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "common/ids.h"
#include "common/strings.h"
#include "storage/azure/azure_location_internal.h"
#include "storage/azure/azure_xml_internal.h"
#include "storage/azure/blob_client_internal.h"

namespace pangolin::storage {
namespace {

using namespace azure_internal;

constexpr size_t kMaxReadBytes = size_t{256} << 20;
constexpr int kDeleteThreads = 8;
// Metadata that lets a retried WriteNew recognise the blob its lost first attempt created.
constexpr std::string_view kWriteIdHeader = "x-ms-meta-pangolinwriteid";

// Transfers get 30 s plus one second per MiB.
std::chrono::milliseconds TransferTimeout(size_t bytes) {
  return std::chrono::milliseconds(30'000 + static_cast<int64_t>(bytes >> 20) * 1'000);
}

class AzureFileIO final : public FileIO {
 public:
  explicit AzureFileIO(BlobClient client) : client_(std::move(client)) {}

  Result<std::string> Read(std::string_view location) override {
    ASSIGN_OR_RETURN(AzureLocation loc, ResolveObject(location));
    BlobCall call = MakeCall("GET", client_.Url(loc.container, loc.path, {}));
    call.timeout = TransferTimeout(kMaxReadBytes);
    call.max_response_bytes = kMaxReadBytes;
    ASSIGN_OR_RETURN(net::HttpResponse answer, client_.Send(call));
    if (answer.status == 404) return Err(ErrorCode::kNotFound, "No object at {}", location);
    if (answer.status != 200) return tl::unexpected(FailedCall("read", location, answer));
    if (IsDirectory(answer))
      return Err(ErrorCode::kNotFound, "A directory, no object: {}", location);
    return std::move(answer.body);
  }

  Result<bool> Exists(std::string_view location) override {
    ASSIGN_OR_RETURN(AzureLocation loc, ResolveObject(location));
    ASSIGN_OR_RETURN(net::HttpResponse answer, Head(loc));
    if (answer.status == 404) return false;
    if (answer.status != 200) return tl::unexpected(FailedCall("exists", location, answer));
    return !IsDirectory(answer);
  }

  Status WriteNew(std::string_view location, std::string_view data) override {
    ASSIGN_OR_RETURN(AzureLocation loc, ResolveObject(location));
    const std::string write_id = NewUuid();
    BlobCall call = MakeCall("PUT", client_.Url(loc.container, loc.path, {}));
    call.headers = {{"Content-Type", "application/octet-stream"},
                    {"If-None-Match", "*"},
                    {"x-ms-blob-type", "BlockBlob"},
                    {std::string(kWriteIdHeader), write_id}};
    call.body = data;
    call.timeout = TransferTimeout(data.size());
    int attempts = 0;
    ASSIGN_OR_RETURN(net::HttpResponse answer, client_.Send(call, &attempts));
    if (answer.status == 201) return Ok();
    if (answer.status == 409 || answer.status == 412) {
      // After a lost answer the blob may be our own first attempt's.
      if (attempts > 1 && WrittenBy(loc, write_id)) return Ok();
      return Err(ErrorCode::kAlreadyExists, "Location already exists: {}", location);
    }
    return tl::unexpected(FailedCall("write", location, answer));
  }

  Status Delete(std::string_view location) override {
    ASSIGN_OR_RETURN(AzureLocation loc, ResolveObject(location));
    return DeleteBlob(loc.container, loc.path, location);
  }

  Result<std::vector<FileInfo>> List(std::string_view prefix) override {
    ASSIGN_OR_RETURN(AzureLocation loc, Resolve(prefix));
    std::vector<FileInfo> files;
    RETURN_IF_ERROR(ForEachBlob(loc, [&](ListedBlob blob) {
      files.push_back(FileInfo{loc.root + blob.name, blob.size});
    }));
    return files;
  }

  Status DeletePrefix(std::string_view prefix) override {
    ASSIGN_OR_RETURN(AzureLocation loc, Resolve(prefix));
    if (loc.path.empty()) {
      return Err(ErrorCode::kInvalidArgument, "Refusing to delete a whole container: {}", prefix);
    }
    if (!EndsWith(loc.path, "/")) loc.path += "/";
    std::vector<std::string> names;
    RETURN_IF_ERROR(
        ForEachBlob(loc, [&](ListedBlob blob) { names.push_back(std::move(blob.name)); }));
    return DeleteAll(loc, names);
  }

  bool Handles(std::string_view location) const override { return IsAzureLocation(location); }

 private:
  Result<AzureLocation> Resolve(std::string_view location) const {
    ASSIGN_OR_RETURN(AzureLocation loc, ParseAzureLocation(location));
    if (loc.account != client_.account()) {
      return Err(ErrorCode::kInvalidArgument,
                 "Location of account '{}', this FileIO serves '{}': {}", loc.account,
                 client_.account(), location);
    }
    return loc;
  }

  // A location naming one object: a non-empty path that does not end with '/'.
  Result<AzureLocation> ResolveObject(std::string_view location) const {
    ASSIGN_OR_RETURN(AzureLocation loc, Resolve(location));
    if (loc.path.empty() || EndsWith(loc.path, "/")) {
      return Err(ErrorCode::kInvalidArgument, "Location names no object: {}", location);
    }
    return loc;
  }

  // Accounts with a hierarchical namespace show directories as blobs marked with this metadata.
  static bool IsDirectory(const net::HttpResponse& answer) {
    auto folder = answer.Header("x-ms-meta-hdi_isfolder");
    return folder && ToLower(*folder) == "true";
  }

  Result<net::HttpResponse> Head(const AzureLocation& loc) const {
    return client_.Send(MakeCall("HEAD", client_.Url(loc.container, loc.path, {})));
  }

  bool WrittenBy(const AzureLocation& loc, const std::string& write_id) const {
    auto answer = Head(loc);
    return answer && answer->status == 200 && answer->Header(kWriteIdHeader) == write_id;
  }

  Status DeleteBlob(const std::string& container, const std::string& name,
                    std::string_view location) const {
    BlobCall call = MakeCall("DELETE", client_.Url(container, name, {}));
    ASSIGN_OR_RETURN(net::HttpResponse answer, client_.Send(call));
    if (answer.status == 202 || answer.status == 200 || answer.status == 404) return Ok();
    return tl::unexpected(FailedCall("delete", location, answer));
  }

  // Calls `visit` for every blob whose name starts with `loc.path`, page after page.
  template <typename Visit>
  Status ForEachBlob(const AzureLocation& loc, Visit visit) const {
    std::string marker;
    do {
      Params query = {{"restype", "container"}, {"comp", "list"}, {"maxresults", "5000"}};
      if (!loc.path.empty()) query.emplace_back("prefix", loc.path);
      if (!marker.empty()) query.emplace_back("marker", marker);
      BlobCall call = MakeCall("GET", client_.Url(loc.container, "", query));
      call.max_response_bytes = size_t{64} << 20;
      ASSIGN_OR_RETURN(net::HttpResponse answer, client_.Send(call));
      if (answer.status == 404 && ServiceErrorCode(answer) == "ContainerNotFound") return Ok();
      if (answer.status != 200)
        return tl::unexpected(FailedCall("list", loc.root + loc.path, answer));
      ASSIGN_OR_RETURN(ListPage page, ParseListPage(answer.body));
      for (auto& blob : page.blobs) visit(std::move(blob));
      marker = std::move(page.next_marker);
    } while (!marker.empty());
    return Ok();
  }

  // Deletes `names` of the container with a few concurrent requests; reports the first failure.
  Status DeleteAll(const AzureLocation& loc, const std::vector<std::string>& names) const {
    std::atomic<size_t> next{0};
    std::mutex mutex;
    Status first_failure = Ok();
    auto worker = [&] {
      for (size_t i = next++; i < names.size(); i = next++) {
        Status status = DeleteBlob(loc.container, names[i], loc.root + names[i]);
        std::lock_guard lock(mutex);
        if (!status && first_failure) first_failure = status;
      }
    };
    std::vector<std::thread> threads;
    size_t count = std::min<size_t>(kDeleteThreads, names.size());
    for (size_t i = 1; i < count; ++i) threads.emplace_back(worker);
    if (count > 0) worker();
    for (auto& thread : threads) thread.join();
    return first_failure;
  }

  const BlobClient client_;
};

}  // namespace

Result<std::unique_ptr<FileIO>> MakeAzureFileIO(AzureConfig config,
                                                std::shared_ptr<net::HttpClient> client) {
  ASSIGN_OR_RETURN(BlobClient blob_client, BlobClient::Make(config, std::move(client)));
  return std::make_unique<AzureFileIO>(std::move(blob_client));
}

Status CreateAzureContainer(const AzureConfig& config, net::HttpClient& client,
                            const std::string& container) {
  // A shared_ptr that does not own `client`: the BlobClient lives only during this call.
  std::shared_ptr<net::HttpClient> borrowed(&client, [](net::HttpClient*) {});
  ASSIGN_OR_RETURN(BlobClient blob_client, BlobClient::Make(config, borrowed));
  BlobCall call = MakeCall("PUT", blob_client.Url(container, "", {{"restype", "container"}}));
  ASSIGN_OR_RETURN(net::HttpResponse answer, blob_client.Send(call));
  if (answer.status == 201) return Ok();
  if (answer.status == 409 && ServiceErrorCode(answer) == "ContainerAlreadyExists") return Ok();
  return tl::unexpected(FailedCall("create container", container, answer));
}

}  // namespace pangolin::storage
