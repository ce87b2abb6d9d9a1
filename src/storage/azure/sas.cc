// Service SAS generation (see sas.h for the scope rules and the string-to-sign).
#include "storage/azure/sas.h"

#include <ctime>
#include <vector>

#include "common/strings.h"
#include "storage/azure/shared_key.h"

namespace pangolin::storage::azure {
namespace {

std::string_view ResourceCode(SasResource resource) {
  switch (resource) {
    case SasResource::kBlob:
      return "b";
    case SasResource::kContainer:
      return "c";
    case SasResource::kDirectory:
      return "d";
  }
  return "";
}

std::string_view StripSlashes(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

Status Validate(const ServiceSasOptions& options) {
  if (options.account.empty() || options.container.empty()) {
    return Err(ErrorCode::kInvalidArgument, "A SAS needs an account and a container");
  }
  if (options.permissions.empty()) {
    return Err(ErrorCode::kInvalidArgument, "A SAS needs permissions");
  }
  bool container = options.resource == SasResource::kContainer;
  if (container != options.path.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "A container SAS names no path; a blob or directory SAS names one");
  }
  if (options.directory_depth && options.resource != SasResource::kDirectory) {
    return Err(ErrorCode::kInvalidArgument, "sdd belongs to directory SASes only");
  }
  return Ok();
}

}  // namespace

std::string SasTime(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

int DirectoryDepth(std::string_view directory_path) {
  std::string_view path = StripSlashes(directory_path);
  if (path.empty()) return 0;
  return static_cast<int>(Split(path, "/").size());
}

SasScope DirectoryScope(std::string_view directory_path, bool write, bool hierarchical_namespace) {
  SasScope scope;
  scope.permissions = std::string(write ? kReadWritePermissions : kReadPermissions);
  std::string_view path = StripSlashes(directory_path);
  if (hierarchical_namespace && !path.empty()) {
    scope.resource = SasResource::kDirectory;
    scope.path = std::string(path);
    scope.directory_depth = DirectoryDepth(path);
  }
  return scope;
}

std::string ServiceSasStringToSign(const ServiceSasOptions& options) {
  std::string resource = "/blob/" + options.account + "/" + options.container;
  if (!options.path.empty()) resource += "/" + options.path;
  const std::vector<std::string> fields = {
      options.permissions,
      options.start ? SasTime(*options.start) : "",
      SasTime(options.expiry),
      resource,
      "",  // signed identifier (stored access policy): not used
      "",  // signed IP range: not used
      options.protocol,
      std::string(kServiceVersion),
      std::string(ResourceCode(options.resource)),
      "",  // snapshot time
      "",  // encryption scope
      "",
      "",
      "",
      "",
      ""};  // rscc, rscd, rsce, rscl, rsct: no response header overrides
  return Join(fields, "\n");
}

Result<std::string> ServiceSas(const ServiceSasOptions& options,
                               std::string_view account_key_base64) {
  RETURN_IF_ERROR(Validate(options));
  ASSIGN_OR_RETURN(std::string key, DecodeAccountKey(account_key_base64));
  std::vector<std::string> fields = {"sv=" + std::string(kServiceVersion),
                                     "spr=" + PercentEncode(options.protocol)};
  if (options.start) fields.push_back("st=" + PercentEncode(SasTime(*options.start)));
  fields.push_back("se=" + PercentEncode(SasTime(options.expiry)));
  fields.push_back("sr=" + std::string(ResourceCode(options.resource)));
  fields.push_back("sp=" + PercentEncode(options.permissions));
  if (options.directory_depth) fields.push_back(fmt::format("sdd={}", *options.directory_depth));
  std::string signature = SharedKeySignature(key, ServiceSasStringToSign(options));
  fields.push_back("sig=" + PercentEncode(signature));
  return Join(fields, "&");
}

Result<std::string> DirectoryScopedSas(std::string_view account,
                                       std::string_view account_key_base64,
                                       std::string_view container, std::string_view directory_path,
                                       bool write, std::chrono::system_clock::time_point expiry,
                                       bool hierarchical_namespace, bool allow_http) {
  SasScope scope = DirectoryScope(directory_path, write, hierarchical_namespace);
  ServiceSasOptions options;
  options.account = std::string(account);
  options.container = std::string(container);
  options.path = scope.path;
  options.resource = scope.resource;
  options.permissions = scope.permissions;
  options.expiry = expiry;
  options.directory_depth = scope.directory_depth;
  if (allow_http) options.protocol = "https,http";
  return ServiceSas(options, account_key_base64);
}

}  // namespace pangolin::storage::azure
