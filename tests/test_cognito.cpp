// Cognito user pools and app clients: both targets' output, secure defaults, validation, rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/cognito.hpp"
#include "hipaa/diff.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
};

// The Cognito rules' findings (a stack holding users also needs an audit trail: HIPAA-TRAIL-4).
std::vector<std::string> rule_ids(const App& app) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id.starts_with("HIPAA-COGNITO"))
      out.push_back(std::string(f.rule->id) + " " + f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A user pool signs users in by email with MFA, strong passwords and threat protection", "[cognito]") {
  Fixture f;
  f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  CHECK(test::cfn(f.app)["Resources"]["Users"] == json::parse(R"({
          "Type": "AWS::Cognito::UserPool",
          "DeletionPolicy": "Retain",
          "UpdateReplacePolicy": "Retain",
          "Properties": {
            "UserPoolName": "clinicians",
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "UsernameConfiguration": {"CaseSensitive": false},
            "MfaConfiguration": "ON",
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
            "Policies": {"PasswordPolicy": {"MinimumLength": 14, "RequireLowercase": true, "RequireUppercase": true,
                                            "RequireNumbers": true, "RequireSymbols": true,
                                            "TemporaryPasswordValidityDays": 3}},
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true},
            "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
            "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"},
            "UserPoolTier": "PLUS",
            "DeletionProtection": "ACTIVE"
          }
        })"));
  CHECK(test::tf(f.app)["resource"]["aws_cognito_user_pool"]["users"] == json::parse(R"({
          "name": "clinicians",
          "username_attributes": ["email"],
          "auto_verified_attributes": ["email"],
          "username_configuration": {"case_sensitive": false},
          "mfa_configuration": "ON",
          "software_token_mfa_configuration": {"enabled": true},
          "password_policy": {"minimum_length": 14, "require_lowercase": true, "require_uppercase": true,
                              "require_numbers": true, "require_symbols": true,
                              "temporary_password_validity_days": 3},
          "account_recovery_setting": {"recovery_mechanism": [{"name": "verified_email", "priority": 1}]},
          "admin_create_user_config": {"allow_admin_create_user_only": true},
          "user_attribute_update_settings": {"attributes_require_verification_before_update": ["email"]},
          "user_pool_add_ons": {"advanced_security_mode": "ENFORCED"},
          "user_pool_tier": "PLUS",
          "deletion_protection": "ACTIVE",
          "lifecycle": {"prevent_destroy": true}
        })"));
  CHECK(rule_ids(f.app).empty());
}

TEST_CASE("A user pool's tags are UserPoolTags, a map, in CloudFormation", "[cognito]") {
  App app;
  auto& stack = app.add_stack("S", {.tags = {{"Application", "clinic"}}});
  stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians", .tags = {{"DataClass", "PHI"}}});
  const json cfn = test::cfn(app)["Resources"]["Users"]["Properties"];
  CHECK(cfn["UserPoolTags"] == json{{"Application", "clinic"}, {"DataClass", "PHI"}});
  CHECK_FALSE(cfn.contains("Tags"));
  CHECK(test::tf(app)["resource"]["aws_cognito_user_pool"]["users"]["tags"] == json{{"DataClass", "PHI"}});
}

TEST_CASE("A user pool's weaker settings are explicit and reported by the rules", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>(
      "Users",
      {.user_pool_name = "clinicians",
       .mfa = cognito::Mfa::Off,
       .password_policy = {.minimum_length = 8, .require_symbols = false, .temporary_password_validity_days = 7},
       .advanced_security = cognito::AdvancedSecurity::Off,
       .feature_plan = cognito::FeaturePlan::Essentials,
       .deletion_protection = false,
       .admin_create_user_only = false});
  pool.set_removal_policy(RemovalPolicy::Delete);
  const json cfn = test::cfn(f.app)["Resources"]["Users"];
  CHECK(cfn["DeletionPolicy"] == "Delete");
  CHECK(cfn["Properties"]["MfaConfiguration"] == "OFF");
  CHECK_FALSE(cfn["Properties"].contains("EnabledMfas"));
  CHECK(cfn["Properties"]["Policies"]["PasswordPolicy"]["MinimumLength"] == 8);
  CHECK(cfn["Properties"]["Policies"]["PasswordPolicy"]["RequireSymbols"] == false);
  CHECK(cfn["Properties"]["UserPoolAddOns"] == json{{"AdvancedSecurityMode", "OFF"}});
  CHECK(cfn["Properties"]["UserPoolTier"] == "ESSENTIALS");
  CHECK(cfn["Properties"]["DeletionProtection"] == "INACTIVE");
  CHECK(cfn["Properties"]["AdminCreateUserConfig"] == json{{"AllowAdminCreateUserOnly", false}});
  const json tf = test::tf(f.app)["resource"]["aws_cognito_user_pool"]["users"];
  CHECK_FALSE(tf.contains("software_token_mfa_configuration"));
  CHECK_FALSE(tf.contains("lifecycle"));
  CHECK(tf["mfa_configuration"] == "OFF");
  CHECK(rule_ids(f.app) ==
        std::vector<std::string>{"HIPAA-COGNITO-1 S/Users: MFA is off",
                                 "HIPAA-COGNITO-2 S/Users: passwords need only 8 characters; at least 14 are required",
                                 "HIPAA-COGNITO-2 S/Users: passwords need not contain symbols",
                                 "HIPAA-COGNITO-3 S/Users: threat protection is off"});
}

TEST_CASE("Optional MFA and audit-only threat protection are reported too", "[cognito]") {
  Fixture f;
  f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians",
                                           .mfa = cognito::Mfa::Optional,
                                           .advanced_security = cognito::AdvancedSecurity::Audit});
  CHECK(test::cfn(f.app)["Resources"]["Users"]["Properties"]["EnabledMfas"] == json{"SOFTWARE_TOKEN_MFA"});
  CHECK(rule_ids(f.app) ==
        std::vector<std::string>{
            "HIPAA-COGNITO-1 S/Users: MFA is optional: users without a second factor sign in with a password alone",
            "HIPAA-COGNITO-3 S/Users: threat protection only audits: risky sign-ins are not blocked or challenged"});
}

TEST_CASE("A user pool's issuer and provider URL are what JWT authorizers need", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  f.stack.add_output({.name = "Issuer", .value = pool.issuer()});
  f.stack.add_output({.name = "ProviderUrl", .value = pool.provider_url()});
  f.stack.add_output({.name = "PoolArn", .value = pool.arn()});
  const json cfn = test::cfn(f.app)["Outputs"];
  CHECK(cfn["Issuer"]["Value"] == json{{"Fn::Sub", "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${Users}"}});
  CHECK(cfn["ProviderUrl"]["Value"] == json{{"Fn::GetAtt", {"Users", "ProviderURL"}}});
  CHECK(cfn["PoolArn"]["Value"] == json{{"Fn::GetAtt", {"Users", "Arn"}}});
  const json tf = test::tf(f.app)["output"];
  CHECK(tf["issuer"]["value"] ==
        "https://cognito-idp.${data.aws_region.current.name}.${data.aws_partition.current."
        "dns_suffix}/${aws_cognito_user_pool.users.id}");
  CHECK(tf["provider_url"]["value"] == "${aws_cognito_user_pool.users.endpoint}");
}

TEST_CASE("A user pool's name, password policy, feature plan and removal policy are validated", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>(
      "Users", {.user_pool_name = "clinic/ians",
                .password_policy = {.minimum_length = 100, .temporary_password_validity_days = 0},
                .feature_plan = cognito::FeaturePlan::Essentials});
  pool.set_removal_policy(RemovalPolicy::Snapshot);
  f.stack.add<cognito::UserPool>("Unnamed", {});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2003 S/Users: 'user_pool_name' value 'clinic/ians' contains '/'; AWS accepts only A-Z a-z 0-9, "
            "whitespace and _+=,.@-",
            "HS2004 S/Users: 'password_policy.minimum_length' is 100; AWS accepts 6 to 99",
            "HS2004 S/Users: 'password_policy.temporary_password_validity_days' is 0; AWS accepts 1 to 365",
            "HS2004 S/Users: 'advanced_security' is ENFORCED, which needs the PLUS feature plan; 'feature_plan' is "
            "ESSENTIALS",
            "HS2004 S/Users: a user pool has no snapshots: its removal policy can be Retain or Delete, not Snapshot",
            "HS2001 S/Unnamed: required property 'user_pool_name' is not set"});
}

TEST_CASE("A user pool client is public, SRP-only, with short-lived revocable tokens", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  f.stack.add<cognito::UserPoolClient>("Web", {.user_pool = pool, .client_name = "web"});
  CHECK(test::cfn(f.app)["Resources"]["Web"] == json::parse(R"({
          "Type": "AWS::Cognito::UserPoolClient",
          "Properties": {
            "UserPoolId": {"Ref": "Users"},
            "ClientName": "web",
            "GenerateSecret": false,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": true,
            "AccessTokenValidity": 15,
            "IdTokenValidity": 15,
            "RefreshTokenValidity": 720,
            "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"},
            "SupportedIdentityProviders": ["COGNITO"]
          }
        })"));
  CHECK(test::tf(f.app)["resource"]["aws_cognito_user_pool_client"]["web"] == json::parse(R"({
          "user_pool_id": "${aws_cognito_user_pool.users.id}",
          "name": "web",
          "generate_secret": false,
          "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          "prevent_user_existence_errors": "ENABLED",
          "enable_token_revocation": true,
          "access_token_validity": 15,
          "id_token_validity": 15,
          "refresh_token_validity": 720,
          "token_validity_units": {"access_token": "minutes", "id_token": "minutes", "refresh_token": "minutes"},
          "supported_identity_providers": ["COGNITO"]
        })"));
  CHECK(rule_ids(f.app).empty());
}

TEST_CASE("A client's OAuth offers the code grant; its secret is never an output", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  f.stack.add<cognito::UserPoolClient>(
      "Web", {.user_pool = pool,
              .client_name = "web",
              .generate_secret = true,
              .oauth = cognito::OAuth{.callback_urls = {"https://app.example.com/cb", "http://localhost:3000/cb"},
                                      .logout_urls = {"https://app.example.com/"}}});
  const json cfn = test::cfn(f.app);
  const json props = cfn["Resources"]["Web"]["Properties"];
  CHECK(props["GenerateSecret"] == true);
  CHECK(props["AllowedOAuthFlowsUserPoolClient"] == true);
  CHECK(props["AllowedOAuthFlows"] == json{"code"});
  CHECK(props["AllowedOAuthScopes"] == json{"openid", "email"});
  CHECK(props["CallbackURLs"] == json{"https://app.example.com/cb", "http://localhost:3000/cb"});
  CHECK(props["LogoutURLs"] == json{"https://app.example.com/"});
  CHECK(cfn.dump().find("ClientSecret") == std::string::npos);
  const json tf = test::tf(f.app);
  const json client = tf["resource"]["aws_cognito_user_pool_client"]["web"];
  CHECK(client["allowed_oauth_flows_user_pool_client"] == true);
  CHECK(client["allowed_oauth_flows"] == json{"code"});
  CHECK(client["callback_urls"] == json{"https://app.example.com/cb", "http://localhost:3000/cb"});
  CHECK(tf.dump().find("client_secret") == std::string::npos);
  CHECK(rule_ids(f.app).empty());
}

TEST_CASE("The implicit grant is an explicit choice, reported by HIPAA-COGNITO-4", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  f.stack.add<cognito::UserPoolClient>(
      "Spa", {.user_pool = pool,
              .client_name = "spa",
              .oauth = cognito::OAuth{.callback_urls = {"https://app.example.com/"}, .implicit_flow = true}});
  CHECK(test::cfn(f.app)["Resources"]["Spa"]["Properties"]["AllowedOAuthFlows"] == json{"code", "implicit"});
  CHECK(rule_ids(f.app) == std::vector<std::string>{"HIPAA-COGNITO-4 S/Spa: the implicit grant returns tokens in the "
                                                    "URL, where browser history and referrers keep them"});
}

TEST_CASE("A client's name, token lifetimes and OAuth settings are validated", "[cognito]") {
  Fixture f;
  auto& pool = f.stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  f.stack.add<cognito::UserPoolClient>(
      "Web", {.user_pool = pool,
              .client_name = "web/app",
              .access_token_minutes = 2,
              .id_token_minutes = 1441,
              .refresh_token_minutes = 30,
              .oauth = cognito::OAuth{.callback_urls = {"http://app.example.com/", "https://app.example.com/#x",
                                                        "http://localhost.evil.com/"},
                                      .logout_urls = {"ftp://x"},
                                      .scopes = {"email", "patients"}}});
  f.stack.add<cognito::UserPoolClient>("Bare", {.oauth = cognito::OAuth{}});
  CHECK(
      test::problems(f.app) ==
      std::vector<std::string>{
          "HS2003 S/Web: 'client_name' value 'web/app' contains '/'; AWS accepts only A-Z a-z 0-9, whitespace and "
          "_+=,.@-",
          "HS2004 S/Web: 'access_token_minutes' is 2; AWS accepts 5 to 1440",
          "HS2004 S/Web: 'id_token_minutes' is 1441; AWS accepts 5 to 1440",
          "HS2004 S/Web: 'refresh_token_minutes' is 30; AWS accepts 60 to 5256000",
          "HS2004 S/Web: 'oauth.callback_urls' URL 'http://app.example.com/' is not https",
          "HS2004 S/Web: 'oauth.callback_urls' URL 'https://app.example.com/#x' has a fragment, which Cognito rejects",
          "HS2004 S/Web: 'oauth.callback_urls' URL 'http://localhost.evil.com/' is not https",
          "HS2004 S/Web: 'oauth.logout_urls' URL 'ftp://x' is not https",
          "HS2004 S/Web: 'oauth.scopes' has 'patients', which is neither a standard scope nor a resource server's",
          "HS2004 S/Web: 'oauth.scopes' asks for email, phone or profile without openid, which Cognito requires",
          "HS2001 S/Bare: required property 'user_pool' is not set",
          "HS2001 S/Bare: required property 'client_name' is not set",
          "HS2001 S/Bare: 'oauth.callback_urls' needs at least 1 item(s), has 0"});
}

namespace {

// The security findings of a diff between two synthesized templates of the same target.
std::vector<std::string> weakened(const App& before, const App& after, Target target) {
  auto text = [&](const App& app) {
    return synthesize(app, {.target = target, .format = Format::Json, .allow_noncompliant = true})
        .files.front()
        .contents;
  };
  LoadedDocument old_document;
  LoadedDocument new_document;
  REQUIRE(load_document(text(before), "old.json", old_document).empty());
  REQUIRE(load_document(text(after), "new.json", new_document).empty());
  std::vector<std::string> out;
  for (const auto& f : diff(old_document, new_document).security) {
    if (f.weakens) out.push_back(f.category + " | " + f.path + " | " + f.detail);
  }
  return out;
}

}  // namespace

TEST_CASE("diff flags a user pool and client whose safeguards are weakened", "[cognito]") {
  auto build = [](bool weak) {
    auto app = std::make_unique<App>();
    auto& stack = app->add_stack("S");
    auto& pool = stack.add<cognito::UserPool>(
        "Users", {.user_pool_name = "clinicians",
                  .mfa = weak ? cognito::Mfa::Optional : cognito::Mfa::On,
                  .password_policy = {.minimum_length = weak ? 10 : 14},
                  .advanced_security = weak ? cognito::AdvancedSecurity::Audit : cognito::AdvancedSecurity::Enforced,
                  .deletion_protection = !weak});
    stack.add<cognito::UserPoolClient>("Web", {.user_pool = pool, .client_name = "web"});
    return app;
  };
  const auto strong = build(false);
  const auto weak = build(true);
  CHECK(weakened(*strong, *weak, Target::CloudFormation) ==
        std::vector<std::string>{
            "Authorization | Properties.MfaConfiguration | MFA no longer required",
            "Authorization | Properties.Policies.PasswordPolicy.MinimumLength | minimum password length lowered",
            "Authorization | Properties.UserPoolAddOns.AdvancedSecurityMode | threat protection no longer enforced",
            "Deletion protection | Properties.DeletionProtection | deletion protection turned off"});
  CHECK(weakened(*strong, *weak, Target::Terraform) ==
        std::vector<std::string>{
            "Authorization | mfa_configuration | MFA no longer required",
            "Authorization | password_policy.minimum_length | minimum password length lowered",
            "Authorization | user_pool_add_ons.advanced_security_mode | threat protection no longer enforced",
            "Deletion protection | deletion_protection | deletion protection turned off"});
}
