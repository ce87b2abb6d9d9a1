// Server configuration from environment variables (the original Pangolin's names) and
// command-line flags (which win). Invalid settings are reported naming the setting.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"

namespace pangolin::app {

enum class StoreKind { kMemory, kSqlite, kPostgres, kMongo };

// Twice the cores, at least 4: on 2 cores, 4 threads served reads fastest and with the lowest
// tail latency (docs/performance.md); handlers that block on remote stores or object storage
// want more (PANGOLIN_WORKER_THREADS).
int DefaultWorkerThreads();

struct Config {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;
  StoreKind store = StoreKind::kMemory;
  std::string sqlite_path;  // StoreKind::kSqlite
  // StoreKind::kPostgres, kMongo: DATABASE_URL as given (a libpq or libmongoc URI), the
  // connection pool's size (0: twice the worker threads) and how long one connection
  // attempt may take.
  std::string database_url;
  int database_max_connections = 0;
  int database_connect_timeout_s = 10;
  bool no_auth = false;
  std::optional<std::string> default_catalog;
  size_t max_body_bytes = 16u << 20;
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds shutdown_grace{25};
  int worker_threads = DefaultWorkerThreads();
  bool metrics_enabled = true;
  log::Format log_format = log::Format::kPretty;
  log::Level log_level = log::Level::kInfo;
  std::string port_file;  // when set, the bound port is written there once listening
  // Print every route with the rule saying who may call it (one JSON object a line) and exit.
  bool print_routes = false;
  // How long a response is kept for replay to retries carrying the same Idempotency-Key.
  std::chrono::milliseconds idempotency_key_lifetime = std::chrono::minutes(30);
  // The root account made on first start; an empty password is generated and printed once.
  std::string root_user = "root";
  std::string root_password;
  std::string jwt_issuer = "pangolin";
  std::string jwt_audience = "pangolin";
  std::chrono::seconds session_ttl{24 * 3600};  // lifetime of login tokens
  // Failed credential checks allowed per source address and per account in one window.
  int64_t auth_rate_limit = 10;
  std::chrono::seconds auth_rate_window{60};
  // OpenID login: all four of issuer, client id, client secret and redirect URI, or none.
  struct Oidc {
    std::string provider = "oidc";
    std::string issuer;
    std::string client_id;
    std::string client_secret;
    std::string redirect_uri;
    std::vector<std::string> landing_uris;  // PANGOLIN_OAUTH_REDIRECT_URIS and FRONTEND_URL
    std::optional<std::string> provision_tenant;
    std::vector<std::string> email_domains;
  };
  std::optional<Oidc> oidc;
  // How long metrics reports sent by engines are kept.
  std::chrono::milliseconds metrics_report_retention = std::chrono::hours(24 * 7);
  // Encryption at rest of stored secrets (PANGOLIN_SECRETS_KEY): the current key as its 32 raw
  // bytes, empty when none is configured, and the keys of PANGOLIN_SECRETS_PREVIOUS_KEYS, which
  // still decrypt during a rotation.
  std::string secrets_key;
  std::vector<std::string> secrets_previous_keys;
  // --reencrypt-secrets: re-encrypt every stored secret with the current key, print counts, exit.
  bool reencrypt_secrets = false;
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// Parses flags over environment variables. `--help` returns kNotFound with the usage text as
// message. Errors: kInvalidArgument naming the variable or flag.
Result<Config> LoadConfig(const std::vector<std::string>& args, const EnvLookup& env);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(std::string_view address);

}  // namespace pangolin::app
