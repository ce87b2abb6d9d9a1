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

TEST(SharedValueTest, CopiesShareOneTextMadeOnce) {
  SharedValue<std::string> a(std::string("abc"));
  SharedValue<std::string> copy = a;
  int made = 0;
  auto upper = [&](const std::string& value) {
    ++made;
    std::string text = value;
    for (char& c : text) c = static_cast<char>(c - 'a' + 'A');
    return text;
  };
  EXPECT_EQ(a.Text(upper), "ABC");
  EXPECT_EQ(&copy.Text(upper), &a.Text(upper));
  EXPECT_EQ(made, 1);
  EXPECT_EQ(SharedValue<std::string>(std::string("abc")).Text(upper), "ABC");
  EXPECT_EQ(made, 2);
}

}  // namespace
}  // namespace pangolin
