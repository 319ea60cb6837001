// hipaa/aws/backup.hpp: AWS Backup: vaults encrypted with your KMS key, plans that say when
// backups are taken and how long they are kept, and selections that say what a plan protects.
//
//   auto& vault = stack.add<backup::Vault>("Vault", {.vault_name = "phi", .kms_key = key});
//   auto& plan = stack.add<backup::Plan>("Plan", {.plan_name = "phi-daily", .rules = {{.vault = vault}}});
//   stack.add<backup::Selection>("Selection", {.selection_name = "phi", .plan = plan, .tables = {table}});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/s3.hpp"

namespace hipaa::backup {

// A vault lock: AWS Backup refuses to delete a recovery point before `min_retention_days`, and
// backup and copy jobs whose retention lies outside [min, max] fail.
struct VaultLock {
  int min_retention_days = 35;            // 1-36500
  std::optional<int> max_retention_days;  // above min_retention_days, up to 36500
  // Unset: governance mode; the lock can be changed or removed with the right IAM permissions.
  // Set: compliance mode; after this many days (at least 3) nobody, not even the account root,
  // can change or remove the lock or shorten retention. Deliberately an explicit choice.
  std::optional<int> changeable_for_days;
};

// The vault events AWS Backup still sends notifications for (the API's other values are
// deprecated and send nothing).
enum class VaultEvent {
  BackupJobStarted,
  BackupJobCompleted,  // with the job's state, failed jobs included
  CopyJobStarted,
  CopyJobSuccessful,
  CopyJobFailed,
  RestoreJobStarted,
  RestoreJobCompleted,
  RecoveryPointModified,
  S3BackupObjectFailed,
  S3RestoreObjectFailed,
};

struct VaultNotifications {
  // The topic's policy must let backup.amazonaws.com publish (and its key, if any, be usable by
  // it). A Value rather than a typed reference: any topic's ARN.
  Value sns_topic_arn;
  std::vector<VaultEvent> events = {VaultEvent::BackupJobCompleted, VaultEvent::CopyJobFailed,
                                    VaultEvent::RestoreJobCompleted, VaultEvent::RecoveryPointModified};
};

// Who holds the key that encrypts a vault's recovery points.
enum class VaultEncryption {
  CustomerManagedKey,  // `kms_key` (required): a key policy you control, key use in CloudTrail
  AwsManagedKey,       // an explicit opt-out: AWS Backup's aws/backup key (no cross-account copies)
};

struct VaultProps {
  Value vault_name;  // required: 2-50 characters from A-Z a-z 0-9 -_
  VaultEncryption encryption = VaultEncryption::CustomerManagedKey;
  Ref<kms::Key> kms_key;
  std::optional<VaultLock> lock;
  // A Deny statement for every principal on backup:DeleteRecoveryPoint and
  // backup:UpdateRecoveryPointLifecycle: recovery points expire only by their lifecycle. An
  // administrator can still remove the access policy; a vault lock is the immutable control.
  bool block_recovery_point_deletion = true;
  // Further statements of the vault's access policy, after the deny statement.
  std::vector<iam::Statement> access_policy_statements;
  std::optional<VaultNotifications> notifications;
  Tags tags;
};

class Vault final : public Node<Vault, VaultProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "backup::Vault",
      .summary =
          "An AWS Backup vault encrypted with a customer managed key, with an optional vault lock, access "
          "policy and notifications (their own resources in Terraform; kept when removed from the stack)",
      .tagging = Tagging::Map,
      .holds_data = true,
      .types = {
          cloudformation_type("AWS::Backup::BackupVault", "BackupVaultName EncryptionKeyArn"),
          terraform_type("aws_backup_vault", "kms_key_arn name"),
          terraform_type("aws_backup_vault_lock_configuration",
                         "backup_vault_name changeable_for_days max_retention_days min_retention_days"),
          terraform_type("aws_backup_vault_policy", "backup_vault_name"),
          terraform_type("aws_backup_vault_notifications", "backup_vault_events backup_vault_name sns_topic_arn")}};
  [[nodiscard]] Value vault_name() const { return attribute({"", "name"}); }
  [[nodiscard]] Value arn() const { return attribute({"BackupVaultArn", "arn"}); }
  // The vault's access policy: the deny statement (unless turned off), then the given statements.
  [[nodiscard]] iam::PolicyDocument access_policy() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// When recovery points move to cold storage and when they are deleted.
struct Lifecycle {
  std::optional<int> delete_after_days = 35;  // unset: kept until deleted by hand
  // Kept in cold storage at least 90 days, so delete_after_days must be at least this + 90. Only
  // some resource types support it (not RDS or Aurora); AWS Backup ignores it for the others.
  std::optional<int> move_to_cold_storage_after_days;
};

// A copy of each recovery point into another vault: a vault of this app, or any vault's ARN
// (another region or account). Copies of DynamoDB backups need AWS Backup's advanced DynamoDB
// features turned on in the account.
struct CopyAction {
  Ref<Vault> vault;
  Value vault_arn;      // instead of `vault`
  Lifecycle lifecycle;  // the copies' own lifecycle
};

struct PlanRule {
  std::string rule_name = "Daily";  // 1-50 characters from A-Z a-z 0-9 _.-, unique in the plan
  Ref<Vault> vault;                 // required: where the recovery points go
  // A cron expression in UTC, at most hourly: cron(minutes hours day-of-month month
  // day-of-week year). Default: every day at 05:00.
  std::string schedule = "cron(0 5 ? * * *)";
  int start_window_minutes = 480;         // at least 60: a job that has not started by then is canceled
  int completion_window_minutes = 10080;  // at least start_window_minutes + 60
  Lifecycle lifecycle;
  std::vector<CopyAction> copy_actions;
  // Continuous backups for point-in-time restore (RDS, Aurora, S3): kept 1 to 35 days, never in
  // cold storage.
  bool enable_continuous_backup = false;
};

struct PlanProps {
  Value plan_name;  // required: 1-50 characters from A-Z a-z 0-9 _.-
  // At least one rule. PlanRule's defaults are a daily backup kept 35 days.
  std::vector<PlanRule> rules;
  Tags tags;
};

class Plan final : public Node<Plan, PlanProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "backup::Plan",
      .summary =
          "An AWS Backup plan: when backups are taken, where they go, how long "
          "they are kept and where they are copied",
      .tagging = Tagging::Map,
      .types = {cloudformation_type("AWS::Backup::BackupPlan"), terraform_type("aws_backup_plan", "name")}};
  [[nodiscard]] Value plan_id() const { return attribute({"", "id"}); }
  [[nodiscard]] Value arn() const { return attribute({"BackupPlanArn", "arn"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct SelectionProps {
  Value selection_name;  // required: 1-50 characters from A-Z a-z 0-9 _.-
  Ref<Plan> plan;        // required
  // The role AWS Backup uses. Unset: the selection creates one, trusted by backup.amazonaws.com,
  // with the AWS managed backup and restore policies (and the S3 ones when it selects buckets).
  Ref<iam::Role> role;
  // What the plan protects: at least one resource in all.
  Refs<rds::DatabaseCluster> database_clusters;
  Refs<rds::DatabaseInstance> database_instances;
  Refs<dynamodb::Table> tables;
  Refs<s3::Bucket> buckets;          // must be versioned; the created role gets the S3 policies
  std::vector<Value> resource_arns;  // anything else, by ARN
};

class Selection final : public Node<Selection, SelectionProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "backup::Selection",
      .summary =
          "The resources an AWS Backup plan protects, with the IAM role AWS Backup uses (created when not given)",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::Backup::BackupSelection", "BackupPlanId BackupSelection"),
                cloudformation_type("AWS::IAM::Role", "Path RoleName"),
                terraform_type("aws_backup_selection",
                               "condition iam_role_arn name not_resources plan_id resources selection_tag"),
                terraform_type("aws_iam_role", "name name_prefix path"),
                terraform_type("aws_iam_role_policy_attachment", "policy_arn role")}};
  // The resources of this app the selection protects: those of its typed lists, and those whose
  // attributes `resource_arns` refers to.
  [[nodiscard]] std::vector<const Resource*> protected_resources() const;
  [[nodiscard]] bool protects(const Resource& resource) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::backup
