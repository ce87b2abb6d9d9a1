#include "common/ids.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

namespace pangolin {
namespace {

TEST(IdsTest, FastUuidsAreVersion4AndDistinctAcrossThreads) {
  std::set<std::string> seen;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(NewFastUuid());
      std::lock_guard lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), 20000u);
  for (const std::string& id : seen) {
    ASSERT_TRUE(IsUuid(id)) << id;
    ASSERT_EQ(id[14], '4') << id;
    ASSERT_TRUE(std::string_view("89ab").find(id[19]) != std::string_view::npos) << id;
  }
}

TEST(IdsTest, UuidsAreDistinctAcrossThreadsAndPoolRefills) {
  std::set<std::string> seen;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 3000; ++i) {  // several refills of each thread's pool
        mine.push_back(NewUuid());
        mine.push_back(NewUuidV7(1700000000000));
      }
      std::lock_guard lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), 24000u);
  for (const std::string& id : seen) {
    ASSERT_TRUE(IsUuid(id)) << id;
    ASSERT_TRUE(id[14] == '4' || id[14] == '7') << id;
    ASSERT_TRUE(std::string_view("89ab").find(id[19]) != std::string_view::npos) << id;
  }
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
