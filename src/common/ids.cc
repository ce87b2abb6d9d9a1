// UUID generation from the OpenSSL CSPRNG.
#include "common/ids.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <stdexcept>

namespace pangolin {
namespace {

std::string Format(std::array<unsigned char, 16> b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

// Bumped in a forked child, whose pools are copies of its parent's and must not be reused.
std::atomic<uint64_t> fork_generation{0};

// 16 bytes from the CSPRNG, drawn from a per-thread pool that OpenSSL refills 4 KiB at a time: a
// call to RAND_bytes costs about as much for 16 bytes as for 4 KiB (its locks and reseed checks),
// and ids are made on every commit.
std::array<unsigned char, 16> RandomBytes() {
  struct Pool {
    std::array<unsigned char, 4096> bytes{};
    size_t used = sizeof(bytes);
    uint64_t generation = 0;
  };
  static const bool registered = [] {
    ::pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });
    return true;
  }();
  (void)registered;
  thread_local Pool pool;
  uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  std::array<unsigned char, 16> b{};
  if (pool.used + b.size() > pool.bytes.size() || pool.generation != generation) {
    if (RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size())) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed");  // broken invariant: no entropy
    }
    pool.used = 0;
    pool.generation = generation;
  }
  std::copy_n(pool.bytes.begin() + static_cast<std::ptrdiff_t>(pool.used), b.size(), b.begin());
  std::fill_n(pool.bytes.begin() + static_cast<std::ptrdiff_t>(pool.used), b.size(), 0);
  pool.used += b.size();
  return b;
}

}  // namespace

std::string NewUuid() {
  auto b = RandomBytes();
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return Format(b);
}

std::string NewFastUuid() {
  // xoshiro256** (Blackman and Vigna), one state per thread.
  thread_local std::array<uint64_t, 4> state = [] {
    std::array<uint64_t, 4> seed{};
    do {
      if (RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()),
                     static_cast<int>(sizeof(seed))) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed");
      }
    } while (seed == std::array<uint64_t, 4>{});
    return seed;
  }();
  auto next = [] {
    auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
    uint64_t result = rotl(state[1] * 5, 7) * 9;
    uint64_t t = state[1] << 17;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 45);
    return result;
  };
  std::array<unsigned char, 16> b{};
  for (int half = 0; half < 2; ++half) {
    uint64_t word = next();
    for (int i = 0; i < 8; ++i) b[half * 8 + i] = static_cast<unsigned char>(word >> (8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return Format(b);
}

std::string NewUuidV7(int64_t unix_ms) {
  auto b = RandomBytes();
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(unix_ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x70);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return Format(b);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace pangolin
