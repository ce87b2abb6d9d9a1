// Iceberg REST remote signing (POST …/tables/{table}/sign): RemoteSignRequest and
// RemoteSignResult.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::serde {

using HeaderValues = std::map<std::string, std::vector<std::string>>;

struct RemoteSignBody {
  std::string region;
  std::string uri;
  std::string method;
  HeaderValues headers;
  std::string body;      // empty when absent
  std::string provider;  // "s3" when absent
};

// Errors: kBadRequest (not JSON, a required field missing or of the wrong type, an unknown
// method).
Result<RemoteSignBody> ParseRemoteSignRequest(std::string_view text);
// {"uri": …, "headers": {name: [values]}}.
std::string RemoteSignResultJson(const std::string& uri, const HeaderValues& headers);

}  // namespace pangolin::serde
