// Identifiers: random UUIDs (v4 for ids, v7 for time-ordered keys) and the strongly typed ids
// that keep tenants, warehouses and catalogs from being mixed up.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace pangolin {

// A random RFC 9562 version-4 UUID in canonical lowercase form.
std::string NewUuid();
// A random UUID (version 4) from a per-thread generator seeded from the CSPRNG: unique in practice
// but predictable to whoever saw earlier ones, so only for ids that are no secret (request ids).
std::string NewFastUuid();
// A version-7 UUID (time-ordered) for `unix_ms`.
std::string NewUuidV7(int64_t unix_ms);
// True when `text` is a canonical UUID (any version, case-insensitive).
bool IsUuid(std::string_view text);

template <typename Tag>
struct StrongId {
  std::string value;
  friend auto operator<=>(const StrongId&, const StrongId&) = default;
};

struct TenantTag;
struct WarehouseTag;
struct CatalogTag;
using TenantId = StrongId<TenantTag>;
using WarehouseId = StrongId<WarehouseTag>;
using CatalogId = StrongId<CatalogTag>;

// The tenant every deployment has; single-tenant and development deployments use only it.
inline const TenantId kDefaultTenant{"00000000-0000-0000-0000-000000000000"};

}  // namespace pangolin
