// The request pipeline and the health and metrics routes.
#include "api/api.h"

#include <chrono>
#include <memory>

#include "api/api_handler.h"
#include "api/errors.h"
#include "api/gatekeeper.h"
#include "api/iceberg/iceberg_routes.h"
#include "api/management/access_routes.h"
#include "api/management/audit_routes.h"
#include "api/management/discovery_routes.h"
#include "api/management/identity_routes.h"
#include "api/management/management_routes.h"
#include "api/management/merge_routes.h"
#include "api/management/metrics_report_routes.h"
#include "api/management/oidc_routes.h"
#include "api/management/versioning_routes.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "http/request_metrics.h"

namespace pangolin::api {
namespace {

using http::Request;
using http::Response;

bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

bool IsIcebergPath(std::string_view path) { return StartsWith(path, "/v1/"); }

Response ErrorFor(std::string_view path, ErrorCode code, std::string message) {
  Error error{code, std::move(message)};
  return IsIcebergPath(path) ? IcebergError(error) : ManagementError(error);
}

void AddHealthRoutes(ApiRouter& router, const ApiDependencies& deps, bool metrics_enabled) {
  router.Add("GET", "/health/live", RouteRule::Public(),
             [](const Request&, const service::Context&, const http::PathParams&) {
               return Response::Json(200, R"({"status":"alive"})");
             });
  auto ready = [&deps](const Request&, const service::Context&, const http::PathParams&) {
    ServerState state = deps.state.load();
    if (state != ServerState::kReady) {
      return Response::Json(503, state == ServerState::kDraining ? R"({"status":"draining"})"
                                                                 : R"({"status":"starting"})");
    }
    auto started = std::chrono::steady_clock::now();
    auto ping = deps.store.Ping();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    if (!ping) {
      return Response::Json(503,
                            fmt::format(R"({{"status":"unready","store":"error","error":"{}"}})",
                                        log::JsonEscape(ping.error().message)));
    }
    return Response::Json(
        200, fmt::format(R"({{"status":"ready","store":"ok","store_latency_ms":{:.3f}}})", ms));
  };
  router.Add("GET", "/health/ready", RouteRule::Public(), ready);
  router.Add("GET", "/health", RouteRule::Public(), ready);
  if (metrics_enabled) {
    router.Add("GET", "/metrics", RouteRule::Public(),
               [&deps](const Request&, const service::Context&, const http::PathParams&) {
                 Response response = Response::Json(200, deps.metrics.RenderPrometheus());
                 response.content_type = "text/plain; version=0.0.4";
                 return response;
               });
  }
}

class Pipeline {
 public:
  Pipeline(ApiDependencies deps, ApiOptions options)
      : deps_(deps),
        options_(std::move(options)),
        gate_(deps_.tenancy, deps_.merges, deps_.authorizer),
        gatekeeper_(deps_.auth, deps_.store, deps_.audit, deps_.limiter, options_.no_auth),
        router_(Routes(deps_, options_, gate_)),
        request_metrics_(deps_.metrics, router_.routes().size()) {}

  const std::vector<RouteInfo>& routes() const { return router_.routes(); }

  Response Handle(Request request) {
    auto started = std::chrono::steady_clock::now();
    auto incoming = request.Header("x-request-id");
    request.request_id =
        incoming && IsSafeRequestId(*incoming) ? std::string(*incoming) : NewFastUuid();
    http::RouteMatch match = router_.Match(request.method, request.path);
    Response response = Dispatch(request, match);
    response.headers.emplace_back("X-Request-Id", request.request_id);
    if (response.status == 429) {
      response.headers.emplace_back("Retry-After",
                                    std::to_string(deps_.limiter.SecondsToWindowEnd()));
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string_view route = match.route_id ? match.route : "unmatched";
    request_metrics_.Record(match.route_id, request.method, route, response.status, seconds);
    log::Info("request")
        .With("method", request.method)
        .With("path", request.path)
        .With("status", response.status)
        .With("duration_us", static_cast<long long>(seconds * 1e6))
        .With("request_id", request.request_id)
        .With("remote", request.remote_address);
    return response;
  }

 private:
  Response Dispatch(const Request& request, const http::RouteMatch& match) {
    if (!request.query.empty() && request.query.front().first == "\x01malformed") {
      return ErrorFor(request.path, ErrorCode::kBadRequest, "Malformed query string");
    }
    if (!match.route_id) {
      if (match.method_not_allowed) {
        Response response = ErrorFor(request.path, ErrorCode::kBadRequest,
                                     "Method " + request.method + " is not allowed here");
        response.status = 405;
        return response;
      }
      return ErrorFor(request.path, ErrorCode::kNotFound, "No route for " + request.path);
    }
    if (match.bad_encoding) {
      return ErrorFor(request.path, ErrorCode::kBadRequest, "Malformed percent-encoding in path");
    }
    const RouteInfo& route = router_.Route(*match.route_id);
    auto ctx = gatekeeper_.Admit(request, route, match.params);
    if (!ctx) return Refuse(request.path, ctx.error());
    Response response = Run(request, match, route, *ctx);
    gatekeeper_.Settle(route, *ctx, response);
    return response;
  }

  Response Run(const Request& request, const http::RouteMatch& match, const RouteInfo& route,
               const service::Context& ctx) {
    try {
      Response response = router_.Handler(*match.route_id)(request, ctx, match.params);
      if (route.rule.kind == RouteRule::Kind::kPermission && response.status < 400 &&
          !ctx.access_checked) {
        // Deny by default: a permission route must have checked what it acted on.
        log::Error("route answered without checking permissions")
            .With("route", route.path_template)
            .With("request_id", request.request_id);
        return ErrorFor(request.path, ErrorCode::kInternal, "Internal error");
      }
      return response;
    } catch (const std::exception& e) {
      log::Error("handler threw").With("error", e.what()).With("request_id", request.request_id);
      return ErrorFor(request.path, ErrorCode::kInternal, "Internal error");
    }
  }

  static ApiRouter Routes(const ApiDependencies& deps, const ApiOptions& options,
                          CatalogGate& gate) {
    ApiRouter router;
    AddHealthRoutes(router, deps, options.metrics_enabled);
    RegisterIcebergRoutes(router, deps.iceberg,
                          {options.default_catalog, &deps.idempotency, &deps.authorizer});
    RegisterManagementRoutes(router, deps.tenancy, gate);
    RegisterVersioningRoutes(router, deps.versioning, gate);
    RegisterMergeRoutes(router, deps.merges, gate);
    RegisterMetricsReportRoutes(router, deps.iceberg, gate);
    RegisterAuthRoutes(router, deps.auth, deps.identity, deps.audit, deps.limiter);
    RegisterAuditRoutes(router, deps.audit);
    RegisterOidcRoutes(router, deps.oidc, deps.audit, deps.limiter);
    RegisterIdentityRoutes(router, deps.identity);
    RegisterAccessRoutes(router, deps.access);
    RegisterDiscoveryRoutes(router, deps.discovery);
    return router;
  }

  static Response Refuse(std::string_view path, const Error& error) {
    Response response = ErrorFor(path, error.code, error.message);
    if (error.code == ErrorCode::kNotAuthorized) {
      response.headers.emplace_back("WWW-Authenticate", R"(Bearer realm="pangolin")");
    }
    return response;
  }

  ApiDependencies deps_;
  ApiOptions options_;
  CatalogGate gate_;
  Gatekeeper gatekeeper_;
  ApiRouter router_;
  http::RequestMetrics request_metrics_;
};

}  // namespace

http::Handler MakeApiHandler(ApiDependencies deps, ApiOptions options) {
  auto pipeline = std::make_shared<Pipeline>(deps, std::move(options));
  return [pipeline](Request request) { return pipeline->Handle(std::move(request)); };
}

std::vector<RouteInfo> DescribeRoutes(ApiDependencies deps, ApiOptions options) {
  return Pipeline(deps, std::move(options)).routes();
}

}  // namespace pangolin::api
