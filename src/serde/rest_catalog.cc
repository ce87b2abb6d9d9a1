// JSON codecs for the Iceberg REST namespace, list, load, config and error bodies.
#include "serde/rest_catalog.h"

#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

Result<catalog::TableIdentifier> IdentifierFromJson(const json::object& object,
                                                    std::string_view field) {
  ASSIGN_OR_RETURN(const json::object* id, GetObject(object, field));
  catalog::TableIdentifier out;
  ASSIGN_OR_RETURN(out.ns, GetStringList(*id, "namespace"));
  ASSIGN_OR_RETURN(out.name, GetString(*id, "name"));
  return out;
}

json::value TokenJson(const std::optional<std::string>& token) {
  return token ? json::value(*token) : json::value(nullptr);
}

}  // namespace

Result<CreateNamespaceBody> ParseCreateNamespaceRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "CreateNamespaceRequest"));
  CreateNamespaceBody body;
  ASSIGN_OR_RETURN(body.ns, GetStringList(object, "namespace"));
  ASSIGN_OR_RETURN(body.properties, GetStringMap(object, "properties"));
  return body;
}

Result<UpdatePropertiesBody> ParseUpdateNamespacePropertiesRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "UpdateNamespacePropertiesRequest"));
  UpdatePropertiesBody body;
  if (const json::value* removals = Find(object, "removals"); removals && !removals->is_null()) {
    ASSIGN_OR_RETURN(body.removals, GetStringList(object, "removals"));
  }
  ASSIGN_OR_RETURN(body.updates, GetStringMap(object, "updates"));
  return body;
}

Result<RenameBody> ParseRenameTableRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "RenameTableRequest"));
  RenameBody body;
  ASSIGN_OR_RETURN(body.source, IdentifierFromJson(object, "source"));
  ASSIGN_OR_RETURN(body.destination, IdentifierFromJson(object, "destination"));
  return body;
}

Result<RegisterBody> ParseRegisterRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "register request"));
  RegisterBody body;
  ASSIGN_OR_RETURN(body.name, GetString(object, "name"));
  ASSIGN_OR_RETURN(body.metadata_location, GetString(object, "metadata-location"));
  ASSIGN_OR_RETURN(body.overwrite, GetBool(object, "overwrite", false));
  return body;
}

std::string ConfigResponseHead(const catalog::Properties& overrides) {
  return R"({"defaults":{},"overrides":)" + json::serialize(ToJson(overrides)) + ",";
}

std::string ConfigResponseTail(const std::vector<std::string>& endpoints,
                               const std::optional<std::string>& idempotency_key_lifetime) {
  std::string tail = R"("endpoints":)" + json::serialize(ToJson(endpoints));
  if (idempotency_key_lifetime) {
    tail += R"(,"idempotency-key-lifetime":)" +
            json::serialize(json::string_view(*idempotency_key_lifetime));
  }
  return tail + "}";
}

std::string NamespacesResponseJson(const std::vector<catalog::Namespace>& namespaces,
                                   const std::optional<std::string>& next_page_token, bool paged) {
  json::object object;
  json::array list;
  for (const auto& ns : namespaces) list.push_back(ToJson(ns));
  object["namespaces"] = std::move(list);
  if (paged) object["next-page-token"] = TokenJson(next_page_token);
  return json::serialize(object);
}

std::string NamespaceResponseJson(const catalog::Namespace& ns,
                                  const catalog::Properties& properties) {
  json::object object;
  object["namespace"] = ToJson(ns);
  object["properties"] = ToJson(properties);
  return json::serialize(object);
}

std::string UpdatePropertiesResponseJson(const std::vector<std::string>& updated,
                                         const std::vector<std::string>& removed,
                                         const std::vector<std::string>& missing) {
  json::object object;
  object["updated"] = ToJson(updated);
  object["removed"] = ToJson(removed);
  object["missing"] = ToJson(missing);
  return json::serialize(object);
}

std::string TablesResponseJson(const std::vector<catalog::TableIdentifier>& identifiers,
                               const std::optional<std::string>& next_page_token, bool paged) {
  // Written directly: a page holds up to 1000 identifiers, and a tree of JSON values for them
  // cost more than the rest of the request.
  std::string out = "{\"identifiers\":[";
  for (size_t i = 0; i < identifiers.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"namespace\":[";
    for (size_t level = 0; level < identifiers[i].ns.size(); ++level) {
      if (level > 0) out += ',';
      out += json::serialize(json::string_view(identifiers[i].ns[level]));
    }
    out += "],\"name\":" + json::serialize(json::string_view(identifiers[i].name)) + "}";
  }
  out += ']';
  if (paged) out += ",\"next-page-token\":" + json::serialize(TokenJson(next_page_token));
  return out + "}";
}

namespace {
json::array CredentialsJson(const std::vector<StorageCredential>& credentials) {
  json::array out;
  for (const auto& credential : credentials) {
    out.push_back(
        json::object{{"prefix", credential.prefix}, {"config", ToJson(credential.config)}});
  }
  return out;
}
}  // namespace

JsonFrame LoadTableResultFrame(const std::optional<std::string>& metadata_location,
                               const catalog::Properties& config,
                               const std::vector<StorageCredential>& credentials) {
  JsonFrame frame;
  frame.head = "{";
  if (metadata_location) {
    frame.head += "\"metadata-location\":" + json::serialize(json::value(*metadata_location)) + ",";
  }
  frame.head += "\"metadata\":";
  frame.tail = ",\"config\":" + json::serialize(ToJson(config));
  if (!credentials.empty()) {
    frame.tail += ",\"storage-credentials\":" + json::serialize(CredentialsJson(credentials));
  }
  frame.tail += "}";
  return frame;
}

std::string LoadCredentialsResponseJson(const std::vector<StorageCredential>& credentials) {
  return json::serialize(json::object{{"storage-credentials", CredentialsJson(credentials)}});
}

JsonFrame CommitTableResponseFrame(const std::string& metadata_location) {
  return {"{\"metadata-location\":" + json::serialize(json::value(metadata_location)) +
              ",\"metadata\":",
          "}"};
}

std::string IcebergErrorJson(int code, std::string_view type, std::string_view message) {
  json::object error{{"message", message}, {"type", type}, {"code", code}};
  return json::serialize(json::object{{"error", std::move(error)}});
}

std::string ManagementErrorJson(std::string_view message) {
  return json::serialize(json::object{{"error", message}});
}

}  // namespace pangolin::serde
