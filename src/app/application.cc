// Wiring and the process life cycle.
#include "app/application.h"

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "api/api.h"
#include "api/audit_actions.h"
#include "app/secrets.h"
#include "auth/secret_cipher.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/metrics.h"
#include "http/server.h"
#include "net/curl_http_client.h"
#include "service/access_service.h"
#include "service/audit_log.h"
#include "service/auth_service.h"
#include "service/iceberg_service.h"
#include "service/idempotency_service.h"
#include "service/identity_service.h"
#include "service/merge_service.h"
#include "service/oidc_service.h"
#include "service/rate_limiter.h"
#include "service/tenancy_service.h"
#include "service/versioning_service.h"
#include "storage/vending/warehouse_storage_factory.h"
#include "store/memory/memory_store.h"
#include "store/mongo/mongo_store.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace pangolin::app {
namespace {

// The server's writer threads (http::ServerOptions::writer_threads): as many as its event loop's
// threads and helpers together, so that commits waiting on device flushes batch them.
int WriterThreads(const Config& config) { return 2 * config.worker_threads; }

// The database connections a server opens (SQLite: its read connections): twice the worker
// threads. A request holds one only during each of its transactions, so a pool smaller than the
// most handlers at once (the event loop's threads, its helpers and the writers) seldom makes one
// wait, and it keeps each server's share of a database server's connections, and an idle
// server's memory, modest.
int DatabaseConnections(const Config& config) { return 2 * config.worker_threads; }

Result<std::unique_ptr<store::MetadataStore>> MakeStore(const Config& config) {
  if (config.store == StoreKind::kMemory) return store::MakeMemoryStore();
  if (config.store == StoreKind::kPostgres) {
    store::PostgresOptions options;
    options.url = config.database_url;
    options.pool_size = config.database_max_connections > 0 ? config.database_max_connections
                                                            : DatabaseConnections(config);
    options.connect_timeout_s = config.database_connect_timeout_s;
    return store::MakePostgresStore(options);
  }
  if (config.store == StoreKind::kMongo) {
    store::MongoOptions options;
    options.url = config.database_url;
    options.pool_size = config.database_max_connections > 0 ? config.database_max_connections
                                                            : DatabaseConnections(config);
    options.connect_timeout_s = config.database_connect_timeout_s;
    return store::MakeMongoStore(options);
  }
  std::filesystem::path path(config.sqlite_path);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  store::SqliteOptions options;
  options.path = config.sqlite_path;
  options.read_connections = DatabaseConnections(config);
  return store::MakeSqliteStore(options);
}

Status WritePortFile(const std::string& path, uint16_t port) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp);
    out << port << "\n";
    if (!out) return Err(ErrorCode::kIo, "cannot write {}", temp);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Err(ErrorCode::kIo, "cannot write {}: {}", path, ec.message());
  return Ok();
}

// Where the store is, for the log: a database URL without its user information and parameters
// (they may hold a password).
std::string StoreDescription(const Config& config) {
  switch (config.store) {
    case StoreKind::kMemory:
      return "memory";
    case StoreKind::kSqlite:
      return "sqlite:" + config.sqlite_path;
    case StoreKind::kPostgres:
    case StoreKind::kMongo: {
      std::string_view url = config.database_url;
      size_t start = url.find("://");
      start = start == std::string_view::npos ? 0 : start + 3;
      size_t end = url.find('?', start);
      std::string_view location =
          url.substr(start, end == std::string_view::npos ? url.npos : end - start);
      if (size_t at = location.rfind('@'); at != std::string_view::npos) {
        location.remove_prefix(at + 1);
      }
      return (config.store == StoreKind::kMongo ? "mongo:" : "postgres:") + std::string(location);
    }
  }
  return "unknown";
}

void PrintWelcome(const Config& config, uint16_t port) {
  std::string host = config.bind_address.find(':') != std::string::npos
                         ? "[" + config.bind_address + "]"
                         : config.bind_address;
  log::Info("pangolin_api is ready")
      .With("address", fmt::format("http://{}:{}", host, port))
      .With("store", StoreDescription(config));
  if (config.no_auth) {
    log::Warn(
        "AUTHENTICATION IS DISABLED (PANGOLIN_NO_AUTH): every request acts as an admin of the "
        "default tenant. Development only; serving loopback only.");
  }
}

service::OidcOptions OidcOptionsOf(const Config::Oidc& oidc) {
  service::OidcOptions options;
  options.provider = oidc.provider;
  options.issuer = oidc.issuer;
  options.client_id = oidc.client_id;
  options.client_secret = oidc.client_secret;
  options.redirect_uri = oidc.redirect_uri;
  options.landing_uris = oidc.landing_uris;
  if (oidc.provision_tenant) options.provision_tenant = TenantId{*oidc.provision_tenant};
  options.email_domains = oidc.email_domains;
  return options;
}

// Shown once, on the terminal only (standard error, not the structured log).
void PrintGeneratedRootPassword(const std::string& user, const std::string& password) {
  fmt::print(stderr,
             "\n  Created the root account '{}' with the generated password:\n\n      {}\n\n"
             "  It is not shown again. Log in with POST /api/v1/users/login, then set your own\n"
             "  (PUT /api/v1/users/{{id}}), or start with PANGOLIN_ROOT_PASSWORD set.\n\n",
             user, password);
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int RunServer(const Config& config) {
  auto store = MakeStore(config);
  if (!store) {
    log::Error("cannot open the metadata store").With("error", store.error().message);
    return 1;
  }
  auto client = net::MakeCurlHttpClient();
  if (!client) {
    log::Error("cannot set up outbound HTTP").With("error", client.error().message);
    return 1;
  }
  std::shared_ptr<net::HttpClient> http_client = std::move(*client);
  std::unique_ptr<storage::WarehouseStorage> warehouse_storage =
      storage::MakeWarehouseStorage(http_client);
  Metrics metrics;
  std::atomic<api::ServerState> state{api::ServerState::kStarting};
  std::optional<auth::SecretCipher> cipher;
  if (!config.secrets_key.empty()) {
    auto made = auth::SecretCipher::Make(config.secrets_key, config.secrets_previous_keys);
    if (!made) {
      log::Error("cannot set up encryption at rest").With("error", made.error().message);
      return 1;
    }
    cipher = std::move(*made);
  }
  const auth::SecretCipher* secrets_cipher = cipher ? &*cipher : nullptr;
  service::TableFiles table_files;
  // Warehouse secrets are stored unencrypted only in development mode without a key.
  service::TenancyService tenancy(
      **store, *warehouse_storage,
      service::StoredSecrets({.cipher = secrets_cipher, .allow_plaintext = config.no_auth}));
  // Catalogs reach their warehouse's store with its secrets in clear.
  service::CatalogStorage catalog_storage(
      [&tenancy](const TenantId& tenant, std::string_view name) {
        return tenancy.GetWarehouseWithSecrets(tenant, name);
      },
      *warehouse_storage);
  service::Authorizer authorizer(**store);
  service::IcebergService iceberg(
      **store, table_files, catalog_storage, SystemClock(),
      {.metrics_report_retention = config.metrics_report_retention, .authorizer = &authorizer});
  service::VersioningService versioning(**store, SystemClock());
  service::MergeService merges(**store, table_files, catalog_storage, SystemClock());
  service::IdempotencyService idempotency(**store, SystemClock(),
                                          {.lifetime = config.idempotency_key_lifetime});
  service::AuthOptions auth_options;
  auth_options.issuer = config.jwt_issuer;
  auth_options.audience = config.jwt_audience;
  auth_options.session_ttl = config.session_ttl;
  auth_options.secrets_cipher = secrets_cipher;
  service::AuthService auth(**store, SystemClock(), auth_options);
  if (config.reencrypt_secrets) return ReencryptSecrets(config, tenancy, auth);
  if (!config.print_routes) {
    if (auto checked = CheckStoredSecrets(config, tenancy, auth); !checked) {
      log::Error("cannot start: stored secrets are unreadable")
          .With("error", checked.error().message);
      return 1;
    }
    auto bootstrapped = auth.Bootstrap(config.root_user, config.root_password);
    if (!bootstrapped) {
      log::Error("cannot set up authentication").With("error", bootstrapped.error().message);
      return 1;
    }
    if (*bootstrapped) PrintGeneratedRootPassword(config.root_user, **bootstrapped);
  }
  service::IdentityService identity(**store, SystemClock(), config.no_auth);
  api::ApiOptions api_options{config.no_auth, config.default_catalog, config.metrics_enabled};
  service::AccessService access(**store, SystemClock());
  service::DiscoveryService discovery(**store, authorizer, SystemClock());
  service::AuditLog audit(**store, SystemClock(), metrics);
  service::RateLimiter limiter(**store, SystemClock(), metrics,
                               {config.auth_rate_limit, config.auth_rate_window});
  std::unique_ptr<service::OidcService> oidc;
  if (config.oidc) {
    oidc = std::make_unique<service::OidcService>(*http_client, **store, auth, SystemClock(),
                                                  OidcOptionsOf(*config.oidc));
  }
  api::ApiDependencies api_deps{iceberg,    tenancy,    versioning, merges,    idempotency, auth,
                                identity,   authorizer, access,     discovery, audit,       limiter,
                                oidc.get(), **store,    metrics,    state};
  if (config.print_routes) {
    for (const auto& route : api::DescribeRoutes(api_deps, api_options)) {
      fmt::print(R"({{"method":"{}","path":"{}","rule":"{}","audit":"{}"}})"
                 "\n",
                 route.method, route.path_template, route.rule.ToString(),
                 api::AuditModeName(api::AuditFor(route.method, route.path_template)));
    }
    return 0;
  }
  http::ServerOptions server_options;
  server_options.bind_address = config.bind_address;
  server_options.port = config.port;
  server_options.threads = config.worker_threads;
  server_options.max_helpers = config.worker_threads;
  server_options.writer_threads = WriterThreads(config);
  server_options.max_body_bytes = config.max_body_bytes;
  server_options.read_timeout = config.request_timeout;
  server_options.write_timeout = config.request_timeout;
  http::Server server(server_options, api::MakeApiHandler(api_deps, api_options));
  if (auto started = server.Start(); !started) {
    log::Error("cannot start the server").With("error", started.error().message);
    return 1;
  }
  if (!config.port_file.empty()) {
    if (auto written = WritePortFile(config.port_file, server.port()); !written) {
      log::Error("cannot write the port file").With("error", written.error().message);
      server.Shutdown(std::chrono::milliseconds(0));
      return 1;
    }
  }
  state = api::ServerState::kReady;
  metrics.Set("ready", 1);
  PrintWelcome(config, server.port());

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  log::Info("shutting down").With("signal", signal_number);
  state = api::ServerState::kDraining;
  metrics.Set("ready", 0);
  server.Shutdown(std::chrono::duration_cast<std::chrono::milliseconds>(config.shutdown_grace));
  log::Info("stopped");
  return 0;
}

}  // namespace pangolin::app
