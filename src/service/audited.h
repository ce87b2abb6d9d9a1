// StoreAudited: the store writes of a request together with the request's audit entry, in one
// store transaction (MetadataStore::Audited). Services wrap only their writes in it, not the
// validation, hashing or storage I/O before them, so the store's write lock is held briefly.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "common/result.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

// Runs `change` (returning a Status or a Result) with the audit entry the pipeline prepared for
// the request of `ctx`, and marks it recorded when both are stored. Without a prepared entry (or
// with one already recorded) it just runs `change`. Errors: those of `change`, or of the append.
template <typename Change>
auto StoreAudited(store::MetadataStore& store, const Context& ctx, Change&& change)
    -> std::invoke_result_t<Change&> {
  using R = std::invoke_result_t<Change&>;
  if (!ctx.audit || ctx.audit_recorded) return change();
  std::optional<R> result;
  Status stored = store.Audited(*ctx.audit, [&]() -> Status {
    result.emplace(change());
    if (*result) return Ok();
    return tl::unexpected(result->error());
  });
  if (!stored) return tl::unexpected(stored.error());
  ctx.audit_recorded = true;
  return std::move(*result);
}

}  // namespace pangolin::service
