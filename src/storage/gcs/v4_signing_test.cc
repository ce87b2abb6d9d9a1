// Google's V4 signing conformance vectors (googleapis/conformance-tests, storage/v1): every one
// signed as GOOG4-RSA-SHA256 with the suite's inactive test service account. The canonical
// request, string to sign and URL come from storage/s3/sigv4 (the same code that signs GCS XML
// API requests with HMAC keys as GOOG4-HMAC-SHA256, and S3 requests as AWS4); the RSA signature
// from storage/gcs/rsa, which signs service-account assertions. Five vectors test how a client
// library picks its endpoint (a port, an emulator, a universe domain) and send the request to
// another host than the one they sign; each is checked here as signed. One of them ("Universe
// domain with virtual hosted style") gives a canonical request whose path disagrees with its own
// URL and string to sign; the URL and the string to sign are what its signature covers.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "common/digest.h"
#include "common/strings.h"
#include "storage/gcs/rsa_internal.h"
#include "storage/s3/sigv4.h"

namespace pangolin::storage::gcs_internal {
namespace {

using namespace std::chrono;
using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Vector {
  std::string description;
  std::string method;
  std::string scheme;
  std::string host;
  bool path_style;
  std::string bucket;
  std::string object;
  Pairs headers;
  Pairs query;
  int expiration;
  int64_t timestamp;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

const std::vector<Vector>& Vectors() {
  static const std::vector<Vector> vectors = {
#include "storage/gcs/v4_signing_vectors.inc"
  };
  return vectors;
}

// storage/v1/test_service_account.not-a-test.json: "a dummy service account ... inactive".
constexpr char kClientEmail[] = "test-iam-credentials@dummy-project-id.iam.gserviceaccount.com";
constexpr char kPrivateKey[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCsPzMirIottfQ2\n"
    "ryjQmPWocSEeGo7f7Q4/tMQXHlXFzo93AGgU2t+clEj9L5loNhLVq+vk+qmnyDz5\n"
    "Q04y8jVWyMYzzGNNrGRW/yaYqnqlKZCy1O3bmnNjV7EDbC/jE1ZLBY0U3HaSHfn6\n"
    "S9ND8MXdgD0/ulRTWwq6vU8/w6i5tYsU7n2LLlQTl1fQ7/emO9nYcCFJezHZVa0H\n"
    "meWsdHwWsok0skwQYQNIzP3JF9BpR5gJT2gNge6KopDesJeLoLzaX7cUnDn+CAnn\n"
    "LuLDwwSsIVKyVxhBFsFXPplgpaQRwmGzwEbf/Xpt9qo26w2UMgn30jsOaKlSeAX8\n"
    "cS6ViF+tAgMBAAECggEACKRuJCP8leEOhQziUx8Nmls8wmYqO4WJJLyk5xUMUC22\n"
    "SI4CauN1e0V8aQmxnIc0CDkFT7qc9xBmsMoF+yvobbeKrFApvlyzNyM7tEa/exh8\n"
    "DGD/IzjbZ8VfWhDcUTwn5QE9DCoon9m1sG+MBNlokB3OVOt8LieAAREdEBG43kJu\n"
    "yQTOkY9BGR2AY1FnAl2VZ/jhNDyrme3tp1sW1BJrawzR7Ujo8DzlVcS2geKA9at7\n"
    "55ua5GbHz3hfzFgjVXDfnkWzId6aHypUyqHrSn1SqGEbyXTaleKTc6Pgv0PgkJjG\n"
    "hZazWWdSuf1T5Xbs0OhAK9qraoAzT6cXXvMEvvPt6QKBgQDXcZKqJAOnGEU4b9+v\n"
    "Odoh+nssdrIOBNMu1m8mYbUVYS1aakc1iDGIIWNM3qAwbG+yNEIi2xi80a2RMw2T\n"
    "9RyCNB7yqCXXVKLBiwg9FbKMai6Vpk2bWIrzahM9on7AhCax/X2AeOp+UyYhFEy6\n"
    "UFG4aHb8THscL7b515ukSuKb5QKBgQDMq+9PuaB0eHsrmL6q4vHNi3MLgijGg/zu\n"
    "AXaPygSYAwYW8KglcuLZPvWrL6OG0+CrfmaWTLsyIZO4Uhdj7MLvX6yK7IMnagvk\n"
    "L3xjgxSklEHJAwi5wFeJ8ai/1MIuCn8p2re3CbwISKpvf7Sgs/W4196P4vKvTiAz\n"
    "jcTiSYFIKQKBgCjMpkS4O0TakMlGTmsFnqyOneLmu4NyIHgfPb9cA4n/9DHKLKAT\n"
    "oaWxBPgatOVWs7RgtyGYsk+XubHkpC6f3X0+15mGhFwJ+CSE6tN+l2iF9zp52vqP\n"
    "Qwkjzm7+pdhZbmaIpcq9m1K+9lqPWJRz/3XXuqi+5xWIZ7NaxGvRjqaNAoGAdK2b\n"
    "utZ2y48XoI3uPFsuP+A8kJX+CtWZrlE1NtmS7tnicdd19AtfmTuUL6fz0FwfW4Su\n"
    "lQZfPT/5B339CaEiq/Xd1kDor+J7rvUHM2+5p+1A54gMRGCLRv92FQ4EON0RC1o9\n"
    "m2I4SHysdO3XmjmdXmfp4BsgAKJIJzutvtbqlakCgYB+Cb10z37NJJ+WgjDt+yT2\n"
    "yUNH17EAYgWXryfRgTyi2POHuJitd64Xzuy6oBVs3wVveYFM6PIKXlj8/DahYX5I\n"
    "R2WIzoCNLL3bEZ+nC6Jofpb4kspoAeRporj29SgesK6QBYWHWX2H645RkRGYGpDo\n"
    "51gjy9m/hSNqBbH2zmh04A==\n"
    "-----END PRIVATE KEY-----\n";

// The request URL as a client builds it: the object's segments and the query encoded once.
std::string RequestUrl(const Vector& v) {
  std::string url = v.scheme + "://" + v.host;
  if (v.path_style) url += "/" + v.bucket;
  if (!v.object.empty()) {
    std::vector<std::string> segments = Split(v.object, "/");
    for (auto& segment : segments) segment = PercentEncode(segment);
    url += "/" + Join(segments, "/");
  }
  std::string query;
  for (const auto& [name, value] : v.query) {
    query += (query.empty() ? "?" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
  }
  return url + query;
}

// The URL of the request signed: its path, the canonical query, then the signature (the vector's
// own URL, save for the five that send it elsewhere).
std::string ExpectedUrl(const Vector& v) {
  std::string url = RequestUrl(v);
  url = url.substr(0, url.find('?'));
  return url + "?" + Split(v.canonical_request, "\n")[2] + "&X-Goog-Signature=" + v.signature;
}

TEST(GcsV4SigningTest, GooglesConformanceVectors) {
  auto key = ParseRsaPrivateKey(kPrivateKey);
  ASSERT_TRUE(key) << key.error().message;
  s3::SigV4Params params;
  params.credentials.access_key_id = kClientEmail;
  params.region = "auto";
  params.service = "storage";
  params.dialect = s3::GoogDialect();
  params.dialect.algorithm = "GOOG4-RSA-SHA256";
  ASSERT_EQ(Vectors().size(), 29u);
  for (const Vector& v : Vectors()) {
    SCOPED_TRACE(v.description);
    s3::DescribedRequest request{v.method, RequestUrl(v), {}, ""};
    for (const auto& [name, value] : v.headers) request.headers[name].push_back(value);
    std::string string_to_sign;
    auto sign = [&](std::string_view text) -> Result<std::string> {
      string_to_sign = std::string(text);
      ASSIGN_OR_RETURN(std::string signature, SignRs256(key->get(), text));
      return HexEncode(signature);
    };
    auto url = s3::PresignUrl(request, params, system_clock::from_time_t(v.timestamp),
                              seconds(v.expiration), sign);
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(string_to_sign, v.string_to_sign) << "expected canonical request:\n"
                                                << v.canonical_request;
    EXPECT_EQ(*url, ExpectedUrl(v));
  }
}

}  // namespace
}  // namespace pangolin::storage::gcs_internal
