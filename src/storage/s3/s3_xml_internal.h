// The XML of S3's answers and requests that the S3 FileIO uses: error bodies, ListObjectsV2
// pages, DeleteObjects requests and results.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::storage::s3 {

// <Error><Code>…</Code><Message>…</Message></Error>; empty fields when the body is not that
// (HEAD answers, proxies' HTML).
struct S3ErrorBody {
  std::string code;
  std::string message;
};
S3ErrorBody ParseErrorBody(std::string_view xml);

struct ListedObject {
  std::string key;
  int64_t size = 0;
};
struct ListPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_continuation_token;
};
// A ListObjectsV2 answer. Keys are decoded when it says <EncodingType>url</EncodingType> (as S3
// does when asked with encoding-type=url), taken as they are otherwise.
// Errors: kIo (not a ListBucketResult, or a key that does not decode).
Result<ListPage> ParseListObjectsV2(std::string_view xml);

// The body of a quiet DeleteObjects request for `keys` (at most 1000).
std::string DeleteObjectsBody(const std::vector<std::string>& keys);
// The per-key failures in a DeleteObjects answer, as "key: Code Message".
// Errors: kIo (not a DeleteResult).
Result<std::vector<std::string>> ParseDeleteObjectsErrors(std::string_view xml);

}  // namespace pangolin::storage::s3
