#include "common/ids.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

namespace pangolin {
namespace {

// Every id that `make` adds on each of 4 threads at once.
std::set<std::string> IdsFromThreads(const std::function<void(std::vector<std::string>&)>& make) {
  std::set<std::string> seen;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      make(mine);
      std::lock_guard lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  return seen;
}

// Checks that every id is a canonical UUID of one of `versions`, in the RFC 9562 variant.
void ExpectUuids(const std::set<std::string>& ids, std::string_view versions) {
  for (const std::string& id : ids) {
    ASSERT_TRUE(IsUuid(id)) << id;
    ASSERT_NE(versions.find(id[14]), std::string_view::npos) << id;
    ASSERT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos) << id;
  }
}

TEST(IdsTest, FastUuidsAreVersion4AndDistinctAcrossThreads) {
  auto ids = IdsFromThreads([](std::vector<std::string>& out) {
    for (int i = 0; i < 5000; ++i) out.push_back(NewFastUuid());
  });
  EXPECT_EQ(ids.size(), 20000u);
  ExpectUuids(ids, "4");
}

TEST(IdsTest, UuidsAreDistinctAcrossThreadsAndPoolRefills) {
  auto ids = IdsFromThreads([](std::vector<std::string>& out) {
    for (int i = 0; i < 3000; ++i) {  // several refills of each thread's pool
      out.push_back(NewUuid());
      out.push_back(NewUuidV7(1700000000000));
    }
  });
  EXPECT_EQ(ids.size(), 24000u);
  ExpectUuids(ids, "47");
}

TEST(IdsTest, AForkedChildDoesNotRepeatItsParentsIds) {
  NewUuid();  // the pool of this thread now holds bytes the child would copy
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string id = NewUuid();
    ssize_t written = ::write(pipe_fds[1], id.data(), id.size());
    ::_exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  std::string parent = NewUuid();
  char buffer[36];
  ASSERT_EQ(::read(pipe_fds[0], buffer, sizeof(buffer)), 36);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  EXPECT_EQ(status, 0);
  EXPECT_NE(std::string(buffer, sizeof(buffer)), parent);
}

}  // namespace
}  // namespace pangolin
