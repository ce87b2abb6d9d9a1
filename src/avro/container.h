// Avro object container files (Avro 1.11 specification, "Object Container Files"): the header
// (magic, metadata with avro.schema and avro.codec, sync marker) and the data blocks, read from
// bytes already in memory. Codecs: null and deflate; others are refused by name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "avro/decoder.h"
#include "avro/schema.h"
#include "avro/value.h"
#include "common/result.h"

namespace pangolin::avro {

struct ReaderOptions {
  // Largest decompressed block accepted (a deflate block may expand a thousandfold).
  size_t max_block_size = size_t{64} << 20;
  // Items that may encode in zero bytes accepted per file (see ValueReader).
  uint64_t zero_size_item_budget = ValueReader::kDefaultZeroSizeItemBudget;
};

// Streams the records of one container file. The file bytes must outlive the reader.
// Not thread-safe; movable.
class ContainerReader {
 public:
  // Reads and checks the header. Errors: kBadRequest for a bad magic, a truncated or malformed
  // header, a missing or invalid avro.schema; kUnsupported for a codec other than null and
  // deflate (snappy, zstandard, bzip2, xz: the libraries are not part of this build).
  static Result<ContainerReader> Open(std::string_view file, ReaderOptions options = {});

  const NodePtr& schema() const { return schema_; }
  const std::string& codec() const { return codec_; }
  // Every header metadata entry (avro.* included) in file order.
  const std::vector<std::pair<std::string, std::string>>& metadata() const { return metadata_; }
  // The value of metadata entry `key`, or nullptr.
  const std::string* Metadata(std::string_view key) const;

  // The next record, or nullopt after the last one. Errors: kBadRequest for a truncated block, a
  // sync marker that differs from the header's, a block that does not decompress, exceeds
  // max_block_size, or holds other than its declared number of records.
  Result<std::optional<Value>> Next();

 private:
  ContainerReader() = default;
  Status StartBlock();
  std::string_view Block() const;

  std::string_view file_;
  ReaderOptions options_;
  NodePtr schema_;
  std::string codec_;
  std::vector<std::pair<std::string, std::string>> metadata_;
  std::string sync_;
  size_t file_pos_ = 0;  // start of the next block in file_
  // The current block: a range of file_ (null codec) or inflated_ (deflate).
  bool block_inflated_ = false;
  size_t block_offset_ = 0;  // where the block's header starts in file_
  size_t block_start_ = 0;
  size_t block_size_ = 0;
  size_t block_pos_ = 0;
  uint64_t block_records_left_ = 0;
  std::string inflated_;
  ValueReader values_;
};

// Every record of a container file with its header.
struct ContainerFile {
  NodePtr schema;
  std::string codec;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<Value> records;
};
// Errors: as ContainerReader::Open and Next.
Result<ContainerFile> ReadContainerFile(std::string_view file, ReaderOptions options = {});

}  // namespace pangolin::avro
