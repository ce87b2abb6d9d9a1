// Iceberg REST routes: the registrar and the config route; the route groups live beside it.
#include "api/iceberg/iceberg_routes.h"

#include "api/errors.h"
#include "api/iceberg/registrar.h"
#include "api/iceberg/request_parsing.h"
#include "common/strings.h"
#include "serde/rest_catalog.h"

namespace pangolin::api {
namespace iceberg_routes {

void Registrar::Add(const std::string& method, const std::string& suffix, RouteRule rule,
                    CatalogHandler body) {
  // Resolves the catalog, applies the version selectors and checks the route's permission; only
  // then may a retry be answered from the Idempotency-Key record.
  auto handler = [this, rule, body, mutating = method == "POST" || method == "DELETE"](
                     const Request& request, const Context& ctx,
                     const PathParams& params) -> Response {
    auto cat = Resolve(ctx, params);
    if (!cat) return IcebergError(cat.error());
    PathParams names = params;
    // Version selectors, most specific last: `?branch=`, `{namespace}@ref`, `{table}@ref`,
    // `{view}@ref`; stripped from the path parameters the handler sees.
    if (auto branch = request.Query("branch"); branch && !branch->empty()) {
      cat->ref = std::string(*branch);
    }
    for (const char* name : {"namespace", "table", "view"}) {
      auto it = names.find(name);
      if (it == names.end()) continue;
      auto split = SplitRef(it->second);
      if (!split) return IcebergError(split.error());
      if (!split->ref) continue;
      it->second = std::move(split->name);
      cat->ref = std::move(*split->ref);
    }
    if (auto allowed = Authorize(rule, ctx, *cat, names); !allowed) {
      return IcebergError(allowed.error());
    }
    auto run = [&]() -> Response {
      auto response = body(request, ctx, *cat, names);
      return response ? std::move(*response) : IcebergError(response.error());
    };
    auto key = request.Header("idempotency-key");
    if (!mutating || !key || !options_.idempotency) return run();
    return RunIdempotent(request, ctx, *key, run);
  };
  router_.Add(method, "/v1/{prefix}" + suffix, rule, handler);
  router_.Add(method, "/v1" + suffix, rule, handler);
  endpoints_.push_back(method + " /v1/{prefix}" + suffix);
}

Result<CatalogHandle> Registrar::Resolve(const Context& ctx, const PathParams& params) {
  auto prefix = params.find("prefix");
  if (prefix != params.end()) return service_.ResolveCatalog(ctx, prefix->second);
  if (!options_.default_catalog) {
    return Err(ErrorCode::kBadRequest,
               "No catalog selected: set the client's 'warehouse' property to a catalog name");
  }
  return service_.ResolveCatalog(ctx, *options_.default_catalog);
}

Status Registrar::Authorize(const RouteRule& rule, const Context& ctx, const CatalogHandle& cat,
                            const PathParams& names) {
  if (rule.kind != RouteRule::Kind::kPermission || options_.authorizer == nullptr) return Ok();
  if (ctx.IsTenantAdmin()) {
    ctx.access_checked = true;
    return Ok();
  }
  catalog::AccessTarget target{cat.catalog.id.value, std::nullopt, std::nullopt, {}};
  if (rule.level == catalog::ScopeLevel::kNamespace || rule.level == catalog::ScopeLevel::kAsset) {
    auto ns = names.find("namespace");
    if (ns == names.end()) return Ok();  // named in the body: the handler checks
    ASSIGN_OR_RETURN(target.ns, ParseNamespace(ns->second));
  }
  if (rule.level == catalog::ScopeLevel::kAsset) {
    auto object = names.find("table");
    if (object == names.end()) object = names.find("view");
    if (object == names.end()) return Ok();
    // An absent object is checked at its namespace: a caller allowed there learns it is
    // missing, anyone else is refused.
    ASSIGN_OR_RETURN(target.asset_id,
                     service_.ObjectId(ctx, cat, {*target.ns, object->second},
                                       /*for_reading=*/rule.action == catalog::Action::kRead));
  }
  if (rule.action == catalog::Action::kList) {
    // Listings answer every member of the tenant with what it may see (IcebergService filters
    // them before the page is cut): a caller without grants gets an empty page.
    ctx.access_checked = true;
    return Ok();
  }
  return options_.authorizer->Require(ctx, rule.action, target);
}

Status Registrar::Require(const Context& ctx, catalog::Action action, const CatalogHandle& cat,
                          const catalog::TableIdentifier& id) {
  if (options_.authorizer == nullptr || ctx.IsTenantAdmin()) return Ok();
  catalog::AccessTarget target{cat.catalog.id.value, id.ns, std::nullopt, {}};
  if (!id.name.empty()) {
    ASSIGN_OR_RETURN(target.asset_id, service_.ObjectId(ctx, cat, id));
  }
  return options_.authorizer->Require(ctx, action, target);
}

Result<bool> Registrar::Allows(const Context& ctx, catalog::Action action, const CatalogHandle& cat,
                               const catalog::TableIdentifier& id) {
  if (options_.authorizer == nullptr || ctx.IsTenantAdmin()) return true;
  catalog::AccessTarget target{cat.catalog.id.value, id.ns, std::nullopt, {}};
  ASSIGN_OR_RETURN(target.asset_id, service_.ObjectId(ctx, cat, id));
  return options_.authorizer->Allows(ctx, action, target);
}

Response Registrar::RunIdempotent(const Request& request, const Context& ctx, std::string_view key,
                                  const std::function<Response()>& handle) {
  // The same logical request from the same caller: principal, method, path, query and body.
  std::string fingerprint = ctx.caller.id + ' ' + request.method + ' ' + request.path;
  for (const auto& [name, value] : request.query) fingerprint += ' ' + name + '=' + value;
  fingerprint += ' ' + Fnv1aHex(request.body);
  auto begun = options_.idempotency->Begin(ctx, key, fingerprint);
  if (!begun) return IcebergError(begun.error());
  if (auto* replay = std::get_if<store::StoredResponse>(&*begun)) {
    // The answer to this caller's own earlier request, which passed every check it needed.
    ctx.access_checked = true;
    Response response;
    response.status = replay->status;
    response.content_type = replay->content_type;
    response.headers = replay->headers;
    response.headers.emplace_back("Idempotent-Replayed", "true");
    response.body = replay->body;
    return response;
  }
  const auto& claim = std::get<service::IdempotencyService::Claim>(*begun);
  Response response = handle();
  options_.idempotency->Finish(
      ctx, claim,
      {response.status, response.content_type, response.headers, response.JoinedBody()});
  return response;
}

Result<catalog::TableIdentifier> TableId(const PathParams& params, std::string_view name_param) {
  ASSIGN_OR_RETURN(catalog::Namespace ns, ParseNamespace(Param(params, "namespace")));
  return catalog::TableIdentifier{std::move(ns), Param(params, name_param)};
}

Status TakeRef(std::string* name, CatalogHandle* cat) {
  ASSIGN_OR_RETURN(RefName split, SplitRef(*name));
  if (split.ref) {
    *name = std::move(split.name);
    cat->ref = std::move(*split.ref);
  }
  return Ok();
}

Response Json(std::string body) { return Response::Json(200, std::move(body)); }

Response EmptyStatus(int status) {
  Response response;
  response.status = status;
  response.content_type.clear();
  return response;
}

}  // namespace iceberg_routes

void RegisterIcebergRoutes(ApiRouter& router, service::IcebergService& service,
                           IcebergRoutesOptions options) {
  using namespace iceberg_routes;  // NOLINT
  auto registrar = std::make_shared<Registrar>(router, service, std::move(options));
  AddNamespaceRoutes(*registrar);
  AddTableRoutes(*registrar);
  AddStorageAccessRoutes(*registrar);
  AddViewRoutes(*registrar);
  // The config route lists exactly the endpoints registered above.
  std::optional<std::string> lifetime;
  if (auto* idempotency = registrar->options().idempotency) {
    lifetime = idempotency->LifetimeIso8601();
  }
  auto tail = std::make_shared<const std::string>(
      serde::ConfigResponseTail(registrar->endpoints(), lifetime));
  router.Add(
      "GET", "/v1/config", RouteRule::Authenticated(),
      [registrar, tail](const Request& req, const Context& ctx, const PathParams&) -> Response {
        catalog::Properties overrides;
        if (auto warehouse = req.Query("warehouse"); warehouse && !warehouse->empty()) {
          auto cat = registrar->service().ResolveCatalog(ctx, *warehouse);
          if (!cat) {
            if (cat.error().code != ErrorCode::kNotFound) return IcebergError(cat.error());
            return IcebergError(Error{ErrorCode::kNoSuchWarehouse,
                                      "Warehouse does not exist: " + std::string(*warehouse)});
          }
          overrides["prefix"] = std::string(*warehouse);
        }
        return Response::Json(200, serde::ConfigResponseHead(overrides), tail, "");
      });
}

}  // namespace pangolin::api
