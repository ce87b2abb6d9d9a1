// Who is asking: every service call carries the caller's tenant (ARCHITECTURE §3.2) and ids for
// the audit trail and logs.
#pragma once

#include <string>

#include "common/ids.h"

namespace pangolin::service {

struct Context {
  TenantId tenant = kDefaultTenant;
  std::string principal = "anonymous";
  std::string request_id;
};

}  // namespace pangolin::service
