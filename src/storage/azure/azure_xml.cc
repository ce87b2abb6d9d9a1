// pugixml readers of Blob service answers (see azure_xml_internal.h).
#include <pugixml.hpp>

#include "common/strings.h"
#include "storage/azure/azure_xml_internal.h"

namespace pangolin::storage::azure_internal {
namespace {

bool Load(pugi::xml_document& doc, std::string_view xml) {
  return static_cast<bool>(
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8));
}

}  // namespace

Result<ListPage> ParseListPage(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_node root;
  if (Load(doc, xml)) root = doc.child("EnumerationResults");
  if (!root) return Err(ErrorCode::kIo, "Azure List Blobs: the answer is not a blob listing");
  ListPage page;
  for (pugi::xml_node blob : root.child("Blobs").children("Blob")) {
    pugi::xml_node name = blob.child("Name");
    pugi::xml_node properties = blob.child("Properties");
    if (std::string_view(properties.child_value("ResourceType")) == "directory") continue;
    ListedBlob listed;
    listed.name = name.child_value();
    // Names with characters XML cannot carry come percent-encoded.
    if (name.attribute("Encoded").as_bool()) {
      auto decoded = PercentDecode(listed.name);
      if (!decoded) return Err(ErrorCode::kIo, "Azure List Blobs: malformed encoded name");
      listed.name = std::move(*decoded);
    }
    auto size = ParseInt(properties.child_value("Content-Length"));
    if (listed.name.empty() || !size) {
      return Err(ErrorCode::kIo, "Azure List Blobs: a blob without name or size");
    }
    listed.size = *size;
    page.blobs.push_back(std::move(listed));
  }
  page.next_marker = root.child_value("NextMarker");
  return page;
}

ServiceError ParseServiceError(std::string_view xml) {
  ServiceError error;
  pugi::xml_document doc;
  if (xml.empty() || !Load(doc, xml)) return error;
  pugi::xml_node root = doc.child("Error");
  error.code = root.child_value("Code");
  std::string_view message = root.child_value("Message");
  error.message = std::string(Trim(message.substr(0, message.find('\n'))));
  return error;
}

}  // namespace pangolin::storage::azure_internal
