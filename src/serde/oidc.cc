// OpenID Connect JSON; see oidc.h.
#include "serde/oidc.h"

#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

Result<OidcDiscovery> ParseOidcDiscovery(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "OpenID discovery document"));
  OidcDiscovery out;
  ASSIGN_OR_RETURN(out.issuer, GetString(object, "issuer"));
  ASSIGN_OR_RETURN(out.authorization_endpoint, GetString(object, "authorization_endpoint"));
  ASSIGN_OR_RETURN(out.token_endpoint, GetString(object, "token_endpoint"));
  ASSIGN_OR_RETURN(out.jwks_uri, GetString(object, "jwks_uri"));
  return out;
}

Result<std::string> IdTokenOfTokenResponse(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "token endpoint answer"));
  ASSIGN_OR_RETURN(auto error, GetOptionalString(object, "error"));
  if (error) {
    ASSIGN_OR_RETURN(auto description, GetOptionalString(object, "error_description"));
    return Err(ErrorCode::kBadRequest, "The provider refused the code: {}{}", *error,
               description ? ": " + *description : "");
  }
  return GetString(object, "id_token");
}

std::string OidcLoginStateJson(const OidcLoginState& state) {
  return json::serialize(json::object{
      {"nonce", state.nonce}, {"code_verifier", state.code_verifier}, {"landing", state.landing}});
}

Result<OidcLoginState> ParseOidcLoginState(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "login state"));
  OidcLoginState out;
  ASSIGN_OR_RETURN(out.nonce, GetString(object, "nonce"));
  ASSIGN_OR_RETURN(out.code_verifier, GetString(object, "code_verifier"));
  ASSIGN_OR_RETURN(out.landing, GetString(object, "landing"));
  return out;
}

Result<std::string> ParseOAuthExchangeRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "exchange request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"code"}));
  return GetString(object, "code");
}

std::string OAuthExchangeJson(const std::string& token, int64_t expires_in) {
  return json::serialize(
      json::object{{"token", token}, {"token_type", "bearer"}, {"expires_in", expires_in}});
}

std::string OAuthProvidersJson(const std::vector<std::string>& providers) {
  return json::serialize(json::object{{"providers", ToJson(providers)}});
}

}  // namespace pangolin::serde
