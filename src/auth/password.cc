// argon2id password hashing over libsodium. Only argon2id hashes are accepted on verification,
// so a stored hash of a weaker algorithm can never log anybody in.
#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "common/strings.h"

namespace pangolin::auth {
namespace {

constexpr size_t kMinPasswordChars = 12;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// sodium_init() picks implementations and seeds nothing we rely on; a function-local static
// makes the first call thread-safe and the rest free.
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// UTF-8 code points: every byte that is not a continuation byte starts one.
size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password) {
  if (password.find('\0') != std::string_view::npos) {
    return Err(ErrorCode::kBadRequest, "Password must not contain NUL characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Err(ErrorCode::kBadRequest, "Password must be at most {} bytes", kMaxPasswordBytes);
  }
  if (CharacterCount(password) < kMinPasswordChars) {
    return Err(ErrorCode::kBadRequest, "Password must be at least {} characters",
               kMinPasswordChars);
  }
  return Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  if (!SodiumReady()) return Err(ErrorCode::kInternal, "libsodium failed to initialize");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Err(ErrorCode::kInternal, "Out of memory while hashing a password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!SodiumReady() || !StartsWith(hash, kArgon2idPrefix)) return false;
  // libsodium wants a NUL-terminated string shorter than crypto_pwhash_STRBYTES.
  if (hash.size() >= crypto_pwhash_STRBYTES || hash.find('\0') != std::string_view::npos) {
    return false;
  }
  std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyHash() {
  static const std::string hash = [] {
    std::array<unsigned char, 32> random{};
    if (SodiumReady()) randombytes_buf(random.data(), random.size());
    auto hashed =
        HashPassword(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
    if (!hashed) {
      // Without it, login would reveal which users exist; refuse to run rather than leak.
      std::fprintf(stderr, "pangolin: cannot compute the dummy password hash: %s\n",
                   hashed.error().message.c_str());
      std::abort();
    }
    return *std::move(hashed);
  }();
  return hash;
}

}  // namespace pangolin::auth
