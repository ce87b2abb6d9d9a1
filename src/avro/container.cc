// Object container file reading: header, then blocks of (record count, byte size, data, sync).
// Offsets are kept instead of views into owned buffers so that the reader stays movable.
#include "avro/container.h"

#include <limits>

#include "avro/codec_internal.h"

namespace pangolin::avro {

namespace {

constexpr std::string_view kMagic("Obj\x01", 4);
constexpr size_t kSyncSize = 16;

tl::unexpected<Error> Corrupt(std::string_view what, size_t position) {
  return Err(ErrorCode::kBadRequest, "Invalid Avro file at byte {}: {}", position, what);
}

// Adds to an error from inside a block (whose positions count from the block's first data
// byte) where the block starts in the file.
tl::unexpected<Error> InBlock(Error error, size_t block_offset) {
  error.message = fmt::format("{} (block at file byte {})", error.message, block_offset);
  return tl::unexpected(std::move(error));
}

Status ReadHeaderMetadata(Decoder& in, std::vector<std::pair<std::string, std::string>>* out) {
  ValueReader counts;
  Node entry;  // a key and a value: two lengths at least
  entry.min_encoded_size = 2;
  while (true) {
    size_t start = in.position();
    ASSIGN_OR_RETURN(int64_t count, in.ReadLong());
    if (count == 0) return Ok();
    if (count < 0) {
      if (count == std::numeric_limits<int64_t>::min())
        return Corrupt("invalid metadata count", start);
      count = -count;
      ASSIGN_OR_RETURN(int64_t byte_size, in.ReadLong());
      if (byte_size < 0) return Corrupt("invalid metadata block size", start);
    }
    RETURN_IF_ERROR(counts.CheckCount(entry, static_cast<uint64_t>(count), in));
    for (int64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(std::string_view key, in.ReadBytes());
      ASSIGN_OR_RETURN(std::string_view value, in.ReadBytes());
      out->emplace_back(std::string(key), std::string(value));
    }
  }
}

}  // namespace

Result<ContainerReader> ContainerReader::Open(std::string_view file, ReaderOptions options) {
  if (file.substr(0, kMagic.size()) != kMagic) {
    return Err(ErrorCode::kBadRequest, "Not an Avro object container file (bad magic)");
  }
  ContainerReader reader;
  reader.file_ = file;
  reader.options_ = options;
  reader.values_ = ValueReader(options.zero_size_item_budget);
  Decoder in(file);
  RETURN_IF_ERROR(in.ReadFixed(kMagic.size()));
  auto header = ReadHeaderMetadata(in, &reader.metadata_);
  if (!header) {
    return Err(ErrorCode::kBadRequest, "Invalid Avro file header: {}", header.error().message);
  }
  auto sync = in.ReadFixed(kSyncSize);
  if (!sync) return Corrupt("truncated header (no sync marker)", in.position());
  reader.sync_ = std::string(*sync);
  reader.file_pos_ = in.position();

  const std::string* schema_json = reader.Metadata("avro.schema");
  if (schema_json == nullptr) {
    return Err(ErrorCode::kBadRequest, "Invalid Avro file: no avro.schema in the header");
  }
  ASSIGN_OR_RETURN(reader.schema_, ParseSchema(*schema_json));
  const std::string* codec = reader.Metadata("avro.codec");
  reader.codec_ = codec == nullptr || codec->empty() ? "null" : *codec;
  RETURN_IF_ERROR(internal::CheckCodec(reader.codec_));
  return reader;
}

const std::string* ContainerReader::Metadata(std::string_view key) const {
  for (const auto& [name, value] : metadata_) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string_view ContainerReader::Block() const {
  if (block_inflated_) return inflated_;
  return file_.substr(block_start_, block_size_);
}

Status ContainerReader::StartBlock() {
  size_t block_offset = file_pos_;
  block_offset_ = block_offset;
  Decoder in(file_.substr(file_pos_));
  auto count_read = in.ReadLong();
  auto size_read = count_read ? in.ReadLong() : count_read;
  if (!size_read) return Corrupt("truncated block header", block_offset);
  int64_t count = *count_read;
  int64_t size = *size_read;
  if (count < 0) return Corrupt("negative block record count", block_offset);
  if (size < 0) return Corrupt("negative block size", block_offset);
  if (static_cast<uint64_t>(size) > in.remaining()) {
    return Corrupt(
        fmt::format("block size {} exceeds the {} remaining bytes", size, in.remaining()),
        block_offset);
  }
  size_t data_start = file_pos_ + in.position();
  std::string_view data = *in.ReadFixed(static_cast<size_t>(size));
  auto sync = in.ReadFixed(kSyncSize);
  if (!sync) return Corrupt("truncated block (no sync marker)", block_offset);
  if (*sync != sync_) return Corrupt("sync marker does not match the header's", block_offset);
  file_pos_ += in.position();

  block_inflated_ = codec_ != "null";
  if (block_inflated_) {
    auto done = internal::Decompress(codec_, data, options_.max_block_size, &inflated_);
    if (!done) return InBlock(done.error(), block_offset);
    block_start_ = 0;
    block_size_ = inflated_.size();
  } else {
    block_start_ = data_start;
    block_size_ = data.size();
  }
  block_pos_ = 0;
  auto fits = values_.CheckCount(*schema_, static_cast<uint64_t>(count), Decoder(Block()));
  if (!fits) return InBlock(fits.error(), block_offset);
  if (count == 0 && block_size_ != 0) {
    return Corrupt("bytes in a block of no records", block_offset);
  }
  block_records_left_ = static_cast<uint64_t>(count);
  return Ok();
}

Result<std::optional<Value>> ContainerReader::Next() {
  while (block_records_left_ == 0) {
    if (file_pos_ == file_.size()) return std::nullopt;
    RETURN_IF_ERROR(StartBlock());
  }
  Decoder in(Block(), block_pos_);
  auto value = values_.Read(schema_, in);
  if (!value) return InBlock(value.error(), block_offset_);
  block_pos_ = in.position();
  if (--block_records_left_ == 0 && block_pos_ != block_size_) {
    return Corrupt(fmt::format("{} bytes left over after the records of the block at byte {}",
                               block_size_ - block_pos_, block_offset_),
                   file_pos_);
  }
  return std::optional<Value>(std::move(*value));
}

Result<ContainerFile> ReadContainerFile(std::string_view file, ReaderOptions options) {
  ASSIGN_OR_RETURN(ContainerReader reader, ContainerReader::Open(file, options));
  ContainerFile out;
  out.schema = reader.schema();
  out.codec = reader.codec();
  out.metadata = reader.metadata();
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Value> record, reader.Next());
    if (!record) break;
    out.records.push_back(std::move(*record));
  }
  return out;
}

}  // namespace pangolin::avro
