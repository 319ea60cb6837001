// AWS Backup: vaults, plans and selections in both targets, the checks of validate(), the rules
// over what AWS Backup protects and how long, and the diff's safeguards for backups and tables.
#include <catch2/catch.hpp>

#include "hipaa/aws/backup.hpp"
#include "hipaa/diff.hpp"
#include "hipaa/rules.hpp"
#include "rules/rule_support.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});

  backup::Vault& vault(std::string id = "Vault", backup::VaultProps props = {}) {
    if (props.vault_name.is_null()) props.vault_name = "phi-" + id;
    if (!props.kms_key && props.encryption == backup::VaultEncryption::CustomerManagedKey) props.kms_key = key;
    return stack.add<backup::Vault>(std::move(id), std::move(props));
  }
  backup::Plan& plan(backup::Vault& target, std::string id = "Plan") {
    return stack.add<backup::Plan>(std::move(id), {.plan_name = "phi", .rules = {{.vault = target}}});
  }
  dynamodb::Table& table(std::string id = "Table") {
    Value name = "t-" + id;
    return stack.add<dynamodb::Table>(std::move(id), {.table_name = name, .partition_key = {"id"}, .kms_key = key});
  }
  json cfn() const { return test::cfn(app)["Resources"]; }
  json tf() const { return test::tf(app); }
};

// The network, subnet group and security group a database needs to pass validation.
struct Databases : Fixture {
  ec2::Vpc& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  ec2::Subnet& a = stack.add<ec2::Subnet>("A", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
  ec2::Subnet& b = stack.add<ec2::Subnet>("B", {.vpc = vpc, .cidr_block = "10.0.2.0/24"});
  rds::SubnetGroup& subnets = stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {a, b}});
  ec2::SecurityGroup& sg = stack.add<ec2::SecurityGroup>("Sg", {.vpc = vpc, .description = "sg"});
  rds::DatabaseSettings settings() const {
    return {.engine_version = "16.6", .subnet_group = subnets, .security_groups = {sg}, .kms_key = key};
  }
};

std::vector<std::string> findings(const App& app, std::string_view rule) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id == rule) out.push_back(f.path + ": " + f.message);
  }
  return out;
}

// Findings of a rule that is not (yet) registered, run over every stack like rules::check.
std::vector<std::string> findings_of(const rules::Rule& rule, const App& app) {
  std::vector<rules::Finding> found;
  for (const Stack* stack : app.stacks()) {
    rules::Reporter reporter(std::make_shared<const rules::Rule>(rule), found);
    rule.check(rules::Inventory(*stack), reporter);
  }
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(f.path + ": " + f.message);
  return out;
}

}  // namespace

// ---- Vault ---------------------------------------------------------------------------------

TEST_CASE("A vault is encrypted with the given key, denies deleting recovery points and is kept by default",
          "[backup]") {
  Fixture f;
  f.vault();
  const json deny = {{"Sid", "DenyRecoveryPointDeletion"},
                     {"Effect", "Deny"},
                     {"Principal", "*"},
                     {"Action", {"backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"}},
                     {"Resource", "*"}};
  CHECK(f.cfn()["Vault"] == json{{"Type", "AWS::Backup::BackupVault"},
                                 {"DeletionPolicy", "Retain"},
                                 {"UpdateReplacePolicy", "Retain"},
                                 {"Properties",
                                  {{"BackupVaultName", "phi-Vault"},
                                   {"EncryptionKeyArn", {{"Fn::GetAtt", {"Key", "Arn"}}}},
                                   {"AccessPolicy", {{"Version", "2012-10-17"}, {"Statement", {deny}}}}}}});
  const json tf = f.tf();
  CHECK(tf["resource"]["aws_backup_vault"]["vault"] == json{{"name", "phi-Vault"},
                                                            {"kms_key_arn", "${aws_kms_key.key.arn}"},
                                                            {"lifecycle", {{"prevent_destroy", true}}}});
  CHECK(tf["resource"]["aws_backup_vault_policy"]["vault_policy"] ==
        json{{"backup_vault_name", "${aws_backup_vault.vault.name}"},
             {"policy", "${data.aws_iam_policy_document.vault_access_policy.json}"}});
  CHECK(tf["data"]["aws_iam_policy_document"]["vault_access_policy"] ==
        json{{"statement",
              {{{"sid", "DenyRecoveryPointDeletion"},
                {"effect", "Deny"},
                {"actions", {"backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"}},
                {"resources", {"*"}},
                {"principals", {{{"type", "*"}, {"identifiers", {"*"}}}}}}}}});
  CHECK_FALSE(tf["resource"].contains("aws_backup_vault_lock_configuration"));
  CHECK_FALSE(tf["resource"].contains("aws_backup_vault_notifications"));
}

TEST_CASE("A vault lock and notifications are vault properties in CloudFormation and resources in Terraform",
          "[backup]") {
  Fixture f;
  f.vault("Vault",
          {.lock = backup::VaultLock{.min_retention_days = 35, .max_retention_days = 365, .changeable_for_days = 3},
           .notifications = backup::VaultNotifications{.sns_topic_arn = "arn:aws:sns:us-east-1:111122223333:backup"}});
  const json cfn = f.cfn()["Vault"]["Properties"];
  CHECK(cfn["LockConfiguration"] ==
        json{{"MinRetentionDays", 35}, {"MaxRetentionDays", 365}, {"ChangeableForDays", 3}});
  CHECK(cfn["Notifications"] ==
        json{{"SNSTopicArn", "arn:aws:sns:us-east-1:111122223333:backup"},
             {"BackupVaultEvents",
              {"BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED"}}});
  const json tf = f.tf()["resource"];
  CHECK(tf["aws_backup_vault_lock_configuration"]["vault_lock"] ==
        json{{"backup_vault_name", "${aws_backup_vault.vault.name}"},
             {"min_retention_days", 35},
             {"max_retention_days", 365},
             {"changeable_for_days", 3}});
  CHECK(tf["aws_backup_vault_notifications"]["vault_notifications"] ==
        json{{"backup_vault_name", "${aws_backup_vault.vault.name}"},
             {"sns_topic_arn", "arn:aws:sns:us-east-1:111122223333:backup"},
             {"backup_vault_events",
              {"BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED"}}});
}

TEST_CASE("A governance-mode lock leaves out the cooling-off period, and every event is spelled as AWS Backup does",
          "[backup]") {
  Fixture f;
  using E = backup::VaultEvent;
  f.vault("Vault", {.lock = backup::VaultLock{},
                    .notifications = backup::VaultNotifications{
                        .sns_topic_arn = "arn:aws:sns:us-east-1:111122223333:backup",
                        .events = {E::BackupJobStarted, E::BackupJobCompleted, E::CopyJobStarted, E::CopyJobSuccessful,
                                   E::CopyJobFailed, E::RestoreJobStarted, E::RestoreJobCompleted,
                                   E::RecoveryPointModified, E::S3BackupObjectFailed, E::S3RestoreObjectFailed}}});
  const json cfn = f.cfn()["Vault"]["Properties"];
  CHECK(cfn["LockConfiguration"] == json{{"MinRetentionDays", 35}});
  CHECK(cfn["Notifications"]["BackupVaultEvents"] ==
        json{"BACKUP_JOB_STARTED", "BACKUP_JOB_COMPLETED", "COPY_JOB_STARTED", "COPY_JOB_SUCCESSFUL", "COPY_JOB_FAILED",
             "RESTORE_JOB_STARTED", "RESTORE_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED", "S3_BACKUP_OBJECT_FAILED",
             "S3_RESTORE_OBJECT_FAILED"});
}

TEST_CASE("A vault's access policy is the deny statement, then the given statements, or nothing", "[backup]") {
  Fixture f;
  auto& vault = f.vault(
      "Vault", {.access_policy_statements = {
                    iam::deny({"backup:DeleteBackupVault"}).id("KeepTheVault").principal(iam::anyone()).on("*")}});
  REQUIRE(vault.access_policy().statements.size() == 2);
  CHECK(vault.access_policy().statements[1].sid == "KeepTheVault");
  f.vault("Open", {.block_recovery_point_deletion = false});
  const json cfn = f.cfn();
  CHECK(cfn["Vault"]["Properties"]["AccessPolicy"]["Statement"][1] == json{{"Sid", "KeepTheVault"},
                                                                           {"Effect", "Deny"},
                                                                           {"Principal", "*"},
                                                                           {"Action", "backup:DeleteBackupVault"},
                                                                           {"Resource", "*"}});
  CHECK_FALSE(cfn["Open"]["Properties"].contains("AccessPolicy"));
  const json tf = f.tf();
  CHECK(tf["resource"]["aws_backup_vault_policy"].size() == 1);
  CHECK_FALSE(tf["data"]["aws_iam_policy_document"].contains("open_access_policy"));
}

TEST_CASE("Vault tags are the map BackupVaultTags in CloudFormation, stack tags merged in", "[backup]") {
  App app;
  auto& stack = app.add_stack("S", {.tags = {{"Team", "care"}}});
  auto& key = stack.add<kms::Key>("Key", {.description = "k"});
  stack.add<backup::Vault>("Vault", {.vault_name = "v1", .kms_key = key, .tags = {{"DataClass", "phi"}}});
  const json cfn = test::cfn(app)["Resources"]["Vault"]["Properties"];
  CHECK(cfn["BackupVaultTags"] == json{{"DataClass", "phi"}, {"Team", "care"}});
  CHECK_FALSE(cfn.contains("Tags"));
  CHECK(test::tf(app)["resource"]["aws_backup_vault"]["vault"]["tags"] == json{{"DataClass", "phi"}});
}

TEST_CASE("The AWS managed key is an explicit choice that leaves out EncryptionKeyArn", "[backup]") {
  Fixture f;
  f.vault("Vault", {.encryption = backup::VaultEncryption::AwsManagedKey});
  CHECK_FALSE(f.cfn()["Vault"]["Properties"].contains("EncryptionKeyArn"));
  CHECK_FALSE(f.tf()["resource"]["aws_backup_vault"]["vault"].contains("kms_key_arn"));
}

TEST_CASE("A vault's accessors name its name and ARN in each target", "[backup]") {
  Fixture f;
  auto& vault = f.vault();
  f.stack.add_output({.name = "VaultName", .value = vault.vault_name()});
  f.stack.add_output({.name = "VaultArn", .value = vault.arn()});
  const json cfn = test::cfn(f.app)["Outputs"];
  CHECK(cfn["VaultName"]["Value"] == json{{"Ref", "Vault"}});
  CHECK(cfn["VaultArn"]["Value"] == json{{"Fn::GetAtt", {"Vault", "BackupVaultArn"}}});
  const json tf = f.tf()["output"];
  CHECK(tf["vault_name"]["value"] == "${aws_backup_vault.vault.name}");
  CHECK(tf["vault_arn"]["value"] == "${aws_backup_vault.vault.arn}");
}

TEST_CASE("A vault's name, key, lock, notifications and removal policy are checked", "[backup]") {
  Fixture f;
  f.stack.add<backup::Vault>("Unnamed", {});
  f.vault("Bad",
          {.vault_name = "phi vault",
           .lock = backup::VaultLock{.min_retention_days = 0, .max_retention_days = 40000, .changeable_for_days = 2},
           .notifications = backup::VaultNotifications{.sns_topic_arn = "backup-events", .events = {}}});
  f.vault("Short", {.vault_name = "p",
                    .encryption = backup::VaultEncryption::AwsManagedKey,
                    .kms_key = f.key,
                    .lock = backup::VaultLock{.min_retention_days = 35, .max_retention_days = 35},
                    .notifications = backup::VaultNotifications{}})
      .set_removal_policy(RemovalPolicy::Snapshot);
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2001 S/Unnamed: required property 'vault_name' is not set",
            "HS2001 S/Unnamed: required property 'kms_key' is not set",
            "HS2003 S/Bad: 'vault_name' value 'phi vault' contains ' '; AWS accepts only A-Z a-z 0-9 -_",
            "HS2004 S/Bad: 'lock.min_retention_days' is 0; AWS accepts 1 to 36500",
            "HS2004 S/Bad: 'lock.max_retention_days' is 40000; AWS accepts 1 to 36500",
            "HS2004 S/Bad: 'lock.changeable_for_days' is 2; AWS accepts 3 to 36500",
            "HS2001 S/Bad: 'notifications.events' needs at least 1 item(s), has 0",
            "HS2003 S/Bad: 'notifications.sns_topic_arn' value 'backup-events' is not an SNS topic ARN",
            "HS2003 S/Short: 'vault_name' value 'p' has 1 characters; AWS accepts 2 to 50",
            "HS2004 S/Short: 'kms_key' is set, but encryption is AwsManagedKey; use CustomerManagedKey to encrypt "
            "with it",
            "HS2004 S/Short: 'lock.max_retention_days' is 35; AWS accepts 36 to 36500",
            "HS2001 S/Short: required property 'notifications.sns_topic_arn' is not set",
            "HS2004 S/Short: removal policy Snapshot is not supported by backup vaults; use Retain or Delete",
        });
}

// ---- Plan ----------------------------------------------------------------------------------

TEST_CASE("A plan rule's defaults take a daily backup kept 35 days", "[backup]") {
  Fixture f;
  f.plan(f.vault());
  const json rule = {{"RuleName", "Daily"},
                     {"TargetBackupVault", {{"Ref", "Vault"}}},
                     {"ScheduleExpression", "cron(0 5 ? * * *)"},
                     {"StartWindowMinutes", 480},
                     {"CompletionWindowMinutes", 10080},
                     {"Lifecycle", {{"DeleteAfterDays", 35}}},
                     {"EnableContinuousBackup", false}};
  CHECK(f.cfn()["Plan"] ==
        json{{"Type", "AWS::Backup::BackupPlan"},
             {"Properties", {{"BackupPlan", {{"BackupPlanName", "phi"}, {"BackupPlanRule", {rule}}}}}}});
  CHECK(f.tf()["resource"]["aws_backup_plan"]["plan"] ==
        json{{"name", "phi"},
             {"rule",
              {{{"rule_name", "Daily"},
                {"target_vault_name", "${aws_backup_vault.vault.name}"},
                {"schedule", "cron(0 5 ? * * *)"},
                {"start_window", 480},
                {"completion_window", 10080},
                {"lifecycle", {{"delete_after", 35}}},
                {"enable_continuous_backup", false}}}}});
}

TEST_CASE("Copy actions, cold storage, continuous backup and tags appear in both targets", "[backup]") {
  Fixture f;
  auto& vault = f.vault();
  auto& copies = f.vault("Copies");
  f.stack.add<backup::Plan>(
      "Plan", {.plan_name = "phi",
               .rules = {{.vault = vault,
                          .copy_actions = {{.vault = copies, .lifecycle = {.delete_after_days = 90}},
                                           {.vault_arn = "arn:aws:backup:us-west-2:111122223333:backup-vault:dr",
                                            .lifecycle = {.delete_after_days = std::nullopt}}},
                          .enable_continuous_backup = true},
                         {.rule_name = "Monthly",
                          .vault = vault,
                          .schedule = "cron(0 5 1 * ? *)",
                          .start_window_minutes = 60,
                          .completion_window_minutes = 120,
                          .lifecycle = {.delete_after_days = std::nullopt, .move_to_cold_storage_after_days = 30}}},
               .tags = {{"DataClass", "phi"}}});
  const json cfn = f.cfn()["Plan"]["Properties"];
  const json& rules = cfn["BackupPlan"]["BackupPlanRule"];
  // A copy without a lifecycle of its own keeps the rule's.
  CHECK(rules[0]["CopyActions"] ==
        json{{{"DestinationBackupVaultArn", {{"Fn::GetAtt", {"Copies", "BackupVaultArn"}}}},
              {"Lifecycle", {{"DeleteAfterDays", 90}}}},
             {{"DestinationBackupVaultArn", "arn:aws:backup:us-west-2:111122223333:backup-vault:dr"}}});
  CHECK(rules[0]["EnableContinuousBackup"] == true);
  CHECK(rules[1]["ScheduleExpression"] == "cron(0 5 1 * ? *)");
  CHECK(rules[1]["StartWindowMinutes"] == 60);
  CHECK(rules[1]["CompletionWindowMinutes"] == 120);
  CHECK(rules[1]["Lifecycle"] == json{{"MoveToColdStorageAfterDays", 30}});
  CHECK(cfn["BackupPlanTags"] == json{{"DataClass", "phi"}});
  const json tf = f.tf()["resource"]["aws_backup_plan"]["plan"];
  CHECK(tf["rule"][0]["copy_action"] ==
        json{{{"destination_vault_arn", "${aws_backup_vault.copies.arn}"}, {"lifecycle", {{"delete_after", 90}}}},
             {{"destination_vault_arn", "arn:aws:backup:us-west-2:111122223333:backup-vault:dr"}}});
  CHECK(tf["rule"][0]["enable_continuous_backup"] == true);
  CHECK(tf["rule"][1]["lifecycle"] == json{{"cold_storage_after", 30}});
  CHECK(tf["tags"] == json{{"DataClass", "phi"}});
}

TEST_CASE("A plan's accessors name its id and ARN in each target", "[backup]") {
  Fixture f;
  auto& plan = f.plan(f.vault());
  f.stack.add_output({.name = "PlanId", .value = plan.plan_id()});
  f.stack.add_output({.name = "PlanArn", .value = plan.arn()});
  const json cfn = test::cfn(f.app)["Outputs"];
  CHECK(cfn["PlanId"]["Value"] == json{{"Ref", "Plan"}});
  CHECK(cfn["PlanArn"]["Value"] == json{{"Fn::GetAtt", {"Plan", "BackupPlanArn"}}});
  const json tf = f.tf()["output"];
  CHECK(tf["plan_id"]["value"] == "${aws_backup_plan.plan.id}");
  CHECK(tf["plan_arn"]["value"] == "${aws_backup_plan.plan.arn}");
}

TEST_CASE("A plan's name, rules, schedules, windows and lifecycles are checked", "[backup]") {
  SECTION("names, vaults and windows") {
    Fixture f;
    auto& vault = f.vault();
    f.stack.add<backup::Plan>("Empty", {});
    f.stack.add<backup::Plan>(
        "Bad",
        {.plan_name = "phi plan",
         .rules = {
             {.rule_name = "", .vault = vault},
             {.rule_name = "Daily", .start_window_minutes = 59},
             {.rule_name = "Daily", .vault = vault, .start_window_minutes = 120, .completion_window_minutes = 150}}});
    CHECK(test::problems(f.app) ==
          std::vector<std::string>{
              "HS2001 S/Empty: required property 'plan_name' is not set",
              "HS2001 S/Empty: 'rules' needs at least 1 item(s), has 0",
              "HS2003 S/Bad: 'plan_name' value 'phi plan' contains ' '; AWS accepts only A-Z a-z 0-9 _.-",
              "HS2001 S/Bad: required property 'rules[0].rule_name' is not set",
              "HS2001 S/Bad: required property 'rules[1].vault' is not set",
              "HS2004 S/Bad: 'rules[1].start_window_minutes' is 59; AWS accepts 60 to 52560000",
              "HS2004 S/Bad: 'rules[2].rule_name' 'Daily' names another rule of the plan too",
              "HS2004 S/Bad: 'rules[2].completion_window_minutes' is 150; AWS accepts 180 to 52560000",
          });
  }
  SECTION("schedules") {
    Fixture f;
    auto& vault = f.vault();
    f.stack.add<backup::Plan>("Plan",
                              {.plan_name = "phi",
                               .rules = {{.rule_name = "Rate", .vault = vault, .schedule = "rate(1 day)"},
                                         {.rule_name = "Five", .vault = vault, .schedule = "cron(0 5 * * ?)"},
                                         {.rule_name = "Both", .vault = vault, .schedule = "cron(0 5 1 * MON *)"},
                                         {.rule_name = "Often", .vault = vault, .schedule = "cron(0/15 * ? * * *)"},
                                         {.rule_name = "Hourly", .vault = vault, .schedule = "cron(7 * ? * * *)"}}});
    CHECK(test::problems(f.app) ==
          std::vector<std::string>{
              "HS2004 S/Plan: 'rules[0].schedule' value 'rate(1 day)' is not a cron expression; AWS Backup accepts "
              "only cron(minutes hours day-of-month month day-of-week year)",
              "HS2004 S/Plan: 'rules[1].schedule' value 'cron(0 5 * * ?)' has 5 fields; AWS Backup accepts "
              "cron(minutes hours day-of-month month day-of-week year)",
              "HS2004 S/Plan: 'rules[2].schedule' value 'cron(0 5 1 * MON *)' sets both day-of-month and "
              "day-of-week; one must be '?'",
              "HS2004 S/Plan: 'rules[3].schedule' value 'cron(0/15 * ? * * *)' does not name a single minute of the "
              "hour; AWS Backup runs a rule at most hourly",
          });
  }
  SECTION("lifecycles, continuous backup and copies") {
    Fixture f;
    auto& vault = f.vault();
    f.stack.add<backup::Plan>(
        "Plan",
        {.plan_name = "phi",
         .rules = {{.rule_name = "Cold",
                    .vault = vault,
                    .lifecycle = {.delete_after_days = 100, .move_to_cold_storage_after_days = 30}},
                   {.rule_name = "Continuous",
                    .vault = vault,
                    .lifecycle = {.delete_after_days = 36, .move_to_cold_storage_after_days = 1},
                    .enable_continuous_backup = true},
                   {.rule_name = "Forever",
                    .vault = vault,
                    .lifecycle = {.delete_after_days = std::nullopt},
                    .copy_actions = {{}, {.vault = vault, .vault_arn = "arn:aws:backup:us-west-2:1:backup-vault:v"}},
                    .enable_continuous_backup = true},
                   {.rule_name = "Zero", .vault = vault, .lifecycle = {.delete_after_days = 0}}}});
    CHECK(test::problems(f.app) ==
          std::vector<std::string>{
              "HS2004 S/Plan: 'rules[0].lifecycle.delete_after_days' is 100; with move_to_cold_storage_after_days 30 "
              "it must be at least 120 (recovery points stay in cold storage at least 90 days)",
              "HS2004 S/Plan: 'rules[1].lifecycle.delete_after_days' is 36; with move_to_cold_storage_after_days 1 "
              "it must be at least 91 (recovery points stay in cold storage at least 90 days)",
              "HS2004 S/Plan: 'rules[1].lifecycle.delete_after_days' keeps continuous backups 36 days; AWS Backup "
              "keeps them 1 to 35 days",
              "HS2004 S/Plan: 'rules[1].lifecycle.move_to_cold_storage_after_days' is set, but continuous backups "
              "never move to cold storage",
              "HS2004 S/Plan: 'rules[2].lifecycle.delete_after_days' keeps continuous backups forever; AWS Backup "
              "keeps them 1 to 35 days",
              "HS2001 S/Plan: 'rules[2].copy_actions[0]' needs 'vault' or 'vault_arn'",
              "HS2004 S/Plan: 'rules[2].copy_actions[1]' sets both 'vault' and 'vault_arn'; a copy goes to one vault",
              "HS2004 S/Plan: 'rules[2].copy_actions[1]' copies into the rule's own vault S/Vault",
              "HS2004 S/Plan: 'rules[3].lifecycle.delete_after_days' is 0; AWS accepts 1 to 36500",
          });
  }
  SECTION("retention against the vault locks of the rule's and the copies' vaults") {
    Fixture f;
    auto& locked = f.vault("Locked", {.lock = backup::VaultLock{.min_retention_days = 35, .max_retention_days = 365}});
    auto& other = f.vault("Other", {.lock = backup::VaultLock{.min_retention_days = 60}});
    f.stack.add<backup::Plan>(
        "Plan", {.plan_name = "phi",
                 .rules = {{.rule_name = "Short", .vault = locked, .lifecycle = {.delete_after_days = 7}},
                           {.rule_name = "Forever",
                            .vault = locked,
                            .lifecycle = {.delete_after_days = std::nullopt},
                            .copy_actions = {{.vault = other, .lifecycle = {.delete_after_days = std::nullopt}}}},
                           {.rule_name = "Fine",
                            .vault = locked,
                            .copy_actions = {{.vault = other, .lifecycle = {.delete_after_days = 90}}}}}});
    CHECK(test::problems(f.app) ==
          std::vector<std::string>{
              "HS2004 S/Plan: 'rules[0].lifecycle.delete_after_days' keeps recovery points 7 days, shorter than the "
              "min_retention_days (35) of the lock of vault S/Locked; its jobs would fail",
              "HS2004 S/Plan: 'rules[1].lifecycle.delete_after_days' keeps recovery points forever, longer than the "
              "max_retention_days (365) of the lock of vault S/Locked; its jobs would fail",
          });
  }
}

// ---- Selection -----------------------------------------------------------------------------

TEST_CASE("A selection without a role creates one trusted by AWS Backup with its managed policies", "[backup]") {
  Fixture f;
  auto& plan = f.plan(f.vault());
  f.stack.add<backup::Selection>("Selection", {.selection_name = "phi", .plan = plan, .tables = {f.table()}});
  const json cfn = f.cfn();
  CHECK(cfn["Selection"] == json{{"Type", "AWS::Backup::BackupSelection"},
                                 {"Properties",
                                  {{"BackupPlanId", {{"Ref", "Plan"}}},
                                   {"BackupSelection",
                                    {{"SelectionName", "phi"},
                                     {"IamRoleArn", {{"Fn::GetAtt", {"SelectionRole", "Arn"}}}},
                                     {"Resources", {{{"Fn::GetAtt", {"Table", "Arn"}}}}}}}}}});
  CHECK(
      cfn["SelectionRole"] ==
      json{{"Type", "AWS::IAM::Role"},
           {"Properties",
            {{"AssumeRolePolicyDocument",
              {{"Version", "2012-10-17"},
               {"Statement",
                {{{"Effect", "Allow"},
                  {"Principal", {{"Service", "backup.amazonaws.com"}}},
                  {"Action", "sts:AssumeRole"}}}}}},
             {"ManagedPolicyArns",
              {{{"Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"}},
               {{"Fn::Sub",
                 "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"}}}}}}});
  const json tf = f.tf();
  CHECK(tf["resource"]["aws_backup_selection"]["selection"] ==
        json{{"name", "phi"},
             {"plan_id", "${aws_backup_plan.plan.id}"},
             {"iam_role_arn", "${aws_iam_role.selection_role.arn}"},
             {"resources", {"${aws_dynamodb_table.table.arn}"}},
             {"depends_on",
              {"aws_iam_role_policy_attachment.selection_role_aws_backup_service_role_policy_for_backup",
               "aws_iam_role_policy_attachment.selection_role_aws_backup_service_role_policy_for_restores"}}});
  CHECK(tf["resource"]["aws_iam_role"]["selection_role"] ==
        json{{"assume_role_policy", "${data.aws_iam_policy_document.selection_role_assume_role_policy.json}"}});
  CHECK(tf["resource"]["aws_iam_role_policy_attachment"]["selection_role_aws_backup_service_role_policy_for_backup"] ==
        json{{"role", "${aws_iam_role.selection_role.name}"},
             {"policy_arn",
              "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/"
              "AWSBackupServiceRolePolicyForBackup"}});
  CHECK(tf["resource"]["aws_iam_role_policy_attachment"]["selection_role_aws_backup_service_role_policy_for_restores"]
          ["policy_arn"] ==
        "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/"
        "AWSBackupServiceRolePolicyForRestores");
  CHECK(tf["data"]["aws_iam_policy_document"]["selection_role_assume_role_policy"] ==
        json{{"statement",
              {{{"effect", "Allow"},
                {"actions", {"sts:AssumeRole"}},
                {"principals", {{{"type", "Service"}, {"identifiers", {"backup.amazonaws.com"}}}}}}}}});
}

TEST_CASE("A selection of S3 buckets gives the role it creates the S3 backup and restore policies", "[backup]") {
  Fixture f;
  auto& plan = f.plan(f.vault());
  f.stack.add<backup::Selection>(
      "Selection",
      {.selection_name = "phi", .plan = plan, .resource_arns = {interpolate({"arn:", partition(), ":s3:::records"})}});
  const json arns = f.cfn()["SelectionRole"]["Properties"]["ManagedPolicyArns"];
  REQUIRE(arns.size() == 4);
  CHECK(arns[2] == json{{"Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"}});
  CHECK(arns[3] == json{{"Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore"}});
  const json tf = f.tf()["resource"];
  CHECK(tf["aws_iam_role_policy_attachment"]["selection_role_aws_backup_service_role_policy_for_s3_backup"]
          ["policy_arn"] ==
        "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup");
  CHECK(tf["aws_iam_role_policy_attachment"]["selection_role_aws_backup_service_role_policy_for_s3_restore"]
          ["policy_arn"] ==
        "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore");
  CHECK(tf["aws_backup_selection"]["selection"]["depends_on"].size() == 4);
}

TEST_CASE("A selection with a role of its own lists clusters, instances, tables and ARNs in that order", "[backup]") {
  Databases d;
  auto& plan = d.plan(d.vault());
  auto& cluster = d.stack.add<rds::DatabaseCluster>("Cluster", {.settings = d.settings()});
  auto& instance = d.stack.add<rds::DatabaseInstance>("Instance", {.settings = d.settings()});
  auto& role = d.stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("backup.amazonaws.com")});
  auto& table = d.table();
  auto& selection = d.stack.add<backup::Selection>(
      "Selection", {.selection_name = "phi",
                    .plan = plan,
                    .role = role,
                    .database_clusters = {cluster},
                    .database_instances = {instance},
                    .tables = {table},
                    .resource_arns = {"arn:aws:ec2:us-east-1:111122223333:volume/vol-1"}});
  const json cfn = d.cfn();
  CHECK(cfn["Selection"]["Properties"]["BackupSelection"] ==
        json{{"SelectionName", "phi"},
             {"IamRoleArn", {{"Fn::GetAtt", {"Role", "Arn"}}}},
             {"Resources",
              {{{"Fn::GetAtt", {"Cluster", "DBClusterArn"}}},
               {{"Fn::GetAtt", {"Instance", "DBInstanceArn"}}},
               {{"Fn::GetAtt", {"Table", "Arn"}}},
               "arn:aws:ec2:us-east-1:111122223333:volume/vol-1"}}});
  CHECK_FALSE(cfn.contains("SelectionRole"));
  const json tf = d.tf()["resource"];
  CHECK(tf["aws_backup_selection"]["selection"] ==
        json{{"name", "phi"},
             {"plan_id", "${aws_backup_plan.plan.id}"},
             {"iam_role_arn", "${aws_iam_role.role.arn}"},
             {"resources",
              {"${aws_rds_cluster.cluster.arn}", "${aws_db_instance.instance.arn}", "${aws_dynamodb_table.table.arn}",
               "arn:aws:ec2:us-east-1:111122223333:volume/vol-1"}}});
  CHECK_FALSE(tf["aws_iam_role"].contains("selection_role"));
  CHECK(selection.protected_resources() == std::vector<const Resource*>{&cluster, &instance, &table});
}

TEST_CASE("A selection protects its typed resources and those its ARNs refer to", "[backup]") {
  Fixture f;
  auto& plan = f.plan(f.vault());
  auto& listed = f.table("Listed");
  auto& by_arn = f.table("ByArn");
  auto& other = f.table("Other");
  auto& selection = f.stack.add<backup::Selection>(
      "Selection", {.selection_name = "phi", .plan = plan, .tables = {listed}, .resource_arns = {by_arn.arn()}});
  CHECK(selection.protects(listed));
  CHECK(selection.protects(by_arn));
  CHECK_FALSE(selection.protects(other));
}

TEST_CASE("A selection's name, plan and resources are checked", "[backup]") {
  Fixture f;
  f.stack.add<backup::Selection>("Empty", {});
  f.stack.add<backup::Selection>(
      "Bad", {.selection_name = std::string(51, 's'), .plan = f.plan(f.vault()), .resource_arns = {"my-table", "*"}});
  CHECK(
      test::problems(f.app) ==
      std::vector<std::string>{
          "HS2001 S/Empty: required property 'selection_name' is not set",
          "HS2001 S/Empty: required property 'plan' is not set",
          "HS2001 S/Empty: a selection needs at least one resource: set database_clusters, database_instances, "
          "tables, buckets or resource_arns",
          "HS2003 S/Bad: 'selection_name' value '" + std::string(51, 's') + "' has 51 characters; AWS accepts 1 to 50",
          "HS2003 S/Bad: 'resource_arns' value 'my-table' is not an ARN (or '*')",
      });
}

// ---- Rules ---------------------------------------------------------------------------------

TEST_CASE("A table is in a backup plan when a selection whose plan has a rule selects it, in any stack",
          "[backup][rules]") {
  SECTION("selected") {
    Fixture f;
    auto& table = f.table();
    f.stack.add<backup::Selection>("Selection", {.selection_name = "s", .plan = f.plan(f.vault()), .tables = {table}});
    CHECK(findings(f.app, "HIPAA-DYNAMODB-1").empty());
  }
  SECTION("selected from a backup stack of its own") {
    Fixture f;
    auto& table = f.table();
    auto& central = f.app.add_stack("Backups");
    auto& key = central.add<kms::Key>("Key", {.description = "k"});
    auto& vault = central.add<backup::Vault>("Vault", {.vault_name = "v1", .kms_key = key});
    auto& plan = central.add<backup::Plan>("Plan", {.plan_name = "p", .rules = {{.vault = vault}}});
    central.add<backup::Selection>("Selection", {.selection_name = "s", .plan = plan, .tables = {table}});
    CHECK(findings(f.app, "HIPAA-DYNAMODB-1").empty());
  }
  SECTION("not selected, or by a plan without rules") {
    Fixture f;
    f.table();
    auto& other = f.table("Other");
    auto& empty = f.stack.add<backup::Plan>("Empty", {.plan_name = "empty"});
    f.stack.add<backup::Selection>("Selection", {.selection_name = "s", .plan = empty, .tables = {other}});
    const std::string message =
        ": no backup::Selection whose plan has a rule selects it, so AWS Backup takes no backups of it";
    CHECK(findings(f.app, "HIPAA-DYNAMODB-1") == std::vector<std::string>{"S/Table" + message, "S/Other" + message});
  }
}

TEST_CASE("HIPAA-RDS-10 flags clusters and instances no backup plan selects", "[backup][rules]") {
  const auto& rules = rules::detail::database_backup_rules();
  REQUIRE(rules.size() == 1);
  const rules::Rule& rule = rules.front();
  CHECK(rule.id == "HIPAA-RDS-10");
  CHECK(rule.cdk_nag == "RDSInBackupPlan");
  CHECK(rules::find_rule("HIPAA-RDS-10") != nullptr);  // in every check
  Fixture f;
  auto& cluster = f.stack.add<rds::DatabaseCluster>("Cluster", {});
  f.stack.add<rds::DatabaseClusterInstance>("Member", {.cluster = cluster});
  auto& instance = f.stack.add<rds::DatabaseInstance>("Instance", {});
  f.stack.add<rds::DatabaseInstance>("Unprotected", {});
  CHECK(findings_of(rule, f.app).size() == 3);
  f.stack.add<backup::Selection>("Selection", {.selection_name = "s",
                                               .plan = f.plan(f.vault()),
                                               .database_clusters = {cluster},
                                               .resource_arns = {instance.arn()}});
  // Aurora is backed up at the cluster: its instances are not flagged.
  CHECK(findings_of(rule, f.app) ==
        std::vector<std::string>{"S/Unprotected: no backup::Selection whose plan has a rule selects it, so AWS Backup "
                                 "takes no backups of it"});
}

TEST_CASE("Vault and plan rules flag the AWS managed key and retention under 35 days", "[backup][rules]") {
  SECTION("the defaults pass") {
    Fixture f;
    f.plan(f.vault());
    CHECK(findings(f.app, "HIPAA-BACKUP-1").empty());
    CHECK(findings(f.app, "HIPAA-BACKUP-2").empty());
  }
  SECTION("opt-outs are flagged") {
    Fixture f;
    auto& vault = f.vault("Vault", {.encryption = backup::VaultEncryption::AwsManagedKey});
    f.stack.add<backup::Vault>("Unkeyed", {.vault_name = "u1"});
    f.stack.add<backup::Plan>(
        "Plan", {.plan_name = "p",
                 .rules = {{.rule_name = "Week", .vault = vault, .lifecycle = {.delete_after_days = 7}},
                           {.rule_name = "Forever", .vault = vault, .lifecycle = {.delete_after_days = std::nullopt}},
                           {.rule_name = "Month", .vault = vault}}});
    CHECK(findings(f.app, "HIPAA-BACKUP-1") ==
          std::vector<std::string>{
              "S/Vault: recovery points are encrypted with the AWS managed key aws/backup, not a customer managed key",
              "S/Unkeyed: no customer managed key is set"});
    CHECK(findings(f.app, "HIPAA-BACKUP-2") ==
          std::vector<std::string>{"S/Plan: rule 'Week' keeps recovery points 7 day(s); at least 35 are required"});
  }
}

// ---- Diff ----------------------------------------------------------------------------------

TEST_CASE("diff reports weakened table and backup safeguards in both targets", "[backup][diff]") {
  auto build = [](bool weak, Target target) {
    App app;
    auto& stack = app.add_stack("S");
    auto& key = stack.add<kms::Key>("Key", {.description = "k"});
    auto& table = stack.add<dynamodb::Table>(
        "Table", {.table_name = "visits",
                  .partition_key = {"id"},
                  .encryption = weak ? dynamodb::Encryption::AwsOwnedKey : dynamodb::Encryption::CustomerManagedKey,
                  .kms_key = weak ? Ref<kms::Key>() : Ref<kms::Key>(key),
                  .point_in_time_recovery = !weak,
                  .deletion_protection = !weak});
    auto& vault = stack.add<backup::Vault>("Vault", {.vault_name = "v1", .kms_key = key});
    auto& plan = stack.add<backup::Plan>("Plan", {.plan_name = "p",
                                                  .rules = {{.vault = vault,
                                                             .lifecycle = {.delete_after_days = weak ? 14 : 35},
                                                             .enable_continuous_backup = !weak}}});
    if (!weak) stack.add<backup::Selection>("Selection", {.selection_name = "s", .plan = plan, .tables = {table}});
    const SynthesisResult result =
        synthesize(app, {.target = target, .format = Format::Json, .allow_noncompliant = true});
    REQUIRE(result.ok());
    LoadedDocument document;
    REQUIRE(
        load_document(result.files.front().contents, target == Target::Terraform ? "main.tf.json" : "S.json", document)
            .empty());
    return document;
  };
  auto weakened = [&](Target target) {
    std::vector<std::string> out;
    for (const auto& f : diff(build(false, target), build(true, target)).security) {
      if (f.weakens) out.push_back(f.category + " | " + f.resource + " | " + f.detail);
    }
    return out;
  };
  CHECK(weakened(Target::CloudFormation) ==
        std::vector<std::string>{
            "Encryption | Table | customer-managed KMS key removed",
            "Encryption | Table | customer-managed encryption turned off",
            "Deletion protection | Table | deletion protection turned off",
            "Backup retention | Plan | continuous backup turned off",
            "Backup retention | Plan | recovery point retention shortened",
            "Backup retention | Selection | backup selection removed: its resources are no longer backed up",
            "Backup retention | Table | point-in-time recovery turned off",
        });
  CHECK(weakened(Target::Terraform) ==
        std::vector<std::string>{
            "Encryption | aws_dynamodb_table.table | customer-managed encryption turned off",
            "Encryption | aws_dynamodb_table.table | customer-managed KMS key removed",
            "Deletion protection | aws_dynamodb_table.table | deletion protection turned off",
            "Backup retention | aws_backup_plan.plan | continuous backup turned off",
            "Backup retention | aws_backup_plan.plan | recovery point retention shortened",
            "Backup retention | aws_backup_selection.selection | backup selection removed: its resources are no "
            "longer backed up",
            "Backup retention | aws_dynamodb_table.table | point-in-time recovery turned off",
        });
}

TEST_CASE("A selection protects buckets by reference, versioned ones only, with the S3 backup policies", "[backup]") {
  Fixture f;
  auto& key = f.stack.add<kms::Key>("BucketKey", {.description = "k"});
  auto& documents = f.stack.add<s3::Bucket>("Documents", {.kms_key = key});
  f.stack.add<backup::Selection>("Selection",
                                 {.selection_name = "documents", .plan = f.plan(f.vault()), .buckets = {documents}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Selection"]["Properties"]["BackupSelection"]["Resources"] ==
        json::array({{{"Fn::GetAtt", {"Documents", "Arn"}}}}));
  const std::string policies = cfn["SelectionRole"]["Properties"]["ManagedPolicyArns"].dump();
  CHECK(policies.find("AWSBackupServiceRolePolicyForS3Backup") != std::string::npos);
  CHECK(policies.find("AWSBackupServiceRolePolicyForS3Restore") != std::string::npos);

  auto& unversioned = f.stack.add<s3::Bucket>("Scratch", {.kms_key = key, .versioned = false});
  f.stack.add<backup::Selection>(
      "Unversioned",
      {.selection_name = "scratch", .plan = f.plan(f.vault("Vault2"), "Plan2"), .buckets = {unversioned}});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{"HS2004 S/Unversioned: 'buckets' names S/Scratch, which is not versioned"});
}
