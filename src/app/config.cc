// Environment and flag parsing with CLI11.
#include "app/config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <thread>

#include "auth/secret_cipher.h"
#include "common/ids.h"
#include "common/strings.h"
#include "service/idempotency_service.h"

namespace pangolin::app {

int DefaultWorkerThreads() {
  return std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
}

namespace {

Status ParseDatabaseUrl(std::string_view url, Config& config, std::string_view setting) {
  if (url.empty() || url == "memory" || url == "memory://") {
    config.store = StoreKind::kMemory;
    return Ok();
  }
  if (StartsWith(url, "sqlite://") || EndsWith(url, ".db")) {
    std::string path(StartsWith(url, "sqlite://") ? url.substr(9) : url);
    if (auto query = path.find('?'); query != std::string::npos) path.resize(query);
    if (path.empty())
      return Err(ErrorCode::kInvalidArgument, "{}: sqlite URL has no path", setting);
    config.store = StoreKind::kSqlite;
    config.sqlite_path = path;
    return Ok();
  }
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) {
    if (url.find("://") + 3 == url.size()) {
      // libpq would fall back to its environment and defaults; a URL must say where to go.
      return Err(ErrorCode::kInvalidArgument, "{}: postgres URL has no host or database", setting);
    }
    config.store = StoreKind::kPostgres;
    config.database_url = std::string(url);
    return Ok();
  }
  if (StartsWith(url, "mongodb://") || StartsWith(url, "mongodb+srv://")) {
    if (url.find("://") + 3 == url.size()) {
      return Err(ErrorCode::kInvalidArgument, "{}: mongodb URL has no host", setting);
    }
    config.store = StoreKind::kMongo;
    config.database_url = std::string(url);
    return Ok();
  }
  return Err(ErrorCode::kInvalidArgument,
             "{}: unsupported database URL (expected postgresql://user@host/db, "
             "mongodb://host/db, sqlite:///path/pangolin.db or memory)",
             setting);
}

template <typename T>
Status ParseNumber(const std::optional<std::string>& text, const char* name, T min, T max, T& out) {
  if (!text) return Ok();
  auto value = ParseInt(*text);
  if (!value || *value < static_cast<long long>(min) || *value > static_cast<long long>(max)) {
    return Err(ErrorCode::kInvalidArgument, "{}: expected an integer in [{}, {}], got '{}'", name,
               min, max, *text);
  }
  out = static_cast<T>(*value);
  return Ok();
}

Status ParseFlag(const std::optional<std::string>& text, const char* name, bool& out) {
  if (!text) return Ok();
  auto value = ParseBool(*text);
  if (!value)
    return Err(ErrorCode::kInvalidArgument, "{}: expected true or false, got '{}'", name, *text);
  out = *value;
  return Ok();
}

std::vector<std::string> CommaList(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  for (const auto& part : Split(*text, ",")) {
    std::string item(Trim(part));
    if (!item.empty()) out.push_back(std::move(item));
  }
  return out;
}

Status ApplyOidc(const EnvLookup& env, Config& config) {
  Config::Oidc oidc;
  std::pair<const char*, std::string*> required[] = {
      {"PANGOLIN_OIDC_ISSUER", &oidc.issuer},
      {"PANGOLIN_OIDC_CLIENT_ID", &oidc.client_id},
      {"PANGOLIN_OIDC_CLIENT_SECRET", &oidc.client_secret},
      {"PANGOLIN_OIDC_REDIRECT_URI", &oidc.redirect_uri}};
  int given = 0;
  for (auto& [name, target] : required) {
    if (auto value = env(name); value && !value->empty()) {
      *target = *value;
      ++given;
    }
  }
  if (given == 0) return Ok();
  for (auto& [name, target] : required) {
    if (target->empty()) {
      return Err(ErrorCode::kInvalidArgument, "{}: required with the other PANGOLIN_OIDC_ settings",
                 name);
    }
  }
  if (auto provider = env("PANGOLIN_OIDC_PROVIDER_NAME"); provider && !provider->empty()) {
    oidc.provider = *provider;
  }
  oidc.landing_uris = CommaList(env("PANGOLIN_OAUTH_REDIRECT_URIS"));
  if (auto frontend = env("FRONTEND_URL"); frontend && !frontend->empty()) {
    oidc.landing_uris.push_back(*frontend);
  }
  if (oidc.landing_uris.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "PANGOLIN_OAUTH_REDIRECT_URIS: OpenID login needs at least one landing URL (or "
               "FRONTEND_URL)");
  }
  if (auto tenant = env("PANGOLIN_OIDC_PROVISION_TENANT"); tenant && !tenant->empty()) {
    if (!IsUuid(*tenant)) {
      return Err(ErrorCode::kInvalidArgument, "PANGOLIN_OIDC_PROVISION_TENANT: not a tenant id");
    }
    oidc.provision_tenant = ToLower(*tenant);
  }
  for (const auto& domain : CommaList(env("PANGOLIN_OAUTH_EMAIL_LINK_DOMAINS"))) {
    oidc.email_domains.push_back(ToLower(domain));
  }
  config.oidc = std::move(oidc);
  return Ok();
}

// The keys are secrets: errors say what is wrong with a key, never what it is.
Status ApplySecretsKeys(const EnvLookup& env, Config& config) {
  if (auto text = env("PANGOLIN_SECRETS_KEY"); text && !Trim(*text).empty()) {
    auto key = auth::ParseSecretKey(*text);
    if (!key) {
      return Err(ErrorCode::kInvalidArgument, "PANGOLIN_SECRETS_KEY: {}", key.error().message);
    }
    config.secrets_key = std::move(*key);
  }
  auto previous = CommaList(env("PANGOLIN_SECRETS_PREVIOUS_KEYS"));
  for (size_t i = 0; i < previous.size(); ++i) {
    auto key = auth::ParseSecretKey(previous[i]);
    if (!key) {
      return Err(ErrorCode::kInvalidArgument, "PANGOLIN_SECRETS_PREVIOUS_KEYS: key {} of {}: {}",
                 i + 1, previous.size(), key.error().message);
    }
    config.secrets_previous_keys.push_back(std::move(*key));
  }
  if (!previous.empty() && config.secrets_key.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "PANGOLIN_SECRETS_PREVIOUS_KEYS: needs PANGOLIN_SECRETS_KEY (the key that "
               "encrypts from now on)");
  }
  if (!config.secrets_key.empty()) {
    auto cipher = auth::SecretCipher::Make(config.secrets_key, config.secrets_previous_keys);
    if (!cipher) {
      return Err(ErrorCode::kInvalidArgument, "PANGOLIN_SECRETS_PREVIOUS_KEYS: {}",
                 cipher.error().message);
    }
  }
  return Ok();
}

Status ApplyEnvironment(const EnvLookup& env, Config& config) {
  if (auto bind = env("PANGOLIN_BIND_ADDRESS")) config.bind_address = *bind;
  RETURN_IF_ERROR(ParseNumber<uint16_t>(env("PORT"), "PORT", 0, 65535, config.port));
  auto kind = env("PANGOLIN_STORAGE_TYPE");
  if (kind) {
    if (*kind == "memory")
      config.store = StoreKind::kMemory;
    else if (*kind != "sqlite" && *kind != "postgres" && *kind != "mongo") {
      return Err(ErrorCode::kInvalidArgument,
                 "PANGOLIN_STORAGE_TYPE: '{}' is not one of memory, sqlite, postgres, mongo",
                 *kind);
    }
  }
  if (auto url = env("DATABASE_URL"))
    RETURN_IF_ERROR(ParseDatabaseUrl(*url, config, "DATABASE_URL"));
  if (kind && *kind == "postgres" && config.store != StoreKind::kPostgres) {
    return Err(ErrorCode::kInvalidArgument,
               "PANGOLIN_STORAGE_TYPE: postgres needs DATABASE_URL=postgresql://user@host/db");
  }
  if (kind && *kind == "mongo" && config.store != StoreKind::kMongo) {
    return Err(ErrorCode::kInvalidArgument,
               "PANGOLIN_STORAGE_TYPE: mongo needs DATABASE_URL=mongodb://host/db");
  }
  RETURN_IF_ERROR(ParseNumber<int>(env("DATABASE_MAX_CONNECTIONS"), "DATABASE_MAX_CONNECTIONS", 1,
                                   1000, config.database_max_connections));
  RETURN_IF_ERROR(ParseNumber<int>(env("DATABASE_CONNECT_TIMEOUT"), "DATABASE_CONNECT_TIMEOUT", 1,
                                   3600, config.database_connect_timeout_s));
  RETURN_IF_ERROR(ParseFlag(env("PANGOLIN_NO_AUTH"), "PANGOLIN_NO_AUTH", config.no_auth));
  if (auto catalog = env("PANGOLIN_DEFAULT_CATALOG"); catalog && !catalog->empty()) {
    config.default_catalog = *catalog;
  }
  RETURN_IF_ERROR(ParseNumber<size_t>(env("PANGOLIN_MAX_BODY_BYTES"), "PANGOLIN_MAX_BODY_BYTES",
                                      1024, size_t{1} << 30, config.max_body_bytes));
  int64_t seconds = config.request_timeout.count();
  RETURN_IF_ERROR(ParseNumber<int64_t>(env("PANGOLIN_REQUEST_TIMEOUT_SECS"),
                                       "PANGOLIN_REQUEST_TIMEOUT_SECS", 1, 3600, seconds));
  config.request_timeout = std::chrono::seconds(seconds);
  seconds = config.shutdown_grace.count();
  RETURN_IF_ERROR(ParseNumber<int64_t>(env("PANGOLIN_SHUTDOWN_GRACE_SECS"),
                                       "PANGOLIN_SHUTDOWN_GRACE_SECS", 0, 3600, seconds));
  config.shutdown_grace = std::chrono::seconds(seconds);
  RETURN_IF_ERROR(ParseNumber<int>(env("PANGOLIN_WORKER_THREADS"), "PANGOLIN_WORKER_THREADS", 1,
                                   1024, config.worker_threads));
  RETURN_IF_ERROR(ParseFlag(env("PANGOLIN_METRICS_ENABLED"), "PANGOLIN_METRICS_ENABLED",
                            config.metrics_enabled));
  if (auto format = env("LOG_FORMAT")) {
    if (*format == "json")
      config.log_format = log::Format::kJson;
    else if (*format == "pretty")
      config.log_format = log::Format::kPretty;
    else
      return Err(ErrorCode::kInvalidArgument, "LOG_FORMAT: expected json or pretty, got '{}'",
                 *format);
  }
  for (auto [name, target] :
       {std::pair{"PANGOLIN_IDEMPOTENCY_KEY_LIFETIME", &config.idempotency_key_lifetime},
        std::pair{"PANGOLIN_METRICS_REPORT_RETENTION", &config.metrics_report_retention}}) {
    if (auto text = env(name)) {
      auto parsed = service::ParseIsoDuration(*text);
      if (!parsed) return Err(ErrorCode::kInvalidArgument, "{}: {}", name, parsed.error().message);
      *target = *parsed;
    }
  }
  if (auto user = env("PANGOLIN_ROOT_USER"); user && !user->empty()) config.root_user = *user;
  if (auto password = env("PANGOLIN_ROOT_PASSWORD")) config.root_password = *password;
  if (auto issuer = env("PANGOLIN_JWT_ISSUER"); issuer && !issuer->empty()) {
    config.jwt_issuer = *issuer;
  }
  if (auto audience = env("PANGOLIN_JWT_AUDIENCE"); audience && !audience->empty()) {
    config.jwt_audience = *audience;
  }
  seconds = config.session_ttl.count();
  RETURN_IF_ERROR(ParseNumber<int64_t>(env("PANGOLIN_SESSION_TTL_SECS"),
                                       "PANGOLIN_SESSION_TTL_SECS", 60, 365 * 24 * 3600, seconds));
  config.session_ttl = std::chrono::seconds(seconds);
  RETURN_IF_ERROR(ParseNumber<int64_t>(env("PANGOLIN_AUTH_RATE_LIMIT"), "PANGOLIN_AUTH_RATE_LIMIT",
                                       1, 1'000'000, config.auth_rate_limit));
  seconds = config.auth_rate_window.count();
  RETURN_IF_ERROR(ParseNumber<int64_t>(env("PANGOLIN_AUTH_RATE_WINDOW_SECS"),
                                       "PANGOLIN_AUTH_RATE_WINDOW_SECS", 1, 24 * 3600, seconds));
  config.auth_rate_window = std::chrono::seconds(seconds);
  RETURN_IF_ERROR(ApplyOidc(env, config));
  RETURN_IF_ERROR(ApplySecretsKeys(env, config));
  if (auto level = env("PANGOLIN_LOG_LEVEL")) {
    auto parsed = log::ParseLevel(*level);
    if (!parsed) {
      return Err(ErrorCode::kInvalidArgument,
                 "PANGOLIN_LOG_LEVEL: expected debug, info, warn or error, got '{}'", *level);
    }
    config.log_level = *parsed;
  }
  return Ok();
}

}  // namespace

bool IsLoopback(std::string_view address) {
  return address == "localhost" || address == "::1" || address == "[::1]" ||
         StartsWith(address, "127.");
}

Result<Config> LoadConfig(const std::vector<std::string>& args, const EnvLookup& env) {
  Config config;
  RETURN_IF_ERROR(ApplyEnvironment(env, config));
  CLI::App cli{"pangolin_api: the Pangolin lakehouse catalog server"};
  std::optional<std::string> database_url, log_format;
  std::optional<std::string> bind, default_catalog;
  std::optional<uint16_t> port;
  bool no_auth = false;
  cli.add_option("--bind", bind, "address to listen on (PANGOLIN_BIND_ADDRESS)");
  cli.add_option("--port", port, "port to listen on, 0 for any free port (PORT)");
  cli.add_option("--database-url", database_url,
                 "postgresql://user@host/db, mongodb://host/db, sqlite:///path/pangolin.db or "
                 "memory (DATABASE_URL)");
  cli.add_flag("--no-auth", no_auth,
               "development mode without authentication, loopback only (PANGOLIN_NO_AUTH)");
  cli.add_option("--default-catalog", default_catalog,
                 "catalog served without a {prefix} (PANGOLIN_DEFAULT_CATALOG)");
  cli.add_flag("--print-routes", config.print_routes,
               "print every route and who may call it (JSON lines), then exit");
  cli.add_option("--port-file", config.port_file,
                 "write the bound port to this file once listening");
  cli.add_option("--log-format", log_format, "json or pretty (LOG_FORMAT)");
  cli.add_flag("--reencrypt-secrets", config.reencrypt_secrets,
               "re-encrypt every stored secret with PANGOLIN_SECRETS_KEY (reading with it and "
               "PANGOLIN_SECRETS_PREVIOUS_KEYS), print the counts, then exit");
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    cli.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return Err(ErrorCode::kNotFound, "{}", cli.help());
  } catch (const CLI::ParseError& e) {
    return Err(ErrorCode::kInvalidArgument, "command line: {}", e.what());
  }
  if (bind) config.bind_address = *bind;
  if (port) config.port = *port;
  if (no_auth) config.no_auth = true;
  if (default_catalog) config.default_catalog = *default_catalog;
  if (database_url) RETURN_IF_ERROR(ParseDatabaseUrl(*database_url, config, "--database-url"));
  if (log_format) {
    if (*log_format != "json" && *log_format != "pretty") {
      return Err(ErrorCode::kInvalidArgument, "--log-format: expected json or pretty");
    }
    config.log_format = *log_format == "json" ? log::Format::kJson : log::Format::kPretty;
  }
  if (config.reencrypt_secrets && config.secrets_key.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "--reencrypt-secrets: needs PANGOLIN_SECRETS_KEY (the key to encrypt with)");
  }
  if (config.no_auth && !IsLoopback(config.bind_address)) {
    return Err(ErrorCode::kInvalidArgument,
               "PANGOLIN_BIND_ADDRESS: '{}' is not a loopback address; PANGOLIN_NO_AUTH serves "
               "127.0.0.1 or ::1 only",
               config.bind_address);
  }
  return config;
}

}  // namespace pangolin::app
