// SharedValue<T>: an immutable T whose copies share it. Copying costs a reference count instead
// of a deep copy; comparing compares the values. For parts of a model that are copied often and
// never changed in place (a table's snapshots, copied with its metadata on every commit).
#pragma once

#include <memory>
#include <utility>

namespace pangolin {

template <typename T>
class SharedValue {
 public:
  SharedValue() : value_(std::make_shared<const T>()) {}
  SharedValue(T value) : value_(std::make_shared<const T>(std::move(value))) {}  // NOLINT: a T

  const T& get() const { return *value_; }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return value_.get(); }
  operator const T&() const { return *value_; }  // NOLINT: reads as the T it holds

  friend bool operator==(const SharedValue& a, const SharedValue& b) {
    return a.value_ == b.value_ || *a.value_ == *b.value_;
  }

 private:
  std::shared_ptr<const T> value_;
};

}  // namespace pangolin
