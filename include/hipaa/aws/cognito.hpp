// hipaa/aws/cognito.hpp: Cognito user pools (the directory of an application's users, signing in
// with their email address, MFA required, threat protection enforced) and their app clients.
//
//   auto& pool = stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
//   auto& web = stack.add<cognito::UserPoolClient>("Web", {.user_pool = pool, .client_name = "web"});
//   Value issuer = pool.issuer();  // for JWT authorizers; web.client_id() is their audience
//
// SMS is not modelled: MFA is by authenticator app (software token) only, and account recovery is
// by verified email. SMS needs an IAM role for Cognito to publish with and an origination
// identity, and SMS codes are the weakest second factor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hipaa/lowering.hpp"
#include "hipaa/node.hpp"

namespace hipaa::cognito {

enum class Mfa {
  Off,       // "OFF"
  Optional,  // "OPTIONAL": each user chooses; users without a second factor sign in with a password alone
  On,        // "ON": every user sets up an authenticator app at first sign-in
};

// Threat protection (formerly "advanced security"): detection of compromised credentials and
// risk-based adaptive authentication. AUDIT only logs; ENFORCED acts (blocks, or asks for MFA).
enum class AdvancedSecurity { Off, Audit, Enforced };

// The user pool's feature plan (UserPoolTier). Threat protection needs PLUS, which is billed per
// monthly active user; ESSENTIALS is AWS's default for new pools.
enum class FeaturePlan { Lite, Essentials, Plus };

struct PasswordPolicy {
  int minimum_length = 14;  // 6-99; NIST SP 800-63B and most HIPAA programs ask for long passwords
  bool require_lowercase = true;
  bool require_uppercase = true;
  bool require_numbers = true;
  bool require_symbols = true;
  // 1-365. A temporary password is a credential sent by email with the invitation: the shorter it
  // lives, the less an intercepted invitation is worth; 3 days covers a weekend.
  int temporary_password_validity_days = 3;
};

struct UserPoolProps {
  Value user_pool_name;  // 1-128 characters from A-Z a-z 0-9, whitespace and _+=,.@-
  Mfa mfa = Mfa::On;
  PasswordPolicy password_policy;
  AdvancedSecurity advanced_security = AdvancedSecurity::Enforced;
  FeaturePlan feature_plan = FeaturePlan::Plus;  // PLUS is what threat protection needs
  bool deletion_protection = true;
  // Only administrators create users (no self sign-up): a directory of people allowed to see PHI
  // is not open to whoever finds the sign-up page.
  bool admin_create_user_only = true;
  Tags tags;
};

// Users sign in with their email address, which Cognito verifies and which recovers the account;
// a changed email address takes effect only once verified; user names are case-insensitive. A
// user pool holds its users: it is retained when removed from the stack unless its removal
// policy is set to Delete (RemovalPolicy::Snapshot is not available for user pools).
class UserPool final : public Node<UserPool, UserPoolProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "cognito::UserPool",
      .summary = "A Cognito user pool: email sign-in, MFA, a strong password policy, threat protection (Plus plan)",
      .tagging = Tagging::Map,
      .holds_data = true,
      .types = {cloudformation_type("AWS::Cognito::UserPool"),
                terraform_type("aws_cognito_user_pool", "alias_attributes name username_attributes")}};
  [[nodiscard]] Value user_pool_id() const { return attribute({"", "id"}); }
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  // cognito-idp.<region>.amazonaws.com/<pool id> (no scheme)
  [[nodiscard]] Value provider_url() const { return attribute({"ProviderURL", "endpoint"}); }
  // https://cognito-idp.<region>.<url suffix>/<pool id>: the issuer ("iss") of the pool's tokens,
  // what a JWT authorizer is configured with.
  [[nodiscard]] Value issuer() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// The hosted UI's OAuth 2.0 settings of a client. Only the authorization code grant is offered by
// default: the implicit grant returns tokens in the URL fragment (browser history, referrers).
struct OAuth {
  std::vector<std::string> callback_urls;  // https://..., or http://localhost for development; at least one
  std::vector<std::string> logout_urls;
  std::vector<std::string> scopes = {"openid", "email"};
  bool implicit_flow = false;  // also allow the implicit grant: flagged by HIPAA-COGNITO-4
};

struct UserPoolClientProps {
  Ref<UserPool> user_pool;
  Value client_name;  // 1-128 characters from A-Z a-z 0-9, whitespace and _+=,.@-
  // A confidential (server-side) client gets a secret. Public clients (single-page and mobile
  // apps) cannot keep one, so the default is none. The secret is never an output of hipaa-synth;
  // Terraform keeps it in its state, as it keeps every computed attribute.
  bool generate_secret = false;
  // Token lifetimes in minutes: access and ID tokens 5-1440, refresh tokens 60-5256000 (10 years).
  // Short by default: a stolen token is worth little for long, and a session ends after a shift.
  int access_token_minutes = 15;
  int id_token_minutes = 15;
  int refresh_token_minutes = 720;
  std::optional<OAuth> oauth;
};

// An app client of a user pool. Sign-in is by SRP (the password never leaves the client) and
// refresh tokens only; failed sign-ins do not reveal whether a user exists; refresh tokens can be
// revoked; the identity provider is the user pool itself.
class UserPoolClient final : public Node<UserPoolClient, UserPoolClientProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "cognito::UserPoolClient",
      .summary = "An app client of a user pool: SRP sign-in, short-lived revocable tokens, code-flow OAuth",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::Cognito::UserPoolClient", "GenerateSecret UserPoolId"),
                terraform_type("aws_cognito_user_pool_client", "generate_secret user_pool_id")}};
  [[nodiscard]] Value client_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::cognito
