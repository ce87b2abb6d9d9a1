// The XML answers of the Blob service that the Azure FileIO reads: List Blobs pages and error
// bodies. pugixml stays inside azure_xml.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::storage::azure_internal {

struct ListedBlob {
  std::string name;
  int64_t size = 0;
};

struct ListPage {
  std::vector<ListedBlob> blobs;  // directories of hierarchical-namespace accounts left out
  std::string next_marker;        // empty on the last page
};

// Errors: kIo (not a List Blobs answer).
Result<ListPage> ParseListPage(std::string_view xml);

struct ServiceError {
  std::string code;     // e.g. "BlobAlreadyExists"; empty when the body says nothing
  std::string message;  // the first line of the service's message
};

// The <Error><Code/><Message/></Error> body of a failed call; empty fields when absent or not XML.
ServiceError ParseServiceError(std::string_view xml);

}  // namespace pangolin::storage::azure_internal
