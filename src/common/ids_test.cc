#include "common/ids.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace pangolin
