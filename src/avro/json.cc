// Recursive-descent JSON reader for Avro schemas: strict RFC 8259 syntax, \u escapes (with
// surrogate pairs) decoded to UTF-8, numbers kept as text, bounded nesting.
#include <cstdint>

#include "avro/json_internal.h"

namespace pangolin::avro::internal {

const Json* Json::Find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  Result<Json> Document() {
    ASSIGN_OR_RETURN(Json value, Value(0));
    SkipSpace();
    if (pos_ != text_.size()) return Fail("unexpected trailing characters");
    return value;
  }

 private:
  tl::unexpected<Error> Fail(std::string_view what) const {
    return Err(ErrorCode::kBadRequest, "Invalid Avro schema JSON at offset {}: {}", pos_, what);
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Result<Json> Value(int depth) {
    if (depth > max_depth_) return Fail("nesting too deep");
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of input");
    Json out;
    char c = text_[pos_];
    if (c == '{') return Object(depth);
    if (c == '[') return Array(depth);
    if (c == '"') {
      out.kind = Json::Kind::kString;
      ASSIGN_OR_RETURN(out.text, String());
      return out;
    }
    if (Consume("null")) return out;
    if (Consume("true") || Consume("false")) {
      out.kind = Json::Kind::kBool;
      out.boolean = c == 't';
      return out;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number();
    return Fail("unexpected character");
  }

  Result<Json> Object(int depth) {
    Json out;
    out.kind = Json::Kind::kObject;
    ++pos_;  // '{'
    SkipSpace();
    if (Consume("}")) return out;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a member name");
      ASSIGN_OR_RETURN(std::string name, String());
      SkipSpace();
      if (!Consume(":")) return Fail("expected ':'");
      ASSIGN_OR_RETURN(Json value, Value(depth + 1));
      out.members.emplace_back(std::move(name), std::move(value));
      SkipSpace();
      if (Consume("}")) return out;
      if (!Consume(",")) return Fail("expected ',' or '}'");
    }
  }

  Result<Json> Array(int depth) {
    Json out;
    out.kind = Json::Kind::kArray;
    ++pos_;  // '['
    SkipSpace();
    if (Consume("]")) return out;
    while (true) {
      ASSIGN_OR_RETURN(Json value, Value(depth + 1));
      out.items.push_back(std::move(value));
      SkipSpace();
      if (Consume("]")) return out;
      if (!Consume(",")) return Fail("expected ',' or ']'");
    }
  }

  bool Digits() {
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  Result<Json> Number() {
    size_t start = pos_;
    Consume("-");
    if (Consume("0")) {
      // a leading zero stands alone
    } else if (!Digits()) {
      return Fail("invalid number");
    }
    if (Consume(".") && !Digits()) return Fail("invalid number");
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!Consume("+")) Consume("-");
      if (!Digits()) return Fail("invalid number");
    }
    Json out;
    out.kind = Json::Kind::kNumber;
    out.text = std::string(text_.substr(start, pos_ - start));
    return out;
  }

  Result<uint32_t> Hex4() {
    if (text_.size() - pos_ < 4) return Fail("truncated \\u escape");
    uint32_t code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      code <<= 4;
      if (c >= '0' && c <= '9') {
        code |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        code |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        code |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Fail("invalid \\u escape");
      }
    }
    return code;
  }

  static void AppendUtf8(uint32_t code, std::string* out) {
    if (code < 0x80) {
      out->push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code >> 6)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (code >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (code >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  Result<uint32_t> Escape() {
    ASSIGN_OR_RETURN(uint32_t code, Hex4());
    if (code >= 0xDC00 && code <= 0xDFFF) return Fail("unpaired low surrogate");
    if (code < 0xD800 || code > 0xDBFF) return code;
    if (!Consume("\\u")) return Fail("unpaired high surrogate");
    ASSIGN_OR_RETURN(uint32_t low, Hex4());
    if (low < 0xDC00 || low > 0xDFFF) return Fail("invalid low surrogate");
    return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
  }

  Result<std::string> String() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return Fail("unterminated string");
      char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return Fail("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          ASSIGN_OR_RETURN(uint32_t code, Escape());
          AppendUtf8(code, &out);
          break;
        }
        default:
          return Fail("invalid escape");
      }
    }
  }

  std::string_view text_;
  int max_depth_;
  size_t pos_ = 0;
};

}  // namespace

Result<Json> ParseJson(std::string_view text, int max_depth) {
  return Parser(text, max_depth).Document();
}

}  // namespace pangolin::avro::internal
