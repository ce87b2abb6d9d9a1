// branching_bench: what catalog branches cost as the catalog grows (ARCHITECTURE §3.4, §6).
//
// For each catalog size N it populates a fresh on-disk SQLite store (the real MakeSqliteStore
// file) with one catalog, 100 namespaces and N tables, then measures, each beside a baseline
// taken in the same run:
//   - branch creation (CreateBranch from main)            vs a raw one-row SQLite insert txn;
//   - point reads (GetContent) on main, on a branch that read through to main, on a branch of a
//     branch, on a branch's own changes and on keys main changed after the fork
//                                                         vs a raw SQLite primary-key select;
//   - listing the first page (100) of one namespace       vs a raw SQLite range select;
//   - optionally loadTable over HTTP (GET .../tables/t and t@branch) against a real
//     pangolin_api on the same database, with a keep-alive load generator in this process
//                                                         vs GET /health/live on that server.
// A benchmark, not a test: it checks that the answers are right but asserts nothing about time.
// See bench/README.md for what each figure means.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "seed.h"
#include "store/sqlite/sqlite_store.h"

extern char** environ;

namespace pangolin::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using catalog::ContentKey;
using catalog::ContentType;
using store::MetadataStore;

constexpr const char* kCatalogName = "bench";
constexpr size_t kListPage = 100;

[[noreturn]] void Die(const std::string& message) { throw std::runtime_error(message); }

template <typename T>
T Check(Result<T> result, std::string_view what) {
  if (!result) Die(fmt::format("{}: {}", what, result.error().message));
  return std::move(*result);
}
void Check(const Status& status, std::string_view what) {
  if (!status) Die(fmt::format("{}: {}", what, status.error().message));
}

int64_t ElapsedNs(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double FileMb(const fs::path& path) {
  std::error_code ec;
  double total = 0;
  for (const char* suffix : {"", "-wal"}) {
    auto size = fs::file_size(path.string() + suffix, ec);
    if (!ec) total += static_cast<double>(size);
  }
  return total / (1024.0 * 1024.0);
}

// --- statistics --------------------------------------------------------------------------------

struct Stats {
  double p50_us = 0;
  double p99_us = 0;
  double mean_us = 0;
  double ops_per_s = 0;
  size_t count = 0;
};

// Percentiles of per-operation latencies; throughput from the wall time of the whole loop.
Stats Summarize(std::vector<int64_t> latencies_ns, double wall_s) {
  Stats s;
  s.count = latencies_ns.size();
  if (latencies_ns.empty()) return s;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(latencies_ns.size())));
    return static_cast<double>(latencies_ns[std::clamp<size_t>(rank, 1, latencies_ns.size()) - 1]) /
           1000.0;
  };
  s.p50_us = at(0.50);
  s.p99_us = at(0.99);
  s.mean_us = std::accumulate(latencies_ns.begin(), latencies_ns.end(), 0.0) /
              static_cast<double>(latencies_ns.size()) / 1000.0;
  s.ops_per_s = wall_s > 0 ? static_cast<double>(latencies_ns.size()) / wall_s : 0;
  return s;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// The median of each field over several runs.
Stats MedianOf(const std::vector<Stats>& runs) {
  auto field = [&](double Stats::*member) {
    std::vector<double> values;
    for (const auto& run : runs) values.push_back(run.*member);
    return Median(values);
  };
  Stats s;
  s.p50_us = field(&Stats::p50_us);
  s.p99_us = field(&Stats::p99_us);
  s.mean_us = field(&Stats::mean_us);
  s.ops_per_s = field(&Stats::ops_per_s);
  for (const auto& run : runs) s.count += run.count;
  return s;
}

// --- raw SQLite baseline -----------------------------------------------------------------------

class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      Die("raw sqlite: cannot open " + path.string());
    }
    // The same per-file and per-connection settings as the store's connections.
    Exec("PRAGMA journal_mode = WAL");
    Exec("PRAGMA synchronous = FULL");
    Exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)");
    Exec("CREATE TABLE IF NOT EXISTS refs (name TEXT PRIMARY KEY, value TEXT)");
  }
  ~RawDb() {
    for (auto* stmt : {get_, list_, insert_, ref_}) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      Die(fmt::format("raw sqlite: {}: {}", sql, message));
    }
  }

  // N rows of about the size of a table's content row, `batch` rows per transaction.
  void Populate(const Shape& shape, size_t batch, const std::string& location) {
    insert_ = Prepare("INSERT INTO kv (key, value) VALUES (?1, ?2)");
    for (size_t start = 0; start < shape.tables; start += batch) {
      Exec("BEGIN IMMEDIATE");
      for (size_t i = start; i < std::min(shape.tables, start + batch); ++i) {
        std::string key = shape.RawKey(i);
        std::string value =
            fmt::format(R"({{"type":1,"id":"{}","metadata_location":"{}"}})", NewUuid(), location);
        sqlite3_bind_text(insert_, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(insert_, 2, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT);
        if (sqlite3_step(insert_) != SQLITE_DONE) Die("raw sqlite: insert failed");
        sqlite3_reset(insert_);
      }
      Exec("COMMIT");
    }
  }

  // The value at `key`; false when absent.
  bool Get(const std::string& key, std::string& value) {
    if (!get_) get_ = Prepare("SELECT value FROM kv WHERE key = ?1");
    sqlite3_bind_text(get_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    bool found = sqlite3_step(get_) == SQLITE_ROW;
    if (found) {
      value.assign(reinterpret_cast<const char*>(sqlite3_column_text(get_, 0)),
                   static_cast<size_t>(sqlite3_column_bytes(get_, 0)));
    }
    sqlite3_reset(get_);
    return found;
  }

  // The first `limit` rows whose key starts with `prefix`; returns how many.
  size_t List(const std::string& prefix, size_t limit) {
    if (!list_) {
      list_ =
          Prepare("SELECT key, value FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY key LIMIT ?3");
    }
    std::string end = prefix;
    end.back() = static_cast<char>(end.back() + 1);
    sqlite3_bind_text(list_, 1, prefix.data(), static_cast<int>(prefix.size()), SQLITE_STATIC);
    sqlite3_bind_text(list_, 2, end.data(), static_cast<int>(end.size()), SQLITE_STATIC);
    sqlite3_bind_int64(list_, 3, static_cast<sqlite3_int64>(limit));
    size_t rows = 0;
    std::vector<std::pair<std::string, std::string>> out;
    while (sqlite3_step(list_) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list_, 0)),
                       reinterpret_cast<const char*>(sqlite3_column_text(list_, 1)));
      ++rows;
    }
    sqlite3_reset(list_);
    return rows;
  }

  // One durable one-row write transaction (the ceiling for a branch creation).
  void InsertRef(const std::string& name) {
    if (!ref_) ref_ = Prepare("INSERT INTO refs (name, value) VALUES (?1, ?2)");
    Exec("BEGIN IMMEDIATE");
    sqlite3_bind_text(ref_, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    sqlite3_bind_text(ref_, 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    if (sqlite3_step(ref_) != SQLITE_DONE) Die("raw sqlite: ref insert failed");
    sqlite3_reset(ref_);
    Exec("COMMIT");
  }

 private:
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      Die(fmt::format("raw sqlite: prepare {}: {}", sql, sqlite3_errmsg(db_)));
    }
    return stmt;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* list_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* ref_ = nullptr;
};

// --- a minimal HTTP/1.1 keep-alive client ------------------------------------------------------

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port) : port_(port) {}
  ~HttpConnection() { Close(); }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends one request and reads its response; reconnects when the server closed the connection.
  // Throws on transport errors.
  HttpResponse Request(std::string_view method, std::string_view target,
                       std::string_view body = {}) {
    if (fd_ < 0) Connect();
    std::string request =
        fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: keep-alive\r\n", method,
                    target, port_);
    if (!body.empty() || method == "POST") {
      request +=
          fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n", body.size());
    }
    request += "\r\n";
    request += body;
    for (size_t sent = 0; sent < request.size();) {
      ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        Close();
        Die(fmt::format("http: send failed: {}", std::strerror(errno)));
      }
      sent += static_cast<size_t>(n);
    }
    return ReadResponse(method == "HEAD");
  }

 private:
  void Connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) Die("http: socket failed");
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval timeout{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      int error = errno;
      Close();
      Die(fmt::format("http: connect to port {} failed: {}", port_, std::strerror(error)));
    }
    buffer_.clear();
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reads more bytes into the buffer; throws when the connection ends.
  void Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      Close();
      Die(n == 0 ? "http: connection closed by the server"
                 : fmt::format("http: recv failed: {}", std::strerror(errno)));
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }

  HttpResponse ReadResponse(bool head) {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) Fill();
    std::string headers = buffer_.substr(0, header_end);
    for (char& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    HttpResponse response;
    if (headers.size() < 12 || headers.compare(0, 5, "http/") != 0) Die("http: bad status line");
    response.status = std::atoi(headers.c_str() + 9);
    size_t length = 0;
    if (auto at = headers.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::strtoull(headers.c_str() + at + 17, nullptr, 10);
    } else if (headers.find("\r\ntransfer-encoding:") != std::string::npos) {
      Die("http: chunked responses are not supported by this client");
    }
    bool close = headers.find("\r\nconnection: close") != std::string::npos;
    if (head) length = 0;
    size_t total = header_end + 4 + length;
    while (buffer_.size() < total) Fill();
    response.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, total);
    if (close) Close();
    return response;
  }

  uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

// --- the pangolin_api process ------------------------------------------------------------------

class Server {
 public:
  // Starts `binary` on `db` (loopback, no auth, a free port) and waits until it is ready.
  Server(const fs::path& binary, const fs::path& db, const fs::path& dir) : dir_(dir) {
    fs::path port_file = dir / "port";
    fs::remove(port_file);
    std::vector<std::string> args{binary.string(), "--port-file", port_file.string()};
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      std::string_view entry(*e);
      bool scrubbed = false;
      for (const char* name :
           {"DATABASE_URL=", "PORT=", "PANGOLIN_BIND_ADDRESS=", "PANGOLIN_NO_AUTH=",
            "PANGOLIN_STORAGE_TYPE=", "PANGOLIN_LOG_LEVEL="}) {
        if (entry.starts_with(name)) scrubbed = true;
      }
      if (!scrubbed) env.emplace_back(entry);
    }
    env.push_back("PANGOLIN_NO_AUTH=true");
    env.push_back("DATABASE_URL=sqlite://" + fs::absolute(db).string());
    env.push_back("PORT=0");
    env.push_back("PANGOLIN_BIND_ADDRESS=127.0.0.1");
    // Request logging at info level would write one line per request; the figures are about
    // the store and HTTP path, so only warnings are logged.
    env.push_back("PANGOLIN_LOG_LEVEL=warn");
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string log = (dir / "server.log").string();
    pid_ = ::fork();
    if (pid_ < 0) Die("fork failed");
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the benchmark
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    auto deadline = Clock::now() + std::chrono::seconds(60);
    while (port_ == 0) {
      CheckAlive();
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) port_ = static_cast<uint16_t>(port);
      if (Clock::now() > deadline) Die("pangolin_api wrote no port within 60 s; see " + log);
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    while (true) {
      CheckAlive();
      try {
        HttpConnection conn(port_);
        if (conn.Request("GET", "/health/ready").status == 200) break;
      } catch (const std::exception&) {
      }
      if (Clock::now() > deadline) Die("pangolin_api not ready within 60 s; see " + log);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  ~Server() { Stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const { return port_; }

  // VmHWM of the server process, in MiB.
  double PeakRssMb() const {
    std::ifstream in(fmt::format("/proc/{}/status", pid_));
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    }
    return 0;
  }

  // SIGTERM, then wait (SIGKILL after 30 s). Returns the exit status.
  int Stop() {
    if (pid_ <= 0) return 0;
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = Clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    return status;
  }

 private:
  void CheckAlive() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      Die(fmt::format("pangolin_api exited during start-up (status {}); see {}", status,
                      (dir_ / "server.log").string()));
    }
  }

  fs::path dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

void ExpectStatus(const HttpResponse& response, int status, std::string_view what) {
  if (response.status != status) {
    Die(fmt::format("{}: expected {}, got {}: {}", what, status, response.status,
                    response.body.substr(0, 500)));
  }
}

// Creates a warehouse, the catalog, a namespace and one real table through the REST API, so that
// the catalog and a metadata file exist exactly as the server makes them.
void SeedThroughRest(const fs::path& server_binary, const fs::path& db, const fs::path& dir) {
  fs::path warehouse = dir / "warehouse";
  fs::create_directories(warehouse);
  Server server(server_binary, db, dir);
  HttpConnection http(server.port());
  ExpectStatus(http.Request("POST", "/api/v1/warehouses",
                            fmt::format(R"({{"name":"bench","storage_config":{{"type":"local",)"
                                        R"("root":"{}"}}}})",
                                        warehouse.string())),
               201, "create warehouse");
  ExpectStatus(http.Request("POST", "/api/v1/catalogs",
                            fmt::format(R"({{"name":"{}","warehouse_name":"bench",)"
                                        R"("storage_location":"file://{}"}})",
                                        kCatalogName, (warehouse / kCatalogName).string())),
               201, "create catalog");
  ExpectStatus(http.Request("POST", fmt::format("/v1/{}/namespaces", kCatalogName),
                            R"({"namespace":["seed"]})"),
               200, "create namespace");
  ExpectStatus(http.Request("POST", fmt::format("/v1/{}/namespaces/seed/tables", kCatalogName),
                            R"({"name":"t","schema":{"type":"struct","schema-id":0,"fields":[)"
                            R"({"id":1,"name":"id","type":"long","required":false},)"
                            R"({"id":2,"name":"data","type":"string","required":false}]}})"),
               200, "create table");
  int status = server.Stop();
  if (status != 0) Die(fmt::format("pangolin_api exited with status {} after SIGTERM", status));
}

// Closed-loop load: `connections` threads, each with one keep-alive connection, for `seconds`.
// Any answer but 200 stops the load and throws: a figure is never the cost of an error.
Stats HttpLoad(uint16_t port, int connections, double seconds,
               const std::function<std::string(std::mt19937_64&)>& target, uint64_t seed) {
  std::vector<std::vector<int64_t>> latencies(static_cast<size_t>(connections));
  std::atomic<bool> failed{false};
  std::string first_error;
  std::mutex error_mu;
  auto fail = [&](std::string message) {
    std::lock_guard lock(error_mu);
    if (!failed.exchange(true)) first_error = std::move(message);
  };
  auto start = Clock::now();
  auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(seed + static_cast<uint64_t>(t) * 7919);
      auto& mine = latencies[static_cast<size_t>(t)];
      mine.reserve(1 << 16);
      try {
        HttpConnection conn(port);
        while (!failed && Clock::now() < deadline) {
          std::string path = target(rng);
          auto begin = Clock::now();
          HttpResponse response = conn.Request("GET", path);
          mine.push_back(ElapsedNs(begin));
          if (response.status != 200) {
            fail(fmt::format("GET {} -> {}: {}", path, response.status,
                             response.body.substr(0, 300)));
          }
        }
      } catch (const std::exception& e) {
        fail(e.what());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  double wall = static_cast<double>(ElapsedNs(start)) / 1e9;
  if (failed) Die("http load: " + first_error);
  std::vector<int64_t> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  return Summarize(std::move(all), wall);
}

// --- the benchmark -----------------------------------------------------------------------------

struct Options {
  std::vector<size_t> sizes{1000, 100000, 1000000};
  size_t branches = 50;
  size_t lookups = 20000;
  size_t warmup = 2000;
  int runs = 3;
  size_t list_ops = 2000;
  size_t batch = 10000;
  size_t changed = 10000;
  bool http = true;
  fs::path server;
  double http_seconds = 3;
  int http_connections = 2;
  int http_runs = 5;
  fs::path dir;
  bool keep = false;
  uint64_t seed = 42;
};

// Variant names, in the order they are printed.
const std::vector<std::string> kReadVariants{"main",       "branch",     "branch-of-branch",
                                             "branch own", "main moved", "raw sqlite"};
const std::vector<std::string> kListVariants{"main", "branch", "branch-of-branch", "branch own",
                                             "raw sqlite"};
const std::vector<std::string> kHttpVariants{"health", "main", "@branch", "@branch-of-branch"};

struct SizeResult {
  size_t tables = 0;
  bool done = false;
  std::string failure;
  double populate_s = 0;
  double raw_populate_s = 0;
  double db_mb = 0;
  double raw_db_mb = 0;
  Stats branch_create;
  Stats raw_txn;
  std::map<std::string, Stats> reads;
  std::map<std::string, Stats> lists;
  std::map<std::string, Stats> http;
  std::string http_note;
  double bench_rss_mb = 0;
  double server_rss_mb = 0;
};

void Progress(const std::string& message) {
  std::fprintf(stderr, "[bench] %s\n", message.c_str());
  std::fflush(stderr);
}

std::string FormatCount(size_t n) {
  if (n >= 1000000 && n % 1000000 == 0) return fmt::format("{}M", n / 1000000);
  if (n >= 1000 && n % 1000 == 0) return fmt::format("{}k", n / 1000);
  return std::to_string(n);
}

class SizeBench {
 public:
  SizeBench(const Options& options, size_t tables, const fs::path& dir)
      : options_(options), shape_{tables}, dir_(dir), rng_(options.seed + tables) {
    result_.tables = tables;
  }

  SizeResult Run() {
    fs::path db = dir_ / "pangolin.db";
    std::string location = "file:///nonexistent/bench/metadata/00000-seed.metadata.json";
    bool http = options_.http;
    if (http && !fs::exists(options_.server)) {
      http = false;
      result_.http_note = "skipped: no server binary at " + options_.server.string();
    }
    if (http) {
      Progress("seeding the catalog through the REST API");
      SeedThroughRest(options_.server, db, dir_);
    }
    store_ = Check(store::MakeSqliteStore({.path = db.string()}), "open store");
    if (http) {
      catalog_ = Check(store_->GetCatalog(kDefaultTenant, kCatalogName), "get catalog").id;
      auto seed = Check(
          store_->GetContent(kDefaultTenant, catalog_, "main", catalog::ObjectKey({{"seed"}, "t"})),
          "get seed table");
      if (!seed) Die("the seed table is missing");
      location = seed->metadata_location;
    } else {
      catalog::Catalog c;
      c.id.value = NewUuid();
      c.name = kCatalogName;
      c.tenant_id = kDefaultTenant;
      c.storage_location = "file://" + (dir_ / "warehouse").string();
      Check(store_->CreateCatalog(c), "create catalog");
      catalog_ = c.id;
    }

    location_ = location;
    Populate(location);
    result_.db_mb = FileMb(db);
    raw_ = std::make_unique<RawDb>(dir_ / "raw.db");
    {
      auto start = Clock::now();
      raw_->Populate(shape_, options_.batch, location);
      result_.raw_populate_s = static_cast<double>(ElapsedNs(start)) / 1e9;
    }
    result_.raw_db_mb = FileMb(dir_ / "raw.db");
    // Let the kernel write the freshly populated files back before anything is timed.
    ::sync();
    Progress(fmt::format("raw baseline populated in {:.1f} s", result_.raw_populate_s));

    CreateBranches();
    MeasureReads();
    MeasureLists();
    if (http) {
      // Before "main moved", which points tables on main at metadata files that do not exist.
      try {
        MeasureHttp(db);
      } catch (const std::exception& e) {
        result_.http.clear();
        result_.http_note = std::string("HTTP failed: ") + e.what();
        Progress(result_.http_note);
      }
    }
    MeasureMainMoved();
    result_.bench_rss_mb = PeakRssMb();
    result_.done = true;
    raw_.reset();
    store_.reset();
    return result_;
  }

 private:
  void Populate(const std::string& location) {
    result_.populate_s =
        SeedTables(*store_, kDefaultTenant, catalog_, shape_, options_.batch, location, Progress);
    Progress(fmt::format("store populated with {} tables in {:.1f} s ({:.0f} tables/s)",
                         shape_.tables, result_.populate_s,
                         static_cast<double>(shape_.tables) / result_.populate_s));
  }

  store::NewBranch Fork(std::string name, std::string from) {
    store::NewBranch spec;
    spec.name = std::move(name);
    spec.from = std::move(from);
    spec.time_ms = 1700000000001;
    return spec;
  }

  // `options.branches` forks of main, each timed, beside as many raw one-row write transactions.
  // Then the branches the reads use: "bb" (a fork of b00) and "own" (a fork of main that changes
  // `changed` tables in one commit).
  void CreateBranches() {
    std::vector<int64_t> create, raw;
    for (size_t b = 0; b < options_.branches; ++b) {
      auto start = Clock::now();
      Check(store_->CreateBranch(kDefaultTenant, catalog_, Fork(fmt::format("b{:02d}", b), "main")),
            "create branch");
      create.push_back(ElapsedNs(start));
      start = Clock::now();
      raw_->InsertRef(fmt::format("b{:02d}", b));
      raw.push_back(ElapsedNs(start));
    }
    result_.branch_create = Summarize(create, 0);
    result_.raw_txn = Summarize(raw, 0);
    Check(store_->CreateBranch(kDefaultTenant, catalog_, Fork("bb", "b00")), "create bb");
    Check(store_->CreateBranch(kDefaultTenant, catalog_, Fork("own", "main")), "create own");
    own_keys_ = Sample(std::min(options_.changed, shape_.tables));
    auto request = NewCommit("own", "change tables on a branch");
    for (size_t i : own_keys_) {
      request.operations.push_back({catalog::Operation::Kind::kPut, shape_.Key(i),
                                    TableContent("file:///own/" + Shape::TableName(i))});
    }
    Check(store_->Commit(kDefaultTenant, catalog_, request), "commit on own");
    Progress(fmt::format("{} branches: create p50 {:.0f} us, p99 {:.0f} us", options_.branches,
                         result_.branch_create.p50_us, result_.branch_create.p99_us));
  }

  // `count` distinct table indexes, at random.
  std::vector<size_t> Sample(size_t count) {
    std::vector<size_t> all(shape_.tables);
    std::iota(all.begin(), all.end(), 0);
    std::shuffle(all.begin(), all.end(), rng_);
    all.resize(count);
    return all;
  }

  // A point-read variant: given a random index into its key set, performs one read and checks it.
  struct ReadVariant {
    std::string name;
    std::vector<size_t> pool;  // table indexes it reads (empty: all)
    std::function<void(size_t table)> read;
  };

  void ReadStore(std::string_view ref, size_t table, std::string_view expect_prefix) {
    auto got = store_->GetContent(kDefaultTenant, catalog_, ref, shape_.Key(table));
    if (!got || !*got) {
      Die(fmt::format("GetContent {}@{}: {}", Shape::TableName(table), ref,
                      got ? "missing" : got.error().message));
    }
    if (!expect_prefix.empty() && !(*got)->metadata_location.starts_with(expect_prefix)) {
      Die(fmt::format("GetContent {}@{}: unexpected {}", Shape::TableName(table), ref,
                      (*got)->metadata_location));
    }
  }

  // Runs every variant `runs` times after a warm-up, interleaved, and keeps the medians.
  void RunReads(std::vector<ReadVariant>& variants, std::map<std::string, Stats>& out) {
    auto pick = [&](const ReadVariant& v) -> size_t {
      if (v.pool.empty()) return std::uniform_int_distribution<size_t>(0, shape_.tables - 1)(rng_);
      return v.pool[std::uniform_int_distribution<size_t>(0, v.pool.size() - 1)(rng_)];
    };
    for (auto& v : variants) {
      for (size_t i = 0; i < options_.warmup; ++i) v.read(pick(v));
    }
    std::map<std::string, std::vector<Stats>> runs;
    for (int run = 0; run < options_.runs; ++run) {
      for (auto& v : variants) {
        std::vector<size_t> tables(options_.lookups);
        for (auto& t : tables) t = pick(v);
        std::vector<int64_t> latencies;
        latencies.reserve(tables.size());
        auto loop = Clock::now();
        for (size_t t : tables) {
          auto start = Clock::now();
          v.read(t);
          latencies.push_back(ElapsedNs(start));
        }
        double wall = static_cast<double>(ElapsedNs(loop)) / 1e9;
        runs[v.name].push_back(Summarize(std::move(latencies), wall));
      }
    }
    for (auto& [name, stats] : runs) out[name] = MedianOf(stats);
  }

  void MeasureReads() {
    std::string value;
    std::vector<ReadVariant> variants{
        {"main", {}, [&](size_t t) { ReadStore("main", t, location_); }},
        {"branch", {}, [&](size_t t) { ReadStore("b00", t, location_); }},
        {"branch-of-branch", {}, [&](size_t t) { ReadStore("bb", t, location_); }},
        {"branch own", own_keys_, [&](size_t t) { ReadStore("own", t, "file:///own/"); }},
        {"raw sqlite", {}, [&](size_t t) {
           if (!raw_->Get(shape_.RawKey(t), value)) Die("raw sqlite: missing " + shape_.RawKey(t));
         }}};
    RunReads(variants, result_.reads);
    Progress(fmt::format("point reads p50: main {:.1f} us, branch {:.1f} us, raw {:.1f} us",
                         result_.reads["main"].p50_us, result_.reads["branch"].p50_us,
                         result_.reads["raw sqlite"].p50_us));
  }

  // Main changes `changed` tables after b00 forked; reading those on b00 finds main's current
  // row newer than the fork and falls back to main's content log.
  void MeasureMainMoved() {
    auto moved = Sample(std::min(options_.changed, shape_.tables));
    auto request = NewCommit("main", "change tables on main after the forks");
    for (size_t i : moved) {
      request.operations.push_back({catalog::Operation::Kind::kPut, shape_.Key(i),
                                    TableContent("file:///moved/" + Shape::TableName(i))});
    }
    Check(store_->Commit(kDefaultTenant, catalog_, request), "commit on main");
    // b00 must still see every moved table as it was at the fork.
    std::vector<ReadVariant> variants{
        {"main moved", moved, [&](size_t t) { ReadStore("b00", t, location_); }}};
    RunReads(variants, result_.reads);
  }

  void MeasureLists() {
    auto pick_ns = [&] { return std::uniform_int_distribution<int>(0, kNamespaces - 1)(rng_); };
    auto list = [&](std::string_view ref) {
      return [this, ref](int ns) {
        store::PageRequest page;
        page.limit = kListPage;
        auto listed =
            store_->ListContent(kDefaultTenant, catalog_, ref, ContentKey::Space::kObject,
                                {Shape::NamespaceName(ns)}, ContentType::kIcebergTable, page);
        if (!listed) Die(fmt::format("ListContent@{}: {}", ref, listed.error().message));
        size_t expected = std::min(kListPage, shape_.TablesIn(ns));
        if (listed->items.size() != expected) {
          Die(fmt::format("ListContent {}@{}: {} entries, expected {}", Shape::NamespaceName(ns),
                          ref, listed->items.size(), expected));
        }
      };
    };
    std::vector<std::pair<std::string, std::function<void(int)>>> variants{
        {"main", list("main")},
        {"branch", list("b00")},
        {"branch-of-branch", list("bb")},
        {"branch own", list("own")},
        {"raw sqlite", [&](int ns) {
           size_t rows = raw_->List(Shape::NamespaceName(ns) + "/", kListPage);
           if (rows != std::min(kListPage, shape_.TablesIn(ns))) Die("raw sqlite: short list");
         }}};
    for (auto& [name, fn] : variants) {
      for (size_t i = 0; i < options_.warmup / 10 + 1; ++i) fn(pick_ns());
    }
    std::map<std::string, std::vector<Stats>> runs;
    for (int run = 0; run < options_.runs; ++run) {
      for (auto& [name, fn] : variants) {
        std::vector<int> namespaces(options_.list_ops);
        for (auto& ns : namespaces) ns = pick_ns();
        std::vector<int64_t> latencies;
        auto loop = Clock::now();
        for (int ns : namespaces) {
          auto start = Clock::now();
          fn(ns);
          latencies.push_back(ElapsedNs(start));
        }
        runs[name].push_back(
            Summarize(std::move(latencies), static_cast<double>(ElapsedNs(loop)) / 1e9));
      }
    }
    for (auto& [name, stats] : runs) result_.lists[name] = MedianOf(stats);
    Progress(fmt::format("list p50: main {:.1f} us, branch {:.1f} us", result_.lists["main"].p50_us,
                         result_.lists["branch"].p50_us));
  }

  void MeasureHttp(const fs::path& db) {
    Progress("starting pangolin_api for the HTTP figures");
    Server server(options_.server, db, dir_);
    auto table_path = [this](std::mt19937_64& rng, std::string_view suffix) {
      size_t t = std::uniform_int_distribution<size_t>(0, shape_.tables - 1)(rng);
      return fmt::format("/v1/{}/namespaces/{}/tables/{}{}", kCatalogName,
                         Shape::NamespaceName(shape_.NamespaceOf(t)), Shape::TableName(t), suffix);
    };
    std::vector<std::pair<std::string, std::function<std::string(std::mt19937_64&)>>> variants{
        {"health", [](std::mt19937_64&) { return std::string("/health/live"); }},
        {"main", [&](std::mt19937_64& rng) { return table_path(rng, ""); }},
        {"@branch", [&](std::mt19937_64& rng) { return table_path(rng, "@b00"); }},
        {"@branch-of-branch", [&](std::mt19937_64& rng) { return table_path(rng, "@bb"); }}};
    std::map<std::string, std::vector<Stats>> runs;
    double warmup = std::min(1.0, options_.http_seconds);
    for (auto& [name, target] : variants) {
      HttpLoad(server.port(), options_.http_connections, warmup, target, options_.seed);
    }
    for (int run = 0; run < options_.http_runs; ++run) {
      for (auto& [name, target] : variants) {
        runs[name].push_back(HttpLoad(server.port(), options_.http_connections,
                                      options_.http_seconds, target,
                                      options_.seed + static_cast<uint64_t>(run) + 1));
      }
    }
    for (auto& [name, stats] : runs) result_.http[name] = MedianOf(stats);
    result_.server_rss_mb = server.PeakRssMb();
    int status = server.Stop();
    if (status != 0) result_.http_note = fmt::format("server exit status {}", status);
    Progress(fmt::format("http p50: main {:.0f} us, @branch {:.0f} us", result_.http["main"].p50_us,
                         result_.http["@branch"].p50_us));
  }

  const Options& options_;
  Shape shape_;
  fs::path dir_;
  std::mt19937_64 rng_;
  std::unique_ptr<MetadataStore> store_;
  std::unique_ptr<RawDb> raw_;
  CatalogId catalog_;
  std::vector<size_t> own_keys_;
  std::string location_;  // the metadata location every table on main points at
  SizeResult result_;
};

// --- reporting ---------------------------------------------------------------------------------

void PrintTable(const std::string& title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out += " | ";
      out += c == 0 ? fmt::format("{:<{}}", cells[c], width[c])
                    : fmt::format("{:>{}}", cells[c], width[c]);
    }
    std::printf("%s\n", out.c_str());
  };
  std::printf("\n%s\n", title.c_str());
  line(header);
  std::string rule;
  for (size_t c = 0; c < header.size(); ++c) {
    if (c) rule += "-+-";
    rule += std::string(width[c], '-');
  }
  std::printf("%s\n", rule.c_str());
  for (const auto& row : rows) line(row);
}

std::string Us(double us) {
  if (us == 0) return "-";
  return us < 100 ? fmt::format("{:.1f}", us) : fmt::format("{:.0f}", us);
}
std::string Ratio(double a, double b) {
  return b > 0 && a > 0 ? fmt::format("{:.2f}x", a / b) : "-";
}
std::string Ops(double ops) { return ops > 0 ? fmt::format("{:.0f}", ops) : "-"; }

void Report(const Options& options, const std::vector<SizeResult>& results) {
  std::vector<const SizeResult*> done;
  for (const auto& r : results) {
    if (r.done) done.push_back(&r);
  }
  auto rows = [&](auto make) {
    std::vector<std::vector<std::string>> out;
    for (const auto* r : done) out.push_back(make(*r));
    return out;
  };

  PrintTable("Populate (informative): one catalog, 100 namespaces, N tables; " +
                 std::to_string(options.batch) + " puts per commit",
             {"tables", "store s", "store tables/s", "store db MiB", "raw sqlite s", "raw db MiB"},
             rows([](const SizeResult& r) {
               return std::vector<std::string>{
                   FormatCount(r.tables),
                   fmt::format("{:.1f}", r.populate_s),
                   fmt::format("{:.0f}", static_cast<double>(r.tables) / r.populate_s),
                   fmt::format("{:.1f}", r.db_mb),
                   fmt::format("{:.1f}", r.raw_populate_s),
                   fmt::format("{:.1f}", r.raw_db_mb)};
             }));

  PrintTable(fmt::format("Branch creation: CreateBranch from main, {} branches per size, us "
                         "(raw: one-row INSERT transaction, synchronous=FULL)",
                         options.branches),
             {"tables", "p50", "p99", "mean", "raw txn p50", "raw txn p99", "p50 / raw"},
             rows([](const SizeResult& r) {
               return std::vector<std::string>{FormatCount(r.tables),
                                               Us(r.branch_create.p50_us),
                                               Us(r.branch_create.p99_us),
                                               Us(r.branch_create.mean_us),
                                               Us(r.raw_txn.p50_us),
                                               Us(r.raw_txn.p99_us),
                                               Ratio(r.branch_create.p50_us, r.raw_txn.p50_us)};
             }));

  auto read_table = [&](const std::string& title, double Stats::*field, auto format) {
    std::vector<std::string> header{"tables"};
    for (const auto& v : kReadVariants) header.push_back(v);
    bool throughput = field == &Stats::ops_per_s;
    header.push_back(throughput ? "main/branch" : "branch/main");
    header.push_back(throughput ? "main/b-of-b" : "b-of-b/main");
    PrintTable(title, header, rows([&](const SizeResult& r) {
                 std::vector<std::string> row{FormatCount(r.tables)};
                 for (const auto& v : kReadVariants) {
                   auto it = r.reads.find(v);
                   row.push_back(it == r.reads.end() ? "-" : format(it->second.*field));
                 }
                 auto get = [&](const char* v) { return r.reads.at(v).*field; };
                 row.push_back(throughput ? Ratio(get("main"), get("branch"))
                                          : Ratio(get("branch"), get("main")));
                 row.push_back(throughput ? Ratio(get("main"), get("branch-of-branch"))
                                          : Ratio(get("branch-of-branch"), get("main")));
                 return row;
               }));
  };
  std::string reads = fmt::format("{} random lookups x {} runs per variant (median of runs)",
                                  options.lookups, options.runs);
  read_table("Point read GetContent, p50 us; " + reads, &Stats::p50_us, Us);
  read_table("Point read GetContent, p99 us; " + reads, &Stats::p99_us, Us);
  read_table("Point read GetContent, ops/s (one thread; the ratios are slowdowns, main/branch)",
             &Stats::ops_per_s, Ops);

  auto list_table = [&](const std::string& title, double Stats::*field, auto format) {
    std::vector<std::string> header{"tables", "tables/ns"};
    for (const auto& v : kListVariants) header.push_back(v);
    header.push_back("branch/main");
    header.push_back("b-of-b/main");
    PrintTable(
        title, header, rows([&](const SizeResult& r) {
          std::vector<std::string> row{FormatCount(r.tables), FormatCount(r.tables / kNamespaces)};
          for (const auto& v : kListVariants) {
            auto it = r.lists.find(v);
            row.push_back(it == r.lists.end() ? "-" : format(it->second.*field));
          }
          row.push_back(Ratio(r.lists.at("branch").*field, r.lists.at("main").*field));
          row.push_back(Ratio(r.lists.at("branch-of-branch").*field, r.lists.at("main").*field));
          return row;
        }));
  };
  std::string lists =
      fmt::format("first page of {} of a random namespace, {} lists x {} runs per variant",
                  kListPage, options.list_ops, options.runs);
  list_table("List ListContent, p50 us; " + lists, &Stats::p50_us, Us);
  list_table("List ListContent, p99 us; " + lists, &Stats::p99_us, Us);

  bool any_http = false;
  for (const auto* r : done) any_http = any_http || !r->http.empty();
  if (any_http) {
    auto http_table = [&](const std::string& what, double Stats::*field, auto format) {
      bool throughput = field == &Stats::ops_per_s;
      std::vector<std::string> header{"tables"};
      header.insert(header.end(), kHttpVariants.begin(), kHttpVariants.end());
      header.push_back(throughput ? "main/@branch" : "@branch/main");
      header.push_back(throughput ? "main/@b-of-b" : "@b-of-b/main");
      PrintTable(
          fmt::format("HTTP GET loadTable, {}; keep-alive, {} connections, {} s x {} runs per "
                      "variant (median of runs); health = GET /health/live",
                      what, options.http_connections, options.http_seconds, options.http_runs),
          header, rows([&](const SizeResult& r) {
            std::vector<std::string> row{FormatCount(r.tables)};
            for (const auto& v : kHttpVariants) {
              auto it = r.http.find(v);
              row.push_back(it == r.http.end() ? "-" : format(it->second.*field));
            }
            auto get = [&](const char* v) {
              auto it = r.http.find(v);
              return it == r.http.end() ? 0.0 : it->second.*field;
            };
            for (const char* v : {"@branch", "@branch-of-branch"}) {
              row.push_back(throughput ? Ratio(get("main"), get(v)) : Ratio(get(v), get("main")));
            }
            return row;
          }));
    };
    http_table("requests/s", &Stats::ops_per_s, Ops);
    http_table("p50 us", &Stats::p50_us, Us);
    http_table("p99 us", &Stats::p99_us, Us);
  }

  PrintTable("Memory: peak RSS (getrusage / VmHWM), MiB; the benchmark's is a running peak",
             {"tables", "benchmark", "pangolin_api", "note"}, rows([](const SizeResult& r) {
               return std::vector<std::string>{
                   FormatCount(r.tables), fmt::format("{:.0f}", r.bench_rss_mb),
                   r.server_rss_mb > 0 ? fmt::format("{:.0f}", r.server_rss_mb) : "-",
                   r.http_note.empty() ? "-" : r.http_note};
             }));
  for (const auto& r : results) {
    if (!r.done)
      std::printf("\n%s tables: FAILED: %s\n", FormatCount(r.tables).c_str(), r.failure.c_str());
  }
}

std::vector<size_t> ParseSizes(const std::string& text) {
  std::vector<size_t> sizes;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t multiplier = 1;
    if (!item.empty() && (item.back() == 'k' || item.back() == 'K')) multiplier = 1000;
    if (!item.empty() && (item.back() == 'm' || item.back() == 'M')) multiplier = 1000000;
    if (multiplier != 1) item.pop_back();
    size_t value = std::stoull(item) * multiplier;
    if (value < kNamespaces) throw std::invalid_argument("sizes must be at least 100");
    sizes.push_back(value);
  }
  return sizes;
}

fs::path DefaultServer(const char* argv0) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) self = fs::absolute(argv0);
  return self.parent_path().parent_path() / "src" / "pangolin_api";
}

}  // namespace

int Main(int argc, char** argv) {
  Options options;
  CLI::App app{"Pangolin branching benchmark: branch creation and table@branch reads at N tables"};
  std::string sizes;
  bool quick = false;
  bool no_http = false;
  std::string server = DefaultServer(argv[0]).string();
  std::string dir;
  app.add_option("--sizes", sizes, "catalog sizes, comma-separated (1000,100000,1000000; 10k, 1M)");
  app.add_flag("--quick", quick, "sizes 1k,10k with fewer lookups and shorter HTTP runs");
  app.add_option("--branches", options.branches, "branches created (and timed) per size")
      ->check(CLI::Range(1, 100000));
  app.add_option("--lookups", options.lookups, "random point reads per variant per run")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--warmup", options.warmup, "untimed point reads per variant first");
  app.add_option("--runs", options.runs, "runs per variant (medians are reported)")
      ->check(CLI::Range(1, 100));
  app.add_option("--list-ops", options.list_ops, "namespace listings per variant per run")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--batch", options.batch, "put operations per commit while populating")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--changed", options.changed,
                 "tables changed on branch 'own', and on main after the forks")
      ->check(CLI::Range(1, 100000000));
  app.add_flag("--no-http", no_http, "skip the HTTP figures");
  app.add_option("--server", server, "pangolin_api binary for the HTTP figures");
  app.add_option("--http-seconds", options.http_seconds, "duration of one HTTP run")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--http-connections", options.http_connections, "keep-alive connections")
      ->check(CLI::Range(1, 256));
  app.add_option("--http-runs", options.http_runs, "HTTP runs per variant")
      ->check(CLI::Range(1, 100));
  app.add_option("--dir", dir, "where the temporary databases go (default: $TMPDIR or /tmp)");
  app.add_flag("--keep", options.keep, "keep the databases");
  app.add_option("--seed", options.seed, "random seed");
  CLI11_PARSE(app, argc, argv);

  if (quick) {
    options.sizes = {1000, 10000};
    if (app.count("--lookups") == 0) options.lookups = 5000;
    if (app.count("--list-ops") == 0) options.list_ops = 500;
    if (app.count("--warmup") == 0) options.warmup = 500;
    if (app.count("--http-seconds") == 0) options.http_seconds = 2;
    if (app.count("--http-runs") == 0) options.http_runs = 3;
    if (app.count("--branches") == 0) options.branches = 20;
  }
  try {
    if (!sizes.empty()) options.sizes = ParseSizes(sizes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "--sizes: %s\n", e.what());
    return 2;
  }
  options.http = !no_http;
  options.server = server;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp && *tmp ? tmp : "/tmp";
  }
  std::string pattern = (fs::path(dir) / "pangolin-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) {
    std::fprintf(stderr, "cannot create a directory under %s: %s\n", dir.c_str(),
                 std::strerror(errno));
    return 1;
  }
  options.dir = pattern;
  Progress("databases under " + options.dir.string());

  std::vector<SizeResult> results;
  bool failed = false;
  for (size_t n : options.sizes) {
    fs::path size_dir = options.dir / ("n" + std::to_string(n));
    fs::create_directories(size_dir);
    Progress(fmt::format("=== {} tables ===", FormatCount(n)));
    try {
      results.push_back(SizeBench(options, n, size_dir).Run());
    } catch (const std::exception& e) {
      SizeResult failure;
      failure.tables = n;
      failure.failure = e.what();
      results.push_back(failure);
      failed = true;
      Progress(std::string("FAILED: ") + e.what());
    }
    if (!options.keep) fs::remove_all(size_dir);
  }
  if (!options.keep) fs::remove_all(options.dir);
  Report(options, results);
  return failed ? 1 : 0;
}

}  // namespace pangolin::bench

int main(int argc, char** argv) { return pangolin::bench::Main(argc, argv); }
