// AuthService's token management: self-service and admin-issued tokens, rotation, revocation,
// listings, and signing-key rotation; see auth_service.h.
#include "auth/jwt.h"
#include "common/ids.h"
#include "common/log.h"
#include "service/audited.h"
#include "service/auth_service.h"

namespace pangolin::service {
namespace {

using catalog::Principal;
using catalog::PrincipalKind;
using catalog::TokenClaims;
using catalog::UserRole;

Error Denied(std::string message) { return Error{ErrorCode::kForbidden, std::move(message)}; }

// The tenant a principal's tokens name: its own; root's is none.
std::optional<TenantId> TokenTenant(const Principal& p) { return p.home_tenant; }

}  // namespace

Result<IssuedToken> AuthService::IssueToken(const Context& ctx, const TokenRequest& request) {
  return StoreAudited(store_, ctx, [&] { return IssueFor(ctx, request); });
}

Result<IssuedToken> AuthService::IssueFor(const Context& ctx, const TokenRequest& request) {
  const Principal& caller = ctx.caller;
  if (caller.kind == Principal::Kind::kDevelopment) {
    return Err(ErrorCode::kBadRequest, "Tokens cannot be issued without authentication");
  }
  TenantId tenant = request.tenant.value_or(ctx.tenant);
  auto ttl = request.ttl.value_or(options_.session_ttl);
  if (ttl.count() <= 0 || ttl > options_.max_token_ttl) {
    return Err(ErrorCode::kBadRequest, "Token lifetime must be between 1 second and {} hours",
               options_.max_token_ttl.count() / 3600);
  }
  bool self = !request.username || (*request.username == caller.name &&
                                    (caller.is_root() || caller.home_tenant == tenant));
  TokenClaims claims;
  if (self) {
    claims.subject = caller.id;
    claims.username = caller.name;
    claims.tenant_id = TokenTenant(caller);
    claims.role = caller.role;
    claims.principal_kind = caller.kind == Principal::Kind::kServiceUser
                                ? PrincipalKind::kServiceUser
                                : PrincipalKind::kUser;
  } else {
    if (!ctx.IsAdminOf(tenant)) {
      return tl::unexpected(Denied("Only an admin of the tenant may issue tokens for others"));
    }
    auto user = store_.FindUserByName(tenant, *request.username);
    if (!user) {
      if (user.error().code == ErrorCode::kNotFound) {
        return Err(ErrorCode::kNotFound, "No user '{}' in tenant {}", *request.username,
                   tenant.value);
      }
      return tl::unexpected(user.error());
    }
    if (!user->active) return Err(ErrorCode::kBadRequest, "User '{}' is inactive", user->username);
    claims.subject = user->id;
    claims.username = user->username;
    claims.tenant_id = user->tenant_id;
    claims.role = user->role;
  }
  if (request.role && *request.role != claims.role) {
    return Err(ErrorCode::kBadRequest, "Role '{}' is not the role of '{}' ({})",
               catalog::ToString(*request.role), claims.username, catalog::ToString(claims.role));
  }
  return Issue(std::move(claims), ttl);
}

Result<IssuedToken> AuthService::RotateToken(const Context& ctx) {
  if (!ctx.caller.token_id) {
    return Err(ErrorCode::kBadRequest, "Rotation needs the bearer token to replace");
  }
  return StoreAudited(store_, ctx, [&]() -> Result<IssuedToken> {
    ASSIGN_OR_RETURN(auto issued, IssueFor(ctx, TokenRequest{}));
    RETURN_IF_ERROR(store_.RevokeToken(*ctx.caller.token_id, clock_.NowMs(), "rotated"));
    return issued;
  });
}

Status AuthService::Logout(const Context& ctx, const std::optional<std::string>& reason) {
  if (!ctx.caller.token_id) {
    return Err(ErrorCode::kBadRequest, "No bearer token was presented");
  }
  return StoreAudited(store_, ctx, [&] {
    return store_.RevokeToken(*ctx.caller.token_id, clock_.NowMs(), reason.value_or("logout"));
  });
}

Status AuthService::RevokeToken(const Context& ctx, std::string_view jti,
                                const std::optional<std::string>& reason) {
  ASSIGN_OR_RETURN(auto record, store_.GetToken(jti));
  bool allowed =
      record && (record->principal_id == ctx.caller.id ||
                 (record->tenant_id ? ctx.IsAdminOf(*record->tenant_id) : ctx.caller.is_root()));
  if (!allowed) return Err(ErrorCode::kNotFound, "No token {}", jti);
  return StoreAudited(store_, ctx, [&] { return store_.RevokeToken(jti, clock_.NowMs(), reason); });
}

Result<store::Page<catalog::TokenRecord>> AuthService::ListTokens(const Context& ctx,
                                                                  std::string_view principal_id,
                                                                  const store::PageRequest& page) {
  bool allowed = principal_id == ctx.caller.id || ctx.caller.is_root();
  if (!allowed && ctx.IsTenantAdmin()) {
    allowed = store_.GetUser(ctx.tenant, principal_id).has_value() ||
              store_.GetServiceUser(ctx.tenant, principal_id).has_value();
  }
  if (!allowed) return Err(ErrorCode::kNotFound, "No user {}", principal_id);
  return store_.ListTokens(principal_id, page);
}

Result<size_t> AuthService::PurgeExpiredTokens(const Context& ctx) {
  if (!ctx.caller.is_root()) return tl::unexpected(Denied("Only root may purge tokens"));
  return StoreAudited(store_, ctx, [&] { return store_.PurgeExpiredTokens(clock_.NowMs()); });
}

Status AuthService::RotateSigningKey(const Context& ctx) {
  if (!ctx.caller.is_root()) return tl::unexpected(Denied("Only root may rotate signing keys"));
  int64_t now = clock_.NowMs();
  ASSIGN_OR_RETURN(auto key, NewSigningKey(now));
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&]() -> Status {
    RETURN_IF_ERROR(store_.AddSigningKey(key));
    ASSIGN_OR_RETURN(auto keys, store_.ListSigningKeys());
    for (const auto& old : keys) {
      if (old.kid == key.kid || old.retired_ms) continue;
      RETURN_IF_ERROR(
          store_.RetireSigningKey(old.kid, now, now + options_.max_token_ttl.count() * 1000));
    }
    return Ok();
  }));
  log::Info("rotated the token signing key").With("kid", key.kid);
  if (secrets_.encrypts()) {
    // Keys stored in the clear or under a previous secrets key move to the current one.
    ASSIGN_OR_RETURN(SecretCensus census, SweepSigningKeys(SecretSweep::kReencrypt));
    if (census.reencrypted > 0) {
      log::Info("re-encrypted signing keys").With("count", census.reencrypted);
    }
  }
  return Ring(Reload::kNow).map([](auto) {});
}

std::string AuthService::Jwks() {
  auto ring = Ring(Reload::kNo);
  return ring ? (*ring)->Jwks() : std::string(R"({"keys":[]})");
}

}  // namespace pangolin::service
