// Immutable bytes in an anonymous, sealed memory file (memfd), so that a server can send them
// with sendfile: the kernel then hands the file's pages to the socket instead of copying the
// bytes from user memory on every answer.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>

namespace pangolin {

class MemoryFile {
 public:
  // Texts smaller than this are copied to sockets faster than the extra system calls of
  // sendfile cost.
  static constexpr size_t kWorthBytes = 32 * 1024;

  // A sealed file holding `bytes`, or null when the system cannot make one, or when as many are
  // open as the process's descriptor limit allows them (a quarter of it).
  static std::unique_ptr<MemoryFile> Create(std::string_view bytes);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  int fd() const { return fd_; }
  size_t size() const { return size_; }

 private:
  MemoryFile(int fd, size_t size) : fd_(fd), size_(size) {}
  int fd_;
  size_t size_;
};

// The MemoryFile of an immutable text, made at its second use: a text sent once (a commit's
// answer, a filtered load) is not worth a file. Thread-safe.
class LazyMemoryFile {
 public:
  // `text` must be the same text at every call. Null while not worth a file (small, first use)
  // or when none could be made.
  const MemoryFile* Get(std::string_view text) const;

 private:
  mutable std::atomic<int> uses_{0};
  mutable std::once_flag made_;
  mutable std::unique_ptr<MemoryFile> file_;
};

}  // namespace pangolin
