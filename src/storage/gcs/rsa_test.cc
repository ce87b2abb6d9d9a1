// RS256 signing against the published example of RFC 7515 (JSON Web Signature), Appendix A.2:
// PKCS#1 v1.5 signatures are deterministic, so signing its input with its key must give its
// signature exactly. Test vector data from RFC 7515, Appendix A.2.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "storage/gcs/rsa_internal.h"
#include "storage/gcs/test_support_internal.h"
#include "testing/matchers.h"

namespace pangolin::storage::gcs_internal {
namespace {

using ::pangolin::testing::IsError;

constexpr std::string_view kModulus =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4"
    "QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdb"
    "BYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-D"
    "WNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
constexpr std::string_view kPrivateExponent =
    "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoA"
    "Je46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpR"
    "LI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZF"
    "D9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
constexpr std::string_view kSigningInput =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNv"
    "bS9pc19yb290Ijp0cnVlfQ";
constexpr std::string_view kSignature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5ju"
    "jGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07"
    "Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipU"
    "TI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// The RSA key of (n, e = 65537, d), each given in base64url.
RsaKey KeyOf(std::string_view n64, std::string_view d64) {
  auto bignum = [](std::string_view b64) {
    std::string bytes = Base64UrlDecode(b64).value_or("");
    return std::unique_ptr<BIGNUM, decltype(&BN_free)>(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<int>(bytes.size()), nullptr),
        BN_free);
  };
  auto n = bignum(n64), d = bignum(d64);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> e(BN_new(), BN_free);
  BN_set_word(e.get(), 65537);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_D, d.get());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return RsaKey();
  }
  return RsaKey(key);
}

TEST(Rs256Test, MatchesRfc7515AppendixA2) {
  RsaKey key = KeyOf(kModulus, kPrivateExponent);
  ASSERT_TRUE(key);
  ASSERT_OK_AND_ASSIGN(std::string signature, SignRs256(key.get(), kSigningInput));
  EXPECT_EQ(Base64UrlEncode(signature), kSignature);
  EXPECT_TRUE(gcs_testing::VerifyRs256(key.get(), kSigningInput, signature));
}

TEST(Rs256Test, GeneratedKeysRoundTripThroughPem) {
  gcs_testing::TestKey generated = gcs_testing::GenerateRsaKey();
  ASSERT_OK_AND_ASSIGN(RsaKey parsed,
                       ParseRsaPrivateKey(gcs_testing::PrivateKeyPem(generated.get())));
  ASSERT_OK_AND_ASSIGN(std::string signature, SignRs256(parsed.get(), "payload"));
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(gcs_testing::VerifyRs256(generated.get(), "payload", signature));
  EXPECT_FALSE(gcs_testing::VerifyRs256(generated.get(), "payloaD", signature));
  EXPECT_THAT(ParseRsaPrivateKey(""), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseRsaPrivateKey("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
              IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace pangolin::storage::gcs_internal
