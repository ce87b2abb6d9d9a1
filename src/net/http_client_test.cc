// The libcurl HttpClient against a one-shot HTTP server on 127.0.0.1 that this test runs on plain
// POSIX sockets: requests arrive as sent, answers come back as given (3xx included), and every
// failure the interface names (bad URL, refused connection, timeout, oversized answer) is mapped.
#include "net/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "common/strings.h"
#include "net/curl_http_client.h"
#include "testing/matchers.h"

namespace pangolin::net {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

// A listening socket on 127.0.0.1 with a port picked by the kernel.
int Listen(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, 1) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ADD_FAILURE() << "cannot listen on 127.0.0.1";
  }
  *port = ntohs(address.sin_port);
  return fd;
}

// Reads one request: the head, then as many body bytes as Content-Length announces.
std::string ReadRequest(int fd) {
  std::string request;
  std::array<char, 4096> buffer{};
  size_t wanted = std::string::npos;
  while (request.size() < wanted) {
    ssize_t got = recv(fd, buffer.data(), buffer.size(), 0);
    if (got <= 0) break;
    request.append(buffer.data(), static_cast<size_t>(got));
    size_t end = request.find("\r\n\r\n");
    if (wanted != std::string::npos || end == std::string::npos) continue;
    wanted = end + 4;
    std::string head = ToLower(request.substr(0, end));
    if (size_t at = head.find("\r\ncontent-length:"); at != std::string::npos) {
      wanted += std::stoul(head.substr(at + 17));
    }
  }
  return request;
}

// Serves one connection: records the request, then writes `answer`; without an answer it stays
// silent until the client hangs up.
class OneShotServer {
 public:
  explicit OneShotServer(std::optional<std::string> answer) : listener_(Listen(&port_)) {
    thread_ = std::thread([this, answer = std::move(answer)] {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      request_ = ReadRequest(fd);
      if (answer) {
        send(fd, answer->data(), answer->size(), MSG_NOSIGNAL);
      } else {
        std::array<char, 256> sink{};
        while (recv(fd, sink.data(), sink.size(), 0) > 0) {
        }
      }
      close(fd);
    });
  }
  ~OneShotServer() {
    if (thread_.joinable()) {
      shutdown(listener_, SHUT_RDWR);  // wakes accept() when no client came
      thread_.join();
    }
    close(listener_);
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  // The request as received, once the exchange is over.
  const std::string& Request() {
    thread_.join();
    return request_;
  }

 private:
  int port_ = 0;
  int listener_;
  std::string request_;
  std::thread thread_;
};

std::unique_ptr<HttpClient> Client() {
  auto client = MakeCurlHttpClient();
  EXPECT_TRUE(client) << client.error().message;
  return std::move(*client);
}

TEST(FormEncodeTest, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(FormEncode({}), "");
  EXPECT_EQ(FormEncode({{"grant_type", "authorization_code"}, {"code", "a b+c/d=e&f"}}),
            "grant_type=authorization_code&code=a%20b%2Bc%2Fd%3De%26f");
  EXPECT_EQ(FormEncode({{"k~-._", "\xC3\xA9?"}, {"empty", ""}}), "k~-._=%C3%A9%3F&empty=");
}

TEST(HttpResponseTest, HeaderFindsFirstByLowerCaseName) {
  HttpResponse response;
  response.headers = {{"content-type", "a"}, {"x-one", "1"}, {"x-one", "2"}};
  EXPECT_EQ(response.Header("x-one"), "1");
  EXPECT_EQ(response.Header("Content-Type"), "a");
  EXPECT_EQ(response.Header("x-two"), std::nullopt);
}

TEST(CurlHttpClientTest, RefusesOtherSchemesAndMalformedUrls) {
  auto client = Client();
  for (const char* url : {"ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1/",
                          "http://", "not a url", "127.0.0.1/no-scheme", "http://exa mple.com/"}) {
    HttpRequest request;
    request.url = url;
    EXPECT_THAT(client->Send(request), IsError(ErrorCode::kBadRequest)) << url;
  }
  HttpRequest request;
  request.url = "http://127.0.0.1:1/";
  request.headers = {{"X-Injected", "a\r\nHost: evil"}};
  EXPECT_THAT(client->Send(request), IsError(ErrorCode::kBadRequest));
  request.headers.clear();
  request.method = "TRACE";
  EXPECT_THAT(client->Send(request), IsError(ErrorCode::kBadRequest));
}

TEST(CurlHttpClientTest, ClosedPortIsUnavailable) {
  int port = 0;
  close(Listen(&port));  // the port was free a moment ago and nobody listens on it now
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  EXPECT_THAT(Client()->Send(request), IsError(ErrorCode::kUnavailable));
}

TEST(CurlHttpClientTest, GetSendsHeadersAndReturnsAnswer) {
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Trace: one two \r\n"
      "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}");
  HttpRequest request;
  request.url = server.Url("/.well-known/openid-configuration?x=1");
  request.headers = {{"Accept", "application/json"}, {"X-Empty", ""}};
  ASSERT_OK_AND_ASSIGN(HttpResponse response, Client()->Send(request));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{\"ok\":true}");
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_EQ(response.Header("x-trace"), "one two");
  const std::string& sent = server.Request();
  EXPECT_TRUE(StartsWith(sent, "GET /.well-known/openid-configuration?x=1 HTTP/1.1\r\n")) << sent;
  EXPECT_NE(sent.find("\r\nAccept: application/json\r\n"), std::string::npos) << sent;
  EXPECT_NE(sent.find("\r\nX-Empty:"), std::string::npos) << sent;
}

TEST(CurlHttpClientTest, PostSendsFormBody) {
  OneShotServer server("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nhi");
  HttpRequest request;
  request.method = "POST";
  request.url = server.Url("/token");
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = FormEncode({{"grant_type", "client_credentials"}, {"scope", "a b"}});
  ASSERT_OK_AND_ASSIGN(HttpResponse response, Client()->Send(request));
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "hi");
  const std::string& sent = server.Request();
  EXPECT_TRUE(StartsWith(sent, "POST /token HTTP/1.1\r\n")) << sent;
  EXPECT_NE(sent.find("\r\nContent-Type: application/x-www-form-urlencoded\r\n"), std::string::npos)
      << sent;
  EXPECT_EQ(ToLower(sent).find("expect:"), std::string::npos) << sent;
  EXPECT_TRUE(EndsWith(sent, "\r\n\r\ngrant_type=client_credentials&scope=a%20b")) << sent;
}

TEST(CurlHttpClientTest, PutAndDeleteUseTheirMethods) {
  for (const char* method : {"PUT", "DELETE"}) {
    OneShotServer server("HTTP/1.1 204 No Content\r\n\r\n");
    HttpRequest request;
    request.method = method;
    request.url = server.Url("/object");
    request.body = "data";
    ASSERT_OK_AND_ASSIGN(HttpResponse response, Client()->Send(request));
    EXPECT_EQ(response.status, 204);
    const std::string& sent = server.Request();
    EXPECT_TRUE(StartsWith(sent, std::string(method) + " /object HTTP/1.1\r\n")) << sent;
    EXPECT_TRUE(EndsWith(sent, "\r\n\r\ndata")) << sent;
  }
}

TEST(CurlHttpClientTest, AnswerOverLimitIsPayloadTooLarge) {
  // Announced by Content-Length, and streamed without one (chunked).
  OneShotServer announced("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n0123456789A");
  HttpRequest request;
  request.url = announced.Url("/big");
  request.max_response_bytes = 10;
  EXPECT_THAT(Client()->Send(request), IsError(ErrorCode::kPayloadTooLarge));

  OneShotServer streamed(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
      "chunked\r\n\r\n6\r\n012345\r\n5\r\n6789A\r\n0\r\n\r\n");
  request.url = streamed.Url("/big");
  EXPECT_THAT(Client()->Send(request), IsError(ErrorCode::kPayloadTooLarge));

  OneShotServer exact("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
  request.url = exact.Url("/fits");
  ASSERT_OK_AND_ASSIGN(HttpResponse response, Client()->Send(request));
  EXPECT_EQ(response.body, "0123456789");
}

TEST(CurlHttpClientTest, RedirectIsReturnedNotFollowed) {
  OneShotServer server("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n");
  HttpRequest request;
  request.url = server.Url("/start");
  ASSERT_OK_AND_ASSIGN(HttpResponse response, Client()->Send(request));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.Header("location"), "/elsewhere");
  EXPECT_TRUE(StartsWith(server.Request(), "GET /start HTTP/1.1\r\n"));
}

TEST(CurlHttpClientTest, SilentServerTimesOut) {
  OneShotServer server(std::nullopt);
  HttpRequest request;
  request.url = server.Url("/slow");
  request.timeout = std::chrono::milliseconds(300);
  EXPECT_THAT(Client()->Send(request), IsErrorWithMessage(ErrorCode::kUnavailable, "127.0.0.1"));
  EXPECT_TRUE(StartsWith(server.Request(), "GET /slow HTTP/1.1\r\n"));
}

}  // namespace
}  // namespace pangolin::net
