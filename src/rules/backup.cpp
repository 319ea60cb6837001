// Backup and recovery rules: what AWS Backup protects and how it keeps recovery points, and the
// recovery, encryption and deletion safeguards of DynamoDB tables.
#include <algorithm>
#include <typeinfo>

#include "hipaa/aws/backup.hpp"
#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/rds.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

// Whether AWS Backup protects a resource: some backup::Selection of the app, whose plan has at
// least one rule, selects it. The app's selections count, not only the stack's: a selection in a
// central backup stack protects the databases of the stacks it refers to. They are collected on
// the first question, so stacks with nothing to protect pay nothing.
class Coverage {
 public:
  explicit Coverage(const Inventory& stack) : stack_(&stack) {}

  [[nodiscard]] bool protects(const Resource& resource) {
    if (!collected_) collect();
    return std::any_of(selections_.begin(), selections_.end(),
                       [&](const backup::Selection* s) { return s->protects(resource); });
  }

 private:
  void collect() {
    collected_ = true;
    for (const auto* selection : stack_->all_in_app<backup::Selection>()) {
      const auto& plan = selection->props().plan;
      if (plan && !plan->props().rules.empty()) selections_.push_back(selection);
    }
  }

  const Inventory* stack_;
  bool collected_ = false;
  std::vector<const backup::Selection*> selections_;
};

constexpr std::string_view kNotInPlan =
    "no backup::Selection whose plan has a rule selects it, so AWS Backup takes no backups of it";

void databases_in_backup_plan(const Inventory& stack, Reporter& report) {
  Coverage coverage(stack);
  each<rds::DatabaseCluster>(stack, [&](const auto& db) {
    if (!coverage.protects(db)) report.flag(db, std::string(kNotInPlan));
  });
  each<rds::DatabaseInstance>(stack, [&](const auto& db) {
    if (!coverage.protects(db)) report.flag(db, std::string(kNotInPlan));
  });
}

void tables_in_backup_plan(const Inventory& stack, Reporter& report) {
  Coverage coverage(stack);
  each<dynamodb::Table>(stack, [&](const auto& table) {
    if (!coverage.protects(table)) report.flag(table, std::string(kNotInPlan));
  });
}

void table_point_in_time_recovery(const Inventory& stack, Reporter& report) {
  each<dynamodb::Table>(stack, [&](const dynamodb::Table& table) {
    if (!table.props().point_in_time_recovery) {
      report.flag(table, "point-in-time recovery is off");
    } else {
      flag_override(
          table,
          {"PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", "point_in_time_recovery.enabled", false},
          report);
    }
  });
}

void table_customer_key(const Inventory& stack, Reporter& report) {
  each<dynamodb::Table>(stack, [&](const dynamodb::Table& table) {
    if (table.props().encryption == dynamodb::Encryption::AwsOwnedKey) {
      report.flag(table, "encrypted with a key DynamoDB owns, not a customer managed key");
    } else if (!table.props().kms_key) {
      report.flag(table, "no customer managed key is set");
    }
  });
}

void table_deletion_protection(const Inventory& stack, Reporter& report) {
  each<dynamodb::Table>(stack, [&](const dynamodb::Table& table) {
    if (!table.props().deletion_protection) report.flag(table, "deletion protection is off");
  });
}

// hipaa-synth models no Application Auto Scaling targets, so a provisioned table never scales.
void table_capacity_scales(const Inventory& stack, Reporter& report) {
  each<dynamodb::Table>(stack, [&](const dynamodb::Table& table) {
    if (table.props().billing_mode == dynamodb::BillingMode::Provisioned) {
      report.flag(table, "provisioned capacity without auto scaling: requests beyond it are throttled");
    }
  });
}

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

// Aurora is backed up at the cluster (AWS Backup does not back up its instances); cdk-nag's
// RDSInBackupPlan asks for the instances too, which the healthcare stack suppresses with a reason.
const std::vector<Rule>& database_backup_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-RDS-10", Severity::Error, kDataBackupPlan, "Databases are in an AWS Backup plan",
       "select the cluster or instance in a backup::Selection whose plan has a rule", databases_in_backup_plan,
       "RDSInBackupPlan"},
  };
  return rules;
}

const std::vector<Rule>& backup_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-DYNAMODB-1", Severity::Error, kDataBackupPlan, "DynamoDB tables are in an AWS Backup plan",
       "select the table in a backup::Selection whose plan has a rule", tables_in_backup_plan, "DynamoDBInBackupPlan"},
      {"HIPAA-DYNAMODB-2", Severity::Error, kDataBackupPlan, "DynamoDB tables have point-in-time recovery",
       "set point_in_time_recovery", table_point_in_time_recovery, "DynamoDBPITREnabled"},
      {"HIPAA-DYNAMODB-3", Severity::Error, kEncryptionAtRest,
       "DynamoDB tables are encrypted with a customer managed KMS key",
       "set encryption to CustomerManagedKey and kms_key", table_customer_key},
      {"HIPAA-DYNAMODB-4", Severity::Error, kContingencyPlan, "DynamoDB tables have deletion protection",
       "set deletion_protection", table_deletion_protection},
      {"HIPAA-DYNAMODB-5", Severity::Error, kContingencyPlan, "DynamoDB tables scale with demand (on-demand capacity)",
       "use billing_mode OnDemand, or suppress with the reason where auto scaling is managed elsewhere",
       table_capacity_scales, "DynamoDBAutoScalingEnabled"},
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
