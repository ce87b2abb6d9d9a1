// Test support for the GCS module's unit tests: an HttpClient that answers from a script and
// records what it was sent, form decoding, and throwaway RSA keys with signature verification.
// Include only from storage/gcs/*_test.cc.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/strings.h"
#include "net/http_client.h"

namespace pangolin::storage::gcs_testing {

// Answers each request with the next handler of the script; records every request.
class ScriptedHttpClient final : public net::HttpClient {
 public:
  using Handler = std::function<Result<net::HttpResponse>(const net::HttpRequest&)>;

  void Expect(Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(handler));
  }
  Result<net::HttpResponse> Send(const net::HttpRequest& request) override {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sent_.push_back(request);
      if (script_.empty()) {
        ADD_FAILURE() << "unexpected request " << request.method << " " << request.url;
        return Err(ErrorCode::kUnavailable, "no scripted answer");
      }
      handler = std::move(script_.front());
      script_.pop_front();
    }
    return handler(request);
  }
  std::vector<net::HttpRequest> sent() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sent_;
  }
  size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return script_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Handler> script_;
  std::vector<net::HttpRequest> sent_;
};

inline net::HttpResponse Answer(int status, std::string body = "") {
  return net::HttpResponse{status, {{"content-type", "application/json"}}, std::move(body)};
}

// A handler that answers `status` and `body` whatever the request.
inline ScriptedHttpClient::Handler Reply(int status, std::string body = "") {
  return [status, body](const net::HttpRequest&) -> Result<net::HttpResponse> {
    return Answer(status, body);
  };
}

// The fields of an application/x-www-form-urlencoded body ('+' read as a space).
inline std::map<std::string, std::string> DecodeForm(std::string_view body) {
  std::map<std::string, std::string> out;
  for (std::string pair : Split(body, "&")) {
    for (char& c : pair) c = c == '+' ? ' ' : c;
    size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq));
    auto value = PercentDecode(eq == std::string::npos ? "" : pair.substr(eq + 1));
    if (name && value) out[*name] = *value;
  }
  return out;
}

inline std::string HeaderOf(const net::HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (ToLower(key) == ToLower(name)) return value;
  }
  return "";
}

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using TestKey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// A fresh RSA key (2048 bits, as Google issues them).
inline TestKey GenerateRsaKey() { return TestKey(EVP_RSA_gen(2048)); }

inline std::string PrivateKeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free_all)> bio(BIO_new(BIO_s_mem()), BIO_free_all);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// Whether `signature` is a valid RS256 signature of `input` by `key`.
inline bool VerifyRs256(EVP_PKEY* key, std::string_view input, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

// A service-account key file for `pem`, as Google Cloud's console writes it.
inline std::string KeyFileJson(const std::string& pem, const std::string& token_uri) {
  std::string escaped;
  for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  return R"({"type":"service_account","project_id":"proj","private_key_id":"kid-1",)"
         R"("private_key":")" +
         escaped +
         R"(","client_email":"sa@proj.iam.gserviceaccount.com",)"
         R"("client_id":"1","token_uri":")" +
         token_uri + R"("})";
}

}  // namespace pangolin::storage::gcs_testing
