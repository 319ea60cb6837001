// AWS Backup rules: vaults are encrypted with a customer managed key and plans keep recovery
// points long enough. Whether a resource is in a plan is asked by its own service's rules
// (BackupCoverage, rule_support.hpp).
#include <string>

#include "hipaa/aws/backup.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void vault_customer_key(const Inventory& stack, Reporter& report) {
  each<backup::Vault>(stack, [&](const backup::Vault& vault) {
    if (vault.props().encryption == backup::VaultEncryption::AwsManagedKey) {
      report.flag(vault,
                  "recovery points are encrypted with the AWS managed key aws/backup, not a customer managed key");
    } else if (!vault.props().kms_key) {
      report.flag(vault, "no customer managed key is set");
    }
  });
}

constexpr int kMinRetentionDays = 35;

void backup_retention(const Inventory& stack, Reporter& report) {
  each<backup::Plan>(stack, [&](const backup::Plan& plan) {
    for (const auto& rule : plan.props().rules) {
      const auto& kept = rule.lifecycle.delete_after_days;
      if (kept && *kept < kMinRetentionDays) {
        report.flag(plan, "rule '" + rule.rule_name + "' keeps recovery points " + std::to_string(*kept) +
                              " day(s); at least 35 are required");
      }
    }
  });
}

}  // namespace

const std::vector<Rule>& backup_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-BACKUP-1", Severity::Error, kEncryptionAtRest,
       "Backup vaults are encrypted with a customer managed KMS key",
       "set encryption to CustomerManagedKey and kms_key", vault_customer_key},
      {"HIPAA-BACKUP-2", Severity::Error, kDataBackupPlan, "Backup rules keep recovery points at least 35 days",
       "set lifecycle.delete_after_days to 35 or more (or leave it unset to keep them until deleted)",
       backup_retention},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
