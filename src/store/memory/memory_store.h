// The in-memory MetadataStore: the reference twin of the database backends, used by unit tests
// and development. State lives in the process only and is lost when the store is destroyed.
#pragma once

#include <memory>

#include "common/result.h"
#include "store/metadata_store.h"

namespace pangolin::store {

// A new, empty store. Thread-safe (one mutex); never fails today, but returns Result so that
// every factory has the same shape.
Result<std::unique_ptr<MetadataStore>> MakeMemoryStore();

}  // namespace pangolin::store
