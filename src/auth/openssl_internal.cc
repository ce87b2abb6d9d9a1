// Conversion of OpenSSL's thread-local error queue into Pangolin's Error.
#include "auth/openssl_internal.h"

#include <openssl/err.h>

#include <array>

namespace pangolin::auth::internal {

tl::unexpected<Error> OpensslError(std::string_view what) {
  std::array<char, 256> reason{};
  unsigned long code = ERR_peek_last_error();
  if (code != 0) ERR_error_string_n(code, reason.data(), reason.size());
  ERR_clear_error();
  return Err(ErrorCode::kInternal, "{}: {}", what, code != 0 ? reason.data() : "unknown error");
}

}  // namespace pangolin::auth::internal
