// S3 XML over pugixml. Parsing never throws (pugixml reports errors in its result); only
// allocation failure could, and that ends the process anyway.
#include <optional>
#include <pugixml.hpp>
#include <sstream>

#include "common/strings.h"
#include "storage/s3/s3_xml_internal.h"

namespace pangolin::storage::s3 {
namespace {

bool Load(pugi::xml_document& doc, std::string_view xml) {
  return doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
}

std::string Text(const pugi::xml_node& node, const char* child) {
  return node.child(child).text().as_string();
}

// encoding-type=url: form encoding ('+' is a space, "%2B" a plus).
std::optional<std::string> UrlDecodeKey(std::string text) {
  for (char& c : text) {
    if (c == '+') c = ' ';
  }
  return PercentDecode(text);
}

}  // namespace

S3ErrorBody ParseErrorBody(std::string_view xml) {
  pugi::xml_document doc;
  if (xml.empty() || !Load(doc, xml)) return {};
  pugi::xml_node error = doc.child("Error");
  return {Text(error, "Code"), Text(error, "Message")};
}

Result<ListPage> ParseListObjectsV2(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_node root;
  if (!Load(doc, xml) || !(root = doc.child("ListBucketResult"))) {
    return Err(ErrorCode::kIo, "S3 answered a listing that is not a ListBucketResult");
  }
  ListPage page;
  page.truncated = root.child("IsTruncated").text().as_bool();
  page.next_continuation_token = Text(root, "NextContinuationToken");
  const bool url_encoded = Text(root, "EncodingType") == "url";
  for (pugi::xml_node item : root.children("Contents")) {
    auto key = url_encoded ? UrlDecodeKey(Text(item, "Key"))
                           : std::optional<std::string>(Text(item, "Key"));
    if (!key) return Err(ErrorCode::kIo, "S3 listed a key that does not decode");
    page.objects.push_back({std::move(*key), item.child("Size").text().as_llong()});
  }
  if (page.truncated && page.next_continuation_token.empty()) {
    return Err(ErrorCode::kIo, "S3 listing is truncated but has no continuation token");
  }
  return page;
}

std::string DeleteObjectsBody(const std::vector<std::string>& keys) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Delete");
  root.append_child("Quiet").text().set("true");
  for (const auto& key : keys) {
    root.append_child("Object").append_child("Key").text().set(key.c_str());
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return R"(<?xml version="1.0" encoding="UTF-8"?>)" + out.str();
}

Result<std::vector<std::string>> ParseDeleteObjectsErrors(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_node root;
  if (!Load(doc, xml) || !(root = doc.child("DeleteResult"))) {
    return Err(ErrorCode::kIo, "S3 answered a deletion that is not a DeleteResult");
  }
  std::vector<std::string> errors;
  for (pugi::xml_node error : root.children("Error")) {
    errors.push_back(
        fmt::format("{}: {} {}", Text(error, "Key"), Text(error, "Code"), Text(error, "Message")));
  }
  return errors;
}

}  // namespace pangolin::storage::s3
