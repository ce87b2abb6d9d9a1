// Names of the identity enums and the rule for who may hand out which role.
#include "catalog/identity.h"

#include <array>
#include <utility>

namespace pangolin::catalog {
namespace {

// Lowercase with '-' and '_' dropped, so "tenant-admin", "TenantAdmin" and "tenant_admin" agree.
std::string Normalized(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '-') continue;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

// Smaller is more powerful.
int Rank(UserRole role) {
  switch (role) {
    case UserRole::kRoot:
      return 0;
    case UserRole::kTenantAdmin:
      return 1;
    case UserRole::kTenantUser:
      return 2;
  }
  return 2;
}

}  // namespace

std::string_view ToString(UserRole role) {
  switch (role) {
    case UserRole::kRoot:
      return "root";
    case UserRole::kTenantAdmin:
      return "tenant-admin";
    case UserRole::kTenantUser:
      return "tenant-user";
  }
  return "tenant-user";
}

Result<UserRole> ParseUserRole(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, UserRole>, 5> kNames = {{
      {"root", UserRole::kRoot},
      {"tenantadmin", UserRole::kTenantAdmin},
      {"admin", UserRole::kTenantAdmin},
      {"tenantuser", UserRole::kTenantUser},
      {"user", UserRole::kTenantUser},
  }};
  std::string wanted = Normalized(text);
  for (const auto& [name, role] : kNames) {
    if (name == wanted) return role;
  }
  return Err(ErrorCode::kBadRequest,
             "Unknown role '{}': expected one of root, tenant-admin, tenant-user", text);
}

bool MayAssignRole(UserRole granter, UserRole role) {
  return role != UserRole::kRoot && Rank(role) >= Rank(granter);
}

}  // namespace pangolin::catalog
