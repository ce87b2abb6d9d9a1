// Beast/Asio implementation of the server. This is the only translation unit that includes
// Beast and Asio (compile cost, ARCHITECTURE §4).
#include "http/server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "common/deflate.h"
#include "common/memory_file.h"
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

int64_t Nanos(std::chrono::nanoseconds duration) { return duration.count(); }

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// An event loop: the server's, run by its threads, or the writers'. While every thread running
// it is held by a handler, helpers join it.
struct Loop {
  net::io_context io;  // never in Asio's one-thread mode: helpers join it
  std::mutex mutex;
  std::vector<Runner*> runners;  // the threads running `io` now
  bool helper_called = false;    // a helper is on its way

  // Registers `runner`, this thread's, as one that runs `io`, until Leave.
  void Join(Runner& runner) {
    current_runner = &runner;
    std::lock_guard lock(mutex);
    runners.push_back(&runner);
    helper_called = false;
  }
  void Leave(Runner& runner) {
    {
      std::lock_guard lock(mutex);
      std::erase(runners, &runner);
    }
    current_runner = nullptr;
  }
  // Joins, runs `io` until it stops, and leaves.
  void Run() {
    Runner runner;
    Join(runner);
    io.run();
    Leave(runner);
  }

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

// Runs the handlers of requests other than reads, first come first served, on threads started
// as they are first needed (at most `max`): an idle server pays for none of their stacks and
// malloc arenas. Once all are started and held (a proxied call to a slow remote catalog, a queue
// on one hot table's lock), helpers join `loop` as they join the server's.
class WriterPool {
 public:
  explicit WriterPool(int max) : max_(max) {}
  ~WriterPool() { Join(); }
  WriterPool(const WriterPool&) = delete;
  WriterPool& operator=(const WriterPool&) = delete;

  Loop loop;

  net::io_context::executor_type executor() { return loop.io.get_executor(); }
  // Call before moving a handler to the pool, and Leave once it has run.
  void Enter() {
    int in_flight = ++in_flight_;
    if (in_flight <= started_.load(std::memory_order_relaxed)) return;
    std::lock_guard lock(mutex_);
    if (static_cast<int>(threads_.size()) >= std::min(in_flight, max_)) return;
    threads_.emplace_back([this] { loop.Run(); });
    started_.store(static_cast<int>(threads_.size()), std::memory_order_relaxed);
  }
  void Leave() { --in_flight_; }
  // Whether every thread the pool may start has started: until then a write starts one.
  bool AllStarted() const { return started_.load(std::memory_order_relaxed) == max_; }
  // Returns once every handler moved here has run.
  void Join() {
    work_.reset();
    std::lock_guard lock(mutex_);
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  const int max_;
  net::executor_work_guard<net::io_context::executor_type> work_{loop.io.get_executor()};
  std::atomic<int> in_flight_{0};
  std::atomic<int> started_{0};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
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
  // A connection. Its session marks what it waits for while suspended in a socket operation;
  // another thread may cancel that operation only while the mark is set, under `mutex` (Shutdown
  // for connections idle between requests, the watcher for those past their deadline).
  struct Open {
    enum class Waits { kNothing, kRequest, kWrite };
    explicit Open(tcp::socket& s) : socket(s) {}
    tcp::socket& socket;
    std::mutex mutex;
    Waits waits = Waits::kNothing;
    std::atomic<int64_t> deadline{0};  // steady clock, nanoseconds: for the request or the answer
  };
  std::mutex open_mutex;
  std::set<Open*> open;  // every connection's, added and removed once per connection

  // Helpers: threads that join a loop (the server's or the writers') while its runners are all
  // held; started when first needed, at most `max_helpers` for both.
  std::mutex helpers_mutex;
  std::condition_variable helpers_cv;
  std::deque<Loop*> calls;  // the loops helpers were called to and are not yet in
  std::vector<std::thread> helpers;
  int idle_helpers = 0;
  bool stopping = false;
  std::condition_variable watcher_cv;  // wakes the watcher to stop
  std::thread watcher;
  // Runs the handlers of requests other than reads, first come first served: they wait on table
  // locks and device flushes, and on the event loop's threads they would leave the connections
  // behind them unread for as long as every thread is held (seconds, with 64 clients committing).
  std::optional<WriterPool> writers;

  Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)), acceptor(loop.io) {}

  void Watch();
  // Calls a helper to `target` if it needs one (Loop::NeedsHelper with these cutoffs), none is on
  // its way, and one is idle or may start. Under helpers_mutex.
  void CallHelper(Loop& target, int64_t cutoff, int64_t long_cutoff, bool& busy);
  void Help();

  static void Mark(Open& connection, Open::Waits waits) {
    std::lock_guard lock(connection.mutex);
    connection.waits = waits;
  }
  // Cancels the socket operation of every connection that waits and that `which` chooses.
  template <typename Which>
  void CancelWaits(Which which) {
    std::lock_guard lock(open_mutex);
    for (Open* connection : open) {
      std::lock_guard connection_lock(connection->mutex);
      if (connection->waits == Open::Waits::kNothing || !which(*connection)) continue;
      boost::system::error_code ignored;
      connection->socket.cancel(ignored);
    }
  }

  net::awaitable<void> Accept();
  net::awaitable<void> Session(tcp::socket socket);
  net::awaitable<boost::system::error_code> Read(Open& connection, beast::flat_buffer& buffer,
                                                 bhttp::request_parser<bhttp::string_body>& parser);
  // `head`: a HEAD request's answer; `gzip`: the request accepts gzip.
  net::awaitable<bool> Write(Open& connection, Response response, bool keep_alive, unsigned version,
                             bool head = false, bool gzip = false);
  net::awaitable<bool> WriteGzip(Open& connection, Response response, const DeflatePiece& shared,
                                 bool keep_alive, unsigned version);
  net::awaitable<bool> Send(Open& connection, std::array<std::string_view, 3> pieces, size_t sent);
};

void Server::Impl::CallHelper(Loop& target, int64_t cutoff, int64_t long_cutoff, bool& busy) {
  bool idle = idle_helpers > static_cast<int>(calls.size());
  {
    std::lock_guard loop_lock(target.mutex);
    if (!target.NeedsHelper(cutoff, long_cutoff, busy) || target.helper_called) return;
    if (!idle && static_cast<int>(helpers.size()) >= options.max_helpers) return;
    target.helper_called = true;
  }
  calls.push_back(&target);
  if (idle) {
    helpers_cv.notify_one();
  } else {
    helpers.emplace_back([this] { Help(); });
  }
}

// Every tick, calls a helper to each loop that needs one (one at a time per loop, at most
// `max_helpers` in all), and every quarter of a second, ends the waits of connections past their
// deadline (read, idle and write timeouts). Writers sleep on device flushes and table locks as a
// matter of course, so they get a helper only after ten times as long as the server's threads.
// A tick costs tens of microseconds of CPU on a virtual machine, so while no handler runs the
// ticks grow apart, up to 50 ms.
void Server::Impl::Watch() {
  constexpr auto kBusyTick = std::chrono::milliseconds(2);
  constexpr auto kIdleTick = std::chrono::milliseconds(50);
  constexpr int64_t kSweepNanos = 250'000'000;
  const int64_t after = Nanos(options.helper_after);
  auto tick = kBusyTick;
  int64_t next_sweep = 0;
  std::unique_lock lock(helpers_mutex);
  while (!stopping) {
    watcher_cv.wait_for(lock, tick);
    if (stopping) break;
    int64_t now = SteadyNanos();
    if (now >= next_sweep) {
      CancelWaits([now](const Open& connection) {
        return connection.deadline.load(std::memory_order_relaxed) < now;
      });
      next_sweep = now + kSweepNanos;
    }
    bool busy = false;
    CallHelper(loop, now - after, now - 10 * after, busy);
    if (writers && writers->AllStarted()) {
      CallHelper(writers->loop, now - 10 * after, now - 100 * after, busy);
    }
    tick = busy ? kBusyTick : std::min(tick * 2, kIdleTick);
  }
}

// A helper: waits for a call, runs the loop it was called to until another of its runners is free
// (out of a handler, or in one that began less than `helper_after` ago), then waits again.
void Server::Impl::Help() {
  const int64_t after = Nanos(options.helper_after);
  std::unique_lock lock(helpers_mutex);
  while (true) {
    ++idle_helpers;
    helpers_cv.wait(lock, [this] { return stopping || !calls.empty(); });
    --idle_helpers;
    if (stopping) return;
    Loop& loop = *calls.front();
    calls.pop_front();
    lock.unlock();
    Runner self;
    loop.Join(self);
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
    loop.Leave(self);
    // What the last handler run here queued (its continuations) waits for a thread without
    // waking one, and the others may be asleep in the kernel's event wait: wake one.
    net::post(loop.io, [] {});
    lock.lock();
  }
}

namespace {

// Appends "name: value\r\n"; a CR or LF in either would split the field, and becomes a space.
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  size_t from = out.size();
  out.append(name).append(": ").append(value);
  std::replace_if(
      out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
      [](char c) { return c == '\r' || c == '\n'; }, ' ');
  out.append("\r\n");
}

// The status line and header fields of an answer whose body is `length` bytes. 1xx, 204 and 304
// answers have no body and say no length (RFC 9110 8.6).
std::string ResponseHead(const Response& response, unsigned version, bool keep_alive,
                         size_t length) {
  std::string out;
  out.reserve(256);
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  fmt::format_to(std::back_inserter(out), "{} ", response.status);
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
  out.append(reason.data(), reason.size()).append("\r\nServer: pangolin\r\n");
  if (!response.content_type.empty()) AppendField(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) AppendField(out, name, value);
  if (response.status >= 200 && response.status != 204 && response.status != 304) {
    fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", length);
  }
  if (version == 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version == 10 && keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
  return out;
}

// Sends, without waiting, what the socket takes now of `head` (sent with MSG_MORE, as the start
// of a longer answer) and then of `file` (with sendfile: the kernel passes the file's pages to
// the socket instead of copying them). Returns how many bytes went out, or nullopt on a socket
// error.
std::optional<size_t> SendFileNow(int socket, std::string_view head, const MemoryFile& file) {
  ssize_t sent = ::send(socket, head.data(), head.size(), MSG_MORE | MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent < 0) return errno == EAGAIN || errno == EINTR ? std::optional<size_t>(0) : std::nullopt;
  if (static_cast<size_t>(sent) < head.size()) return static_cast<size_t>(sent);
  off_t offset = 0;
  while (static_cast<size_t>(offset) < file.size()) {
    ssize_t n = ::sendfile(socket, file.fd(), &offset, file.size() - static_cast<size_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return std::nullopt;
    if (n <= 0) break;
  }
  return head.size() + static_cast<size_t>(offset);
}

// A strong entity tag names one representation's exact bytes; the compressed one gets the weak
// tag of the same value (RFC 9110 8.8.1), which If-None-Match compares by value.
void WeakenETag(Response& response) {
  for (auto& [name, value] : response.headers) {
    if (ToLower(name) == "etag" && StartsWith(value, "\"")) value.insert(0, "W/");
  }
}

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

net::awaitable<bool> Server::Impl::Write(Open& connection, Response response, bool keep_alive,
                                         unsigned version, bool head, bool gzip) {
  keep_alive = keep_alive && !draining;
  // Only a kept text is sent compressed (LazyDeflatePiece says when it is worth it): compressing
  // a fresh answer costs more CPU than sending it over a data-center network saves.
  if (response.shared_deflate && response.shared_body && response.status == 200) {
    response.headers.emplace_back("Vary", "Accept-Encoding");
    const DeflatePiece* piece =
        gzip && !head ? response.shared_deflate->Get(*response.shared_body) : nullptr;
    if (piece) {
      co_return co_await WriteGzip(connection, std::move(response), *piece, keep_alive, version);
    }
  }
  std::string out = ResponseHead(response, version, keep_alive, response.BodySize());
  // A HEAD answer has the headers a GET would have, Content-Length included, and never a body:
  // bytes after the headers would be read as the start of the next response.
  std::string_view shared;
  std::string_view tail;
  if (!head) {
    out += response.body;
    if (response.shared_body) shared = *response.shared_body;
    tail = response.body_tail;
  }
  connection.deadline.store(SteadyNanos() + Nanos(options.write_timeout),
                            std::memory_order_relaxed);
  size_t sent = 0;
  if (response.shared_file && !shared.empty()) {
    auto now = SendFileNow(connection.socket.native_handle(), out, *response.shared_file);
    if (!now) co_return false;
    sent = *now;
  }
  co_return co_await Send(connection, {out, shared, tail}, sent) && keep_alive;
}

// The answer as one gzip member: its body and tail compressed now (stored, when short), and the
// kept piece of its shared text.
net::awaitable<bool> Server::Impl::WriteGzip(Open& connection, Response response,
                                             const DeflatePiece& shared, bool keep_alive,
                                             unsigned version) {
  DeflatePiece body = Deflate(response.body);
  DeflatePiece tail = Deflate(response.body_tail);
  tail.bytes += GzipEnd({&body, &shared, &tail});
  WeakenETag(response);
  response.headers.emplace_back("Content-Encoding", "gzip");
  size_t length = GzipStart().size() + body.bytes.size() + shared.bytes.size() + tail.bytes.size();
  std::string out = ResponseHead(response, version, keep_alive, length);
  out.append(GzipStart()).append(body.bytes);
  connection.deadline.store(SteadyNanos() + Nanos(options.write_timeout),
                            std::memory_order_relaxed);
  co_return co_await Send(connection, {out, shared.bytes, tail.bytes}, 0) && keep_alive;
}

// Writes `pieces` after their first `sent` bytes: at once, as far as the socket takes them
// (the common case, without a trip through the event loop), and then the rest as the socket
// drains. False when the connection failed or timed out.
net::awaitable<bool> Server::Impl::Send(Open& connection, std::array<std::string_view, 3> pieces,
                                        size_t sent) {
  std::array<iovec, 3> rest{};
  size_t count = 0;
  while (true) {
    count = 0;
    size_t skip = sent;
    for (std::string_view piece : pieces) {
      size_t from = std::min(skip, piece.size());
      skip -= from;
      if (from < piece.size()) {
        rest[count++] = {const_cast<char*>(piece.data() + from), piece.size() - from};
      }
    }
    if (count == 0) co_return true;
    msghdr message{};
    message.msg_iov = rest.data();
    message.msg_iovlen = count;
    ssize_t n = ::sendmsg(connection.socket.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) co_return false;
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::array<net::const_buffer, 3> buffers;
  for (size_t i = 0; i < count; ++i) buffers[i] = net::buffer(rest[i].iov_base, rest[i].iov_len);
  Mark(connection, Open::Waits::kWrite);
  auto [ec, bytes] = co_await net::async_write(connection.socket, std::span(buffers.data(), count),
                                               net::as_tuple(net::use_awaitable));
  Mark(connection, Open::Waits::kNothing);
  co_return !ec;
}

// Reads the next request into `parser`: from what `buffer` holds first (a pipelined request),
// then from the socket. Each read asks for the whole body the header announced (up to 1 MiB), and
// for at least 4 KiB, so a request takes one read and one trip through the event loop, not one
// per 512 bytes.
net::awaitable<boost::system::error_code> Server::Impl::Read(
    Open& connection, beast::flat_buffer& buffer,
    bhttp::request_parser<bhttp::string_body>& parser) {
  constexpr size_t kMinRead = 4096;
  constexpr size_t kMaxRead = 1 << 20;
  boost::system::error_code ec;
  while (!parser.is_done()) {
    if (buffer.size() > 0) {
      size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec && ec != bhttp::error::need_more) co_return ec;
      if (!ec && used > 0) continue;
      ec = {};
    }
    size_t want = std::max<size_t>(kMinRead, parser.content_length_remaining().value_or(0));
    Mark(connection, Open::Waits::kRequest);
    auto [read_ec, bytes] = co_await connection.socket.async_read_some(
        buffer.prepare(std::min(want, kMaxRead)), net::as_tuple(net::use_awaitable));
    Mark(connection, Open::Waits::kNothing);
    if (read_ec == net::error::eof) {
      if (!parser.got_some()) co_return bhttp::error::end_of_stream;
      parser.put_eof(ec);
      if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
      co_return ec;
    }
    if (read_ec) co_return read_ec;
    buffer.commit(bytes);
  }
  co_return ec;
}

// A connection keeps a read buffer up to this size between requests.
constexpr size_t kKeptReadBuffer = 64 * 1024;

net::awaitable<void> Server::Impl::Session(tcp::socket socket) {
  ++connections;
  Open connection(socket);
  {
    std::lock_guard lock(open_mutex);
    open.insert(&connection);
  }
  std::string remote;
  {
    boost::system::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    if (!ec) remote = endpoint.address().to_string();
    socket.native_non_blocking(true, ec);  // for sendfile, which has no flag for it
  }
  beast::flat_buffer buffer;
  bool first = true;
  while (!draining) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    parser.header_limit(64 * 1024);
    connection.deadline.store(
        SteadyNanos() + Nanos(first ? options.read_timeout : options.idle_timeout),
        std::memory_order_relaxed);
    auto ec = co_await Read(connection, buffer, parser);
    first = false;
    if (ec == bhttp::error::body_limit) {
      co_await Write(connection,
                     ErrorResponse(413, "BadRequestException", "Request body too large"), false,
                     11);
      break;
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      break;
    }
    if (ec) {
      co_await Write(connection,
                     ErrorResponse(400, "BadRequestException", "Malformed HTTP request"), false,
                     11);
      break;
    }
    auto message = parser.release();
    bool keep_alive = message.keep_alive();
    unsigned version = message.version();
    bool head = message.method() == bhttp::verb::head;
    auto accept_encoding = message.find(bhttp::field::accept_encoding);
    bool gzip = accept_encoding != message.end() &&
                AcceptsGzip(std::string_view(accept_encoding->value().data(),
                                             accept_encoding->value().size()));
    // A read's handler runs here, on this event loop thread: it may block on the store or
    // storage, and the other threads serve the other connections meanwhile (with a helper when
    // all are held). Any other request's moves to a writer thread; the session comes back to the
    // loop with its next socket operation.
    bool write = writers && !head && message.method() != bhttp::verb::get;
    if (write) {
      writers->Enter();
      co_await net::post(net::bind_executor(writers->executor(), net::use_awaitable));
    }
    Runner* runner = current_runner;
    if (runner) runner->handler_since.store(SteadyNanos(), std::memory_order_relaxed);
    Response response = handler(ToRequest(std::move(message), remote));
    if (runner) runner->handler_since.store(0, std::memory_order_relaxed);
    if (write) writers->Leave();
    bool again = co_await Write(connection, std::move(response), keep_alive, version, head, gzip);
    if (!again) break;
    if (buffer.capacity() > kKeptReadBuffer) buffer.shrink_to_fit();  // after a large body
  }
  {
    std::lock_guard lock(open_mutex);
    open.erase(&connection);
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
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
    net::co_spawn(loop.io, Session(std::move(socket)), net::detached);
  }
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  if (!impl_->threads.empty()) Shutdown(std::chrono::milliseconds(0));
}

Status Server::Start() {
  // A peer that closed its end makes sendfile raise SIGPIPE, which would end the process; the
  // call's EPIPE says the same.
  ::signal(SIGPIPE, SIG_IGN);
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
  if (impl_->options.writer_threads > 0) {
    impl_->writers.emplace(impl_->options.writer_threads);
  }
  net::co_spawn(impl_->loop.io, impl_->Accept(), net::detached);
  for (int i = 0; i < std::max(impl_->options.threads, 1); ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->loop.Run(); });
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
    // Idle keep-alive sessions would otherwise wait for their next request.
    impl_->CancelWaits([](const Impl::Open& connection) {
      return connection.waits == Impl::Open::Waits::kRequest;
    });
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
  if (impl_->writers) impl_->writers->Join();  // the handlers under way end; nothing is cut off
  impl_->threads.clear();
  impl_->helpers.clear();
}

}  // namespace pangolin::http
