// Vending strategy secrets over Boost.JSON.
#include "serde/vending_strategy.h"

#include "serde/json_internal.h"
#include "serde/management.h"

namespace pangolin::serde {
using namespace internal;

namespace {

// The variant's name and body of {"Variant": {...}}; null body for anything else.
std::pair<std::string, json::object*> Body(json::value& strategy) {
  if (!strategy.is_object() || strategy.as_object().size() != 1) return {"", nullptr};
  auto& member = *strategy.as_object().begin();
  if (!member.value().is_object()) return {std::string(member.key()), nullptr};
  return {std::string(member.key()), &member.value().as_object()};
}

}  // namespace

Result<std::string> MapVendingStrategySecrets(std::string_view strategy_json,
                                              const SecretFieldFn& fn) {
  if (strategy_json.empty()) return std::string();
  ASSIGN_OR_RETURN(json::value strategy, ParseJson(strategy_json));
  auto [variant, body] = Body(strategy);
  if (!body) return std::string(strategy_json);
  for (auto& field : *body) {
    if (!field.value().is_string() || !IsSecretKey(field.key())) continue;
    ASSIGN_OR_RETURN(std::string replaced,
                     fn(variant, field.key(), std::string_view(field.value().as_string())));
    field.value() = replaced;
  }
  return json::serialize(strategy);
}

Result<std::string> MergeVendingStrategy(std::string_view update_json, std::string_view stored_json,
                                         std::string_view placeholder) {
  if (update_json.empty()) return std::string();
  ASSIGN_OR_RETURN(json::value update, ParseJson(update_json));
  auto [variant, body] = Body(update);
  json::value stored;
  json::object* stored_body = nullptr;
  if (!stored_json.empty()) {
    ASSIGN_OR_RETURN(stored, ParseJson(stored_json));
    auto [stored_variant, found] = Body(stored);
    if (stored_variant == variant) stored_body = found;
  }
  if (!body) return std::string(update_json);
  json::object merged;
  for (const auto& field : *body) {
    if (field.value().is_null()) continue;
    bool redacted = field.value().is_string() && field.value().as_string() == placeholder;
    if (!redacted) {
      merged[field.key()] = field.value();
      continue;
    }
    const json::value* kept = stored_body ? Find(*stored_body, field.key()) : nullptr;
    if (!kept) {
      return Err(ErrorCode::kBadRequest,
                 "vending_strategy.{}.{}: '{}' stands for a stored secret, and there is none",
                 variant, std::string_view(field.key()), placeholder);
    }
    merged[field.key()] = *kept;
  }
  if (stored_body) {
    for (const auto& field : *stored_body) {
      if (!body->contains(field.key())) merged[field.key()] = field.value();
    }
  }
  return json::serialize(json::object{{variant, std::move(merged)}});
}

}  // namespace pangolin::serde
