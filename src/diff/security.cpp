#include "diff/security.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "diff/replacement.hpp"
#include "diff/statements.hpp"
#include "diff/values.hpp"

namespace hipaa::diff_detail {
namespace {

using doc::Node;

// ---- Safeguard tables ----------------------------------------------------------------------

constexpr std::array kCloudFormationSafeguards = std::to_array<Safeguard>({
    {"StorageEncrypted", "Encryption", Check::TurnedOff, "encryption at rest turned off", false, false},
    {"AtRestEncryptionEnabled", "Encryption", Check::TurnedOff, "encryption at rest turned off", false, false},
    {"TransitEncryptionEnabled", "Encryption", Check::TurnedOff, "encryption in transit turned off", false, false},
    {"Encrypted", "Encryption", Check::TurnedOff, "encryption turned off", false, false},
    {"EnableKeyRotation", "Encryption", Check::TurnedOff, "key rotation turned off", false, false},
    {"CacheDataEncrypted", "Encryption", Check::TurnedOff, "cache encryption turned off", false, false},
    {"KmsKeyId", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"KmsKeyArn", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"KmsMasterKeyId", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"BucketEncryption", "Encryption", Check::Removed, "bucket encryption removed", false, false},
    {"KMSMasterKeyID", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"KMSKeyId", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"PubliclyAccessible", "Public access", Check::TurnedOn, "made publicly accessible", false, false},
    {"MapPublicIpOnLaunch", "Public access", Check::TurnedOn, "public IP addresses assigned on launch", false, false},
    {"AssociatePublicIpAddress", "Public access", Check::TurnedOn, "public IP address associated", false, false},
    {"BlockPublicAcls", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"BlockPublicPolicy", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"IgnorePublicAcls", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"RestrictPublicBuckets", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"PublicAccessBlockConfiguration", "Public access", Check::Removed, "public access block removed", false, false},
    {"AuthorizationType", "Authorization", Check::BecomesNone, "authorization removed", false, false},
    {"AuthType", "Authorization", Check::BecomesNone, "authorization removed", false, false},
    {"ApiKeyRequired", "Authorization", Check::TurnedOff, "API key no longer required", false, false},
    {"EnableIAMDatabaseAuthentication", "Authorization", Check::TurnedOff, "IAM database authentication turned off",
     false, false},
    {"UserGroupIds", "Authorization", Check::Shrinks, "access-control user group removed", false, false},
    {"AuthorizationScopes", "Authorization", Check::Shrinks, "authorization scopes removed", false, false},
    {"ClientCertificateId", "Authorization", Check::Removed, "client certificate removed", false, false},
    {"MfaConfiguration", "Authorization", Check::TurnedOff, "MFA no longer required", false, false},
    {"AdvancedSecurityMode", "Authorization", Check::TurnedOff, "threat protection no longer enforced", false, false},
    {"MinimumLength", "Authorization", Check::Lowered, "minimum password length lowered", true, false},
    {"RequireLowercase", "Authorization", Check::TurnedOff, "passwords need no lowercase letter", false, false},
    {"RequireUppercase", "Authorization", Check::TurnedOff, "passwords need no uppercase letter", false, false},
    {"RequireNumbers", "Authorization", Check::TurnedOff, "passwords need no number", false, false},
    {"RequireSymbols", "Authorization", Check::TurnedOff, "passwords need no symbol", false, false},
    {"AllowAdminCreateUserOnly", "Authorization", Check::TurnedOff, "self sign-up allowed", false, false},
    {"EnableTokenRevocation", "Authorization", Check::TurnedOff, "token revocation turned off", false, false},
    {"PreventUserExistenceErrors", "Authorization", Check::TurnedOff, "sign-in errors reveal which users exist", false,
     false},
    {"EnableCloudwatchLogsExports", "Logging", Check::Shrinks, "log exports removed", false, false},
    {"LoggingConfig", "Logging", Check::Removed, "logging configuration removed", false, false},
    {"TracingConfig", "Logging", Check::Removed, "tracing configuration removed", false, false},
    {"AccessLogSetting", "Logging", Check::Removed, "access logging removed", false, false},
    {"AccessLogSettings", "Logging", Check::Removed, "access logging removed", false, false},
    {"LogDeliveryConfigurations", "Logging", Check::Shrinks, "log delivery removed", false, false},
    {"RetentionInDays", "Logging", Check::Lowered, "log retention shortened", false, false},
    {"EnableLogFileValidation", "Logging", Check::TurnedOff, "log file validation turned off", false, false},
    {"IsLogging", "Logging", Check::TurnedOff, "logging turned off", false, false},
    {"IsMultiRegionTrail", "Logging", Check::TurnedOff, "trail limited to one region", false, false},
    {"IncludeGlobalServiceEvents", "Logging", Check::TurnedOff, "global service events no longer logged", false, false},
    {"CloudWatchLogsLogGroupArn", "Logging", Check::Removed, "CloudWatch Logs delivery removed", false, false},
    {"AdvancedEventSelectors", "Logging", Check::Removed, "data event selectors removed", false, false},
    {"LoggingConfiguration", "Logging", Check::Removed, "access logging removed", false, false},
    {"VersioningConfiguration", "Deletion protection", Check::Removed, "bucket versioning removed", false, false},
    {"ObjectLockConfiguration", "Deletion protection", Check::Removed, "object lock retention removed", false, false},
    {"ReplicationConfiguration", "Backup retention", Check::Removed, "replication removed", false, false},
    {"RedactedFields", "Logging", Check::Shrinks, "log redaction removed", false, false},
    {"DeletionProtection", "Deletion protection", Check::TurnedOff, "deletion protection turned off", false, false},
    {"DeletionProtectionEnabled", "Deletion protection", Check::TurnedOff, "deletion protection turned off", false,
     false},
    {"DeletionPolicy", "Deletion protection", Check::PolicyWeakened, "deletion no longer keeps the data", false, false},
    {"UpdateReplacePolicy", "Deletion protection", Check::PolicyWeakened, "replacement no longer keeps the data", false,
     false},
    {"BackupRetentionPeriod", "Backup retention", Check::Lowered, "backup retention shortened", true, false},
    {"SnapshotRetentionLimit", "Backup retention", Check::Lowered, "snapshot retention shortened", true, false},
    {"ActionsEnabled", "Logging", Check::TurnedOff, "alarm actions turned off", false, false},
    {"AlarmActions", "Logging", Check::Shrinks, "alarm notification removed", false, false},
    {"RedrivePolicy", "Data loss", Check::Removed, "dead-letter queue removed", false, false},
    {"DeadLetterConfig", "Data loss", Check::Removed, "dead-letter target removed", false, false},
    {"MessageRetentionPeriod", "Data loss", Check::Lowered, "message retention shortened", false, false},
    // DynamoDB tables and AWS Backup.
    {"SSEEnabled", "Encryption", Check::TurnedOff, "customer-managed encryption turned off", false, false},
    {"KMSMasterKeyId", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"EncryptionKeyArn", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"LockConfiguration", "Deletion protection", Check::Removed, "vault lock removed", false, false},
    {"PointInTimeRecoveryEnabled", "Backup retention", Check::TurnedOff, "point-in-time recovery turned off", false,
     false},
    {"MinRetentionDays", "Backup retention", Check::Lowered, "vault lock minimum retention shortened", true, false},
    {"DeleteAfterDays", "Backup retention", Check::Lowered, "recovery point retention shortened", false, false},
    {"EnableContinuousBackup", "Backup retention", Check::TurnedOff, "continuous backup turned off", false, false},
    {"CopyActions", "Backup retention", Check::Shrinks, "backup copy removed", false, false},
    {"Resources", "Backup retention", Check::Shrinks, "resource no longer backed up", false, false},
    {"Notifications", "Logging", Check::Removed, "backup notifications removed", false, false},
});

constexpr std::array kTerraformSafeguards = std::to_array<Safeguard>({
    {"storage_encrypted", "Encryption", Check::TurnedOff, "encryption at rest turned off", false, false},
    {"at_rest_encryption_enabled", "Encryption", Check::TurnedOff, "encryption at rest turned off", false, false},
    {"transit_encryption_enabled", "Encryption", Check::TurnedOff, "encryption in transit turned off", false, false},
    {"encrypted", "Encryption", Check::TurnedOff, "encryption turned off", false, false},
    {"encrypt", "Encryption", Check::TurnedOff, "state encryption turned off", false, false},
    {"enable_key_rotation", "Encryption", Check::TurnedOff, "key rotation turned off", false, false},
    {"cache_data_encrypted", "Encryption", Check::TurnedOff, "cache encryption turned off", false, false},
    {"kms_key_id", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"kms_key_arn", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"kms_master_key_id", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"master_user_secret_kms_key_id", "Encryption", Check::Removed, "customer-managed KMS key removed", false, false},
    {"server_side_encryption_configuration", "Encryption", Check::Removed, "bucket encryption removed", false, false},
    {"publicly_accessible", "Public access", Check::TurnedOn, "made publicly accessible", false, false},
    {"map_public_ip_on_launch", "Public access", Check::TurnedOn, "public IP addresses assigned on launch", false,
     false},
    {"associate_public_ip_address", "Public access", Check::TurnedOn, "public IP address associated", false, false},
    {"block_public_acls", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"block_public_policy", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"ignore_public_acls", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"restrict_public_buckets", "Public access", Check::TurnedOff, "public access block relaxed", false, false},
    {"authorization", "Authorization", Check::BecomesNone, "authorization removed", false, false},
    {"authorization_type", "Authorization", Check::BecomesNone, "authorization removed", false, false},
    {"api_key_required", "Authorization", Check::TurnedOff, "API key no longer required", false, false},
    {"iam_database_authentication_enabled", "Authorization", Check::TurnedOff, "IAM database authentication turned off",
     false, false},
    {"user_group_ids", "Authorization", Check::Shrinks, "access-control user group removed", false, false},
    {"authorization_scopes", "Authorization", Check::Shrinks, "authorization scopes removed", false, false},
    {"client_certificate_id", "Authorization", Check::Removed, "client certificate removed", false, false},
    {"mfa_configuration", "Authorization", Check::TurnedOff, "MFA no longer required", false, false},
    {"advanced_security_mode", "Authorization", Check::TurnedOff, "threat protection no longer enforced", false, false},
    {"minimum_length", "Authorization", Check::Lowered, "minimum password length lowered", true, false},
    {"require_lowercase", "Authorization", Check::TurnedOff, "passwords need no lowercase letter", false, false},
    {"require_uppercase", "Authorization", Check::TurnedOff, "passwords need no uppercase letter", false, false},
    {"require_numbers", "Authorization", Check::TurnedOff, "passwords need no number", false, false},
    {"require_symbols", "Authorization", Check::TurnedOff, "passwords need no symbol", false, false},
    {"allow_admin_create_user_only", "Authorization", Check::TurnedOff, "self sign-up allowed", false, false},
    {"enable_token_revocation", "Authorization", Check::TurnedOff, "token revocation turned off", false, false},
    {"prevent_user_existence_errors", "Authorization", Check::TurnedOff, "sign-in errors reveal which users exist",
     false, false},
    {"require_authorization_for_cache_control", "Authorization", Check::TurnedOff,
     "cache invalidation no longer needs authorization", false, false},
    {"enabled_cloudwatch_logs_exports", "Logging", Check::Shrinks, "log exports removed", false, false},
    {"logging_config", "Logging", Check::Removed, "logging configuration removed", false, false},
    {"tracing_config", "Logging", Check::Removed, "tracing configuration removed", false, false},
    {"xray_tracing_enabled", "Logging", Check::TurnedOff, "tracing turned off", false, false},
    {"access_log_settings", "Logging", Check::Removed, "access logging removed", false, false},
    {"log_delivery_configuration", "Logging", Check::Shrinks, "log delivery removed", false, false},
    {"retention_in_days", "Logging", Check::Lowered, "log retention shortened", false, true},
    {"enable_log_file_validation", "Logging", Check::TurnedOff, "log file validation turned off", false, false},
    {"enable_logging", "Logging", Check::TurnedOff, "logging turned off", false, false},
    {"is_multi_region_trail", "Logging", Check::TurnedOff, "trail limited to one region", false, false},
    {"include_global_service_events", "Logging", Check::TurnedOff, "global service events no longer logged", false,
     false},
    {"cloud_watch_logs_group_arn", "Logging", Check::Removed, "CloudWatch Logs delivery removed", false, false},
    {"advanced_event_selector", "Logging", Check::Removed, "data event selectors removed", false, false},
    {"redacted_fields", "Logging", Check::Shrinks, "log redaction removed", false, false},
    {"deletion_protection", "Deletion protection", Check::TurnedOff, "deletion protection turned off", false, false},
    {"skip_final_snapshot", "Deletion protection", Check::TurnedOn, "final snapshot skipped on deletion", false, false},
    {"backup_retention_period", "Backup retention", Check::Lowered, "backup retention shortened", true, false},
    {"snapshot_retention_limit", "Backup retention", Check::Lowered, "snapshot retention shortened", true, false},
    {"actions_enabled", "Logging", Check::TurnedOff, "alarm actions turned off", false, false},
    {"alarm_actions", "Logging", Check::Shrinks, "alarm notification removed", false, false},
    {"redrive_policy", "Data loss", Check::Removed, "dead-letter queue removed", false, false},
    {"dead_letter_config", "Data loss", Check::Removed, "dead-letter target removed", false, false},
    {"message_retention_seconds", "Data loss", Check::Lowered, "message retention shortened", false, false},
    // DynamoDB tables and AWS Backup. "block.argument" names an argument of a nested block.
    {"server_side_encryption.enabled", "Encryption", Check::TurnedOff, "customer-managed encryption turned off", false,
     false},
    {"deletion_protection_enabled", "Deletion protection", Check::TurnedOff, "deletion protection turned off", false,
     false},
    {"point_in_time_recovery.enabled", "Backup retention", Check::TurnedOff, "point-in-time recovery turned off", false,
     false},
    {"min_retention_days", "Backup retention", Check::Lowered, "vault lock minimum retention shortened", true, false},
    {"delete_after", "Backup retention", Check::Lowered, "recovery point retention shortened", false, false},
    {"enable_continuous_backup", "Backup retention", Check::TurnedOff, "continuous backup turned off", false, false},
    {"copy_action", "Backup retention", Check::Shrinks, "backup copy removed", false, false},
    {"resources", "Backup retention", Check::Shrinks, "resource no longer backed up", false, false},
});

// Resources whose removal loses audit logs or backups, or drops a safeguard (Terraform's S3 bucket
// configuration resources).
struct RemovedResource {
  std::string_view type;
  std::string_view category;
  std::string_view detail;
};

constexpr std::array kRemovedResources = std::to_array<RemovedResource>({
    {"AWS::EC2::FlowLog", "Logging", "flow log removed"},
    {"AWS::CloudTrail::Trail", "Logging", "trail removed"},
    {"AWS::Logs::LogGroup", "Logging", "log group removed with its logs"},
    {"AWS::Backup::BackupPlan", "Backup retention", "backup plan removed"},
    {"AWS::WAFv2::LoggingConfiguration", "Logging", "web ACL logging removed"},
    {"AWS::WAFv2::WebACLAssociation", "Public access", "web ACL association removed: WAF no longer inspects requests"},
    {"aws_flow_log", "Logging", "flow log removed"},
    {"aws_cloudtrail", "Logging", "trail removed"},
    {"aws_cloudwatch_log_group", "Logging", "log group removed with its logs"},
    {"aws_backup_plan", "Backup retention", "backup plan removed"},
    {"aws_s3_bucket_server_side_encryption_configuration", "Encryption", "bucket encryption configuration removed"},
    {"aws_s3_bucket_public_access_block", "Public access", "public access block removed"},
    {"aws_s3_bucket_logging", "Logging", "access logging removed"},
    {"aws_s3_bucket_versioning", "Deletion protection", "bucket versioning removed"},
    {"aws_s3_bucket_object_lock_configuration", "Deletion protection", "object lock retention removed"},
    {"aws_s3_bucket_replication_configuration", "Backup retention", "replication removed"},
    {"aws_wafv2_web_acl_logging_configuration", "Logging", "web ACL logging removed"},
    {"aws_wafv2_web_acl_association", "Public access", "web ACL association removed: WAF no longer inspects requests"},
    {"AWS::Backup::BackupSelection", "Backup retention",
     "backup selection removed: its resources are no longer backed up"},
    {"aws_backup_selection", "Backup retention", "backup selection removed: its resources are no longer backed up"},
    {"aws_backup_vault_lock_configuration", "Deletion protection", "vault lock removed"},
    {"aws_backup_vault_notifications", "Logging", "backup notifications removed"},
});

// Resources that hold data: removing or replacing one deletes what it stores.
// Data stores hipaa-synth does not model but other tools' templates may hold; the modelled ones
// come from the nodes' declarations (replacement.hpp: modelled_data_stores()).
constexpr std::array<std::string_view, 6> kOtherDataStores = {"AWS::EFS::FileSystem", "aws_efs_file_system",
                                                              "AWS::S3::Bucket",      "aws_s3_bucket",
                                                              "AWS::DynamoDB::Table", "aws_dynamodb_table"};

bool holds_data(std::string_view type) {
  return std::ranges::binary_search(modelled_data_stores(), type) ||
         std::ranges::find(kOtherDataStores, type) != kOtherDataStores.end();
}

constexpr std::array<std::string_view, 10> kCategoryOrder = {
    "IAM",           "KMS key policy", "Security group",      "Encryption",       "Public access",
    "Authorization", "Logging",        "Deletion protection", "Backup retention", "Data loss"};

std::size_t category_rank(std::string_view category) {
  const auto* const it = std::find(kCategoryOrder.begin(), kCategoryOrder.end(), category);
  return static_cast<std::size_t>(it - kCategoryOrder.begin());
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A switch that is on: true, or the enumerated "on" of a setting that is a string (Cognito's
// MfaConfiguration ON, DeletionProtection ACTIVE, AdvancedSecurityMode ENFORCED,
// PreventUserExistenceErrors ENABLED).
bool switched_on(const Node& node) {
  if (truthy(node)) return true;
  const auto* s = as_string(node);
  return s != nullptr && (*s == "ON" || *s == "ACTIVE" || *s == "ENFORCED" || *s == "ENABLED");
}

bool weakens(const Safeguard& rule, const std::optional<Node>& before, const std::optional<Node>& after) {
  switch (rule.check) {
    case Check::TurnedOff: return before && switched_on(*before) && !(after && switched_on(*after));
    case Check::TurnedOn: return after && truthy(*after) && !(before && truthy(*before));
    case Check::Lowered: {
      if (!before) return false;
      if (!after) return rule.removal_weakens;
      auto a = as_number(*before);
      auto b = as_number(*after);
      if (!a || !b) return false;
      if (rule.zero_is_unlimited) {
        if (*b == 0) return false;
        if (*a == 0) return true;
      }
      return *b < *a;
    }
    case Check::Shrinks:
    case Check::Removed: return before.has_value() && !after.has_value();
    case Check::BecomesNone: {
      const auto* now = after ? as_string(*after) : nullptr;
      const auto* was = before ? as_string(*before) : nullptr;
      return now != nullptr && iequals(*now, "NONE") && !(was != nullptr && iequals(*was, "NONE"));
    }
    case Check::PolicyWeakened: {
      auto keeps = [](const std::optional<Node>& v) {
        const auto* s = v ? as_string(*v) : nullptr;
        return s != nullptr && (*s == "Retain" || *s == "Snapshot" || *s == "RetainExceptOnCreate");
      };
      return keeps(before) && !keeps(after);
    }
  }
  return false;
}

// ---- Facts -------------------------------------------------------------------------------

struct Fact {
  std::string category;
  std::string owner;
  std::string scope;
  std::string noun;  // "statement", "rule", "permission", "policy"
  std::string text;
  bool weakens_when_added = true;
  std::optional<StatementParts> statement;  // for statements: compared field by field
};

void add_statements(const Node& policy, const std::string& category, const std::string& owner, const std::string& scope,
                    std::vector<Fact>& out) {
  const Node* statements = policy.find("Statement");
  if (statements == nullptr) return;
  auto add = [&](const Node& statement) {
    if (as_map(statement) == nullptr) return;
    StatementParts parts = iam_statement(statement);
    out.push_back({category, owner, scope, "statement", statement_text(parts), !parts.deny(), std::move(parts)});
  };
  if (const auto* list = as_list(*statements)) {
    for (const auto& statement : *list) add(statement);
  } else {
    add(*statements);
  }
}

// Policy documents anywhere in a CloudFormation resource's properties: maps with a Statement.
void find_policies(const Node& node, const std::string& path, const std::string& category, const std::string& owner,
                   std::vector<Fact>& out) {
  if (const auto* map = as_map(node)) {
    if (node.find("Statement") != nullptr) {
      add_statements(node, category, owner, path, out);
      return;
    }
    for (const auto& entry : *map) find_policies(entry.value, append_key(path, entry.key), category, owner, out);
  } else if (const auto* list = as_list(node)) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Node& item = (*list)[i];
      const Node* name = item.find("PolicyName");
      const auto* text = name != nullptr ? as_string(*name) : nullptr;
      find_policies(item, text != nullptr ? path + "[" + *text + "]" : append_index(path, i), category, owner, out);
    }
  }
}

bool anywhere(std::string_view cidr) { return cidr == "0.0.0.0/0" || cidr == "::/0"; }

std::string ports_text(const std::string& protocol, const Node* from, const Node* to) {
  if (protocol == "-1" || protocol == "all") return "all traffic";
  std::string out = protocol;
  const std::string a = from != nullptr ? display(*from) : "";
  const std::string b = to != nullptr ? display(*to) : a;
  if (a.empty() || a == "-1") return out;
  return out + (a == b ? " port " + a : " ports " + a + "-" + b);
}

// 255.255.255.255/32 is the placeholder rule that leaves a group with no traffic at all (the
// CDK's and hipaa-synth's "disallow all" egress rule).
constexpr std::string_view kNoTraffic = "255.255.255.255/32";

std::string source_text(std::string_view kind, const std::string& value) {
  if (kind == "cidr") {
    if (anywhere(value)) return value + " (anywhere)";
    if (value == kNoTraffic) return value + " (no traffic)";
    return value;
  }
  return std::string(kind) + " " + value;
}

void add_rule(std::vector<Fact>& out, const std::string& owner, const std::string& scope, bool ingress,
              const std::string& ports, const std::string& source, const std::string& group) {
  std::string text = std::string(ingress ? "ingress " : "egress ") + ports + (ingress ? " from " : " to ") + source;
  if (!group.empty()) text += " on " + group;
  const bool no_traffic = source.starts_with(kNoTraffic);
  out.push_back({"Security group", owner, scope, "rule", text, !no_traffic, std::nullopt});
}

// A CloudFormation rule: an inline SecurityGroupIngress/Egress element or a standalone resource.
void add_cloudformation_rule(const Node& rule, bool ingress, const std::string& owner, const std::string& scope,
                             bool standalone, std::vector<Fact>& out) {
  const Node* protocol = rule.find("IpProtocol");
  const std::string ports =
      ports_text(protocol != nullptr ? display(*protocol) : "-1", rule.find("FromPort"), rule.find("ToPort"));
  std::string group;
  if (standalone) {
    if (const Node* id = rule.find("GroupId"))
      group = display(*id);
    else if (const Node* name = rule.find("GroupName"))
      group = display(*name);
  }
  static constexpr auto kSources = std::to_array<std::pair<std::string_view, std::string_view>>({
      {"CidrIp", "cidr"},
      {"CidrIpv6", "cidr"},
      {"SourceSecurityGroupId", "security group"},
      {"SourceSecurityGroupName", "security group"},
      {"SourcePrefixListId", "prefix list"},
      {"DestinationSecurityGroupId", "security group"},
      {"DestinationPrefixListId", "prefix list"},
  });
  bool any = false;
  for (const auto& [key, kind] : kSources) {
    if (const Node* value = rule.find(key)) {
      add_rule(out, owner, scope, ingress, ports, source_text(kind, display(*value)), group);
      any = true;
    }
  }
  if (!any) add_rule(out, owner, scope, ingress, ports, "(no source)", group);
}

// Managed policies of roles, users and groups, and the principals a managed policy is attached to.
void cloudformation_attachment_facts(const std::string& type, const std::string& id, const Node& props,
                                     std::vector<Fact>& out) {
  if (type == "AWS::IAM::Role" || type == "AWS::IAM::User" || type == "AWS::IAM::Group") {
    for (const auto& arn : values_of(props.find("ManagedPolicyArns"))) {
      out.push_back({"IAM", id, "Properties.ManagedPolicyArns", "managed policy", arn, true, std::nullopt});
    }
  } else if (type == "AWS::IAM::ManagedPolicy") {
    for (std::string_view key : {"Roles", "Users", "Groups"}) {
      for (const auto& principal : values_of(props.find(key))) {
        out.push_back({"IAM", id, append_key("Properties", key), "attachment", principal, true, std::nullopt});
      }
    }
  }
}

// Lambda permissions and security group rules.
void cloudformation_access_facts(const std::string& type, const std::string& id, const Node& props,
                                 std::vector<Fact>& out) {
  if (type == "AWS::Lambda::Permission") {
    auto field = [&](std::string_view key) {
      const Node* v = props.find(key);
      return v != nullptr ? display(*v) : std::string{};
    };
    std::string text = "Allow " + field("Action") + " for " + field("Principal") + " on " + field("FunctionName");
    if (!field("SourceArn").empty()) text += " from " + field("SourceArn");
    if (!field("SourceAccount").empty()) text += " account " + field("SourceAccount");
    if (!field("PrincipalOrgID").empty()) text += " organization " + field("PrincipalOrgID");
    out.push_back({"IAM", id, "", "permission", text, true, std::nullopt});
  } else if (type == "AWS::EC2::SecurityGroup") {
    for (const auto& [key, ingress] :
         {std::pair{"SecurityGroupIngress", true}, std::pair{"SecurityGroupEgress", false}}) {
      const Node* rules = props.find(key);
      if (const auto* list = rules != nullptr ? as_list(*rules) : nullptr) {
        for (const auto& rule : *list)
          add_cloudformation_rule(rule, ingress, id, append_key("Properties", key), false, out);
      }
    }
  } else if (type == "AWS::EC2::SecurityGroupIngress" || type == "AWS::EC2::SecurityGroupEgress") {
    add_cloudformation_rule(props, type == "AWS::EC2::SecurityGroupIngress", id, "", true, out);
  }
}

void cloudformation_facts(const Node& root, std::vector<Fact>& out) {
  const Node* resources = root.find("Resources");
  const auto* map = resources != nullptr ? as_map(*resources) : nullptr;
  if (map == nullptr) return;
  for (const auto& [id, body] : *map) {
    const Node* type_node = body.find("Type");
    const std::string type = type_node != nullptr && as_string(*type_node) != nullptr ? *as_string(*type_node) : "";
    const Node* props = body.find("Properties");
    if (props == nullptr) continue;
    find_policies(*props, "Properties", type == "AWS::KMS::Key" ? "KMS key policy" : "IAM", id, out);
    cloudformation_attachment_facts(type, id, *props, out);
    cloudformation_access_facts(type, id, *props, out);
  }
}

// ---- Terraform ----

// The entries of a block that Terraform JSON may write as an object or an array of objects.
std::vector<const doc::Entry*> entries(const Node* node) {
  std::vector<const doc::Entry*> out;
  if (node == nullptr) return out;
  if (const auto* map = as_map(*node)) {
    for (const auto& e : *map) out.push_back(&e);
  } else if (const auto* list = as_list(*node)) {
    for (const auto& item : *list) {
      if (const auto* m = as_map(item)) {
        for (const auto& e : *m) out.push_back(&e);
      }
    }
  }
  return out;
}

bool is_data_policy_reference(std::string_view value) {
  return value.starts_with("${data.aws_iam_policy_document.") && value.ends_with(".json}") &&
         value.find('}') == value.size() - 1;
}

// A policy argument: JSON text is split into statements; other expressions are one fact.
void add_policy_string(const std::string& value, const std::string& category, const std::string& owner,
                       const std::string& scope, std::vector<Fact>& out) {
  if (is_data_policy_reference(value)) return;  // its statements are the data source's facts
  std::string_view trimmed = value;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n')) trimmed.remove_prefix(1);
  if (trimmed.starts_with("{")) {
    try {
      const Node policy = node_from_json(nlohmann::ordered_json::parse(trimmed.begin(), trimmed.end()));
      if (policy.find("Statement") != nullptr) {
        add_statements(policy, category, owner, scope, out);
        return;
      }
    } catch (const nlohmann::json::exception&) {
      // not JSON: an expression, compared as text below
    }
  }
  out.push_back({category, owner, scope, "policy", value, true, std::nullopt});
}

void add_terraform_rule(const Node& rule, bool ingress, const std::string& owner, const std::string& scope,
                        std::string_view protocol_key, const std::string& group, std::vector<Fact>& out) {
  const Node* protocol = rule.find(protocol_key);
  const std::string ports =
      ports_text(protocol != nullptr ? display(*protocol) : "-1", rule.find("from_port"), rule.find("to_port"));
  static constexpr auto kSources = std::to_array<std::pair<std::string_view, std::string_view>>({
      {"cidr_blocks", "cidr"},
      {"ipv6_cidr_blocks", "cidr"},
      {"cidr_ipv4", "cidr"},
      {"cidr_ipv6", "cidr"},
      {"prefix_list_ids", "prefix list"},
      {"prefix_list_id", "prefix list"},
      {"security_groups", "security group"},
      {"source_security_group_id", "security group"},
      {"referenced_security_group_id", "security group"},
  });
  bool any = false;
  for (const auto& [key, kind] : kSources) {
    for (const auto& value : values_of(rule.find(key))) {
      add_rule(out, owner, scope, ingress, ports, source_text(kind, value), group);
      any = true;
    }
  }
  if (const Node* self = rule.find("self"); self != nullptr && truthy(*self)) {
    add_rule(out, owner, scope, ingress, ports, "itself", group);
    any = true;
  }
  if (!any) add_rule(out, owner, scope, ingress, ports, "(no source)", group);
}

// The texts of the policies of aws_kms_key and aws_kms_key_policy resources.
std::vector<std::string> kms_key_policy_texts(const Node& root) {
  std::vector<std::string> texts;
  for (const auto* type : entries(root.find("resource"))) {
    if (type->key != "aws_kms_key" && type->key != "aws_kms_key_policy") continue;
    for (const auto* resource : entries(&type->value)) {
      for (const Node* body : nested_blocks(&resource->value)) {
        if (const Node* policy = body->find("policy"); policy != nullptr && as_string(*policy) != nullptr) {
          texts.push_back(*as_string(*policy));
        }
      }
    }
  }
  return texts;
}

// The statements of aws_iam_policy_document data sources; key policies are those a KMS key's
// policy refers to.
void policy_document_facts(const Node& root, const std::vector<std::string>& key_policy_texts, std::vector<Fact>& out) {
  for (const auto* type : entries(root.find("data"))) {
    if (type->key != "aws_iam_policy_document") continue;
    for (const auto* data : entries(&type->value)) {
      const std::string owner = "data.aws_iam_policy_document." + data->key;
      const std::string reference = owner + ".";
      const bool key_policy = std::any_of(key_policy_texts.begin(), key_policy_texts.end(),
                                          [&](const std::string& t) { return t.find(reference) != std::string::npos; });
      for (const Node* body : nested_blocks(&data->value)) {
        for (const Node* statement : nested_blocks(body->find("statement"))) {
          StatementParts parts = terraform_statement(*statement);
          out.push_back({key_policy ? "KMS key policy" : "IAM", owner, "", "statement", statement_text(parts),
                         !parts.deny(), std::move(parts)});
        }
      }
    }
  }
}

// Policy arguments, inline policies and managed policy attachments of one resource block.
void terraform_policy_facts(const std::string& t, const std::string& category, const std::string& owner,
                            const Node& body, std::vector<Fact>& out) {
  for (std::string_view key : {"policy", "assume_role_policy"}) {
    if (const Node* policy = body.find(key); policy != nullptr && as_string(*policy) != nullptr) {
      add_policy_string(*as_string(*policy), category, owner, std::string(key), out);
    }
  }
  for (const Node* inline_policy : nested_blocks(body.find("inline_policy"))) {
    const Node* name = inline_policy->find("name");
    const Node* policy = inline_policy->find("policy");
    if (policy != nullptr && as_string(*policy) != nullptr) {
      add_policy_string(*as_string(*policy), category, owner,
                        fmt::format("inline_policy[{}]", name != nullptr ? display(*name) : ""), out);
    }
  }
  if (t == "aws_iam_role") {
    for (const auto& arn : values_of(body.find("managed_policy_arns"))) {
      out.push_back({"IAM", owner, "managed_policy_arns", "managed policy", arn, true, std::nullopt});
    }
  } else if (t == "aws_iam_role_policy_attachment") {
    const Node* arn = body.find("policy_arn");
    const Node* role = body.find("role");
    out.push_back({"IAM", owner, "", "managed policy",
                   (arn != nullptr ? display(*arn) : "") + " attached to " + (role != nullptr ? display(*role) : ""),
                   true, std::nullopt});
  }
}

// Lambda permissions and security group rules of one resource block.
void terraform_access_facts(const std::string& t, const std::string& owner, const Node& body, std::vector<Fact>& out) {
  if (t == "aws_lambda_permission") {
    auto field = [&](std::string_view k) {
      const Node* v = body.find(k);
      return v != nullptr ? display(*v) : std::string{};
    };
    std::string text = "Allow " + field("action") + " for " + field("principal") + " on " + field("function_name");
    if (!field("source_arn").empty()) text += " from " + field("source_arn");
    if (!field("source_account").empty()) text += " account " + field("source_account");
    if (!field("principal_org_id").empty()) text += " organization " + field("principal_org_id");
    out.push_back({"IAM", owner, "", "permission", text, true, std::nullopt});
  } else if (t == "aws_security_group") {
    for (const auto& [key, ingress] : {std::pair{"ingress", true}, std::pair{"egress", false}}) {
      for (const Node* rule : nested_blocks(body.find(key)))
        add_terraform_rule(*rule, ingress, owner, key, "protocol", "", out);
    }
  } else if (t == "aws_vpc_security_group_ingress_rule" || t == "aws_vpc_security_group_egress_rule") {
    const Node* group = body.find("security_group_id");
    add_terraform_rule(body, t == "aws_vpc_security_group_ingress_rule", owner, "", "ip_protocol",
                       group != nullptr ? display(*group) : "", out);
  } else if (t == "aws_security_group_rule") {
    const Node* direction = body.find("type");
    const Node* group = body.find("security_group_id");
    const bool ingress = direction == nullptr || display(*direction) != "egress";
    add_terraform_rule(body, ingress, owner, "", "protocol", group != nullptr ? display(*group) : "", out);
  }
}

void terraform_facts(const Node& root, std::vector<Fact>& out) {
  // Which policy documents are key policies: referenced by an aws_kms_key(_policy) policy.
  const std::vector<std::string> key_policy_texts = kms_key_policy_texts(root);
  policy_document_facts(root, key_policy_texts, out);
  for (const auto* type : entries(root.find("resource"))) {
    const std::string& t = type->key;
    const std::string category = (t == "aws_kms_key" || t == "aws_kms_key_policy") ? "KMS key policy" : "IAM";
    for (const auto* resource : entries(&type->value)) {
      const std::string owner = t + "." + resource->key;
      for (const Node* body : nested_blocks(&resource->value)) {
        terraform_policy_facts(t, category, owner, *body, out);
        terraform_access_facts(t, owner, *body, out);
      }
    }
  }
}

std::vector<Fact> facts(const LoadedDocument& document) {
  std::vector<Fact> out;
  if (document.kind == DocumentKind::CloudFormation) {
    cloudformation_facts(document.root, out);
  } else {
    terraform_facts(document.root, out);
  }
  return out;
}

using FactKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;

std::map<FactKey, std::vector<const Fact*>> by_key(const std::vector<Fact>& list) {
  std::map<FactKey, std::vector<const Fact*>> out;
  for (const auto& f : list) out[{f.category, f.owner, f.scope, f.noun, f.text}].push_back(&f);
  return out;
}

// A data store removed or replaced. CloudFormation keeps the data when the resource's
// DeletionPolicy (removal: the old template's) or UpdateReplacePolicy (replacement: the template
// being deployed) is Retain or Snapshot; Terraform when the old resource takes a final snapshot.
SecurityFinding data_loss(const LoadedDocument& old_document, const LoadedDocument& new_document,
                          const Change& change) {
  const bool removed = change.kind == ChangeKind::Removed;
  std::string detail = removed                                     ? "data store removed"
                       : change.replacement == Replacement::Always ? "data store replaced by a new, empty one"
                                                                   : "data store may be replaced by a new, empty one";
  std::string kept;
  if (new_document.kind == DocumentKind::CloudFormation) {
    const LoadedDocument& source = removed ? old_document : new_document;
    const std::string_view attribute = removed ? "DeletionPolicy" : "UpdateReplacePolicy";
    const Node* resources = source.root.find("Resources");
    const Node* body = resources != nullptr ? resources->find(change.id) : nullptr;
    const Node* policy = body != nullptr ? body->find(attribute) : nullptr;
    const auto* name = policy != nullptr ? as_string(*policy) : nullptr;
    if (name != nullptr && (*name == "Retain" || *name == "Snapshot" || *name == "RetainExceptOnCreate")) {
      kept = fmt::format("{} {} keeps the old data", attribute, *name);
    }
  } else {
    // resource.<type>.<name> of the old document, as the destroy uses the prior state.
    const auto dot = change.id.find('.');
    const Node* types = old_document.root.find("resource");
    const Node* resources = types != nullptr ? types->find(change.type) : nullptr;
    const Node* body =
        resources != nullptr && dot != std::string::npos ? resources->find(change.id.substr(dot + 1)) : nullptr;
    if (body != nullptr) {
      const Node* skip = body->find("skip_final_snapshot");
      if (body->find("final_snapshot_identifier") != nullptr && !(skip != nullptr && truthy(*skip))) {
        kept = "a final snapshot keeps the old data";
      }
    }
  }
  detail += kept.empty() ? (removed ? "; its data is deleted" : "; the old data is deleted") : "; " + kept;
  return {"Data loss", change.id, "", detail, std::nullopt, std::nullopt, kept.empty()};
}

// The facts of one document not matched by an equal fact of the other: for each key, those past
// the other document's count.
std::vector<const Fact*> unmatched(const std::map<FactKey, std::vector<const Fact*>>& mine,
                                   const std::map<FactKey, std::vector<const Fact*>>& theirs) {
  std::vector<const Fact*> out;
  for (const auto& [key, list] : mine) {
    const auto it = theirs.find(key);
    const std::size_t matched = it == theirs.end() ? 0 : it->second.size();
    for (std::size_t i = matched; i < list.size(); ++i) out.push_back(list[i]);
  }
  return out;
}

bool same_policy(const Fact& a, const Fact& b) {
  return a.statement && b.statement && std::tie(a.category, a.owner, a.scope) == std::tie(b.category, b.owner, b.scope);
}

// Pairs each removed statement with the added statement that is its new version: the one with
// its Sid, else the one of the same policy with the same effect sharing the most values. Paired
// facts are taken out of both lists.
std::vector<std::pair<const Fact*, const Fact*>> pair_statements(std::vector<const Fact*>& removed,
                                                                 std::vector<const Fact*>& added) {
  std::vector<std::pair<const Fact*, const Fact*>> pairs;
  auto pair_by = [&](auto&& score) {
    for (auto& old_fact : removed) {
      std::size_t best_score = 0;
      const Fact** best = nullptr;
      for (auto& new_fact : added) {
        if (old_fact == nullptr || new_fact == nullptr || !same_policy(*old_fact, *new_fact)) continue;
        const std::size_t s = score(*old_fact->statement, *new_fact->statement);
        if (s > best_score) {
          best_score = s;
          best = &new_fact;
        }
      }
      if (best == nullptr) continue;
      pairs.emplace_back(old_fact, *best);
      old_fact = nullptr;
      *best = nullptr;
    }
  };
  pair_by([](const StatementParts& a, const StatementParts& b) -> std::size_t {
    return !a.sid.empty() && a.sid == b.sid ? 1 : 0;
  });
  pair_by(match_score);
  std::erase(removed, nullptr);
  std::erase(added, nullptr);
  return pairs;
}

// "statement ReadSecret modified: widened: actions added s3:PutObject; narrowed: ...", with the
// old and new texts as the finding's values.
SecurityFinding modified_statement(const Fact& before, const Fact& after) {
  const StatementParts& old_parts = *before.statement;
  const StatementParts& new_parts = *after.statement;
  std::string detail = "statement";
  if (old_parts.sid == new_parts.sid && !new_parts.sid.empty()) detail += " " + new_parts.sid;
  detail += " modified";
  if (old_parts.sid != new_parts.sid) {
    auto sid = [](const std::string& s) { return s.empty() ? std::string("(none)") : s; };
    detail += " (Sid " + sid(old_parts.sid) + " -> " + sid(new_parts.sid) + ")";
  }
  const StatementDelta delta = compare_statements(old_parts, new_parts);
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  if (!delta.widened.empty()) detail += "; widened: " + list(delta.widened);
  if (!delta.narrowed.empty()) detail += "; narrowed: " + list(delta.narrowed);
  return {after.category,    after.owner,      after.scope,           detail,
          Node(before.text), Node(after.text), !delta.widened.empty()};
}

// Statements, permissions and rules added or removed, and statements modified.
void add_fact_findings(const LoadedDocument& old_document, const LoadedDocument& new_document,
                       std::vector<SecurityFinding>& out) {
  const std::vector<Fact> old_facts = facts(old_document);
  const std::vector<Fact> new_facts = facts(new_document);
  const auto before = by_key(old_facts);
  const auto after = by_key(new_facts);
  std::vector<const Fact*> added = unmatched(after, before);
  std::vector<const Fact*> removed = unmatched(before, after);
  for (const auto& [old_fact, new_fact] : pair_statements(removed, added)) {
    out.push_back(modified_statement(*old_fact, *new_fact));
  }
  for (const Fact* f : added) {
    out.push_back({f->category, f->owner, f->scope, f->noun + " added: " + f->text, std::nullopt, std::nullopt,
                   f->weakens_when_added});
  }
  for (const Fact* f : removed) {
    out.push_back({f->category, f->owner, f->scope, f->noun + " removed: " + f->text, std::nullopt, std::nullopt,
                   !f->weakens_when_added});
  }
}

// Safeguard switches weakened by the property changes of a modified resource or setting, and
// (into `strengthened`) those strengthened: a change is a strengthening exactly when its reverse
// would be a weakening (encryption turned on, public access turned off, retention raised).
void add_safeguard_findings(const Change& change, bool cloudformation, std::span<const Safeguard> rules,
                            std::vector<SecurityFinding>& out, std::vector<SecurityFinding>& strengthened) {
  for (const PropertyChange& p : change.properties) {
    const std::string first = first_key(p.path);
    if (cloudformation && first != "Properties" && first != "DeletionPolicy" && first != "UpdateReplacePolicy")
      continue;
    if (cloudformation && first == "Properties" && after_first_key(p.path).empty()) continue;
    const std::string key = last_key(p.path);
    // "block.argument" entries name an argument by its block too, for generic names ("enabled").
    const auto dot = p.path.rfind("." + key);
    const std::string qualified =
        dot == std::string::npos || dot == 0 ? key : last_key(std::string_view(p.path).substr(0, dot)) + "." + key;
    const auto rule = std::find_if(rules.begin(), rules.end(),
                                   [&](const Safeguard& s) { return s.key == key || s.key == qualified; });
    if (rule == rules.end()) continue;
    if (weakens(*rule, p.before, p.after)) {
      out.push_back(
          {std::string(rule->category), change.id, p.path, std::string(rule->detail), p.before, p.after, true});
    } else if (weakens(*rule, p.after, p.before)) {
      strengthened.push_back({std::string(rule->category), change.id, p.path, "reverses: " + std::string(rule->detail),
                              p.before, p.after, false});
    }
  }
}

}  // namespace

std::span<const Safeguard> cloudformation_safeguards() { return kCloudFormationSafeguards; }
std::span<const Safeguard> terraform_safeguards() { return kTerraformSafeguards; }

void add_security_findings(const LoadedDocument& old_document, const LoadedDocument& new_document, DiffReport& report) {
  const std::vector<Change>& changes = report.changes;
  std::vector<SecurityFinding>& out = report.security;

  // Statements, permissions and rules added or removed.
  add_fact_findings(old_document, new_document, out);

  // Safeguard switches.
  const bool cloudformation = new_document.kind == DocumentKind::CloudFormation;
  const auto rules = cloudformation ? cloudformation_safeguards() : terraform_safeguards();
  for (const Change& change : changes) {
    const bool resource = cloudformation ? change.section == "Resources" : change.section == "resource";
    bool reported = false;
    if (change.kind == ChangeKind::Removed && resource) {
      for (const auto& r : kRemovedResources) {
        if (r.type == change.type) {
          out.push_back(
              {std::string(r.category), change.id, "", std::string(r.detail), std::nullopt, std::nullopt, true});
          reported = true;
        }
      }
    }
    const bool data_store = resource && holds_data(change.type);
    if (data_store && !reported && (change.kind == ChangeKind::Removed || change.replacement != Replacement::None)) {
      out.push_back(data_loss(old_document, new_document, change));
    }
    if (change.kind != ChangeKind::Modified) continue;
    if (!resource && !(!cloudformation && change.section == "terraform")) continue;
    add_safeguard_findings(change, cloudformation, rules, out, report.strengthening);
  }

  for (auto* list : {&out, &report.strengthening}) {
    std::stable_sort(list->begin(), list->end(), [](const SecurityFinding& a, const SecurityFinding& b) {
      const std::size_t ra = category_rank(a.category);
      const std::size_t rb = category_rank(b.category);
      if (ra != rb) return ra < rb;
      return std::tie(a.resource, a.path, a.detail) < std::tie(b.resource, b.path, b.detail);
    });
  }
}

}  // namespace hipaa::diff_detail
