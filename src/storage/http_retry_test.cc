// Retry rules of SendWithRetry, over a client that answers from a script.
#include "storage/http_retry.h"

#include <gtest/gtest.h>

#include <deque>

namespace pangolin::storage {
namespace {

class ScriptedClient : public net::HttpClient {
 public:
  std::deque<Result<net::HttpResponse>> answers;
  int sent = 0;
  Result<net::HttpResponse> Send(const net::HttpRequest&) override {
    ++sent;
    auto next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
};

net::HttpResponse Answer(int status) { return net::HttpResponse{status, {}, {}}; }

constexpr RetryPolicy kFast{4, std::chrono::milliseconds(1), std::chrono::milliseconds(2)};

TEST(HttpRetryTest, RetriesThrottlingServerErrorsAndLostConnections) {
  ScriptedClient client;
  client.answers = {Answer(503), Err(ErrorCode::kUnavailable, "refused"), Answer(429), Answer(200)};
  int built = 0;
  auto answer = SendWithRetry(
      client,
      [&] {
        ++built;
        return net::HttpRequest{};
      },
      kFast);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(client.sent, 4);
  EXPECT_EQ(built, 4);  // every attempt is built (and signed) afresh
}

TEST(HttpRetryTest, ClientErrorsAreAnsweredAtOnce) {
  for (int status : {400, 403, 404, 409, 412}) {
    ScriptedClient client;
    client.answers = {Answer(status)};
    auto answer = SendWithRetry(
        client, [] { return net::HttpRequest{}; }, kFast);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, status);
    EXPECT_EQ(client.sent, 1);
  }
  ScriptedClient client;
  client.answers = {Err(ErrorCode::kBadRequest, "not a URL")};
  EXPECT_FALSE(SendWithRetry(
      client, [] { return net::HttpRequest{}; }, kFast));
  EXPECT_EQ(client.sent, 1);
}

TEST(HttpRetryTest, GivesTheLastAnswerWhenAttemptsRunOut) {
  ScriptedClient client;
  client.answers = {Answer(500), Answer(502), Answer(504), Answer(503)};
  auto answer = SendWithRetry(
      client, [] { return net::HttpRequest{}; }, kFast);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 503);
  EXPECT_EQ(client.sent, 4);
}

}  // namespace
}  // namespace pangolin::storage
