// SharedValue<T>: an immutable T whose copies share it. Copying costs a reference count instead
// of a deep copy; comparing compares the values. For parts of a model that are copied often and
// never changed in place (a table's snapshots, copied with its metadata on every commit). The
// value can keep one text derived from it (its JSON), made once for all copies.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace pangolin {

template <typename T>
class SharedValue {
 public:
  SharedValue() : held_(std::make_shared<const Held>()) {}
  SharedValue(T value)  // NOLINT: a T
      : held_(std::make_shared<const Held>(std::move(value))) {}

  const T& get() const { return held_->value; }
  const T& operator*() const { return held_->value; }
  const T* operator->() const { return &held_->value; }
  operator const T&() const { return held_->value; }  // NOLINT: reads as the T it holds

  // The value's text as `encode(value)` writes it, made at the first call and kept with the
  // value, which never changes, so neither does the text. Thread-safe. One text per value: every
  // caller must pass the same encoding (there is one, the value's JSON).
  template <typename Encode>
  const std::string& Text(Encode&& encode) const {
    std::call_once(held_->once, [&] { held_->text = encode(held_->value); });
    return held_->text;
  }

  friend bool operator==(const SharedValue& a, const SharedValue& b) {
    return a.held_ == b.held_ || a.held_->value == b.held_->value;
  }

 private:
  struct Held {
    Held() = default;
    explicit Held(T v) : value(std::move(v)) {}
    T value;
    mutable std::once_flag once;
    mutable std::string text;
  };
  std::shared_ptr<const Held> held_;
};

}  // namespace pangolin
