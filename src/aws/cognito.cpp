#include "hipaa/aws/cognito.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "validate/checks.hpp"

namespace hipaa::cognito {
namespace {

std::string_view mfa_text(Mfa mfa) {
  switch (mfa) {
    case Mfa::Off: return "OFF";
    case Mfa::Optional: return "OPTIONAL";
    case Mfa::On: return "ON";
  }
  return "ON";
}

std::string_view advanced_security_text(AdvancedSecurity mode) {
  switch (mode) {
    case AdvancedSecurity::Off: return "OFF";
    case AdvancedSecurity::Audit: return "AUDIT";
    case AdvancedSecurity::Enforced: return "ENFORCED";
  }
  return "ENFORCED";
}

std::string_view feature_plan_text(FeaturePlan plan) {
  switch (plan) {
    case FeaturePlan::Lite: return "LITE";
    case FeaturePlan::Essentials: return "ESSENTIALS";
    case FeaturePlan::Plus: return "PLUS";
  }
  return "PLUS";
}

// User pool and client names: [\w\s+=,.@-].
bool is_cognito_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::isspace(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("_+=,.@-").find(c) != std::string_view::npos;
}

const std::vector<std::string> kEmail = {"email"};

}  // namespace

Value UserPool::issuer() const {
  return interpolate({"https://cognito-idp.", region(), ".", url_suffix(), "/", user_pool_id()});
}

void UserPool::lower(Lowering& l) const {
  const auto& p = props();
  auto& pool = l.add(*this);
  Properties username = l.object();
  username.set({"CaseSensitive", "case_sensitive"}, false);
  pool.properties()
      .set({"UserPoolName", "name"}, p.user_pool_name)
      .set({"UsernameAttributes", "username_attributes"}, Value(kEmail))
      .set({"AutoVerifiedAttributes", "auto_verified_attributes"}, Value(kEmail))
      .set({"UsernameConfiguration", "username_configuration"}, std::move(username))
      .set({"MfaConfiguration", "mfa_configuration"}, mfa_text(p.mfa));
  if (p.mfa != Mfa::Off) {
    if (l.is_cloudformation()) {
      pool.properties().cloudformation("EnabledMfas", Value(std::vector<std::string>{"SOFTWARE_TOKEN_MFA"}));
    } else {
      Properties totp = l.object();
      totp.terraform("enabled", true);
      pool.properties().set({{}, "software_token_mfa_configuration"}, std::move(totp));
    }
  }

  const auto& pw = p.password_policy;
  Properties password = l.object();
  password.set({"MinimumLength", "minimum_length"}, pw.minimum_length)
      .set({"RequireLowercase", "require_lowercase"}, pw.require_lowercase)
      .set({"RequireUppercase", "require_uppercase"}, pw.require_uppercase)
      .set({"RequireNumbers", "require_numbers"}, pw.require_numbers)
      .set({"RequireSymbols", "require_symbols"}, pw.require_symbols)
      .set({"TemporaryPasswordValidityDays", "temporary_password_validity_days"}, pw.temporary_password_validity_days);
  if (l.is_cloudformation()) {
    Properties policies = l.object();
    policies.set({"PasswordPolicy", {}}, std::move(password));
    pool.properties().set({"Policies", {}}, std::move(policies));
  } else {
    pool.properties().set({{}, "password_policy"}, std::move(password));
  }

  Properties mechanism = l.object();
  mechanism.set({"Name", "name"}, "verified_email").set({"Priority", "priority"}, 1);
  Properties recovery = l.object();
  recovery.set({"RecoveryMechanisms", "recovery_mechanism"}, std::vector<Properties>{std::move(mechanism)});
  Properties admin = l.object();
  admin.set({"AllowAdminCreateUserOnly", "allow_admin_create_user_only"}, p.admin_create_user_only);
  Properties update = l.object();
  update.set({"AttributesRequireVerificationBeforeUpdate", "attributes_require_verification_before_update"},
             Value(kEmail));
  Properties add_ons = l.object();
  add_ons.set({"AdvancedSecurityMode", "advanced_security_mode"}, advanced_security_text(p.advanced_security));
  pool.properties()
      .set({"AccountRecoverySetting", "account_recovery_setting"}, std::move(recovery))
      .set({"AdminCreateUserConfig", "admin_create_user_config"}, std::move(admin))
      .set({"UserAttributeUpdateSettings", "user_attribute_update_settings"}, std::move(update))
      .set({"UserPoolAddOns", "user_pool_add_ons"}, std::move(add_ons))
      .set({"UserPoolTier", "user_pool_tier"}, feature_plan_text(p.feature_plan))
      .set({"DeletionProtection", "deletion_protection"}, p.deletion_protection ? "ACTIVE" : "INACTIVE");
  pool.tags(p.tags, "UserPoolTags");
  // The pool holds the users: it outlives the stack unless explicitly set to Delete.
  pool.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));
}

void UserPool::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.user_pool_name, "user_pool_name");
  check.name(p.user_pool_name, "user_pool_name", 128, is_cognito_name_char, "A-Z a-z 0-9, whitespace and _+=,.@-");
  check.range(p.password_policy.minimum_length, "password_policy.minimum_length", 6, 99);
  check.range(p.password_policy.temporary_password_validity_days, "password_policy.temporary_password_validity_days", 1,
              365);
  if (p.advanced_security != AdvancedSecurity::Off && p.feature_plan != FeaturePlan::Plus) {
    check.error("HS2004",
                "'advanced_security' is " + std::string(advanced_security_text(p.advanced_security)) +
                    ", which needs the PLUS feature plan; 'feature_plan' is " +
                    std::string(feature_plan_text(p.feature_plan)),
                "set feature_plan to FeaturePlan::Plus, or advanced_security to AdvancedSecurity::Off");
  }
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "a user pool has no snapshots: its removal policy can be Retain or Delete, not Snapshot");
  }
}

namespace {

// https://..., or http://localhost[:port][/...] for development.
bool acceptable_redirect_url(std::string_view url) {
  if (url.starts_with("https://")) return url.size() > 8;
  if (!url.starts_with("http://localhost")) return false;
  const auto rest = url.substr(16);
  return rest.empty() || rest.front() == ':' || rest.front() == '/';
}

void check_urls(const detail::Checker& check, const std::vector<std::string>& urls, std::string_view property) {
  if (urls.size() > 100) {
    check.error("HS2004",
                "'" + std::string(property) + "' has " + std::to_string(urls.size()) + " URLs; Cognito accepts 100");
  }
  for (const auto& url : urls) {
    if (!acceptable_redirect_url(url)) {
      check.error("HS2004", "'" + std::string(property) + "' URL '" + url + "' is not https",
                  "use https:// URLs (http:// only for http://localhost during development)");
    } else if (url.find('#') != std::string::npos) {
      check.error("HS2004", "'" + std::string(property) + "' URL '" + url + "' has a fragment, which Cognito rejects");
    } else if (url.size() > 1024) {
      check.error("HS2004", "'" + std::string(property) + "' URL '" + url.substr(0, 40) + "...' has " +
                                std::to_string(url.size()) + " characters; Cognito accepts 1024");
    }
  }
}

bool is_standard_scope(std::string_view scope) {
  static constexpr std::array<std::string_view, 5> kStandard = {"openid", "email", "phone", "profile",
                                                                "aws.cognito.signin.user.admin"};
  return std::find(kStandard.begin(), kStandard.end(), scope) != kStandard.end();
}

}  // namespace

void UserPoolClient::lower(Lowering& l) const {
  const auto& p = props();
  auto& client = l.add(*this);
  Properties units = l.object();
  units.set({"AccessToken", "access_token"}, "minutes")
      .set({"IdToken", "id_token"}, "minutes")
      .set({"RefreshToken", "refresh_token"}, "minutes");
  client.properties()
      .set({"UserPoolId", "user_pool_id"}, p.user_pool ? p.user_pool->user_pool_id() : Value())
      .set({"ClientName", "name"}, p.client_name)
      .set({"GenerateSecret", "generate_secret"}, p.generate_secret)
      .set({"ExplicitAuthFlows", "explicit_auth_flows"},
           Value(std::vector<std::string>{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}))
      .set({"PreventUserExistenceErrors", "prevent_user_existence_errors"}, "ENABLED")
      .set({"EnableTokenRevocation", "enable_token_revocation"}, true)
      .set({"AccessTokenValidity", "access_token_validity"}, p.access_token_minutes)
      .set({"IdTokenValidity", "id_token_validity"}, p.id_token_minutes)
      .set({"RefreshTokenValidity", "refresh_token_validity"}, p.refresh_token_minutes)
      .set({"TokenValidityUnits", "token_validity_units"}, std::move(units))
      .set({"SupportedIdentityProviders", "supported_identity_providers"}, Value(std::vector<std::string>{"COGNITO"}));
  if (!p.oauth) return;
  const auto& o = *p.oauth;
  std::vector<std::string> flows = {"code"};
  if (o.implicit_flow) flows.emplace_back("implicit");
  client.properties()
      .set({"AllowedOAuthFlowsUserPoolClient", "allowed_oauth_flows_user_pool_client"}, true)
      .set({"AllowedOAuthFlows", "allowed_oauth_flows"}, Value(flows))
      .set({"AllowedOAuthScopes", "allowed_oauth_scopes"}, Value(o.scopes))
      .set({"CallbackURLs", "callback_urls"}, Value(o.callback_urls));
  if (!o.logout_urls.empty()) client.properties().set({"LogoutURLs", "logout_urls"}, Value(o.logout_urls));
}

void UserPoolClient::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.user_pool, "user_pool");
  check.required(p.client_name, "client_name");
  check.name(p.client_name, "client_name", 128, is_cognito_name_char, "A-Z a-z 0-9, whitespace and _+=,.@-");
  check.range(p.access_token_minutes, "access_token_minutes", 5, 1440);
  check.range(p.id_token_minutes, "id_token_minutes", 5, 1440);
  check.range(p.refresh_token_minutes, "refresh_token_minutes", 60, 5256000);
  if (!p.oauth) return;
  const auto& o = *p.oauth;
  check.required_list(o.callback_urls, "oauth.callback_urls");
  check_urls(check, o.callback_urls, "oauth.callback_urls");
  check_urls(check, o.logout_urls, "oauth.logout_urls");
  check.required_list(o.scopes, "oauth.scopes");
  bool openid = false;
  bool needs_openid = false;
  for (const auto& scope : o.scopes) {
    openid = openid || scope == "openid";
    needs_openid = needs_openid || scope == "email" || scope == "phone" || scope == "profile";
    // A resource server's scope is "<identifier>/<name>".
    if (!is_standard_scope(scope) && scope.find('/') == std::string::npos) {
      check.error("HS2004",
                  "'oauth.scopes' has '" + scope + "', which is neither a standard scope nor a resource server's",
                  "use openid, email, phone, profile, aws.cognito.signin.user.admin or <resource server>/<scope>");
    }
  }
  if (needs_openid && !openid) {
    check.error("HS2004", "'oauth.scopes' asks for email, phone or profile without openid, which Cognito requires");
  }
}

}  // namespace hipaa::cognito
