// The HTTP/1.1 server: Beast coroutines on lanes, each an event loop that alone serves its share
// of the connections and runs their handlers on its own thread (no hand-over between threads on
// the way). A handler may block on the store or storage: when every thread of a lane has been in
// a handler for a while, a helper thread joins that lane until one of them is back, so a slow
// request does not hold up the others of its lane. Keep-alive, body and header limits, read and
// write timeouts, graceful shutdown. Beast and Asio stay inside server.cc (pimpl).
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
  uint16_t port = 8080;  // 0: any free port (see Server::port())
  int threads = 8;       // lanes: threads that serve connections and run handlers
  int max_helpers = 8;   // threads that may join lanes whose threads are all held by handlers
  // How long every thread of a lane must have been in a handler before a helper joins it.
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
