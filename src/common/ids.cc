// UUID generation from the OpenSSL CSPRNG.
#include "common/ids.h"

#include <openssl/rand.h>

#include <array>
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

std::array<unsigned char, 16> RandomBytes() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");  // broken invariant: no entropy
  }
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
