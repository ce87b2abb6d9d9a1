// SHA-256 through OpenSSL's one-shot EVP digest.
#include "common/digest.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "common/strings.h"

namespace pangolin {

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string RandomBytes(size_t size) {
  std::string out(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
    std::abort();  // the OS random source is gone: no secret can be made safely
  }
  return out;
}

}  // namespace pangolin
