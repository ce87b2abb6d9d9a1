// OpenSSL 3 handles owned by unique_ptr, and the conversion of OpenSSL's error queue into an
// Error, shared by auth's crypto files. Module-private: include only from auth/*.cc.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>
#include <string_view>

#include "common/result.h"

namespace pangolin::auth::internal {

template <typename T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* handle) const { Free(handle); }
};
using Bio = std::unique_ptr<BIO, OpensslDeleter<BIO, BIO_free_all>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, OpensslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;
using Bignum = std::unique_ptr<BIGNUM, OpensslDeleter<BIGNUM, BN_free>>;
using ParamBld =
    std::unique_ptr<OSSL_PARAM_BLD, OpensslDeleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, OpensslDeleter<OSSL_PARAM, OSSL_PARAM_free>>;

// kInternal naming `what` and OpenSSL's last reason; clears the thread's error queue so that the
// failure cannot surface in unrelated code.
tl::unexpected<Error> OpensslError(std::string_view what);

inline const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace pangolin::auth::internal
