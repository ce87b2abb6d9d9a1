// The HTTP/1.1 server: Beast coroutines on a pool of threads that read and answer requests and
// run the handlers of reads (GET and HEAD; one may block on the store or storage: a blocked
// thread leaves the others serving). When every thread has been held by a handler for a while, a
// helper thread joins until one is back, so that slow requests do not hold up the others. The
// handlers of every other request (those that may change something, and wait on locks and device
// flushes) run on a pool of writer threads, first come first served, so that a connection waiting
// to be read never waits behind them; helpers join the writers too once all are held for ten
// times as long (slow proxied calls, one hot table's queue), so writes to other tables and other
// tenants do not wait behind them. Keep-alive, body and header limits, read and write
// timeouts, graceful shutdown. Beast and Asio stay inside server.cc (pimpl).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/message.h"

namespace pangolin::http {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;    // 0: any free port (see Server::port())
  int threads = 8;         // serve connections and run the handlers of reads
  int max_helpers = 8;     // threads that may join while all of them are held by handlers
  int writer_threads = 8;  // run the handlers of the other requests, in the order they came
  // How long every thread must have been in a handler before a helper joins (writers: 10 times).
  std::chrono::microseconds helper_after{2000};
  size_t max_body_bytes = 16 * 1024 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};
};

// Called on one of the server's threads for every complete request; must not throw.
using Handler = std::function<Response(Request)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts serving on background threads.
  // Errors: kInvalidArgument (bad address); kUnavailable (cannot bind).
  Status Start();
  // The bound port (useful with port 0). Valid after Start().
  uint16_t port() const;
  // Stops accepting, lets requests in flight finish (closing idle keep-alive connections), and
  // joins every thread. Requests still running after `grace` are abandoned.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pangolin::http
