// Shared Key signing checked against published examples; Azurite accepting the signature is
// checked by the contract test (tests/contract/file_io_contract_azure_test.cc).
#include "storage/azure/shared_key.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::storage::azure {
namespace {

using ::pangolin::testing::IsError;
using namespace std::chrono_literals;

// The emulator account key Microsoft publishes for Azurite and the storage emulator.
constexpr std::string_view kEmulatorKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

TEST(SharedKeyTest, StringToSignOfThePublishedExample) {
  // Source: learn.microsoft.com, "Authorize with Shared Key", the Get Container Metadata example
  // of the Blob service string-to-sign (version 2015-02-21 and later).
  net::HttpRequest request;
  request.url =
      "https://myaccount.blob.core.windows.net/"
      "mycontainer?restype=container&comp=metadata&timeout=20";
  request.headers = {{"x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT"},
                     {"x-ms-version", "2015-02-21"}};
  EXPECT_EQ(SharedKeyStringToSign(request, "myaccount").value(),
            "GET\n\n\n\n\n\n\n\n\n\n\n\n"
            "x-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n"
            "/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
}

TEST(SharedKeyTest, SignatureOfThePublishedSdkVector) {
  // Source: Azure/azure-storage-node, test/common/sharedkey-tests.js ("SignRequest"): the
  // emulator key signing a Get Container Properties request of that library (which targeted
  // version 2015-12-11 and formed the resource path without its leading '/').
  auto key = DecodeAccountKey(kEmulatorKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(SharedKeySignature(*key,
                               "GET\n\n\n\n\n\n\n\n\n\n\n\n"
                               "x-ms-date:Fri, 23 Sep 2011 01:37:34 GMT\nx-ms-version:2015-12-11\n"
                               "/devstoreaccount1container\nrestype:container"),
            "NcwivCxw8cocF574jVXvZhhRw63VtDIAF2IUobuj52k=");
}

TEST(SharedKeyTest, StandardHeadersAndMsHeadersAreCanonicalized) {
  net::HttpRequest request;
  request.method = "PUT";
  request.url = "http://127.0.0.1:10000/devstoreaccount1/warehouse/a%20b/c.json?B=2&a=x&a=%2Fw";
  request.body = "hello";
  request.headers = {{"Content-Type", "application/octet-stream"},
                     {"If-None-Match", "*"},
                     {"X-MS-Blob-Type", " BlockBlob "},
                     {"x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"},
                     {"x-ms-meta-pangolinwriteid", "42"}};
  EXPECT_EQ(SharedKeyStringToSign(request, "devstoreaccount1").value(),
            "PUT\n\n\n5\n\napplication/octet-stream\n\n\n\n*\n\n\n"
            "x-ms-blob-type:BlockBlob\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\n"
            "x-ms-meta-pangolinwriteid:42\n"
            "/devstoreaccount1/devstoreaccount1/warehouse/a%20b/c.json\na:/w,x\nb:2");
}

TEST(SharedKeyTest, EmptyBodyLeavesContentLengthEmpty) {
  net::HttpRequest request;
  request.method = "PUT";
  request.url = "https://acct.blob.core.windows.net/c";
  request.headers = {{"Content-Length", "0"}};
  EXPECT_EQ(SharedKeyStringToSign(request, "acct").value(), "PUT\n\n\n\n\n\n\n\n\n\n\n\n/acct/c");
}

TEST(SharedKeyTest, SignAddsDateVersionAndAuthorization) {
  auto key = DecodeAccountKey(kEmulatorKey);
  ASSERT_TRUE(key);
  net::HttpRequest request;
  request.url = "http://127.0.0.1:10000/devstoreaccount1/warehouse?restype=container";
  auto now = std::chrono::system_clock::from_time_t(1'700'000'000);
  ASSERT_TRUE(SignSharedKey(request, "devstoreaccount1", *key, now));
  ASSERT_EQ(request.headers.size(), 3u);
  EXPECT_EQ(request.headers[0].second, "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(request.headers[1].second, std::string(kServiceVersion));
  net::HttpRequest unsigned_copy = request;
  unsigned_copy.headers.pop_back();
  EXPECT_EQ(request.headers[2].second,
            "SharedKey devstoreaccount1:" +
                SharedKeySignature(
                    *key, SharedKeyStringToSign(unsigned_copy, "devstoreaccount1").value()));
}

TEST(SharedKeyTest, RefusesBadKeysAndUrls) {
  EXPECT_THAT(DecodeAccountKey("not base64!"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecodeAccountKey(""), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CanonicalizedResource("a", "ftp://host/x"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CanonicalizedResource("a", "https://host/x?a=%zz"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(CanonicalizedResource("a", "https://host").value(), "/a/");
}

TEST(SharedKeyTest, HttpDateIsRfc1123InGmt) {
  EXPECT_EQ(HttpDate(std::chrono::system_clock::from_time_t(0) + 1h),
            "Thu, 01 Jan 1970 01:00:00 GMT");
}

}  // namespace
}  // namespace pangolin::storage::azure
