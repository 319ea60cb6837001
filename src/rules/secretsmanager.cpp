// Secrets Manager rules: secrets are encrypted with a customer managed key and rotate.
#include <string>

#include "hipaa/aws/secretsmanager.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void secret_customer_key(const Inventory& stack, Reporter& report) {
  each<secretsmanager::Secret>(stack, [&](const auto& secret) {
    if (!secret.props().kms_key) report.flag(secret, "encrypted with the AWS managed key, not a customer managed key");
  });
}

// Rotation limits how long a leaked value stays useful. cdk-nag asks for a schedule of any length;
// more than 90 days between rotations is flagged too.
constexpr int kMaxRotationDays = 90;

void secret_rotation(const Inventory& stack, Reporter& report) {
  each<secretsmanager::Secret>(stack, [&](const secretsmanager::Secret& secret) {
    const auto& rotation = secret.props().rotation;
    if (!rotation || !rotation->function) {
      report.flag(secret, "the secret is never rotated");
    } else if (rotation->automatically_after_days > kMaxRotationDays) {
      report.flag(secret, "the secret rotates every " + std::to_string(rotation->automatically_after_days) +
                              " days; at most 90 are allowed");
    }
  });
}

}  // namespace

const std::vector<Rule>& secretsmanager_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-SECRETS-1", Severity::Error, kEncryptionAtRest, "Secrets are encrypted with a customer managed KMS key",
       "set kms_key", secret_customer_key, "SecretsManagerUsingKMSKey"},
      {"HIPAA-SECRETS-2", Severity::Error, kPasswordManagement, "Secrets rotate automatically",
       "set rotation to a rotation Lambda function and a schedule of at most 90 days", secret_rotation,
       "SecretsManagerRotationEnabled"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
