// JWK import and JWS verification over OpenSSL 3 (EVP_PKEY_fromdata for keys, EVP_DigestVerify
// for signatures). An algorithm is bound to the key type and curve it needs before any key is
// built, so a token can never choose how a key is used.
#include "auth/jwk_internal.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <array>

#include "auth/openssl_internal.h"
#include "common/strings.h"

namespace pangolin::auth::internal {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr size_t kMaxRsaBytes = 2048;  // 16384 bits, OpenSSL's own ceiling

struct AlgorithmInfo {
  JwsAlgorithm algorithm;
  std::string_view name;
  std::string_view kty;
  std::string_view crv;     // EC only: the JWK curve name...
  const char* group;        // ...and OpenSSL's
  size_t coordinate_bytes;  // EC only
  const EVP_MD* (*digest)();
};

constexpr std::array<AlgorithmInfo, 5> kAlgorithms = {{
    {JwsAlgorithm::kRs256, "RS256", "RSA", "", nullptr, 0, &EVP_sha256},
    {JwsAlgorithm::kRs384, "RS384", "RSA", "", nullptr, 0, &EVP_sha384},
    {JwsAlgorithm::kRs512, "RS512", "RSA", "", nullptr, 0, &EVP_sha512},
    {JwsAlgorithm::kEs256, "ES256", "EC", "P-256", "prime256v1", 32, &EVP_sha256},
    {JwsAlgorithm::kEs384, "ES384", "EC", "P-384", "secp384r1", 48, &EVP_sha384},
}};

const AlgorithmInfo& Info(JwsAlgorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info;
  }
  return kAlgorithms.front();  // unreachable: every enumerator is listed
}

// JWK members are base64url without padding (RFC 7518 §2); padding some publishers add anyway is
// tolerated, since a key's encoding carries no security weight.
Result<std::string> DecodeMember(std::string_view text, std::string_view member) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::optional<std::string> bytes = Base64UrlDecode(text);
  if (!bytes || bytes->empty()) {
    return Err(ErrorCode::kBadRequest, "Invalid JWK member {}: not base64url", member);
  }
  return std::move(*bytes);
}

Result<Pkey> RsaKey(const serde::Jwk& jwk) {
  ASSIGN_OR_RETURN(std::string modulus, DecodeMember(jwk.n, "n"));
  ASSIGN_OR_RETURN(std::string exponent, DecodeMember(jwk.e, "e"));
  auto key = RsaPublicKey(modulus, exponent);
  if (!key) return Err(ErrorCode::kBadRequest, "Invalid RSA JWK: {}", key.error().message);
  return key;
}

Result<Pkey> EcKey(const serde::Jwk& jwk, const AlgorithmInfo& info) {
  ASSIGN_OR_RETURN(std::string x, DecodeMember(jwk.x, "x"));
  ASSIGN_OR_RETURN(std::string y, DecodeMember(jwk.y, "y"));
  auto key = EcPublicKey(info.group, info.coordinate_bytes, x, y);
  if (!key) return Err(ErrorCode::kBadRequest, "Invalid EC JWK: {}", key.error().message);
  return key;
}

}  // namespace

std::optional<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.name == name) return info.algorithm;
  }
  return std::nullopt;
}

Result<Pkey> RsaPublicKey(std::string_view modulus, std::string_view exponent) {
  if (modulus.size() > kMaxRsaBytes || exponent.size() > kMaxRsaBytes) {
    return Err(ErrorCode::kBadRequest, "RSA key too large");
  }
  Bignum n(BN_bin2bn(Bytes(modulus), static_cast<int>(modulus.size()), nullptr));
  Bignum e(BN_bin2bn(Bytes(exponent), static_cast<int>(exponent.size()), nullptr));
  if (!n || !e) return OpensslError("RSA key numbers");
  if (BN_num_bits(n.get()) < kMinRsaBits) {
    return Err(ErrorCode::kBadRequest, "RSA key shorter than {} bits", kMinRsaBits);
  }
  if (!BN_is_odd(e.get()) || BN_is_one(e.get())) {
    return Err(ErrorCode::kBadRequest, "Invalid RSA public exponent");
  }
  ParamBld builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return OpensslError("RSA key parameters");
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return OpensslError("RSA public key");
  }
  return Pkey(raw);
}

Result<Pkey> VerificationKey(const serde::Jwk& jwk, JwsAlgorithm algorithm) {
  const AlgorithmInfo& info = Info(algorithm);
  if (jwk.kty != info.kty || jwk.crv != info.crv || (jwk.alg && *jwk.alg != info.name)) {
    return Err(ErrorCode::kUnsupported, "{} does not fit the signing key", info.name);
  }
  return info.kty == "RSA" ? RsaKey(jwk) : EcKey(jwk, info);
}

bool VerifyJws(JwsAlgorithm algorithm, EVP_PKEY* key, std::string_view input,
               std::string_view signature) {
  const AlgorithmInfo& info = Info(algorithm);
  if (info.kty == "EC") {
    return EVP_PKEY_is_a(key, "EC") &&
           VerifyEcdsa(key, info.digest(), info.coordinate_bytes, input, signature);
  }
  MdCtx ctx(EVP_MD_CTX_new());
  // EVP_DigestVerify on an RSA key checks PKCS #1 v1.5 padding, which RS* means (RFC 7518 §3.3).
  bool valid = EVP_PKEY_is_a(key, "RSA") && ctx &&
               EVP_DigestVerifyInit(ctx.get(), nullptr, info.digest(), nullptr, key) == 1 &&
               EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(input),
                                input.size()) == 1;
  if (!valid) ERR_clear_error();
  return valid;
}

}  // namespace pangolin::auth::internal
