// Beast/Asio implementation of the server. This is the only translation unit that includes
// Beast and Asio (compile cost, ARCHITECTURE §4).
#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
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

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  net::io_context io{options.threads};
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};
  std::atomic<int> busy{0};
  std::atomic<int> connections{0};
  std::mutex idle_mutex;
  std::set<beast::tcp_stream*> idle;  // sessions waiting for a next request

  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  net::awaitable<void> Accept();
  net::awaitable<void> Session(beast::tcp_stream stream);
  net::awaitable<bool> Write(beast::tcp_stream& stream, Response response, bool keep_alive,
                             unsigned version, bool head = false);
};

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
      std::lock_guard lock(idle_mutex);
      idle.insert(&stream);
    }
    auto [ec, bytes] =
        co_await bhttp::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    {
      std::lock_guard lock(idle_mutex);
      idle.erase(&stream);
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
    ++busy;
    // The handler runs here, on this io thread: it may block on the store or storage, and the
    // other threads serve the other connections meanwhile.
    Response response = handler(ToRequest(std::move(message), remote));
    bool again = co_await Write(stream, std::move(response), keep_alive, version, head);
    --busy;
    if (!again) break;
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
    net::co_spawn(io, Session(beast::tcp_stream(std::move(socket))), net::detached);
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
  net::co_spawn(impl_->io, impl_->Accept(), net::detached);
  for (int i = 0; i < impl_->options.threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return Ok();
}

uint16_t Server::port() const {
  boost::system::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  impl_->draining = true;
  net::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      // Idle keep-alive sessions would otherwise wait for their next request.
      // The posted check re-validates under the lock: a session erases itself (under the same
      // lock) before it touches its stream again, so a stream still listed is suspended in a read.
      net::post(impl_->io, [impl = impl_.get()] {
        std::lock_guard lock(impl->idle_mutex);
        for (beast::tcp_stream* stream : impl->idle) stream->cancel();
      });
    }
    if (impl_->connections == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace pangolin::http
