// Wire formats of the Iceberg REST catalog routes other than table metadata itself: namespace and
// rename requests, list and load responses, the config response and the error model.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "common/result.h"

namespace pangolin::serde {

struct CreateNamespaceBody {
  catalog::Namespace ns;
  catalog::Properties properties;
};
Result<CreateNamespaceBody> ParseCreateNamespaceRequest(std::string_view json);

struct UpdatePropertiesBody {
  std::vector<std::string> removals;
  catalog::Properties updates;
};
Result<UpdatePropertiesBody> ParseUpdateNamespacePropertiesRequest(std::string_view json);

struct RenameBody {
  catalog::TableIdentifier source;
  catalog::TableIdentifier destination;
};
Result<RenameBody> ParseRenameTableRequest(std::string_view json);

// RegisterTableRequest and RegisterViewRequest (the latter has no `overwrite`).
struct RegisterBody {
  std::string name;
  std::string metadata_location;
  bool overwrite = false;
};
Result<RegisterBody> ParseRegisterRequest(std::string_view json);

// GET /v1/config in two parts (its defaults are empty): ConfigResponseHead, which carries the
// overrides, then ConfigResponseTail, which does not change once the routes are registered.
// `idempotency_key_lifetime` (ISO-8601) is written when the server honours Idempotency-Key.
std::string ConfigResponseHead(const catalog::Properties& overrides);
std::string ConfigResponseTail(const std::vector<std::string>& endpoints,
                               const std::optional<std::string>& idempotency_key_lifetime);
std::string NamespacesResponseJson(const std::vector<catalog::Namespace>& namespaces,
                                   const std::optional<std::string>& next_page_token, bool paged);
std::string NamespaceResponseJson(const catalog::Namespace& ns,
                                  const catalog::Properties& properties);
std::string UpdatePropertiesResponseJson(const std::vector<std::string>& updated,
                                         const std::vector<std::string>& removed,
                                         const std::vector<std::string>& missing);
std::string TablesResponseJson(const std::vector<catalog::TableIdentifier>& identifiers,
                               const std::optional<std::string>& next_page_token, bool paged);
// One entry of `storage-credentials`: credentials valid for the objects under `prefix`.
struct StorageCredential {
  std::string prefix;
  catalog::Properties config;
};

// The JSON text around a value spliced in as is: `head`, the value, `tail`. Answers that embed a
// table's metadata are framed so that the metadata, serialized once and cached, is sent from the
// cache rather than copied into every answer.
struct JsonFrame {
  std::string head;
  std::string tail;
};
// LoadTableResult around its "metadata", which must be a serialized TableMetadata.
// `storage-credentials` is written only when `credentials` is not empty.
JsonFrame LoadTableResultFrame(const std::optional<std::string>& metadata_location,
                               const catalog::Properties& config,
                               const std::vector<StorageCredential>& credentials = {});
// LoadCredentialsResponse: {"storage-credentials": [{prefix, config}]}.
std::string LoadCredentialsResponseJson(const std::vector<StorageCredential>& credentials);
// CommitTableResponse, {metadata-location, metadata}, around its "metadata".
JsonFrame CommitTableResponseFrame(const std::string& metadata_location);
std::string IcebergErrorJson(int code, std::string_view type, std::string_view message);
std::string ManagementErrorJson(std::string_view message);

}  // namespace pangolin::serde
