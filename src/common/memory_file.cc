#include "common/memory_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/write_fully.h"

namespace pangolin {
namespace {

std::atomic<int> open_files{0};

int MaxOpenFiles() {
  static const int max = [] {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
    return static_cast<int>(limit.rlim_cur / 4);
  }();
  return max;
}

}  // namespace

std::unique_ptr<MemoryFile> MemoryFile::Create(std::string_view bytes) {
  if (open_files.fetch_add(1) >= MaxOpenFiles()) {
    --open_files;
    return nullptr;
  }
  int fd = ::memfd_create("pangolin-text", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd >= 0 && WriteFully(fd, bytes) &&
      ::fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0) {
    return std::unique_ptr<MemoryFile>(new MemoryFile(fd, bytes.size()));
  }
  if (fd >= 0) ::close(fd);
  --open_files;
  return nullptr;
}

MemoryFile::~MemoryFile() {
  ::close(fd_);
  --open_files;
}

const MemoryFile* LazyMemoryFile::Get(std::string_view text) const {
  if (text.size() < MemoryFile::kWorthBytes) return nullptr;
  if (uses_.load(std::memory_order_relaxed) < 1 && uses_.fetch_add(1) < 1) return nullptr;
  std::call_once(made_, [&] { file_ = MemoryFile::Create(text); });
  return file_.get();
}

}  // namespace pangolin
