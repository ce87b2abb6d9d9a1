#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/deflate.h"
#include "common/memory_file.h"
#include "testing/gunzip.h"

namespace pangolin::http {
namespace {

using ::pangolin::testing::Gunzip;

// A blocking HTTP/1.1 client on one keep-alive connection; every read gives up after 20 s, so a
// server that never answers fails the test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{20, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() { ::close(fd_); }

  bool connected() const { return connected_; }

  void Send(const std::string& path) { SendRaw("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n"); }

  void SendRaw(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  // The next response's body, or nullopt when the connection closed or timed out first.
  std::optional<std::string> Receive() {
    while (true) {
      size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t at = buffer_.find("Content-Length: ");
        size_t length = at < end ? std::stoul(buffer_.substr(at + 16)) : 0;
        if (buffer_.size() >= end + 4 + length) {
          std::string body = buffer_.substr(end + 4, length);
          head_ = buffer_.substr(0, end + 2);
          buffer_.erase(0, end + 4 + length);
          return body;
        }
      }
      char chunk[4096];
      ssize_t size = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (size <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<size_t>(size));
    }
  }

  std::optional<std::string> Get(const std::string& path) {
    Send(path);
    return Receive();
  }

  // The status line and header fields of the last response received, each line ending in CRLF.
  const std::string& head() const { return head_; }

 private:
  int fd_;
  bool connected_ = false;
  std::string buffer_;
  std::string head_;
};

// One thread, so that every connection waits for the thread a slow handler holds.
ServerOptions OneThread() {
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.max_helpers = 2;
  return options;
}

TEST(ServerTest, AHandlerAsleepDoesNotHoldUpTheOtherConnections) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Server server(OneThread(), [&](Request request) {
    if (request.path == "/slow") {
      entered.set_value();
      released.wait();  // asleep in the kernel, as on a slow store or object store
    }
    return Response::Json(200, "\"" + request.path + "\"");
  });
  ASSERT_TRUE(server.Start());

  Client slow(server.port());
  ASSERT_TRUE(slow.connected());
  slow.Send("/slow");
  entered.get_future().wait();

  // The server's only thread is held: a helper serves this connection meanwhile.
  Client fast(server.port());
  ASSERT_TRUE(fast.connected());
  EXPECT_EQ(fast.Get("/fast"), "\"/fast\"");
  EXPECT_EQ(fast.Get("/again"), "\"/again\"");

  release.set_value();
  EXPECT_EQ(slow.Receive(), "\"/slow\"");
  // Once the helper has left, the server's thread serves everything again: nothing the helper
  // queued is left behind.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(slow.Get("/next"), "\"/next\"");
    EXPECT_EQ(fast.Get("/next"), "\"/next\"");
  }
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(ServerTest, TheThreadServesWhileAHelperIsHeldInTurn) {
  std::promise<void> entered[2];
  std::promise<void> release[2];
  std::shared_future<void> released[2] = {release[0].get_future().share(),
                                          release[1].get_future().share()};
  Server server(OneThread(), [&](Request request) {
    for (int i = 0; i < 2; ++i) {
      if (request.path == "/slow" + std::to_string(i)) {
        entered[i].set_value();
        released[i].wait();
      }
    }
    return Response::Json(200, "\"" + request.path + "\"");
  });
  ASSERT_TRUE(server.Start());
  Client first(server.port());
  first.Send("/slow0");
  entered[0].get_future().wait();
  Client fast(server.port());
  EXPECT_EQ(fast.Get("/fast"), "\"/fast\"");  // a helper is in
  release[0].set_value();
  EXPECT_EQ(first.Receive(), "\"/slow0\"");
  // Whichever thread takes this one (the server's or the helper), the other serves meanwhile.
  Client second(server.port());
  second.Send("/slow1");
  entered[1].get_future().wait();
  EXPECT_EQ(fast.Get("/fast"), "\"/fast\"");
  release[1].set_value();
  EXPECT_EQ(second.Receive(), "\"/slow1\"");
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(ServerTest, AHandlerBusyForLongDoesNotHoldUpTheOtherConnections) {
  std::promise<void> entered;
  std::atomic<bool> answered{false};
  Server server(OneThread(), [&](Request request) {
    if (request.path == "/busy") {
      entered.set_value();
      // Never asleep: only its length calls a helper.
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!answered && std::chrono::steady_clock::now() < give_up) {
      }
    }
    return Response::Json(200, "\"" + request.path + "\"");
  });
  ASSERT_TRUE(server.Start());

  Client busy(server.port());
  busy.Send("/busy");
  entered.get_future().wait();
  Client fast(server.port());
  EXPECT_EQ(fast.Get("/fast"), "\"/fast\"");
  answered = true;
  EXPECT_EQ(busy.Receive(), "\"/busy\"");
  server.Shutdown(std::chrono::milliseconds(1000));
}

// Requests other than reads run on writer threads, started when first needed, one after the other
// here: a write asleep in its handler holds neither the server's thread (no helper here) nor the
// writes behind it out of order.
TEST(ServerTest, WritesRunOnWriterThreadsInTheOrderTheyCame) {
  ServerOptions options = OneThread();
  options.max_helpers = 0;
  options.writer_threads = 1;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mutex;
  std::vector<std::string> handled;
  Server server(options, [&](Request request) {
    if (request.path == "/slow") {
      entered.set_value();
      released.wait();
    }
    std::lock_guard lock(mutex);
    handled.push_back(request.method + " " + request.path);
    return Response::Json(200, "\"" + request.path + "\"");
  });
  ASSERT_TRUE(server.Start());
  auto threads = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/task"),
                         std::filesystem::directory_iterator());
  };
  auto before = threads();
  auto post = [](const std::string& path) {
    return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n";
  };
  // Reads start no writer thread; the first write starts the only one.
  Client reader(server.port());
  EXPECT_EQ(reader.Get("/read"), "\"/read\"");
  EXPECT_EQ(threads(), before);
  Client slow(server.port());
  slow.SendRaw(post("/slow"));
  entered.get_future().wait();
  EXPECT_EQ(threads(), before + 1);

  // The only writer is held; the server's thread reads and answers meanwhile.
  Client next(server.port());
  next.SendRaw(post("/next"));
  EXPECT_EQ(reader.Get("/read"), "\"/read\"");
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(handled, (std::vector<std::string>{"GET /read", "GET /read"}));
  }
  release.set_value();
  EXPECT_EQ(slow.Receive(), "\"/slow\"");
  EXPECT_EQ(next.Receive(), "\"/next\"");
  EXPECT_EQ(handled,
            (std::vector<std::string>{"GET /read", "GET /read", "POST /slow", "POST /next"}));
  server.Shutdown(std::chrono::milliseconds(1000));
}

// Once every writer has been held asleep for ten times `helper_after` (a proxied call to a slow
// remote catalog, say), a helper runs the writes queued behind it.
TEST(ServerTest, AWriterHeldForLongGetsAHelper) {
  ServerOptions options = OneThread();
  options.writer_threads = 1;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Server server(options, [&](Request request) {
    if (request.path == "/slow") {
      entered.set_value();
      released.wait();
    }
    return Response::Json(200, "\"" + request.path + "\"");
  });
  ASSERT_TRUE(server.Start());
  auto post = [](const std::string& path) {
    return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n";
  };
  Client slow(server.port());
  slow.SendRaw(post("/slow"));
  entered.get_future().wait();
  Client next(server.port());
  for (int i = 0; i < 3; ++i) {
    next.SendRaw(post("/next"));
    EXPECT_EQ(next.Receive(), "\"/next\"");
  }
  release.set_value();
  EXPECT_EQ(slow.Receive(), "\"/slow\"");
  // The helper has left; the writer runs the writes again.
  for (int i = 0; i < 3; ++i) {
    slow.SendRaw(post("/again"));
    EXPECT_EQ(slow.Receive(), "\"/again\"");
  }
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(ServerTest, ServesManyConnectionsAndShutdownClosesIdleOnes) {
  ServerOptions options;
  options.port = 0;
  options.threads = 3;
  Server server(options, [](Request request) { return Response::Json(200, "\"ok\""); });
  ASSERT_TRUE(server.Start());
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 7; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    EXPECT_EQ(clients.back()->Get("/a"), "\"ok\"");
  }
  for (auto& client : clients) EXPECT_EQ(client->Get("/b"), "\"ok\"");
  server.Shutdown(std::chrono::milliseconds(2000));
  for (auto& client : clients) EXPECT_EQ(client->Receive(), std::nullopt);  // closed
}

// "<size>:<sum of the bytes>" of a request body, as the handler below answers it.
std::string Summary(std::string_view body) {
  uint64_t sum = 0;
  for (char c : body) sum += static_cast<unsigned char>(c);
  return std::to_string(body.size()) + ":" + std::to_string(sum);
}

std::string Post(const std::string& body) {
  return "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

TEST(ServerTest, ReadsBodiesOfEverySizeAndWhatIsPipelinedAfterThem) {
  ServerOptions options = OneThread();
  options.max_body_bytes = 4 << 20;
  Server server(options, [](Request request) {
    return Response::Json(200, "\"" + Summary(request.body) + "\"");
  });
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  // Around the first read's 4 KiB and past the 1 MiB a read asks for at most.
  for (size_t size : {0u, 1u, 511u, 513u, 4095u, 4097u, 70000u, (3u << 20) + 7}) {
    std::string body(size, '\0');
    for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 23);
    // Sent with the next request right behind it, in one write.
    std::thread sender([&] { client.SendRaw(Post(body) + Post("tail")); });
    EXPECT_EQ(client.Receive(), "\"" + Summary(body) + "\"") << size;
    EXPECT_EQ(client.Receive(), "\"" + Summary("tail") + "\"") << size;
    sender.join();
  }
  // A length over the limit: 413 before the body.
  client.SendRaw("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                 std::to_string((4 << 20) + 1) + "\r\n\r\n");
  EXPECT_TRUE(client.Receive());
  EXPECT_NE(client.head().find(" 413 "), std::string::npos) << client.head();
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(ServerTest, AnswersPipelinedRequestsInOrderAndSendsSharedFiles) {
  auto text = std::make_shared<std::string>();
  for (int i = 0; text->size() < 1024 * 1024; ++i) *text += std::to_string(i) + ",";
  std::shared_ptr<const MemoryFile> file = MemoryFile::Create(*text);
  ASSERT_NE(file, nullptr);
  ServerOptions options = OneThread();
  Server server(options, [&](Request request) {
    if (request.path != "/big") return Response::Json(200, "\"" + request.path + "\"");
    Response response = Response::Json(200, "[", text, "]");
    response.shared_file = file;
    return response;
  });
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  client.SendRaw(
      "GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /big HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /b HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.Receive(), "\"/a\"");
  EXPECT_EQ(client.Receive(), "[" + *text + "]");
  EXPECT_EQ(client.Receive(), "\"/b\"");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.Get("/big"), "[" + *text + "]");
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(AcceptsGzipTest, ReadsCodingsAndQValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("deflate, X-GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, *;q=0.1"));
  EXPECT_TRUE(AcceptsGzip(" gzip ; q=1 "));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("deflate, br"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000, *"));  // named refusals win over "*"
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
}

TEST(ServerTest, SendsKeptTextsCompressedToClientsThatAcceptGzip) {
  auto text = std::make_shared<std::string>();
  for (int i = 0; text->size() < 300 * 1024; ++i) *text += std::to_string(i) + ",";
  auto kept = std::make_shared<LazyDeflatePiece>();
  Server server(OneThread(), [&](Request request) {
    Response response = Response::Json(200, "[", text, "]");
    if (request.path == "/kept") response.shared_deflate = kept;
    response.headers.emplace_back("ETag", "\"v1\"");
    return response;
  });
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  std::string whole = "[" + *text + "]";
  auto get = [&](const std::string& path, const std::string& accept) {
    client.SendRaw("GET " + path + " HTTP/1.1\r\nHost: t\r\nAccept-Encoding: " + accept +
                   "\r\n\r\n");
    return client.Receive();
  };
  auto has = [&](const std::string& field) {
    return client.head().find("\r\n" + field + "\r\n") != std::string::npos;
  };
  // The first answer of a kept text goes out as it is (it may be the only one), and so does an
  // answer to a client that refuses gzip, or that does not name it.
  for (const char* accept : {"gzip, deflate", "gzip;q=0", "identity"}) {
    EXPECT_EQ(get("/kept", accept), whole) << accept;
    EXPECT_FALSE(has("Content-Encoding: gzip")) << accept;
    EXPECT_TRUE(has("Vary: Accept-Encoding"));
    EXPECT_TRUE(has("ETag: \"v1\""));
  }
  for (int i = 0; i < 2; ++i) {
    auto body = get("/kept", "gzip, deflate");
    ASSERT_TRUE(body);
    EXPECT_LT(body->size(), whole.size() / 2);
    EXPECT_EQ(Gunzip(*body), whole);
    EXPECT_TRUE(has("Content-Encoding: gzip"));
    EXPECT_TRUE(has("Vary: Accept-Encoding"));
    EXPECT_TRUE(has("ETag: W/\"v1\""));
  }
  // A fresh answer is never compressed: that would cost more than it saves near the client.
  EXPECT_EQ(get("/fresh", "gzip"), whole);
  EXPECT_FALSE(has("Content-Encoding: gzip"));
  EXPECT_FALSE(has("Vary: Accept-Encoding"));
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(ServerTest, ClosesConnectionsWhoseRequestDoesNotArriveOrThatStayIdle) {
  ServerOptions options = OneThread();
  options.read_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(1);
  Server server(options, [](Request request) { return Response::Json(200, "\"ok\""); });
  ASSERT_TRUE(server.Start());
  auto start = std::chrono::steady_clock::now();
  Client partial(server.port());
  partial.SendRaw("GET /a HTTP/1.1\r\nHost:");
  Client idle(server.port());
  EXPECT_EQ(idle.Get("/a"), "\"ok\"");
  EXPECT_EQ(partial.Receive(), std::nullopt);  // closed, long before the client's 20 s
  EXPECT_EQ(idle.Receive(), std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  server.Shutdown(std::chrono::milliseconds(1000));
}

TEST(ServerTest, GivesUpAnAnswerTheClientDoesNotRead) {
  ServerOptions options = OneThread();
  options.write_timeout = std::chrono::seconds(1);
  const size_t size = 64 * 1024 * 1024;  // more than the kernel buffers between the two
  Server server(options, [&](Request request) {
    return Response::Json(200, request.path == "/big" ? std::string(size, ' ') : "\"ok\"");
  });
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  client.Send("/big");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  Client other(server.port());
  EXPECT_EQ(other.Get("/b"), "\"ok\"");       // the server is not held up
  EXPECT_EQ(client.Receive(), std::nullopt);  // the answer was cut short
  server.Shutdown(std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace pangolin::http
