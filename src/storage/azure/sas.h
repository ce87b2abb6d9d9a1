// Service shared access signatures (SAS) for the Blob service, signed with the account key, in the
// form of service version 2020-12-06 and later. Pangolin vends them instead of account keys: a SAS
// names one container, blob or (on accounts with a hierarchical namespace) directory, a set of
// permissions, an expiry and the protocols it may be used over.
//
// Scope of DirectoryScopedSas:
// - accounts with a hierarchical namespace (ADLS Gen2) get a directory SAS (`sr=d`) for the
//   directory itself, with `sdd` = the number of its path segments: nothing outside it is
//   reachable;
// - accounts without one cannot scope a SAS to a prefix: the Blob service only knows container and
//   blob SASes there (`sr=d` is refused), so they get a container SAS (`sr=c`), which reaches
//   every blob of the container. Give such accounts one container per warehouse when that matters.
// An empty directory path gets a container SAS on either kind of account.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::storage::azure {

enum class SasResource { kBlob, kContainer, kDirectory };

// Permissions in the order the service requires: read-only and read-write sets.
inline constexpr std::string_view kReadPermissions = "rl";
inline constexpr std::string_view kReadWritePermissions = "racwdl";

struct ServiceSasOptions {
  std::string account;
  std::string container;
  // The blob name (kBlob) or directory path (kDirectory), without leading or trailing '/';
  // empty for kContainer.
  std::string path;
  SasResource resource = SasResource::kContainer;
  std::string permissions;
  std::optional<std::chrono::system_clock::time_point> start;
  std::chrono::system_clock::time_point expiry;
  std::string protocol = "https";      // or "https,http" (emulators and tests)
  std::optional<int> directory_depth;  // `sdd`, only with kDirectory
};

// What a DirectoryScopedSas covers, decided on values alone.
struct SasScope {
  SasResource resource = SasResource::kContainer;
  std::string path;  // the directory without surrounding '/', empty for a container SAS
  std::optional<int> directory_depth;
  std::string permissions;
  bool operator==(const SasScope&) const = default;
};

// Timestamps of SAS fields: "2024-01-31T12:00:00Z".
std::string SasTime(std::chrono::system_clock::time_point time);

// Number of segments of a directory path ("a/b" → 2, "" → 0), ignoring surrounding '/'.
int DirectoryDepth(std::string_view directory_path);

// The scope rules of the header comment.
SasScope DirectoryScope(std::string_view directory_path, bool write, bool hierarchical_namespace);

// The string-to-sign of `options`: sp, st, se, canonicalized resource
// ("/blob/<account>/<container>[/<path>]"), si, sip, spr, sv, sr, snapshot time, encryption scope,
// rscc, rscd, rsce, rscl, rsct, one per line (absent fields empty).
std::string ServiceSasStringToSign(const ServiceSasOptions& options);

// The SAS token (a query string without '?', values percent-encoded): sv, spr, st, se, sr, sp,
// sdd, sig. Errors: kInvalidArgument (a key that is not base64, no permissions, no container,
// a path on a container SAS or none on a blob or directory SAS, sdd on another resource).
Result<std::string> ServiceSas(const ServiceSasOptions& options,
                               std::string_view account_key_base64);

// A SAS for `directory_path` of `container` (see the scope rules above): read and list, plus
// add, create, write and delete when `write`; HTTPS only unless `allow_http` (an emulator's
// plain-HTTP endpoint); valid until `expiry`. Errors: as ServiceSas.
Result<std::string> DirectoryScopedSas(std::string_view account,
                                       std::string_view account_key_base64,
                                       std::string_view container, std::string_view directory_path,
                                       bool write, std::chrono::system_clock::time_point expiry,
                                       bool hierarchical_namespace, bool allow_http = false);

}  // namespace pangolin::storage::azure
