// Building and reading BSON documents for the MongoDB store (mongo_client_internal.h): typed
// appends only, and reads that treat missing or mistyped fields as empty.
#include "store/mongo/mongo_client_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

void Append(bson_t* doc, std::string_view key, const bson_t* sub, bool array) {
  if (array) {
    bson_append_array(doc, key.data(), static_cast<int>(key.size()), sub);
  } else {
    bson_append_document(doc, key.data(), static_cast<int>(key.size()), sub);
  }
}

bool Find(const bson_t* doc, const char* key, bson_iter_t* iter) {
  return bson_iter_init_find(iter, doc, key);
}

BsonPtr Copy(const bson_t* doc) { return BsonPtr(bson_copy(doc)); }

}  // namespace

// --- Doc --------------------------------------------------------------------------------------

Doc& Doc::Str(std::string_view key, std::string_view value) {
  bson_append_utf8(doc_.get(), key.data(), static_cast<int>(key.size()), value.data(),
                   static_cast<int>(value.size()));
  return *this;
}

Doc& Doc::Int(std::string_view key, int64_t value) {
  bson_append_int64(doc_.get(), key.data(), static_cast<int>(key.size()), value);
  return *this;
}

Doc& Doc::Bool(std::string_view key, bool value) {
  bson_append_bool(doc_.get(), key.data(), static_cast<int>(key.size()), value);
  return *this;
}

Doc& Doc::Null(std::string_view key) {
  bson_append_null(doc_.get(), key.data(), static_cast<int>(key.size()));
  return *this;
}

Doc& Doc::Bytes(std::string_view key, std::string_view value) {
  bson_append_binary(doc_.get(), key.data(), static_cast<int>(key.size()), BSON_SUBTYPE_BINARY,
                     reinterpret_cast<const uint8_t*>(value.data()),
                     static_cast<uint32_t>(value.size()));
  return *this;
}

Doc& Doc::OptStr(std::string_view key, const std::optional<std::string>& value) {
  return value ? Str(key, *value) : Null(key);
}

Doc& Doc::OptInt(std::string_view key, const std::optional<int64_t>& value) {
  return value ? Int(key, *value) : Null(key);
}

Doc& Doc::Sub(std::string_view key, const Doc& sub) {
  Append(doc_.get(), key, sub.get(), false);
  return *this;
}

Doc& Doc::Array(std::string_view key, const Doc& arr) {
  Append(doc_.get(), key, arr.get(), true);
  return *this;
}

Doc& Doc::StrArray(std::string_view key, const std::vector<std::string>& values) {
  Doc arr;
  for (size_t i = 0; i < values.size(); ++i) arr.Str(std::to_string(i), values[i]);
  return Array(key, arr);
}

Doc& Doc::Props(std::string_view key, const catalog::Properties& properties) {
  Doc arr;
  size_t i = 0;
  for (const auto& [k, v] : properties) arr.Sub(std::to_string(i++), Doc().Str("k", k).Str("v", v));
  return Array(key, arr);
}

Doc& Doc::Op(std::string_view key, std::string_view op, std::string_view value) {
  return Sub(key, Doc().Str(op, value));
}

Doc& Doc::Op(std::string_view key, std::string_view op, int64_t value) {
  return Sub(key, Doc().Int(op, value));
}

Doc& Doc::Concat(const Doc& other) {
  bson_concat(doc_.get(), other.get());
  return *this;
}

// --- View -------------------------------------------------------------------------------------

std::string View::Str(const char* key) const { return OptStr(key).value_or(""); }

std::optional<std::string> View::OptStr(const char* key) const {
  bson_iter_t iter;
  if (!Find(doc_, key, &iter) || !BSON_ITER_HOLDS_UTF8(&iter)) return std::nullopt;
  uint32_t length = 0;
  const char* value = bson_iter_utf8(&iter, &length);
  return std::string(value, length);
}

std::string View::Bytes(const char* key) const {
  bson_iter_t iter;
  if (!Find(doc_, key, &iter)) return "";
  if (BSON_ITER_HOLDS_UTF8(&iter)) return Str(key);
  if (!BSON_ITER_HOLDS_BINARY(&iter)) return "";
  bson_subtype_t subtype;
  uint32_t length = 0;
  const uint8_t* data = nullptr;
  bson_iter_binary(&iter, &subtype, &length, &data);
  return std::string(reinterpret_cast<const char*>(data), length);
}

int64_t View::Int(const char* key) const { return OptInt(key).value_or(0); }

std::optional<int64_t> View::OptInt(const char* key) const {
  bson_iter_t iter;
  if (!Find(doc_, key, &iter) || !BSON_ITER_HOLDS_NUMBER(&iter)) return std::nullopt;
  return bson_iter_as_int64(&iter);
}

bool View::Bool(const char* key) const {
  bson_iter_t iter;
  return Find(doc_, key, &iter) && bson_iter_as_bool(&iter);
}

bool View::Has(const char* key) const {
  bson_iter_t iter;
  return Find(doc_, key, &iter) && !BSON_ITER_HOLDS_NULL(&iter);
}

std::optional<BsonPtr> View::Sub(const char* key) const {
  bson_iter_t iter;
  if (!Find(doc_, key, &iter)) return std::nullopt;
  if (!BSON_ITER_HOLDS_DOCUMENT(&iter) && !BSON_ITER_HOLDS_ARRAY(&iter)) return std::nullopt;
  uint32_t length = 0;
  const uint8_t* data = nullptr;
  if (BSON_ITER_HOLDS_DOCUMENT(&iter)) {
    bson_iter_document(&iter, &length, &data);
  } else {
    bson_iter_array(&iter, &length, &data);
  }
  bson_t sub;
  if (!bson_init_static(&sub, data, length)) return std::nullopt;
  return Copy(&sub);
}

std::vector<std::string> View::StrArray(const char* key) const {
  std::vector<std::string> values;
  auto arr = Sub(key);
  if (!arr) return values;
  bson_iter_t iter;
  if (!bson_iter_init(&iter, arr->get())) return values;
  while (bson_iter_next(&iter)) {
    if (!BSON_ITER_HOLDS_UTF8(&iter)) continue;
    uint32_t length = 0;
    const char* value = bson_iter_utf8(&iter, &length);
    values.emplace_back(value, length);
  }
  return values;
}

catalog::Properties View::Props(const char* key) const {
  catalog::Properties properties;
  auto arr = Sub(key);
  if (!arr) return properties;
  bson_iter_t iter;
  if (!bson_iter_init(&iter, arr->get())) return properties;
  while (bson_iter_next(&iter)) {
    if (!BSON_ITER_HOLDS_DOCUMENT(&iter)) continue;
    uint32_t length = 0;
    const uint8_t* data = nullptr;
    bson_iter_document(&iter, &length, &data);
    bson_t pair;
    if (!bson_init_static(&pair, data, length)) continue;
    View view(&pair);
    properties[view.Str("k")] = view.Str("v");
  }
  return properties;
}

}  // namespace pangolin::store::mongo_internal

namespace pangolin::store::mongo_internal {

Doc AfterFilter(const char* first, const char* second, const std::string& a, const std::string& b) {
  Doc any;
  any.Sub("0", Doc().Op(first, "$gt", a));
  any.Sub("1", Doc().Str(first, a).Op(second, "$gt", b));
  Doc filter;
  filter.Array("$or", any);
  return filter;
}

Doc AfterFilter(const char* first, const char* second, int64_t a, const std::string& b) {
  Doc any;
  any.Sub("0", Doc().Op(first, "$gt", a));
  any.Sub("1", Doc().Int(first, a).Op(second, "$gt", b));
  Doc filter;
  filter.Array("$or", any);
  return filter;
}

Doc Sort(const char* first, int dir, const char* second, int dir2) {
  Doc sort;
  sort.Int(first, dir);
  if (second) sort.Int(second, dir2);
  return sort;
}

std::string Join(const std::vector<std::string>& levels) {
  std::string joined;
  for (size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) joined += '\x1f';
    joined += levels[i];
  }
  return joined;
}

}  // namespace pangolin::store::mongo_internal
