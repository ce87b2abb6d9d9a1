// MemoryFile: sealed files holding a text, sent with sendfile; LazyMemoryFile makes one at the
// second use of a large text only.
#include "common/memory_file.h"

#include <gtest/gtest.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace pangolin {
namespace {

std::string LargeText() {
  std::string text;
  for (int i = 0; text.size() < MemoryFile::kWorthBytes + 1000; ++i) text += std::to_string(i);
  return text;
}

TEST(MemoryFileTest, HoldsTheBytesAndRefusesWrites) {
  std::string text = LargeText();
  auto file = MemoryFile::Create(text);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->size(), text.size());
  std::string read(text.size(), '\0');
  EXPECT_EQ(::pread(file->fd(), read.data(), read.size(), 0), static_cast<ssize_t>(text.size()));
  EXPECT_EQ(read, text);
  EXPECT_EQ(::pwrite(file->fd(), "x", 1, 0), -1);  // sealed
  EXPECT_EQ(::ftruncate(file->fd(), 1), -1);
}

TEST(MemoryFileTest, SendsToASocket) {
  std::string text = LargeText();
  auto file = MemoryFile::Create(text);
  ASSERT_NE(file, nullptr);
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  int size = static_cast<int>(text.size()) * 2;
  ::setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  ::setsockopt(pair[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  std::string received;
  off_t offset = 0;
  while (offset < static_cast<off_t>(text.size())) {
    ASSERT_GT(::sendfile(pair[0], file->fd(), &offset, text.size() - offset), 0);
    char chunk[65536];
    ssize_t n = ::recv(pair[1], chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n > 0) received.append(chunk, static_cast<size_t>(n));
  }
  ::shutdown(pair[0], SHUT_WR);
  char chunk[65536];
  for (ssize_t n; (n = ::recv(pair[1], chunk, sizeof(chunk), 0)) > 0;) {
    received.append(chunk, static_cast<size_t>(n));
  }
  ::close(pair[0]);
  ::close(pair[1]);
  EXPECT_EQ(received, text);
}

TEST(LazyMemoryFileTest, MakesAFileAtTheSecondUseOfALargeText) {
  std::string text = LargeText();
  LazyMemoryFile lazy;
  EXPECT_EQ(lazy.Get(text), nullptr);
  const MemoryFile* file = lazy.Get(text);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->size(), text.size());
  EXPECT_EQ(lazy.Get(text), file);

  LazyMemoryFile small;
  EXPECT_EQ(small.Get("{}"), nullptr);
  EXPECT_EQ(small.Get("{}"), nullptr);
}

}  // namespace
}  // namespace pangolin
