// SigV4 against AWS's published vectors: the Signature Version 4 test suite
// (aws-sig-v4-test-suite, 2015-08-30, files <name>/<name>.creq and .authz) and the worked examples
// of the S3 API reference ("Signature Calculations for the Authorization Header: Transferring
// Payload in a Single Chunk" and "Authenticating Requests: Using Query Parameters").
#include "storage/s3/sigv4.h"

#include <gtest/gtest.h>

#include "common/digest.h"
#include "common/strings.h"
#include "testing/matchers.h"

namespace pangolin::storage::s3 {
namespace {

using namespace std::chrono;
using ::pangolin::testing::IsError;

// aws-sig-v4-test-suite: credentials, scope and time shared by every vector.
SigV4Params SuiteParams() {
  SigV4Params params;
  params.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  params.region = "us-east-1";
  params.service = "service";
  params.send_content_sha256 = false;
  return params;
}
const system_clock::time_point kSuiteTime = sys_days{year{2015} / 8 / 30} + 12h + 36min;

// The S3 API reference examples: AKIAIOSFODNN7EXAMPLE, bucket "examplebucket", 2013-05-24.
SigV4Params S3DocParams() {
  SigV4Params params;
  params.credentials = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  return params;
}
const system_clock::time_point kS3DocTime = sys_days{year{2013} / 5 / 24};

SignedRequest Sign(const DescribedRequest& request, const SigV4Params& params,
                   system_clock::time_point when) {
  auto signed_request = SignDescribedRequest(request, params, when);
  EXPECT_TRUE(signed_request) << signed_request.error().message;
  return signed_request ? *signed_request : SignedRequest{};
}

std::string SuiteAuthorization(const std::string& signed_headers, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         signed_headers + ", Signature=" + signature;
}

std::string Authorization(const SignedRequest& request) {
  auto found = request.headers.find("authorization");
  return found == request.headers.end() ? "" : found->second.front();
}

struct SuiteCase {
  std::string name;
  std::string method;
  std::string url;
  HeaderValues headers;
  std::string payload;
  std::string signed_headers;
  std::string signature;  // from <name>.authz
};

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, MatchesPublishedAuthorization) {
  const SuiteCase& c = GetParam();
  DescribedRequest request{c.method, c.url, c.headers, Sha256Hex(c.payload)};
  SignedRequest signed_request = Sign(request, SuiteParams(), kSuiteTime);
  EXPECT_EQ(Authorization(signed_request), SuiteAuthorization(c.signed_headers, c.signature))
      << signed_request.canonical_request;
  EXPECT_EQ(signed_request.headers["x-amz-date"], std::vector<std::string>{"20150830T123600Z"});
}

// Each expected signature is the one in aws-sig-v4-test-suite/<name>/<name>.authz.
INSTANTIATE_TEST_SUITE_P(
    AwsSigV4TestSuite, SigV4SuiteTest,
    ::testing::Values(
        SuiteCase{"get_vanilla",
                  "GET",
                  "https://example.amazonaws.com/",
                  {},
                  "",
                  "host;x-amz-date",
                  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
        SuiteCase{"get_vanilla_query_order_key_case",
                  "GET",
                  "https://example.amazonaws.com/?Param2=value2&Param1=value1",
                  {},
                  "",
                  "host;x-amz-date",
                  "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
        SuiteCase{"get_vanilla_query_order_value",
                  "GET",
                  "https://example.amazonaws.com/?Param1=value2&Param1=value1",
                  {},
                  "",
                  "host;x-amz-date",
                  "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
        SuiteCase{"get_vanilla_empty_query_key",
                  "GET",
                  "https://example.amazonaws.com/?Param1=value1",
                  {},
                  "",
                  "host;x-amz-date",
                  "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
        SuiteCase{"get_vanilla_query_unreserved",
                  "GET",
                  "https://example.amazonaws.com/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "abcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "abcdefghijklmnopqrstuvwxyz",
                  {},
                  "",
                  "host;x-amz-date",
                  "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
        SuiteCase{"get_vanilla_utf8_query",
                  "GET",
                  "https://example.amazonaws.com/?\xE1\x88\xB4=bar",
                  {},
                  "",
                  "host;x-amz-date",
                  "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
        SuiteCase{"get_unreserved",
                  "GET",
                  "https://example.amazonaws.com/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "abcdefghijklmnopqrstuvwxyz",
                  {},
                  "",
                  "host;x-amz-date",
                  "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
        SuiteCase{"get_utf8",
                  "GET",
                  "https://example.amazonaws.com/\xE1\x88\xB4",
                  {},
                  "",
                  "host;x-amz-date",
                  "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
        SuiteCase{"get_header_value_trim",
                  "GET",
                  "https://example.amazonaws.com/",
                  {{"My-Header1", {" value1"}}, {"My-Header2", {" \"a   b   c\""}}},
                  "",
                  "host;my-header1;my-header2;x-amz-date",
                  "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
        SuiteCase{"get_header_key_duplicate",
                  "GET",
                  "https://example.amazonaws.com/",
                  {{"My-Header1", {"value2", "value2", "value1"}}},
                  "",
                  "host;my-header1;x-amz-date",
                  "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
        SuiteCase{"get_header_value_order",
                  "GET",
                  "https://example.amazonaws.com/",
                  {{"My-Header1", {"value4", "value1", "value3", "value2"}}},
                  "",
                  "host;my-header1;x-amz-date",
                  "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
        SuiteCase{"post_vanilla",
                  "POST",
                  "https://example.amazonaws.com/",
                  {},
                  "",
                  "host;x-amz-date",
                  "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
        SuiteCase{"post_vanilla_query",
                  "POST",
                  "https://example.amazonaws.com/?Param1=value1",
                  {},
                  "",
                  "host;x-amz-date",
                  "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
        SuiteCase{"post_header_key_sort",
                  "POST",
                  "https://example.amazonaws.com/",
                  {{"My-Header1", {"value1"}}},
                  "",
                  "host;my-header1;x-amz-date",
                  "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
        SuiteCase{"post_header_value_case",
                  "POST",
                  "https://example.amazonaws.com/",
                  {{"My-Header1", {"VALUE1"}}},
                  "",
                  "host;my-header1;x-amz-date",
                  "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
        // The suite's .authz for this case signs no content-length (its .creq does).
        SuiteCase{"post_x_www_form_urlencoded",
                  "POST",
                  "https://example.amazonaws.com/",
                  {{"Content-Type", {"application/x-www-form-urlencoded"}}},
                  "Param1=value1",
                  "content-type;host;x-amz-date",
                  "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"}),
    [](const auto& info) { return info.param.name; });

// aws-sig-v4-test-suite/get-vanilla/get-vanilla.creq, line for line.
TEST(SigV4Test, CanonicalRequestOfGetVanilla) {
  SignedRequest signed_request =
      Sign({"GET", "https://example.amazonaws.com/", {}, std::string(kEmptyPayloadHash)},
           SuiteParams(), kSuiteTime);
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// aws-sig-v4-test-suite/post-x-www-form-urlencoded-parameters/….creq, line for line. (That
// case's .sts and .authz were computed from another canonical request, with "charset=utf8" and no
// content-length, so only the canonical request is compared.)
TEST(SigV4Test, CanonicalRequestOfFormWithParameters) {
  SignedRequest signed_request =
      Sign({"POST",
            "https://example.amazonaws.com/",
            {{"Content-Type", {"application/x-www-form-urlencoded; charset=utf-8"}},
             {"Content-Length", {"13"}}},
            Sha256Hex("Param1=value1")},
           SuiteParams(), kSuiteTime);
  EXPECT_EQ(signed_request.canonical_request,
            "POST\n/\n\ncontent-length:13\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-length;content-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}

// aws-sig-v4-test-suite/post-sts-token/post-sts-header-before: the token is signed as a header.
TEST(SigV4Test, SessionTokenIsSignedAsAHeader) {
  SigV4Params params = SuiteParams();
  params.credentials.session_token =
      "AQoDYXdzEPT//////////"
      "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPf"
      "IeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7"
      "WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
      "scqKmlzm8F"
      "DrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
  SignedRequest signed_request =
      Sign({"POST", "https://example.amazonaws.com/", {}, std::string(kEmptyPayloadHash)}, params,
           kSuiteTime);
  EXPECT_EQ(Authorization(signed_request),
            SuiteAuthorization("host;x-amz-date;x-amz-security-token",
                               "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
  EXPECT_EQ(signed_request.headers["x-amz-security-token"].front(),
            params.credentials.session_token);
}

// S3 API reference, "Example: GET Object": a Range header, empty payload.
TEST(SigV4Test, S3GetObjectExample) {
  DescribedRequest request{"GET",
                           "https://examplebucket.s3.amazonaws.com/test.txt",
                           {{"Range", {"bytes=0-9"}}},
                           std::string(kEmptyPayloadHash)};
  SignedRequest signed_request = Sign(request, S3DocParams(), kS3DocTime);
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signed_request.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(Authorization(signed_request),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// S3 API reference, "Example: PUT Object": '$' in the key is signed as %24.
TEST(SigV4Test, S3PutObjectExample) {
  const std::string payload = "Welcome to Amazon S3.";
  DescribedRequest request{"PUT",
                           "https://examplebucket.s3.amazonaws.com/test$file.text",
                           {{"Date", {"Fri, 24 May 2013 00:00:00 GMT"}},
                            {"x-amz-storage-class", {"REDUCED_REDUNDANCY"}}},
                           Sha256Hex(payload)};
  EXPECT_EQ(request.payload_hash,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  SignedRequest signed_request = Sign(request, S3DocParams(), kS3DocTime);
  EXPECT_EQ(Sha256Hex(signed_request.canonical_request),
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(Authorization(signed_request),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

// S3 API reference, "Example: GET Bucket Lifecycle" (a query name without a value) and
// "Example: Get Bucket (List Objects)" (given out of order here; signed sorted).
TEST(SigV4Test, S3BucketQueryExamples) {
  SignedRequest lifecycle = Sign({"GET",
                                  "https://examplebucket.s3.amazonaws.com/?lifecycle",
                                  {},
                                  std::string(kEmptyPayloadHash)},
                                 S3DocParams(), kS3DocTime);
  EXPECT_EQ(Sha256Hex(lifecycle.canonical_request),
            "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca");
  EXPECT_EQ(lifecycle.signature,
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  SignedRequest list = Sign({"GET",
                             "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2",
                             {},
                             std::string(kEmptyPayloadHash)},
                            S3DocParams(), kS3DocTime);
  EXPECT_EQ(Sha256Hex(list.canonical_request),
            "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
  EXPECT_EQ(list.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

// S3 API reference, "Authenticating Requests: Using Query Parameters": the presigned GET.
TEST(SigV4Test, S3PresignedUrlExample) {
  auto url = PresignUrl({"GET", "https://examplebucket.s3.amazonaws.com/test.txt", {}, ""},
                        S3DocParams(), kS3DocTime, seconds(86400));
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(*url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4Test, PresignedUrlCarriesTheSessionTokenAndRefusesBadLifetimes) {
  SigV4Params params = S3DocParams();
  params.credentials.session_token = "token/with+chars";
  auto url =
      PresignUrl({"GET", "https://b.s3.amazonaws.com/k", {}, ""}, params, kS3DocTime, seconds(60));
  ASSERT_TRUE(url);
  EXPECT_NE(url->find("&X-Amz-Security-Token=token%2Fwith%2Bchars&"), std::string::npos) << *url;
  EXPECT_THAT(PresignUrl({"GET", "https://b/k", {}, ""}, params, kS3DocTime, seconds(0)),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(
      PresignUrl({"GET", "https://b/k", {}, ""}, params, kS3DocTime, seconds(8 * 24 * 3600)),
      IsError(ErrorCode::kInvalidArgument));
}

TEST(SigV4Test, S3SignsThePathOnceOtherServicesTwice) {
  SigV4Params params = S3DocParams();
  DescribedRequest request{
      "GET", "https://b.s3.amazonaws.com/a%20b/c$d", {}, std::string(kEmptyPayloadHash)};
  EXPECT_EQ(Sign(request, params, kS3DocTime).canonical_request.substr(0, 18),
            "GET\n/a%20b/c%24d\n\n");
  params.double_encode_path = true;
  EXPECT_EQ(Sign(request, params, kS3DocTime).canonical_request.substr(0, 22),
            "GET\n/a%2520b/c%2524d\n\n");
}

TEST(SigV4Test, DescribedRequestKeepsItsHeadersAndTakesItsPayloadHash) {
  DescribedRequest request{"PUT",
                           "http://127.0.0.1:9000/bucket/key",
                           {{"X-Amz-Content-SHA256", {"UNSIGNED-PAYLOAD"}},
                            {"Authorization", {"stale"}},
                            {"User-Agent", {"engine/1.0"}},
                            {"Content-Type", {"application/octet-stream"}}},
                           ""};
  SignedRequest signed_request = Sign(request, S3DocParams(), kS3DocTime);
  EXPECT_EQ(signed_request.headers["host"], std::vector<std::string>{"127.0.0.1:9000"});
  EXPECT_EQ(signed_request.headers["user-agent"], std::vector<std::string>{"engine/1.0"});
  EXPECT_EQ(signed_request.headers["x-amz-content-sha256"],
            std::vector<std::string>{"UNSIGNED-PAYLOAD"});
  EXPECT_NE(Authorization(signed_request)
                .find("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "),
            std::string::npos)
      << Authorization(signed_request);
  EXPECT_TRUE(EndsWith(signed_request.canonical_request, "\nUNSIGNED-PAYLOAD"));
}

TEST(SigV4Test, GoogDialectNamesItsHeadersAndScope) {
  SigV4Params params = S3DocParams();
  params.dialect = GoogDialect();
  params.region = "auto";
  params.service = "storage";
  SignedRequest signed_request =
      Sign({"GET", "https://storage.googleapis.com/b/o", {}, ""}, params, kS3DocTime);
  EXPECT_TRUE(signed_request.headers.count("x-goog-date"));
  EXPECT_TRUE(StartsWith(Authorization(signed_request),
                         "GOOG4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/auto/"
                         "storage/goog4_request, SignedHeaders=host;x-goog-content-sha256;"
                         "x-goog-date, "));
}

TEST(SigV4Test, SignHttpRequestAddsHeaders) {
  net::HttpRequest request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:9000/bucket/a/b";
  request.body = "data";
  ASSERT_TRUE(SignHttpRequest(request, S3DocParams(), kS3DocTime));
  auto header = [&](std::string_view name) {
    for (const auto& [n, v] : request.headers) {
      if (n == name) return v;
    }
    return std::string();
  };
  EXPECT_EQ(header("x-amz-content-sha256"), Sha256Hex("data"));
  EXPECT_EQ(header("x-amz-date"), "20130524T000000Z");
  EXPECT_TRUE(StartsWith(header("authorization"), "AWS4-HMAC-SHA256 Credential="));
}

TEST(SigV4Test, RefusesWhatCannotBeSigned) {
  EXPECT_THAT(SignDescribedRequest({"GET", "ftp://host/x", {}, ""}, S3DocParams(), kS3DocTime),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SignDescribedRequest({"GET", "https://host/%zz", {}, ""}, S3DocParams(), kS3DocTime),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SignDescribedRequest({"", "https://host/x", {}, ""}, S3DocParams(), kS3DocTime),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SignDescribedRequest({"GET", "https://host/x", {}, ""}, SigV4Params{}, kS3DocTime),
              IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace pangolin::storage::s3
