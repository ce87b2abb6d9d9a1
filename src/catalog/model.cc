// Identifier rules and key construction.
#include "catalog/model.h"

#include <cstdint>

#include "common/strings.h"

namespace pangolin::catalog {

std::string ToString(const Namespace& ns) { return Join(ns, "."); }

std::string ToString(const TableIdentifier& id) {
  return id.ns.empty() ? id.name : ToString(id.ns) + "." + id.name;
}

namespace {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t extra = c < 0x80           ? 0
                   : (c >> 5) == 0x6  ? 1
                   : (c >> 4) == 0xE  ? 2
                   : (c >> 3) == 0x1E ? 3
                                      : 9;
    if (extra == 9 || i + extra >= text.size()) return false;
    uint32_t code = extra == 0 ? c : c & (0x3F >> extra);
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

Status ValidateName(std::string_view what, std::string_view name) {
  if (name.empty()) return Err(ErrorCode::kBadRequest, "Invalid {}: empty name", what);
  if (name.size() > 1024) {
    return Err(ErrorCode::kBadRequest, "Invalid {}: name longer than 1024 bytes", what);
  }
  if (!IsValidUtf8(name)) return Err(ErrorCode::kBadRequest, "Invalid {}: not valid UTF-8", what);
  for (char c : name) {
    if (c == '\0' || c == '\x1f') {
      return Err(ErrorCode::kBadRequest, "Invalid {}: name contains a control character", what);
    }
  }
  return Ok();
}

Status ValidateNamespace(const Namespace& ns) {
  if (ns.empty()) return Err(ErrorCode::kBadRequest, "Invalid namespace: empty namespace");
  for (const auto& level : ns) RETURN_IF_ERROR(ValidateName("namespace level", level));
  return Ok();
}

ContentKey NamespaceKey(const Namespace& ns) {
  ContentKey key{ContentKey::Space::kNamespace, ns, ""};
  if (!key.parent.empty()) {
    key.name = key.parent.back();
    key.parent.pop_back();
  }
  return key;
}

ContentKey ObjectKey(const TableIdentifier& id) {
  return ContentKey{ContentKey::Space::kObject, id.ns, id.name};
}

Namespace KeyNamespacePath(const ContentKey& key) {
  Namespace ns = key.parent;
  ns.push_back(key.name);
  return ns;
}

std::string ToString(const ContentKey& key) {
  if (key.space == ContentKey::Space::kNamespace) return ToString(KeyNamespacePath(key));
  return ToString(TableIdentifier{key.parent, key.name});
}

}  // namespace pangolin::catalog
