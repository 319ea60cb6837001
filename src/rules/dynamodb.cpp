// DynamoDB rules: tables are backed up, recover to a point in time, are encrypted with a customer
// managed key, resist deletion and scale with demand.
#include "hipaa/aws/dynamodb.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void tables_in_backup_plan(const Inventory& stack, Reporter& report) {
  BackupCoverage coverage(stack);
  each<dynamodb::Table>(stack, [&](const auto& table) {
    if (!coverage.protects(table)) report.flag(table, std::string(kNotInBackupPlan));
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

}  // namespace

const std::vector<Rule>& dynamodb_rules() {
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
  };
  return rules;
}

}  // namespace hipaa::rules::detail
