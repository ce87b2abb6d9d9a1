// api-private: registration of Iceberg REST handlers. Every route is served under "/v1/{prefix}"
// and under "/v1" (default catalog), its catalog resolved and its version selectors applied
// before the handler runs, its errors encoded as the spec's ErrorModel, and its template recorded
// for the config response's `endpoints` list.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/api_handler.h"
#include "api/iceberg/iceberg_routes.h"
#include "common/result.h"
#include "http/message.h"
#include "service/iceberg_service.h"

namespace pangolin::api::iceberg_routes {

using http::PathParams;
using http::Request;
using http::Response;
using service::CatalogHandle;
using service::Context;
using service::IcebergService;

// A handler body: gets the resolved catalog; its errors become the spec's ErrorModel.
using CatalogHandler = std::function<Result<Response>(const Request&, const Context&,
                                                      const CatalogHandle&, const PathParams&)>;

class Registrar {
 public:
  Registrar(ApiRouter& router, IcebergService& service, IcebergRoutesOptions options)
      : router_(router), service_(service), options_(std::move(options)) {}

  // Registers `suffix` under "/v1/{prefix}" and under "/v1" with the rule saying who may call it,
  // and records the endpoint.
  void Add(const std::string& method, const std::string& suffix, RouteRule rule,
           CatalogHandler body);

  const std::vector<std::string>& endpoints() const { return endpoints_; }
  IcebergService& service() { return service_; }
  const IcebergRoutesOptions& options() const { return options_; }
  // Requires `action` on `target` in `cat` (for handlers whose objects are in the body).
  Status Require(const Context& ctx, catalog::Action action, const CatalogHandle& cat,
                 const catalog::TableIdentifier& id);
  // Whether the caller may `action` on `id` in `cat`, checking nothing off (for choosing what to
  // hand out, such as read-only or read-write credentials).
  Result<bool> Allows(const Context& ctx, catalog::Action action, const CatalogHandle& cat,
                      const catalog::TableIdentifier& id);

 private:
  Result<CatalogHandle> Resolve(const Context& ctx, const PathParams& params);
  // The route's permission on what its path names (after version selectors were applied).
  // Routes naming their objects in the body (rename, transactions) check in their handler.
  Status Authorize(const RouteRule& rule, const Context& ctx, const CatalogHandle& cat,
                   const PathParams& names);
  // Runs `handle` once per Idempotency-Key: a retry gets the first final response replayed.
  Response RunIdempotent(const Request& request, const Context& ctx, std::string_view key,
                         const std::function<Response()>& handle);

  ApiRouter& router_;
  IcebergService& service_;
  IcebergRoutesOptions options_;
  std::vector<std::string> endpoints_;
};

// Route groups, each in its own file.
void AddNamespaceRoutes(Registrar& r);
void AddTableRoutes(Registrar& r);
void AddStorageAccessRoutes(Registrar& r);
void AddViewRoutes(Registrar& r);

// --- Helpers shared by the route groups ---

Result<catalog::TableIdentifier> TableId(const PathParams& params, std::string_view name_param);
// A `name@ref` in a request body: strips the selector from `name` and applies it to `cat`.
Status TakeRef(std::string* name, CatalogHandle* cat);
Response Json(std::string body);
Response EmptyStatus(int status);

}  // namespace pangolin::api::iceberg_routes
