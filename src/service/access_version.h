// The access version of a request's tenant (store::AccessStore::AccessVersion), read at most once
// per request: authentication usually read it already. What is cached under one version (a
// principal, compiled permissions, a catalog) is current for the request while it matches.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "service/context.h"
#include "store/access_store.h"

namespace pangolin::service {

inline Result<int64_t> RequestAccessVersion(const Context& ctx, store::AccessStore& store) {
  if (!ctx.access_version) {
    ASSIGN_OR_RETURN(int64_t version, store.AccessVersion(ctx.tenant));
    ctx.access_version = version;
  }
  return *ctx.access_version;
}

}  // namespace pangolin::service
