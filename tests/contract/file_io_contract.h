// FileIO contract: one typed suite that every FileIO passes. Each backend instantiates it in a
// file of its own (file_io_contract_<backend>_test.cc) with a factory:
//
//   struct Factory {
//     Result<std::unique_ptr<FileIO>> Make();      // the FileIO under test
//     std::string Root();                           // a fresh, empty root location for one test
//     std::vector<std::string> BadLocations(const std::string& root);  // refused: kInvalidArgument
//     std::string ForeignLocation();                // a location of another scheme
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Backend, FileIOContract, Factory);
//
// A backend that needs a server reads its address from the environment and fails (never skips)
// when it is not there, so CI cannot pass without running it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/file_io.h"
#include "testing/matchers.h"

namespace pangolin::storage {

template <typename Factory>
class FileIOContract : public ::testing::Test {
 protected:
  void SetUp() override {
    auto io = factory_.Make();
    ASSERT_TRUE(io) << io.error().message;
    io_ = std::move(*io);
    root_ = factory_.Root();
  }

  std::set<std::string> ListSet(const std::string& prefix) {
    std::set<std::string> out;
    auto files = io_->List(prefix);
    EXPECT_THAT(files, ::pangolin::testing::IsOk());
    if (files) {
      for (const auto& f : *files) out.insert(f.location);
    }
    return out;
  }

  Factory factory_;
  std::unique_ptr<FileIO> io_;
  std::string root_;
};

TYPED_TEST_SUITE_P(FileIOContract);

TYPED_TEST_P(FileIOContract, WriteThenReadRoundTrips) {
  auto& io = *this->io_;
  std::string binary("a\0b\xff\n", 5);
  std::string big(1 << 20, 'x');
  ASSERT_THAT(io.WriteNew(this->root_ + "/t/metadata/00000.json", binary),
              ::pangolin::testing::IsOk());
  ASSERT_THAT(io.WriteNew(this->root_ + "/t/empty", ""), ::pangolin::testing::IsOk());
  ASSERT_THAT(io.WriteNew(this->root_ + "/t/big", big), ::pangolin::testing::IsOk());
  EXPECT_THAT(io.Read(this->root_ + "/t/metadata/00000.json"), ::testing::Optional(binary));
  EXPECT_THAT(io.Read(this->root_ + "/t/empty"), ::testing::Optional(std::string()));
  EXPECT_THAT(io.Read(this->root_ + "/t/big"), ::testing::Optional(big));
  EXPECT_TRUE(io.Handles(this->root_ + "/t/big"));
  EXPECT_FALSE(io.Handles(this->factory_.ForeignLocation()));
}

TYPED_TEST_P(FileIOContract, WriteNewNeverReplaces) {
  auto& io = *this->io_;
  std::string location = this->root_ + "/t/v1.json";
  ASSERT_THAT(io.WriteNew(location, "first"), ::pangolin::testing::IsOk());
  EXPECT_THAT(io.WriteNew(location, "second"),
              ::pangolin::testing::IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(io.Read(location), ::testing::Optional(std::string("first")));
  EXPECT_EQ(this->ListSet(this->root_ + "/t/"), std::set<std::string>{location});
}

TYPED_TEST_P(FileIOContract, MissingObjectsAreNotFound) {
  auto& io = *this->io_;
  EXPECT_THAT(io.Read(this->root_ + "/nothing/here"),
              ::pangolin::testing::IsError(ErrorCode::kNotFound));
  EXPECT_THAT(io.Exists(this->root_ + "/nothing/here"), ::testing::Optional(false));
  EXPECT_THAT(io.Exists(this->root_), ::testing::Optional(false));  // a directory is no object
  EXPECT_THAT(io.Delete(this->root_ + "/nothing/here"), ::pangolin::testing::IsOk());
  EXPECT_TRUE(this->ListSet(this->root_ + "/nothing/").empty());
  EXPECT_THAT(io.DeletePrefix(this->root_ + "/nothing/"), ::pangolin::testing::IsOk());
}

TYPED_TEST_P(FileIOContract, DeleteRemovesOneObject) {
  auto& io = *this->io_;
  ASSERT_THAT(io.WriteNew(this->root_ + "/t/a", "a"), ::pangolin::testing::IsOk());
  ASSERT_THAT(io.WriteNew(this->root_ + "/t/b", "b"), ::pangolin::testing::IsOk());
  EXPECT_THAT(io.Exists(this->root_ + "/t/a"), ::testing::Optional(true));
  ASSERT_THAT(io.Delete(this->root_ + "/t/a"), ::pangolin::testing::IsOk());
  EXPECT_THAT(io.Read(this->root_ + "/t/a"), ::pangolin::testing::IsError(ErrorCode::kNotFound));
  EXPECT_THAT(io.Exists(this->root_ + "/t/a"), ::testing::Optional(false));
  EXPECT_THAT(io.Read(this->root_ + "/t/b"), ::testing::Optional(std::string("b")));
  ASSERT_THAT(io.WriteNew(this->root_ + "/t/a", "again"),
              ::pangolin::testing::IsOk());  // the name is free again
}

TYPED_TEST_P(FileIOContract, ListIsRecursiveAndByPrefix) {
  auto& io = *this->io_;
  const std::string& r = this->root_;
  for (const auto* name : {"/a/1", "/a/b/22", "/a/b/c/333", "/ab/4", "/z/5"}) {
    ASSERT_THAT(io.WriteNew(r + name, name), ::pangolin::testing::IsOk());
  }
  EXPECT_EQ(this->ListSet(r + "/a/"),
            (std::set<std::string>{r + "/a/1", r + "/a/b/22", r + "/a/b/c/333"}));
  EXPECT_EQ(this->ListSet(r + "/a"),
            (std::set<std::string>{r + "/a/1", r + "/a/b/22", r + "/a/b/c/333", r + "/ab/4"}));
  EXPECT_EQ(this->ListSet(r + "/a/b/c"), (std::set<std::string>{r + "/a/b/c/333"}));
  auto files = io.List(r + "/a/b/");
  ASSERT_THAT(files, ::pangolin::testing::IsOk());
  ASSERT_EQ(files->size(), 2u);
  for (const auto& f : *files) {
    EXPECT_EQ(f.size, static_cast<int64_t>(f.location.size() - r.size())) << f.location;
  }
}

TYPED_TEST_P(FileIOContract, DeletePrefixRemovesOneTree) {
  auto& io = *this->io_;
  const std::string& r = this->root_;
  for (const auto* name : {"/t/metadata/1.json", "/t/data/x/2.parquet", "/t2/metadata/3.json"}) {
    ASSERT_THAT(io.WriteNew(r + name, "x"), ::pangolin::testing::IsOk());
  }
  ASSERT_THAT(io.DeletePrefix(r + "/t"), ::pangolin::testing::IsOk());
  EXPECT_EQ(this->ListSet(r + "/"), std::set<std::string>{r + "/t2/metadata/3.json"});
  ASSERT_THAT(io.DeletePrefix(r + "/t2/"), ::pangolin::testing::IsOk());
  EXPECT_TRUE(this->ListSet(r + "/").empty());
}

TYPED_TEST_P(FileIOContract, ConcurrentWriteNewHasOneWinner) {
  auto& io = *this->io_;
  std::string location = this->root_ + "/race/v1.metadata.json";
  constexpr int kThreads = 8;
  std::atomic<int> winners{0}, refused{0};
  std::atomic<int> winner_index{-1};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto status = io.WriteNew(location, "writer-" + std::to_string(i));
      if (status) {
        ++winners;
        winner_index = i;
      } else if (status.error().code == ErrorCode::kAlreadyExists) {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_THAT(io.Read(location),
              ::testing::Optional("writer-" + std::to_string(winner_index.load())));
  EXPECT_EQ(this->ListSet(this->root_ + "/race/"), std::set<std::string>{location});
}

TYPED_TEST_P(FileIOContract, BadLocationsAreRefused) {
  auto& io = *this->io_;
  for (const auto& bad : this->factory_.BadLocations(this->root_)) {
    EXPECT_THAT(io.WriteNew(bad, "x"), ::pangolin::testing::IsError(ErrorCode::kInvalidArgument))
        << bad;
    EXPECT_THAT(io.Read(bad), ::pangolin::testing::IsError(ErrorCode::kInvalidArgument)) << bad;
    EXPECT_THAT(io.Exists(bad), ::pangolin::testing::IsError(ErrorCode::kInvalidArgument)) << bad;
    EXPECT_THAT(io.Delete(bad), ::pangolin::testing::IsError(ErrorCode::kInvalidArgument)) << bad;
  }
  EXPECT_TRUE(this->ListSet(this->root_ + "/").empty());
}

REGISTER_TYPED_TEST_SUITE_P(FileIOContract, WriteThenReadRoundTrips, WriteNewNeverReplaces,
                            MissingObjectsAreNotFound, DeleteRemovesOneObject,
                            ListIsRecursiveAndByPrefix, DeletePrefixRemovesOneTree,
                            ConcurrentWriteNewHasOneWinner, BadLocationsAreRefused);

}  // namespace pangolin::storage
