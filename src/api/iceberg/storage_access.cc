// Delegated access to table files: vended credentials, the credentials endpoint, and remote
// signing of S3 requests (POST …/tables/{table}/sign).
#include "api/iceberg/storage_access.h"

#include "api/iceberg/request_parsing.h"
#include "common/strings.h"
#include "serde/remote_signing.h"

namespace pangolin::api::iceberg_routes {
namespace {

Result<storage::Access> AccessOf(Registrar& r, const Context& ctx, const CatalogHandle& cat,
                                 const catalog::TableIdentifier& id) {
  ASSIGN_OR_RETURN(bool write, r.Allows(ctx, catalog::Action::kWrite, cat, id));
  return write ? storage::Access::kReadWrite : storage::Access::kRead;
}

// The signing route of `id` relative to the catalog URI, as engines join it to `s3.signer.uri`.
std::string SignerEndpoint(const CatalogHandle& cat, const catalog::TableIdentifier& id) {
  std::string prefix = cat.catalog.name;
  if (cat.ref != catalog::kMainBranch) prefix += "@" + cat.ref;
  std::string ns;
  for (const auto& level : id.ns) ns += (ns.empty() ? "" : "%1F") + PercentEncode(level);
  return "v1/" + PercentEncode(prefix) + "/namespaces/" + ns + "/tables/" + PercentEncode(id.name) +
         "/sign";
}

}  // namespace

bool WantsDelegation(const Request& req, std::string_view mode) {
  auto modes = req.Header("x-iceberg-access-delegation");  // names are lower-cased
  if (!modes) return false;
  for (const auto& named : Split(*modes, ",")) {
    if (Trim(named) == mode) return true;
  }
  return false;
}

Result<service::TableAccess> AccessFor(Registrar& r, const Request& req, const Context& ctx,
                                       const CatalogHandle& cat, const catalog::TableIdentifier& id,
                                       const service::LoadedTable& table) {
  std::optional<storage::Access> vend;
  if (WantsDelegation(req, kVendedCredentials)) {
    ASSIGN_OR_RETURN(vend, AccessOf(r, ctx, cat, id));
  }
  ASSIGN_OR_RETURN(service::TableAccess access,
                   r.service().StorageAccess(cat, table.metadata->metadata.location, vend));
  if (access.credentials.empty() && WantsDelegation(req, kRemoteSigning)) {
    ASSIGN_OR_RETURN(bool can_sign, r.service().CanSignRequests(cat));
    if (can_sign) {
      access.config["s3.remote-signing-enabled"] = "true";
      access.config["s3.signer"] = "S3V4RestSigner";  // PyIceberg's name of the REST signer
      access.config["s3.signer.endpoint"] = SignerEndpoint(cat, id);
    }
  }
  return access;
}

std::vector<serde::StorageCredential> Credentials(const service::TableAccess& access) {
  std::vector<serde::StorageCredential> out;
  for (const auto& vended : access.credentials) out.push_back({vended.prefix, vended.config});
  return out;
}

void AddStorageAccessRoutes(Registrar& r) {
  IcebergService& s = r.service();
  r.Add("GET", "/namespaces/{namespace}/tables/{table}/credentials", rules::kReadOnAsset,
        [&s, &r](const Request&, const Context& ctx, const CatalogHandle& cat,
                 const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(auto table, s.LoadTable(ctx, cat, id, service::SnapshotMode::kRefs));
          ASSIGN_OR_RETURN(storage::Access access, AccessOf(r, ctx, cat, id));
          ASSIGN_OR_RETURN(auto vended, s.StorageAccess(cat, table.metadata->metadata.location,
                                                        access, /*required=*/true));
          return Json(serde::LoadCredentialsResponseJson(Credentials(vended)));
        });
  // Reading the table is needed to have anything signed; writes need write on it (checked by
  // the warehouse's signing against the access given).
  r.Add("POST", "/namespaces/{namespace}/tables/{table}/sign", rules::kReadOnAsset,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "table"));
          ASSIGN_OR_RETURN(serde::RemoteSignBody body, serde::ParseRemoteSignRequest(req.body));
          if (body.provider != "s3") {
            return Err(ErrorCode::kBadRequest, "Cannot sign requests for provider '{}': only s3",
                       body.provider);
          }
          ASSIGN_OR_RETURN(storage::Access access, AccessOf(r, ctx, cat, id));
          storage::RemoteSignRequest request{body.method, body.uri, body.headers, body.body};
          ASSIGN_OR_RETURN(auto signed_request, s.SignRequest(ctx, cat, id, access, request));
          Response response =
              Json(serde::RemoteSignResultJson(signed_request.uri, signed_request.headers));
          response.headers.emplace_back("Cache-Control", "no-cache");  // signatures carry a time
          return response;
        });
}

}  // namespace pangolin::api::iceberg_routes
