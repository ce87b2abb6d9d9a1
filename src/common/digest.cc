// SHA-256, MD5 and HMAC-SHA256 through OpenSSL's one-shot functions.
#include "common/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "common/strings.h"

namespace pangolin {

namespace {

// The algorithm fetched from OpenSSL's providers once. EVP_sha256() and EVP_md5() are handles
// that OpenSSL 3 looks up by name again, under a process-wide lock, on every use: twice the cost
// of a short digest, and contended between threads (each request hashes its API key).
const EVP_MD* Fetched(const char* name, const EVP_MD* (*legacy)()) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  return md ? md : legacy();
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* md = Fetched("SHA256", EVP_sha256);
  return md;
}

const EVP_MD* Md5Md() {
  static const EVP_MD* md = Fetched("MD5", EVP_md5);
  return md;
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, Sha256Md(), nullptr) != 1) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(Sha256Md(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &size) == nullptr) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return std::string(reinterpret_cast<const char*>(mac), size);
}

std::string Md5(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, Md5Md(), nullptr) != 1) {
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string RandomBytes(size_t size) {
  std::string out(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
    std::abort();  // the OS random source is gone: no secret can be made safely
  }
  return out;
}

}  // namespace pangolin
