// Cognito rules: user pools require MFA, strong passwords and threat protection; clients keep
// tokens out of URLs. (cdk-nag's AwsSolutions pack has the analogues COG1, COG2 and COG8; its
// HIPAA pack has no Cognito rule.)
#include "hipaa/aws/cognito.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

constexpr int kMinimumPasswordLength = 14;

void pool_mfa(const Inventory& stack, Reporter& report) {
  each<cognito::UserPool>(stack, [&](const cognito::UserPool& pool) {
    if (pool.props().mfa == cognito::Mfa::Off) {
      report.flag(pool, "MFA is off");
    } else if (pool.props().mfa == cognito::Mfa::Optional) {
      report.flag(pool, "MFA is optional: users without a second factor sign in with a password alone");
    }
  });
}

void pool_password_policy(const Inventory& stack, Reporter& report) {
  each<cognito::UserPool>(stack, [&](const cognito::UserPool& pool) {
    const auto& pw = pool.props().password_policy;
    std::string missing;
    auto need = [&](bool required, std::string_view what) {
      if (!required) missing += (missing.empty() ? "" : ", ") + std::string(what);
    };
    need(pw.require_lowercase, "lowercase letters");
    need(pw.require_uppercase, "uppercase letters");
    need(pw.require_numbers, "numbers");
    need(pw.require_symbols, "symbols");
    if (pw.minimum_length < kMinimumPasswordLength) {
      report.flag(pool, "passwords need only " + std::to_string(pw.minimum_length) + " characters; at least " +
                            std::to_string(kMinimumPasswordLength) + " are required");
    }
    if (!missing.empty()) report.flag(pool, "passwords need not contain " + missing);
  });
}

void pool_threat_protection(const Inventory& stack, Reporter& report) {
  each<cognito::UserPool>(stack, [&](const cognito::UserPool& pool) {
    switch (pool.props().advanced_security) {
      case cognito::AdvancedSecurity::Enforced: break;
      case cognito::AdvancedSecurity::Audit:
        report.flag(pool, "threat protection only audits: risky sign-ins are not blocked or challenged");
        break;
      case cognito::AdvancedSecurity::Off: report.flag(pool, "threat protection is off"); break;
    }
  });
}

void client_no_implicit_flow(const Inventory& stack, Reporter& report) {
  each<cognito::UserPoolClient>(stack, [&](const cognito::UserPoolClient& client) {
    if (client.props().oauth && client.props().oauth->implicit_flow) {
      report.flag(client,
                  "the implicit grant returns tokens in the URL, where browser history and referrers keep them");
    }
  });
}

}  // namespace

const std::vector<Rule>& cognito_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-COGNITO-1", Severity::Error, kAuthentication, "Cognito user pools require MFA", "set mfa to Mfa::On",
       pool_mfa},
      {"HIPAA-COGNITO-2", Severity::Error, kPasswordManagement,
       "Cognito user pools require passwords of 14 or more characters with lowercase, uppercase, numbers and symbols",
       "raise password_policy.minimum_length to 14 or more and require every character class", pool_password_policy},
      {"HIPAA-COGNITO-3", Severity::Error, kLoginMonitoring,
       "Cognito user pools enforce threat protection (compromised credentials, risky sign-ins)",
       "set advanced_security to AdvancedSecurity::Enforced (on the Plus feature plan)", pool_threat_protection},
      {"HIPAA-COGNITO-4", Severity::Error, kAccessControl, "Cognito app clients do not use the OAuth implicit grant",
       "use the authorization code grant (with PKCE in public clients): set oauth.implicit_flow to false",
       client_no_implicit_flow},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
