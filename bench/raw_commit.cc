// raw_commit: the ceiling for a durable commit on this disk, the baseline of the commit figures
// of bench/perf_bench.py. Each of --writers threads loops: write a new file of --bytes bytes,
// fsync it (and its directory with --dir-fsync), then run one transaction inserting one row into
// a SQLite file (WAL, synchronous=FULL). Like the SQLite store, the process has one writer
// connection behind a mutex: files are written in parallel, transactions one at a time.
// The files stay behind for the caller to remove with its scratch directory: deleting tens of
// thousands of them at the end would slow the file creation of whatever runs next on that disk
// (ext4 without a journal does not reuse an inode freed moments ago, and scans past it). Their
// pages do not stay cached (see WriteFile).
// Prints one JSON line: {"writers", "seconds", "count", "ops_per_s", "p50_us", "p99_us"}.
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace pangolin::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& message) { throw std::runtime_error(message); }

class Db {
 public:
  explicit Db(const fs::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Die("cannot open " + path.string());
    Exec("PRAGMA journal_mode = WAL");
    Exec("PRAGMA synchronous = FULL");
    Exec("CREATE TABLE IF NOT EXISTS commits (id INTEGER PRIMARY KEY, location TEXT)");
    if (sqlite3_prepare_v2(db_, "INSERT INTO commits (location) VALUES (?1)", -1, &insert_,
                           nullptr) != SQLITE_OK) {
      Die(sqlite3_errmsg(db_));
    }
  }
  ~Db() {
    sqlite3_finalize(insert_);
    sqlite3_close_v2(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // One durable transaction inserting one row.
  void Insert(const std::string& location) {
    std::lock_guard lock(mu_);
    Exec("BEGIN IMMEDIATE");
    sqlite3_bind_text(insert_, 1, location.data(), static_cast<int>(location.size()),
                      SQLITE_STATIC);
    if (sqlite3_step(insert_) != SQLITE_DONE) Die(sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
    Exec("COMMIT");
  }

 private:
  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      Die(std::string(sql) + ": " + message);
    }
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  std::mutex mu_;
};

void Fsync(int fd, const std::string& what) {
  if (::fsync(fd) != 0) Die("fsync " + what);
}

// Writes `data` to a new file at `path`, fsyncs it and gives its pages back to the kernel, as
// the server does with its metadata files: the next file then reuses them, where fresh page
// cache costs a fault in the host per page on a virtual machine (6% more iterations here).
void WriteFile(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) Die("create " + path);
  for (size_t done = 0; done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) Die("write " + path);
    done += static_cast<size_t>(n);
  }
  Fsync(fd, path);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Raw durable commits: write a file, fsync, one SQLite transaction"};
  std::string dir;
  size_t bytes = 8192;
  int writers = 1;
  double seconds = 5;
  bool dir_fsync = false;
  app.add_option("--dir", dir, "scratch directory (files and database go here)")->required();
  app.add_option("--bytes", bytes, "size of each file")->check(CLI::Range(1, 1 << 30));
  app.add_option("--writers", writers, "concurrent writers")->check(CLI::Range(1, 1024));
  app.add_option("--seconds", seconds, "duration")->check(CLI::Range(0.1, 3600.0));
  app.add_flag("--dir-fsync", dir_fsync, "also fsync the directory after each file");
  CLI11_PARSE(app, argc, argv);

  try {
    fs::path root = fs::path(dir) / ("raw-" + std::to_string(writers));
    fs::remove_all(root);
    fs::create_directories(root / "files");
    Db db(root / "raw.db");
    std::string data(bytes, 'x');
    int dir_fd = ::open((root / "files").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) Die("open directory");
    std::vector<std::vector<int64_t>> latencies(static_cast<size_t>(writers));
    std::atomic<bool> failed{false};
    std::string error;
    std::mutex error_mu;
    auto start = Clock::now();
    auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([&, w] {
        auto& mine = latencies[static_cast<size_t>(w)];
        try {
          for (uint64_t n = 0; !failed && Clock::now() < deadline; ++n) {
            std::string path = (root / "files" / fmt::format("w{}-{}.json", w, n)).string();
            auto begin = Clock::now();
            WriteFile(path, data);
            if (dir_fsync) Fsync(dir_fd, "directory");
            db.Insert(path);
            mine.push_back(
                std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin).count());
          }
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mu);
          if (!failed.exchange(true)) error = e.what();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    double wall = std::chrono::duration<double>(Clock::now() - start).count();
    ::close(dir_fd);
    if (failed) Die(error);
    std::vector<int64_t> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    if (all.empty()) Die("no commit finished");
    std::sort(all.begin(), all.end());
    auto at = [&](double q) {
      size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(all.size())));
      return static_cast<double>(all[std::clamp<size_t>(rank, 1, all.size()) - 1]) / 1000.0;
    };
    std::printf(
        "{\"writers\": %d, \"seconds\": %.3f, \"count\": %zu, \"ops_per_s\": %.1f, "
        "\"p50_us\": %.1f, \"p99_us\": %.1f}\n",
        writers, wall, all.size(), static_cast<double>(all.size()) / wall, at(0.5), at(0.99));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "raw_commit: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace pangolin::bench

int main(int argc, char** argv) { return pangolin::bench::Main(argc, argv); }
