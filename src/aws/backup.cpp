#include "hipaa/aws/backup.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "validate/checks.hpp"

namespace hipaa::backup {
namespace {

constexpr int kMaxRetentionDays = 36500;       // AWS Backup's longest retention: 100 years
constexpr int kMaxWindowMinutes = 52'560'000;  // start and completion windows: 100 years
constexpr int kMinWindowMinutes = 60;          // a shorter start window fails jobs
constexpr int kColdStorageMinimumDays = 90;    // recovery points stay in cold storage that long
constexpr int kMaxContinuousBackupDays = 35;   // continuous backups are kept 1 to 35 days
constexpr int kMinChangeableForDays = 3;       // compliance mode's cooling-off period

bool is_vault_name_char(char c) { return detail::is_alnum_dash(c) || c == '_'; }
bool is_backup_name_char(char c) { return detail::is_alnum_dash(c) || c == '_' || c == '.'; }

std::string_view event_name(VaultEvent event) {
  switch (event) {
    case VaultEvent::BackupJobStarted: return "BACKUP_JOB_STARTED";
    case VaultEvent::BackupJobCompleted: return "BACKUP_JOB_COMPLETED";
    case VaultEvent::CopyJobStarted: return "COPY_JOB_STARTED";
    case VaultEvent::CopyJobSuccessful: return "COPY_JOB_SUCCESSFUL";
    case VaultEvent::CopyJobFailed: return "COPY_JOB_FAILED";
    case VaultEvent::RestoreJobStarted: return "RESTORE_JOB_STARTED";
    case VaultEvent::RestoreJobCompleted: return "RESTORE_JOB_COMPLETED";
    case VaultEvent::RecoveryPointModified: return "RECOVERY_POINT_MODIFIED";
    case VaultEvent::S3BackupObjectFailed: return "S3_BACKUP_OBJECT_FAILED";
    case VaultEvent::S3RestoreObjectFailed: return "S3_RESTORE_OBJECT_FAILED";
  }
  return "BACKUP_JOB_COMPLETED";
}

// AWS::Backup::BackupVault and AWS::Backup::BackupPlan carry their tags as a map under a name of
// their own (BackupVaultTags, BackupPlanTags); Terraform calls it `tags` as usual.
void tags_as(Lowering& l, TargetResource& resource, const Tags& tags, std::string_view cloudformation_key) {
  resource.tags(tags);
  if (!l.is_cloudformation()) return;
  doc::Node& properties = resource.properties().node();
  if (doc::Node* found = properties.find("Tags")) {
    doc::Node moved = std::move(*found);
    properties.erase("Tags");
    properties.set(cloudformation_key, std::move(moved));
  }
}

std::string days(const std::optional<int>& delete_after_days) {
  return delete_after_days ? std::to_string(*delete_after_days) + " days" : "forever";
}

}  // namespace

// ---- Vault ---------------------------------------------------------------------------------

iam::PolicyDocument Vault::access_policy() const {
  const auto& p = props();
  iam::PolicyDocument policy;
  if (p.block_recovery_point_deletion) {
    policy.statements.push_back(iam::deny({"backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"})
                                    .id("DenyRecoveryPointDeletion")
                                    .principal(iam::anyone())
                                    .on("*"));
  }
  for (const auto& s : p.access_policy_statements) policy.statements.push_back(s);
  return policy;
}

void Vault::lower(Lowering& l) const {
  const auto& p = props();
  auto& vault = l.add(*this);
  // Recovery points outlive the stack: the vault is kept unless the user opts into Delete.
  vault.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));
  vault.properties()
      .set({"BackupVaultName", "name"}, p.vault_name)
      .set({"EncryptionKeyArn", "kms_key_arn"}, p.kms_key ? p.kms_key->arn() : Value());
  tags_as(l, vault, p.tags, "BackupVaultTags");

  // The lock, access policy and notifications are properties of the vault in CloudFormation and
  // resources of their own, naming the vault, in Terraform.
  auto own_resource = [&](std::string_view terraform_type, std::string_view suffix) -> Properties& {
    auto& resource = l.add(*this, terraform_type, suffix);
    resource.properties().terraform("backup_vault_name", vault_name());
    return resource.properties();
  };
  if (p.lock) {
    Properties nested = l.object();
    Properties& lock = l.is_cloudformation() ? nested : own_resource("aws_backup_vault_lock_configuration", "Lock");
    lock.set({"MinRetentionDays", "min_retention_days"}, p.lock->min_retention_days)
        .set({"MaxRetentionDays", "max_retention_days"}, p.lock->max_retention_days)
        .set({"ChangeableForDays", "changeable_for_days"}, p.lock->changeable_for_days);
    vault.properties().set({"LockConfiguration", {}}, std::move(nested));
  }
  if (const auto policy = access_policy(); !policy.empty()) {
    doc::Node document = iam::lower_policy_document(l, *this, "AccessPolicy", policy);
    if (l.is_cloudformation()) {
      vault.properties().set_node("AccessPolicy", std::move(document));
    } else {
      own_resource("aws_backup_vault_policy", "Policy").set_node("policy", std::move(document));
    }
  }
  if (p.notifications) {
    std::vector<std::string> events;
    for (const auto event : p.notifications->events) events.emplace_back(event_name(event));
    Properties nested = l.object();
    Properties& notifications =
        l.is_cloudformation() ? nested : own_resource("aws_backup_vault_notifications", "Notifications");
    notifications.set({"SNSTopicArn", "sns_topic_arn"}, p.notifications->sns_topic_arn)
        .set({"BackupVaultEvents", "backup_vault_events"}, Value(events));
    vault.properties().set({"Notifications", {}}, std::move(nested));
  }
}

void Vault::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.vault_name, "vault_name");
  check.name(p.vault_name, "vault_name", 50, is_vault_name_char, "A-Z a-z 0-9 -_", 2);
  if (p.encryption == VaultEncryption::CustomerManagedKey) {
    check.required(p.kms_key, "kms_key");
  } else if (p.kms_key) {
    check.error("HS2004",
                "'kms_key' is set, but encryption is AwsManagedKey; use CustomerManagedKey to encrypt with it");
  }
  if (p.lock) {
    check.range(p.lock->min_retention_days, "lock.min_retention_days", 1, kMaxRetentionDays);
    if (p.lock->max_retention_days) {
      check.range(*p.lock->max_retention_days, "lock.max_retention_days", p.lock->min_retention_days + 1,
                  kMaxRetentionDays);
    }
    if (p.lock->changeable_for_days) {
      check.range(*p.lock->changeable_for_days, "lock.changeable_for_days", kMinChangeableForDays, kMaxRetentionDays);
    }
  }
  if (p.notifications) {
    check.required(p.notifications->sns_topic_arn, "notifications.sns_topic_arn");
    check.required_list(p.notifications->events, "notifications.events");
    if (auto arn = detail::literal_text(p.notifications->sns_topic_arn, *this);
        arn && !(arn->starts_with("arn:") && arn->find(":sns:") != std::string::npos)) {
      check.error("HS2003", "'notifications.sns_topic_arn' value '" + *arn + "' is not an SNS topic ARN");
    }
  }
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "removal policy Snapshot is not supported by backup vaults; use Retain or Delete");
  }
}

// ---- Plan ----------------------------------------------------------------------------------

namespace {

Properties lower_lifecycle(Lowering& l, const Lifecycle& lifecycle) {
  Properties out = l.object();
  out.set({"MoveToColdStorageAfterDays", "cold_storage_after"}, lifecycle.move_to_cold_storage_after_days)
      .set({"DeleteAfterDays", "delete_after"}, lifecycle.delete_after_days);
  return out;
}

void check_lifecycle(const detail::Checker& check, const Lifecycle& lifecycle, const std::string& property) {
  if (lifecycle.delete_after_days) {
    check.range(*lifecycle.delete_after_days, property + ".delete_after_days", 1, kMaxRetentionDays);
  }
  if (lifecycle.move_to_cold_storage_after_days) {
    const int cold = *lifecycle.move_to_cold_storage_after_days;
    check.range(cold, property + ".move_to_cold_storage_after_days", 1, kMaxRetentionDays);
    if (lifecycle.delete_after_days && *lifecycle.delete_after_days < cold + kColdStorageMinimumDays) {
      check.error("HS2004", "'" + property + ".delete_after_days' is " + std::to_string(*lifecycle.delete_after_days) +
                                "; with move_to_cold_storage_after_days " + std::to_string(cold) +
                                " it must be at least " + std::to_string(cold + kColdStorageMinimumDays) +
                                " (recovery points stay in cold storage at least 90 days)");
    }
  }
}

// Jobs whose retention lies outside a vault lock's range fail: catch it before they do.
void check_against_lock(const detail::Checker& check, const Lifecycle& lifecycle, const Vault& vault,
                        const std::string& property) {
  const auto& lock = vault.props().lock;
  if (!lock) return;
  const auto& kept = lifecycle.delete_after_days;
  if (lock->max_retention_days && (!kept || *kept > *lock->max_retention_days)) {
    check.error("HS2004", "'" + property + ".delete_after_days' keeps recovery points " + days(kept) +
                              ", longer than the max_retention_days (" + std::to_string(*lock->max_retention_days) +
                              ") of the lock of vault " + vault.path() + "; its jobs would fail");
  }
  if (kept && *kept < lock->min_retention_days) {
    check.error("HS2004", "'" + property + ".delete_after_days' keeps recovery points " + days(kept) +
                              ", shorter than the min_retention_days (" + std::to_string(lock->min_retention_days) +
                              ") of the lock of vault " + vault.path() + "; its jobs would fail");
  }
}

// AWS Backup schedules are cron expressions of six fields, at most hourly.
void check_schedule(const detail::Checker& check, const std::string& schedule, const std::string& property) {
  const std::string shape = "cron(minutes hours day-of-month month day-of-week year)";
  const std::string hint = "write " + shape + " in UTC, e.g. cron(0 5 ? * * *) for every day at 05:00";
  if (!schedule.starts_with("cron(") || !schedule.ends_with(")")) {
    check.error(
        "HS2004",
        "'" + property + "' value '" + schedule + "' is not a cron expression; AWS Backup accepts only " + shape, hint);
    return;
  }
  std::istringstream in(schedule.substr(5, schedule.size() - 6));
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(field);
  if (fields.size() != 6) {
    check.error("HS2004",
                "'" + property + "' value '" + schedule + "' has " + std::to_string(fields.size()) +
                    " fields; AWS Backup accepts " + shape,
                hint);
    return;
  }
  if (fields[2] != "?" && fields[4] != "?") {
    check.error("HS2004",
                "'" + property + "' value '" + schedule + "' sets both day-of-month and day-of-week; one must be '?'",
                hint);
  }
  const std::string& minutes = fields[0];
  const bool single_minute = !minutes.empty() && minutes.size() <= 2 &&
                             std::all_of(minutes.begin(), minutes.end(),
                                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) &&
                             std::stoi(minutes) <= 59;
  if (!single_minute) {
    check.error("HS2004",
                "'" + property + "' value '" + schedule +
                    "' does not name a single minute of the hour; AWS Backup runs a rule at most hourly",
                hint);
  }
}

}  // namespace

void Plan::lower(Lowering& l) const {
  const auto& p = props();
  auto& plan = l.add(*this);
  // CloudFormation nests the plan in a BackupPlan object; Terraform has its arguments at the top.
  Properties nested = l.object();
  Properties& body = l.is_cloudformation() ? nested : plan.properties();
  body.set({"BackupPlanName", "name"}, p.plan_name);
  std::vector<Properties> rules;
  for (const auto& rule : p.rules) {
    std::vector<Properties> copies;
    for (const auto& copy : rule.copy_actions) {
      Properties c = l.object();
      c.set({"DestinationBackupVaultArn", "destination_vault_arn"}, copy.vault ? copy.vault->arn() : copy.vault_arn)
          .set({"Lifecycle", "lifecycle"}, lower_lifecycle(l, copy.lifecycle));
      copies.push_back(std::move(c));
    }
    Properties r = l.object();
    r.set({"RuleName", "rule_name"}, rule.rule_name)
        .set({"TargetBackupVault", "target_vault_name"}, rule.vault ? rule.vault->vault_name() : Value())
        .set({"ScheduleExpression", "schedule"}, rule.schedule)
        .set({"StartWindowMinutes", "start_window"}, rule.start_window_minutes)
        .set({"CompletionWindowMinutes", "completion_window"}, rule.completion_window_minutes)
        .set({"Lifecycle", "lifecycle"}, lower_lifecycle(l, rule.lifecycle))
        .set({"CopyActions", "copy_action"}, std::move(copies))
        .set({"EnableContinuousBackup", "enable_continuous_backup"}, rule.enable_continuous_backup);
    rules.push_back(std::move(r));
  }
  body.set({"BackupPlanRule", "rule"}, std::move(rules));
  plan.properties().set({"BackupPlan", {}}, std::move(nested));
  tags_as(l, plan, p.tags, "BackupPlanTags");
}

void Plan::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.plan_name, "plan_name");
  check.name(p.plan_name, "plan_name", 50, is_backup_name_char, "A-Z a-z 0-9 _.-");
  check.required_list(p.rules, "rules");
  std::set<std::string> names;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const auto& rule = p.rules[i];
    const std::string at = "rules[" + std::to_string(i) + "]";
    check.required(rule.rule_name, at + ".rule_name");
    if (!rule.rule_name.empty()) {
      check.name(rule.rule_name, at + ".rule_name", 50, is_backup_name_char, "A-Z a-z 0-9 _.-");
      if (!names.insert(rule.rule_name).second) {
        check.error("HS2004", "'" + at + ".rule_name' '" + rule.rule_name + "' names another rule of the plan too");
      }
    }
    check.required(rule.vault, at + ".vault");
    check_schedule(check, rule.schedule, at + ".schedule");
    check.range(rule.start_window_minutes, at + ".start_window_minutes", kMinWindowMinutes, kMaxWindowMinutes);
    check.range(rule.completion_window_minutes, at + ".completion_window_minutes",
                rule.start_window_minutes + kMinWindowMinutes, kMaxWindowMinutes);
    check_lifecycle(check, rule.lifecycle, at + ".lifecycle");
    if (rule.enable_continuous_backup) {
      const auto& kept = rule.lifecycle.delete_after_days;
      if (!kept || *kept < 1 || *kept > kMaxContinuousBackupDays) {
        check.error("HS2004", "'" + at + ".lifecycle.delete_after_days' keeps continuous backups " + days(kept) +
                                  "; AWS Backup keeps them 1 to 35 days");
      }
      if (rule.lifecycle.move_to_cold_storage_after_days) {
        check.error("HS2004", "'" + at +
                                  ".lifecycle.move_to_cold_storage_after_days' is set, but continuous backups never "
                                  "move to cold storage");
      }
    }
    if (rule.vault) check_against_lock(check, rule.lifecycle, *rule.vault, at + ".lifecycle");
    for (std::size_t j = 0; j < rule.copy_actions.size(); ++j) {
      const auto& copy = rule.copy_actions[j];
      const std::string copy_at = at + ".copy_actions[" + std::to_string(j) + "]";
      if (!copy.vault && copy.vault_arn.is_null()) {
        check.error("HS2001", "'" + copy_at + "' needs 'vault' or 'vault_arn'");
      } else if (copy.vault && !copy.vault_arn.is_null()) {
        check.error("HS2004", "'" + copy_at + "' sets both 'vault' and 'vault_arn'; a copy goes to one vault");
      }
      check_lifecycle(check, copy.lifecycle, copy_at + ".lifecycle");
      if (copy.vault) {
        // A copy without a lifecycle of its own keeps the rule's.
        const bool own = copy.lifecycle.delete_after_days || copy.lifecycle.move_to_cold_storage_after_days;
        check_against_lock(check, own ? copy.lifecycle : rule.lifecycle, *copy.vault, copy_at + ".lifecycle");
        if (copy.vault.get() == rule.vault.get()) {
          check.error("HS2004", "'" + copy_at + "' copies into the rule's own vault " + copy.vault->path());
        }
      }
    }
  }
}

// ---- Selection -----------------------------------------------------------------------------

namespace {

struct Selected {
  const Resource* resource;
  Value arn;
};

template <class T>
void append(std::vector<Selected>& out, const Refs<T>& refs) {
  for (const auto& r : refs) {
    if (r) out.push_back({r.get(), r->arn()});
  }
}

// The typed lists of protected resources, each resource with its ARN: one line per list.
std::vector<Selected> typed_resources(const SelectionProps& p) {
  std::vector<Selected> out;
  append(out, p.database_clusters);
  append(out, p.database_instances);
  append(out, p.tables);
  append(out, p.buckets);
  return out;
}

// Whether an ARN may name an S3 bucket, whose backup and restore need policies of their own.
bool may_be_bucket(const Value& arn) {
  if (const auto* ref = arn.get_if<AttributeRef>()) {
    return ref->target->info().primary(Target::CloudFormation) == "AWS::S3::Bucket";
  }
  auto literal_has_s3 = [](const Value& part) {
    const auto* text = part.get_if<std::string>();
    return text != nullptr && (*text == "*" || text->find(":s3:::") != std::string::npos);
  };
  if (const auto* interpolation = arn.get_if<Interpolation>()) {
    return std::any_of(interpolation->parts.begin(), interpolation->parts.end(), literal_has_s3);
  }
  return literal_has_s3(arn);
}

// The role AWS Backup assumes to back up and restore the selected resources; returns its ARN.
doc::Node lower_role(Lowering& l, const Selection& owner, TargetResource& selection, bool buckets) {
  iam::ServiceRole role{
      .service = "backup.amazonaws.com",
      .managed_policy_arns = {iam::aws_managed("service-role/AWSBackupServiceRolePolicyForBackup"),
                              iam::aws_managed("service-role/AWSBackupServiceRolePolicyForRestores")}};
  if (buckets) {
    role.managed_policy_arns.push_back(iam::aws_managed("AWSBackupServiceRolePolicyForS3Backup"));
    role.managed_policy_arns.push_back(iam::aws_managed("AWSBackupServiceRolePolicyForS3Restore"));
  }
  const auto created = iam::lower_service_role(l, owner, "Role", role);
  // AWS Backup checks the role's permissions when the selection is created.
  for (const auto& attachment : created.attachments) selection.depends_on(owner, attachment);
  return created.role->reference({"Arn", "arn"});
}

}  // namespace

std::vector<const Resource*> Selection::protected_resources() const {
  std::vector<const Resource*> out;
  for (const auto& selected : typed_resources(props())) out.push_back(selected.resource);
  for (const auto& arn : props().resource_arns) {
    arn.for_each_reference([&](const AttributeRef& ref) { out.push_back(ref.target); });
  }
  return out;
}

bool Selection::protects(const Resource& resource) const {
  const auto all = protected_resources();
  return std::find(all.begin(), all.end(), &resource) != all.end();
}

void Selection::lower(Lowering& l) const {
  const auto& p = props();
  auto& selection = l.add(*this);
  ValueList arns;
  bool buckets = false;
  for (auto& selected : typed_resources(p)) {
    buckets = buckets || may_be_bucket(selected.arn);
    arns.push_back(std::move(selected.arn));
  }
  for (const auto& arn : p.resource_arns) {
    buckets = buckets || may_be_bucket(arn);
    arns.push_back(arn);
  }
  const Value plan_id = p.plan ? p.plan->plan_id() : Value();
  // CloudFormation nests the selection in a BackupSelection object; Terraform has its arguments at
  // the top.
  Properties nested = l.object();
  Properties& body = l.is_cloudformation() ? nested : selection.properties();
  selection.properties().set({"BackupPlanId", {}}, plan_id);
  body.set({"SelectionName", "name"}, p.selection_name);
  selection.properties().set({{}, "plan_id"}, plan_id);
  if (p.role) {
    body.set({"IamRoleArn", "iam_role_arn"}, p.role->arn());
  } else {
    body.set_node(l.is_cloudformation() ? "IamRoleArn" : "iam_role_arn", lower_role(l, *this, selection, buckets));
  }
  body.set({"Resources", "resources"}, Value(std::move(arns)));
  selection.properties().set({"BackupSelection", {}}, std::move(nested));
}

void Selection::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.selection_name, "selection_name");
  check.name(p.selection_name, "selection_name", 50, is_backup_name_char, "A-Z a-z 0-9 _.-");
  check.required(p.plan, "plan");
  if (typed_resources(p).empty() && p.resource_arns.empty()) {
    check.error("HS2001",
                "a selection needs at least one resource: set database_clusters, database_instances, "
                "tables, buckets or resource_arns");
  }
  for (const auto& bucket : p.buckets) {
    if (bucket && !bucket->props().versioned) {
      check.error("HS2004", "'buckets' names " + bucket->path() + ", which is not versioned",
                  "AWS Backup backs up versioned buckets only: set versioned on it");
    }
  }
  for (const auto& arn : p.resource_arns) {
    if (auto text = detail::literal_text(arn, *this); text && *text != "*" && !text->starts_with("arn:")) {
      check.error("HS2003", "'resource_arns' value '" + *text + "' is not an ARN (or '*')");
    }
  }
}

}  // namespace hipaa::backup
