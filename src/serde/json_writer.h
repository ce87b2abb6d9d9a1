// serde-private: compact JSON written straight from a model, without building a Boost.JSON tree
// first. The text is byte for byte what boost::json::serialize writes for the same tree (same
// escapes, same numbers), so documents written this way hash the same as before. Include only
// from serde/*.cc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pangolin::serde::internal {

class JsonWriter {
 public:
  // `expected_size`: room made at once for a text about that long, and an eighth more (0: grown
  // as written, doubling).
  explicit JsonWriter(size_t expected_size = 0) {
    if (expected_size > 0) out_.reserve(expected_size + expected_size / 8);
  }

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The name of the next member of the current object.
  void Key(std::string_view key);

  void String(std::string_view value);
  void Int(int64_t value);
  void Bool(bool value);
  void Null();
  // A value whose compact JSON text a JsonWriter wrote, copied as is.
  void Verbatim(std::string_view json);
  // A RawJson value as Boost.JSON writes it once parsed; text that is not JSON as a JSON string.
  void Raw(std::string_view raw);

  // A member: Key(key), then the value.
  void String(std::string_view key, std::string_view value);
  void Int(std::string_view key, int64_t value);
  void Bool(std::string_view key, bool value);
  void Raw(std::string_view key, std::string_view raw);
  // A member whose value is an array of strings, or an object of strings.
  void Strings(std::string_view key, const std::vector<std::string>& items);
  void StringMap(std::string_view key, const std::map<std::string, std::string>& map);
  // Unknown members (name, RawJson), each unless a member of that name is already written.
  void Extras(const std::vector<std::pair<std::string, std::string>>& extras);

  // The text written; the writer starts over empty.
  std::string Take();

 private:
  void Put(char c) { out_.push_back(c); }
  void Put(std::string_view text) { out_.append(text); }
  void PutEscaped(std::string_view text);
  void BeforeValue() {
    if (comma_) Put(',');
  }

  std::string out_;     // appended to: grows without filling the room it makes
  bool comma_ = false;  // a value ends just before: the next key or array item needs a comma
  // The keys written in each open object (Extras skips them): keys_[key_starts_.back()...].
  std::vector<std::string_view> keys_;
  std::vector<size_t> key_starts_;
};

}  // namespace pangolin::serde::internal
