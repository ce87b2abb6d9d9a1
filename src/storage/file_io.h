// FileIO: object storage as Pangolin's services see it. Locations are URIs (`file:///…`; later
// `s3://`, `abfss://`, `gs://`). Implementations: local filesystem now, cloud stores later; all
// pass the same contract suite (tests/contract/file_io_contract_test.cc).
//
// Thread-safety: every method may be called concurrently.
// Atomicity: WriteNew either creates the whole object or nothing visible at `location`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::storage {

struct FileInfo {
  std::string location;
  int64_t size = 0;
};

class FileIO {
 public:
  virtual ~FileIO() = default;

  // Errors: kNotFound (no object); kIo; kInvalidArgument (location not handled by this FileIO).
  virtual Result<std::string> Read(std::string_view location) = 0;
  // Whether an object exists at `location` (a cheap metadata request, no data transferred).
  // Errors: kIo; kInvalidArgument.
  virtual Result<bool> Exists(std::string_view location) = 0;
  // Writes an object that must not exist yet, durably (the data is on stable storage when this
  // returns). Errors: kAlreadyExists; kIo; kInvalidArgument.
  virtual Status WriteNew(std::string_view location, std::string_view data) = 0;
  // Deletes the object; deleting a missing object succeeds. Errors: kIo; kInvalidArgument.
  virtual Status Delete(std::string_view location) = 0;
  // Every object whose location starts with `prefix` (recursively). Errors: kIo.
  virtual Result<std::vector<FileInfo>> List(std::string_view prefix) = 0;
  // Deletes every object under `prefix` (a directory-like location). Errors: kIo.
  virtual Status DeletePrefix(std::string_view prefix) = 0;
  // True when this FileIO serves `location` (by scheme).
  virtual bool Handles(std::string_view location) const = 0;
};

}  // namespace pangolin::storage
