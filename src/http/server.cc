// Beast/Asio implementation of the server. This is the only translation unit that includes
// Beast and Asio (compile cost, ARCHITECTURE §4).
#include "http/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "common/strings.h"

namespace pangolin::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// One thread running the event loop; `handler_since` is when the handler it runs began
// (steady clock, nanoseconds), 0 between handlers.
struct Runner {
  std::atomic<int64_t> handler_since{0};
  pid_t tid = gettid();
  int64_t asleep_in = 0;  // the watcher's: the handler (its handler_since) last seen asleep
};

// Whether thread `tid` of this process sleeps in the kernel (waits on I/O, a lock or a timer)
// rather than runs or waits for a CPU.
bool Sleeps(pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/self/task/%d/stat", static_cast<int>(tid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char text[512];
  ssize_t size = ::read(fd, text, sizeof(text) - 1);
  ::close(fd);
  if (size <= 0) return false;
  std::string_view stat(text, static_cast<size_t>(size));
  size_t paren = stat.rfind(')');  // the state follows the command name: "tid (name) S ..."
  if (paren == std::string_view::npos || paren + 2 >= stat.size()) return false;
  char state = stat[paren + 2];
  return state == 'S' || state == 'D';
}

// The thread's Runner while it runs the event loop, read around each handler.
thread_local Runner* current_runner = nullptr;

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The event loop, run by the server's threads and, while they are all held by handlers, by
// helpers.
struct Loop {
  net::io_context io;  // never in Asio's one-thread mode: helpers join it
  std::mutex mutex;
  std::vector<Runner*> runners;  // the threads running `io` now
  bool helper_called = false;    // a helper is on its way

  // Whether a helper would serve connections that wait for nothing but a thread: every runner
  // is in a handler that began before `cutoff` and sleeps (on the store, storage, a lock) at this
  // look and the one before, or that began before `long_cutoff` whatever it does. A handler that
  // waits for a CPU, or for a lock an instant, is not helped by one more thread wanting a CPU.
  // Sets `busy` when a runner is in a handler.
  bool NeedsHelper(int64_t cutoff, int64_t long_cutoff, bool& busy) {
    bool needs = !runners.empty();
    for (Runner* runner : runners) {
      int64_t since = runner->handler_since.load(std::memory_order_relaxed);
      bool asleep = since != 0 && since <= cutoff && Sleeps(runner->tid);
      bool asleep_before = asleep && runner->asleep_in == since;
      runner->asleep_in = asleep ? since : 0;
      if (since != 0) busy = true;
      if (since == 0 || since > cutoff || (since > long_cutoff && !asleep_before)) needs = false;
    }
    return needs;
  }
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  Loop loop;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};
  std::atomic<int> connections{0};
  // A connection's stream, and whether it waits for a next request (only then may Shutdown
  // cancel it: the session touches its stream only while `waiting` is false, under `mutex`).
  struct Open {
    explicit Open(beast::tcp_stream* s) : stream(s) {}
    beast::tcp_stream* stream;
    std::mutex mutex;
    bool waiting = false;
  };
  std::mutex open_mutex;
  std::set<Open*> open;  // every connection's, added and removed once per connection

  // Helpers: threads that join the loop while its runners are all held; started when first
  // needed, at most `max_helpers`.
  std::mutex helpers_mutex;
  std::condition_variable helpers_cv;
  int calls = 0;  // helpers called and not yet in
  std::vector<std::thread> helpers;
  int idle_helpers = 0;
  bool stopping = false;
  std::condition_variable watcher_cv;  // wakes the watcher to stop
  std::thread watcher;

  Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)), acceptor(loop.io) {}

  // Registers `runner`, this thread's, as one that runs `loop`.
  static void Join(Loop& loop, Runner& runner) {
    current_runner = &runner;
    std::lock_guard lock(loop.mutex);
    loop.runners.push_back(&runner);
    loop.helper_called = false;
  }
  static void Leave(Loop& loop, Runner& runner) {
    {
      std::lock_guard lock(loop.mutex);
      std::erase(loop.runners, &runner);
    }
    current_runner = nullptr;
  }
  int64_t HelperAfterNanos() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(options.helper_after).count();
  }
  void Watch();
  void Help();

  net::awaitable<void> Accept();
  net::awaitable<void> Session(beast::tcp_stream stream);
  net::awaitable<bool> Write(beast::tcp_stream& stream, Response response, bool keep_alive,
                             unsigned version, bool head = false);
};

// Every tick, calls a helper when the loop needs one (Loop::NeedsHelper; one at a time, at most
// `max_helpers` in all). A tick costs tens of microseconds of CPU on a virtual machine, so while
// no handler runs the ticks grow apart, up to 50 ms.
void Server::Impl::Watch() {
  constexpr auto kBusyTick = std::chrono::milliseconds(2);
  constexpr auto kIdleTick = std::chrono::milliseconds(50);
  const int64_t after = HelperAfterNanos();
  auto tick = kBusyTick;
  std::unique_lock lock(helpers_mutex);
  while (!stopping) {
    watcher_cv.wait_for(lock, tick);
    if (stopping) break;
    int64_t now = SteadyNanos();
    bool busy = false;
    bool call = false;
    {
      std::lock_guard loop_lock(loop.mutex);
      bool available =
          idle_helpers > calls || static_cast<int>(helpers.size()) < options.max_helpers;
      call =
          loop.NeedsHelper(now - after, now - 10 * after, busy) && !loop.helper_called && available;
      if (call) loop.helper_called = true;
    }
    if (call && idle_helpers > calls++) {
      helpers_cv.notify_one();
    } else if (call) {
      helpers.emplace_back([this] { Help(); });
    }
    tick = busy ? kBusyTick : std::min(tick * 2, kIdleTick);
  }
}

// A helper: waits for a call, runs the loop until another of its runners is free (out of a
// handler, or in one that began less than `helper_after` ago), then waits again.
void Server::Impl::Help() {
  const int64_t after = HelperAfterNanos();
  std::unique_lock lock(helpers_mutex);
  while (true) {
    ++idle_helpers;
    helpers_cv.wait(lock, [this] { return stopping || calls > 0; });
    --idle_helpers;
    if (stopping) return;
    --calls;
    lock.unlock();
    Runner self;
    Join(loop, self);
    auto another_is_free = [&] {
      int64_t cutoff = SteadyNanos() - after;
      std::lock_guard loop_lock(loop.mutex);
      for (const Runner* runner : loop.runners) {
        int64_t since = runner->handler_since.load(std::memory_order_relaxed);
        if (runner != &self && (since == 0 || since > cutoff)) return true;
      }
      return false;
    };
    while (!loop.io.stopped() && !another_is_free()) {
      loop.io.run_one_for(std::chrono::milliseconds(10));
    }
    Leave(loop, self);
    // What the last handler run here queued (its continuations) waits for a thread without
    // waking one, and the others may be asleep in the kernel's event wait: wake one.
    net::post(loop.io, [] {});
    lock.lock();
  }
}

namespace {

// A Beast body made of a Response's three pieces, written as one gather list: the shared piece
// goes to the socket straight from the cache that holds it.
struct PiecesBody {
  struct value_type {
    std::string head;
    std::shared_ptr<const std::string> shared;
    std::string tail;
  };

  static std::uint64_t size(const value_type& v) {
    return v.head.size() + (v.shared ? v.shared->size() : 0) + v.tail.size();
  }

  class writer {
   public:
    using const_buffers_type = std::array<net::const_buffer, 3>;

    template <bool isRequest, class Fields>
    writer(const bhttp::header<isRequest, Fields>&, const value_type& value) : value_(value) {}

    void init(boost::system::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::system::error_code& ec) {
      ec = {};
      if (done_) return boost::none;
      done_ = true;
      const_buffers_type buffers{net::buffer(value_.head),
                                 value_.shared ? net::buffer(*value_.shared) : net::const_buffer(),
                                 net::buffer(value_.tail)};
      return std::make_pair(buffers, false);
    }

   private:
    const value_type& value_;
    bool done_ = false;
  };
};

Request ToRequest(bhttp::request<bhttp::string_body>&& message, const std::string& remote) {
  Request request;
  request.method = std::string(message.method_string());
  std::string_view target(message.target().data(), message.target().size());
  size_t q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    auto query = ParseQuery(target.substr(q + 1));
    if (query)
      request.query = std::move(*query);
    else
      request.query.emplace_back("\x01malformed", "");
  }
  for (const auto& field : message) {
    request.headers.emplace_back(
        ToLower(std::string_view(field.name_string().data(), field.name_string().size())),
        std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = remote;
  return request;
}

Response ErrorResponse(int status, std::string_view type, std::string_view message) {
  return Response::Json(
      status, fmt::format(R"({{"error":{{"message":"{}","type":"{}","code":{}}}}})", message, type,
                          status));
}

}  // namespace

net::awaitable<bool> Server::Impl::Write(beast::tcp_stream& stream, Response response,
                                         bool keep_alive, unsigned version, bool head) {
  bhttp::response<PiecesBody> message{static_cast<bhttp::status>(response.status), version};
  message.set(bhttp::field::server, "pangolin");
  if (!response.content_type.empty())
    message.set(bhttp::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) message.set(name, value);
  message.body() = {std::move(response.body), std::move(response.shared_body),
                    std::move(response.body_tail)};
  message.keep_alive(keep_alive && !draining);
  message.prepare_payload();
  stream.expires_after(options.write_timeout);
  if (head) {
    // A HEAD answer has the headers a GET would have, Content-Length included, and never a body:
    // bytes after the headers would be read as the start of the next response.
    bhttp::response_serializer<PiecesBody> serializer{message};
    auto [ec, bytes] =
        co_await bhttp::async_write_header(stream, serializer, net::as_tuple(net::use_awaitable));
    co_return !ec && message.keep_alive();
  }
  auto [ec, bytes] =
      co_await bhttp::async_write(stream, message, net::as_tuple(net::use_awaitable));
  co_return !ec && message.keep_alive();
}

net::awaitable<void> Server::Impl::Session(beast::tcp_stream stream) {
  ++connections;
  Open connection(&stream);
  {
    std::lock_guard lock(open_mutex);
    open.insert(&connection);
  }
  std::string remote;
  {
    boost::system::error_code ec;
    auto endpoint = stream.socket().remote_endpoint(ec);
    if (!ec) remote = endpoint.address().to_string();
  }
  beast::flat_buffer buffer;
  bool first = true;
  while (!draining) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    parser.header_limit(64 * 1024);
    stream.expires_after(first ? options.read_timeout : options.idle_timeout);
    {
      std::lock_guard lock(connection.mutex);
      connection.waiting = true;
    }
    auto [ec, bytes] =
        co_await bhttp::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    {
      std::lock_guard lock(connection.mutex);
      connection.waiting = false;
    }
    first = false;
    if (ec == bhttp::error::body_limit) {
      co_await Write(stream, ErrorResponse(413, "BadRequestException", "Request body too large"),
                     false, 11);
      break;
    }
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      break;
    }
    if (ec) {
      co_await Write(stream, ErrorResponse(400, "BadRequestException", "Malformed HTTP request"),
                     false, 11);
      break;
    }
    auto message = parser.release();
    bool keep_alive = message.keep_alive();
    unsigned version = message.version();
    bool head = message.method() == bhttp::verb::head;
    // The handler runs here, on this io thread: it may block on the store or storage, and the
    // other threads serve the other connections meanwhile (with a helper when all are held).
    Runner* runner = current_runner;
    if (runner) runner->handler_since.store(SteadyNanos(), std::memory_order_relaxed);
    Response response = handler(ToRequest(std::move(message), remote));
    if (runner) runner->handler_since.store(0, std::memory_order_relaxed);
    bool again = co_await Write(stream, std::move(response), keep_alive, version, head);
    if (!again) break;
  }
  {
    std::lock_guard lock(open_mutex);
    open.erase(&connection);
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  --connections;
}

net::awaitable<void> Server::Impl::Accept() {
  while (!draining) {
    auto [ec, socket] = co_await acceptor.async_accept(net::as_tuple(net::use_awaitable));
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      continue;  // e.g. too many open files: keep serving the connections we have
    }
    socket.set_option(tcp::no_delay(true));
    net::co_spawn(loop.io, Session(beast::tcp_stream(std::move(socket))), net::detached);
  }
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  if (!impl_->threads.empty()) Shutdown(std::chrono::milliseconds(0));
}

Status Server::Start() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(impl_->options.bind_address, ec);
  if (ec) {
    return Err(ErrorCode::kInvalidArgument, "invalid bind address '{}'",
               impl_->options.bind_address);
  }
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return Err(ErrorCode::kUnavailable, "cannot open socket: {}", ec.message());
  }
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    return Err(ErrorCode::kUnavailable, "cannot bind {}:{}: {}", impl_->options.bind_address,
               impl_->options.port, ec.message());
  }
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Err(ErrorCode::kUnavailable, "cannot listen: {}", ec.message());
  }
  net::co_spawn(impl_->loop.io, impl_->Accept(), net::detached);
  for (int i = 0; i < std::max(impl_->options.threads, 1); ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] {
      Runner runner;
      Impl::Join(impl->loop, runner);
      impl->loop.io.run();
      Impl::Leave(impl->loop, runner);
    });
  }
  impl_->watcher = std::thread([impl = impl_.get()] { impl->Watch(); });
  return Ok();
}

uint16_t Server::port() const {
  boost::system::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  impl_->draining = true;
  net::post(impl_->loop.io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      // Idle keep-alive sessions would otherwise wait for their next request.
      // A connection marked waiting is suspended in a read: the session clears the mark (under
      // the connection's lock) before it touches its stream again.
      net::post(impl_->loop.io, [impl = impl_.get()] {
        std::lock_guard lock(impl->open_mutex);
        for (Impl::Open* connection : impl->open) {
          std::lock_guard connection_lock(connection->mutex);
          if (connection->waiting) connection->stream->cancel();
        }
      });
    }
    if (impl_->connections == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  {
    std::lock_guard lock(impl_->helpers_mutex);
    impl_->stopping = true;
  }
  impl_->helpers_cv.notify_all();
  impl_->watcher_cv.notify_all();
  if (impl_->watcher.joinable()) impl_->watcher.join();
  impl_->loop.io.stop();
  for (auto& thread : impl_->threads) thread.join();
  for (auto& thread : impl_->helpers) thread.join();
  impl_->threads.clear();
  impl_->helpers.clear();
}

}  // namespace pangolin::http
