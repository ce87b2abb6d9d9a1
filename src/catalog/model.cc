// Identifier rules and key construction.
#include "catalog/model.h"

#include "common/strings.h"

namespace pangolin::catalog {

std::string ToString(const Namespace& ns) { return Join(ns, "."); }

std::string ToString(const TableIdentifier& id) {
  return id.ns.empty() ? id.name : ToString(id.ns) + "." + id.name;
}

Status ValidateName(std::string_view what, std::string_view name) {
  if (name.empty()) return Err(ErrorCode::kBadRequest, "Invalid {}: empty name", what);
  if (name.size() > 1024) {
    return Err(ErrorCode::kBadRequest, "Invalid {}: name longer than 1024 bytes", what);
  }
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

}  // namespace pangolin::catalog
