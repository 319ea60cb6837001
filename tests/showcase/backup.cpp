#include "hipaa/aws/backup.hpp"
#include "hipaa/aws/dynamodb.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

void add_dynamodb_and_backup(Stack& stack) {
  Construct& tables = stack.add_group("DynamoDb");
  auto& table_key = tables.add<kms::Key>("Key", {.description = "Showcase table key"});
  auto& table = tables.add<dynamodb::Table>("Table", {.table_name = "showcase-visits",
                                                      .partition_key = {"patient_id"},
                                                      .sort_key = {{"visit_at", dynamodb::AttributeType::Number}},
                                                      .kms_key = table_key,
                                                      .ttl_attribute = "expires_at",
                                                      .stream = dynamodb::StreamViewType::NewAndOldImages,
                                                      .tags = {{"DataClass", "phi"}}});

  Construct& group = stack.add_group("Backup");
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase backup key"});
  auto& vault = group.add<backup::Vault>(
      "Vault",
      {.vault_name = "showcase-phi",
       .kms_key = key,
       .lock = backup::VaultLock{.min_retention_days = 35, .max_retention_days = 3650, .changeable_for_days = 3},
       .access_policy_statements = {iam::deny({"backup:CopyFromBackupVault"})
                                        .id("DenyCopiesToOtherAccounts")
                                        .principal(iam::anyone())
                                        .on("*")
                                        .when({"StringNotEquals", "aws:PrincipalAccount", {account_id()}})},
       .notifications =
           backup::VaultNotifications{.sns_topic_arn = interpolate({"arn:", partition(), ":sns:", region(), ":",
                                                                    account_id(), ":showcase-backup-events"})},
       .tags = {{"DataClass", "phi"}}});
  auto& copies = group.add<backup::Vault>("CopyVault", {.vault_name = "showcase-phi-copies", .kms_key = key});
  auto& plan = group.add<backup::Plan>(
      "Plan", {.plan_name = "showcase-phi",
               .rules = {{.rule_name = "Daily",
                          .vault = vault,
                          .copy_actions = {{.vault = copies, .lifecycle = {.delete_after_days = 90}},
                                           {.vault_arn = interpolate({"arn:", partition(), ":backup:us-west-2:",
                                                                      account_id(), ":backup-vault:showcase-phi-dr"})}},
                          .enable_continuous_backup = true},
                         {.rule_name = "Monthly",
                          .vault = vault,
                          .schedule = "cron(0 5 1 * ? *)",
                          .lifecycle = {.delete_after_days = 2555, .move_to_cold_storage_after_days = 90}}},
               .tags = {{"DataClass", "phi"}}});
  group.add<backup::Selection>("Selection",
                               {.selection_name = "showcase-phi",
                                .plan = plan,
                                .tables = {table},
                                .resource_arns = {interpolate({"arn:", partition(), ":s3:::showcase-records"})}});

  // A selection with a role of the user's own, of resources given by ARN.
  auto& role = group.add<iam::Role>(
      "Role", {.assume_role_policy = iam::assumed_by("backup.amazonaws.com"),
               .managed_policy_arns = {iam::aws_managed("service-role/AWSBackupServiceRolePolicyForBackup"),
                                       iam::aws_managed("service-role/AWSBackupServiceRolePolicyForRestores")}});
  group.add<backup::Selection>(
      "FileSystemSelection", {.selection_name = "showcase-file-systems",
                              .plan = plan,
                              .role = role,
                              .resource_arns = {interpolate({"arn:", partition(), ":elasticfilesystem:", region(), ":",
                                                             account_id(), ":file-system/fs-0123456789abcdef0"})}});
}

}  // namespace hipaa::showcase
