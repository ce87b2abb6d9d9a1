// ECDSA for JWS over OpenSSL 3's EVP interface. Every OpenSSL handle lives in a unique_ptr, and
// every failure clears the thread's OpenSSL error queue so that it cannot surface in unrelated
// code.
#include "auth/jwt_internal.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>
#include <climits>

#include "auth/openssl_internal.h"
#include "common/strings.h"

namespace pangolin::auth::internal {
namespace {

constexpr char kP256GroupName[] = "prime256v1";

// Refuses to prompt on the terminal for the passphrase of an encrypted PEM.
int NoPassphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

bool IsP256(const EVP_PKEY* key) {
  std::array<char, 64> group{};
  size_t length = 0;
  return EVP_PKEY_is_a(key, "EC") &&
         EVP_PKEY_get_group_name(key, group.data(), group.size(), &length) == 1 &&
         std::string_view(group.data(), length) == kP256GroupName;
}

Result<std::string> Coordinate(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return OpensslError("EC public point");
  Bignum value(raw);
  std::string out(kCoordinateBytes, '\0');
  if (BN_bn2binpad(value.get(), reinterpret_cast<unsigned char*>(out.data()),
                   static_cast<int>(out.size())) < 0) {
    return OpensslError("EC coordinate");
  }
  return out;
}

// The DER ECDSA-Sig-Value of a raw R||S signature; nullopt when it does not convert.
std::optional<std::string> RawToDer(std::string_view signature, size_t coordinate_bytes) {
  const int size = static_cast<int>(coordinate_bytes);
  Bignum r(BN_bin2bn(Bytes(signature), size, nullptr));
  Bignum s(BN_bin2bn(Bytes(signature.substr(coordinate_bytes)), size, nullptr));
  EcdsaSig sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  r.release();  // now owned by sig
  s.release();
  int der_size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (der_size <= 0) return std::nullopt;
  std::string der(static_cast<size_t>(der_size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != der_size) return std::nullopt;
  return der;
}

}  // namespace

void PkeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

Result<Pkey> GenerateP256Key() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return OpensslError("P-256 key generation");
  return key;
}

Result<std::string> PrivateKeyPem(const EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) return OpensslError("PEM buffer");
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpensslError("PEM export");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) return OpensslError("PEM export");
  return std::string(data, static_cast<size_t>(size));
}

Result<Pkey> ParseP256PrivateKey(std::string_view pem) {
  if (pem.size() > INT_MAX) return Err(ErrorCode::kInternal, "PEM too large");
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return OpensslError("PEM buffer");
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) return OpensslError("PEM private key");
  if (!IsP256(key.get())) {
    ERR_clear_error();
    return Err(ErrorCode::kInternal, "not a P-256 private key");
  }
  return key;
}

Result<Pkey> EcPublicKey(std::string_view group_name, size_t coordinate_bytes, std::string_view x,
                         std::string_view y) {
  if (x.size() != coordinate_bytes || y.size() != coordinate_bytes) {
    return Err(ErrorCode::kInternal, "{} coordinates must be {} bytes", group_name,
               coordinate_bytes);
  }
  std::string point = "\x04" + std::string(x) + std::string(y);  // SEC 1 uncompressed form
  std::string group(group_name);
  std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.data()) != 1) {
    return OpensslError("EC public key");
  }
  return Pkey(raw);
}

Result<Pkey> P256PublicKey(std::string_view x, std::string_view y) {
  return EcPublicKey(kP256GroupName, kCoordinateBytes, x, y);
}

Result<Coordinates> PublicCoordinates(const EVP_PKEY* key) {
  Coordinates out;
  ASSIGN_OR_RETURN(out.x, Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X));
  ASSIGN_OR_RETURN(out.y, Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y));
  return out;
}

Result<std::string> SignEcdsa(EVP_PKEY* key, const EVP_MD* digest, size_t coordinate_bytes,
                              std::string_view input) {
  MdCtx ctx(EVP_MD_CTX_new());
  std::array<unsigned char, 160> der{};  // a P-384 ECDSA-Sig-Value is at most 104 bytes
  size_t der_size = der.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), der.data(), &der_size, Bytes(input), input.size()) != 1) {
    return OpensslError("ECDSA signing");
  }
  const unsigned char* cursor = der.data();
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_size)));
  if (!sig) return OpensslError("ECDSA signature decoding");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  const int size = static_cast<int>(coordinate_bytes);
  std::string raw(2 * coordinate_bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, size) < 0 || BN_bn2binpad(s, out + coordinate_bytes, size) < 0) {
    return OpensslError("ECDSA signature encoding");
  }
  return raw;
}

Result<std::string> SignEs256(EVP_PKEY* key, std::string_view input) {
  return SignEcdsa(key, EVP_sha256(), kCoordinateBytes, input);
}

bool VerifyEcdsa(EVP_PKEY* key, const EVP_MD* digest, size_t coordinate_bytes,
                 std::string_view input, std::string_view signature) {
  if (signature.size() != 2 * coordinate_bytes) return false;
  std::optional<std::string> der = RawToDer(signature, coordinate_bytes);
  MdCtx ctx(EVP_MD_CTX_new());
  bool valid =
      der && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx.get(), Bytes(*der), der->size(), Bytes(input), input.size()) == 1;
  if (!valid) ERR_clear_error();
  return valid;
}

bool VerifyEs256(EVP_PKEY* key, std::string_view input, std::string_view signature) {
  return VerifyEcdsa(key, EVP_sha256(), kCoordinateBytes, input, signature);
}

std::optional<JwsParts> SplitJws(std::string_view token) {
  size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  JwsParts parts{token.substr(0, first), token.substr(first + 1, second - first - 1),
                 token.substr(second + 1), token.substr(0, second)};
  if (parts.header.empty() || parts.payload.empty() || parts.signature.empty()) {
    return std::nullopt;
  }
  return parts;
}

std::optional<std::string> DecodeBase64UrlStrict(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::optional<std::string> bytes = Base64UrlDecode(text);
  // Re-encoding gives back `text` only when its unused trailing bits were zero.
  if (!bytes || Base64UrlEncode(*bytes) != text) return std::nullopt;
  return bytes;
}

}  // namespace pangolin::auth::internal
