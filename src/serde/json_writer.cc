// JsonWriter: the escapes and number forms of boost::json::serialize.
#include "serde/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "serde/json_internal.h"

namespace pangolin::serde::internal {

namespace {

// Boost.JSON's escapes: '"' and '\\', the short forms of \b \t \n \f \r, \u00xx (lower-case hex)
// for the other control characters; everything else, UTF-8 included, is copied as is. 0: none.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

char Escape(char c) { return kEscapes[static_cast<unsigned char>(c)]; }

}  // namespace

void JsonWriter::PutEscaped(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  Put('"');
  for (;;) {
    size_t plain = 0;
    while (plain < text.size() && !Escape(text[plain])) ++plain;
    Put(text.substr(0, plain));
    if (plain == text.size()) break;
    auto c = static_cast<unsigned char>(text[plain]);
    char escape = Escape(text[plain]);
    char escaped[] = {'\\', escape, '0', '0', kHex[c >> 4], kHex[c & 15]};
    Put(std::string_view(escaped, escape == 'u' ? 6 : 2));
    text.remove_prefix(plain + 1);
  }
  Put('"');
}

std::string JsonWriter::Take() {
  std::string out = std::move(out_);
  out_.clear();
  return out;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  Put('{');
  comma_ = false;
  key_starts_.push_back(keys_.size());
}

void JsonWriter::EndObject() {
  Put('}');
  comma_ = true;
  keys_.resize(key_starts_.back());
  key_starts_.pop_back();
}

void JsonWriter::BeginArray() {
  BeforeValue();
  Put('[');
  comma_ = false;
}

void JsonWriter::EndArray() {
  Put(']');
  comma_ = true;
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  PutEscaped(key);
  Put(':');
  comma_ = false;
  keys_.push_back(key);
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  PutEscaped(value);
  comma_ = true;
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  char digits[20];  // "-9223372036854775808"
  out_.append(digits, std::to_chars(digits, digits + sizeof(digits), value).ptr);
  comma_ = true;
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  Put(value ? "true" : "false");
  comma_ = true;
}

void JsonWriter::Null() {
  BeforeValue();
  Put("null");
  comma_ = true;
}

void JsonWriter::Verbatim(std::string_view json) {
  BeforeValue();
  Put(json);
  comma_ = true;
}

void JsonWriter::Raw(std::string_view raw) {
  BeforeValue();
  Put(json::serialize(FromRawJson(raw)));
  comma_ = true;
}

void JsonWriter::String(std::string_view key, std::string_view value) {
  Key(key);
  String(value);
}

void JsonWriter::Int(std::string_view key, int64_t value) {
  Key(key);
  Int(value);
}

void JsonWriter::Bool(std::string_view key, bool value) {
  Key(key);
  Bool(value);
}

void JsonWriter::Raw(std::string_view key, std::string_view raw) {
  Key(key);
  Raw(raw);
}

void JsonWriter::Strings(std::string_view key, const std::vector<std::string>& items) {
  Key(key);
  BeginArray();
  for (const auto& item : items) String(item);
  EndArray();
}

void JsonWriter::StringMap(std::string_view key, const std::map<std::string, std::string>& map) {
  Key(key);
  BeginObject();
  for (const auto& [name, value] : map) String(name, value);
  EndObject();
}

void JsonWriter::Extras(const std::vector<std::pair<std::string, std::string>>& extras) {
  for (const auto& [name, raw] : extras) {
    auto written = keys_.begin() + static_cast<std::ptrdiff_t>(key_starts_.back());
    if (std::find(written, keys_.end(), name) == keys_.end()) Raw(name, raw);
  }
}

}  // namespace pangolin::serde::internal
