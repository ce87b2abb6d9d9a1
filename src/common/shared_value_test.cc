// SharedValue: copies share one value; equality compares values, not identity.
#include "common/shared_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pangolin {
namespace {

TEST(SharedValueTest, CopiesShareTheValueAndCompareByValue) {
  SharedValue<std::string> a(std::string(100, 'x'));
  SharedValue<std::string> copy = a;
  EXPECT_EQ(&copy.get(), &a.get());
  EXPECT_EQ(copy->size(), 100u);
  SharedValue<std::string> equal(std::string(100, 'x'));
  EXPECT_NE(&equal.get(), &a.get());
  EXPECT_TRUE(equal == a);
  EXPECT_FALSE(SharedValue<std::string>("y") == a);
  std::vector<SharedValue<std::string>> list{a, equal};
  std::vector<SharedValue<std::string>> copied = list;
  EXPECT_EQ(&copied[0].get(), &a.get());
  EXPECT_TRUE(copied == list);
  const std::string& read = copied[1];
  EXPECT_EQ(read, std::string(100, 'x'));
}

}  // namespace
}  // namespace pangolin
