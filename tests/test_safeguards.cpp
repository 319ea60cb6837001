// Both targets carry the same safeguards: for every node of the healthcare stack's presets and of
// the showcase app (tests/showcase: every node with its options on), the
// encryption, retention, logging, backup and access settings of its CloudFormation resource and
// of its Terraform resources are compared, value by value. A reference compares by the resource
// it points at (`!GetAtt DataKey.Arn` is `${aws_kms_key.data_key.arn}`).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aws/catalog.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/lowering.hpp"
#include "hipaa/node.hpp"
#include "showcase/showcase.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// One safeguard of one node: where CloudFormation and Terraform keep it. The Terraform value may
// sit in a secondary resource of the node (`tf_suffix`, as given to Lowering::add), and both paths
// may go into nested objects ("TracingConfig/Mode"; a list's first element is "0"). A path of
// "@removal" compares what happens to the data when the resource is deleted.
struct Safeguard {
  std::string_view node;
  std::string_view what;
  std::string_view cfn_path;
  std::string_view tf_path;
  std::string_view tf_suffix = {};
  std::string_view cfn_suffix = {};
};

constexpr Safeguard kSafeguards[] = {
    {"kms::Key", "rotation", "EnableKeyRotation", "enable_key_rotation"},
    {"kms::Key", "deletion window", "PendingWindowInDays", "deletion_window_in_days"},
    {"logs::LogGroup", "retention", "RetentionInDays", "retention_in_days"},
    {"logs::LogGroup", "encryption key", "KmsKeyId", "kms_key_id"},
    {"ec2::Subnet", "public IPs", "MapPublicIpOnLaunch", "map_public_ip_on_launch"},
    {"ec2::FlowLog", "traffic", "TrafficType", "traffic_type"},
    {"ec2::FlowLog", "destination", "LogGroupName", "log_group_name"},
    {"ec2::SecurityGroupIngress", "protocol", "IpProtocol", "ip_protocol"},
    {"ec2::SecurityGroupIngress", "source group", "SourceSecurityGroupId", "referenced_security_group_id"},
    {"ec2::SecurityGroupEgress", "protocol", "IpProtocol", "ip_protocol"},
    {"ec2::SecurityGroupEgress", "destination group", "DestinationSecurityGroupId", "referenced_security_group_id"},
    {"ec2::SecurityGroupEgress", "destination CIDR", "CidrIp", "cidr_ipv4"},
    {"ec2::VpcEndpoint", "private DNS", "PrivateDnsEnabled", "private_dns_enabled"},
    {"rds::DatabaseCluster", "encryption", "StorageEncrypted", "storage_encrypted"},
    {"rds::DatabaseCluster", "encryption key", "KmsKeyId", "kms_key_id"},
    {"rds::DatabaseCluster", "secret key", "MasterUserSecret/KmsKeyId", "master_user_secret_kms_key_id"},
    {"rds::DatabaseCluster", "backups", "BackupRetentionPeriod", "backup_retention_period"},
    {"rds::DatabaseCluster", "deletion protection", "DeletionProtection", "deletion_protection"},
    {"rds::DatabaseCluster", "log exports", "EnableCloudwatchLogsExports", "enabled_cloudwatch_logs_exports"},
    {"rds::DatabaseCluster", "IAM authentication", "EnableIAMDatabaseAuthentication",
     "iam_database_authentication_enabled"},
    {"rds::DatabaseCluster", "removal", "@removal", "@removal"},
    {"rds::DatabaseClusterInstance", "public access", "PubliclyAccessible", "publicly_accessible"},
    {"rds::DatabaseClusterInstance", "minor upgrades", "AutoMinorVersionUpgrade", "auto_minor_version_upgrade"},
    {"rds::DatabaseClusterInstance", "monitoring", "MonitoringInterval", "monitoring_interval"},
    {"rds::DatabaseClusterInstance", "Performance Insights", "EnablePerformanceInsights",
     "performance_insights_enabled"},
    {"rds::DatabaseClusterInstance", "Performance Insights key", "PerformanceInsightsKMSKeyId",
     "performance_insights_kms_key_id"},
    {"rds::DatabaseInstance", "encryption", "StorageEncrypted", "storage_encrypted"},
    {"rds::DatabaseInstance", "encryption key", "KmsKeyId", "kms_key_id"},
    {"rds::DatabaseInstance", "backups", "BackupRetentionPeriod", "backup_retention_period"},
    {"rds::DatabaseInstance", "deletion protection", "DeletionProtection", "deletion_protection"},
    {"rds::DatabaseInstance", "log exports", "EnableCloudwatchLogsExports", "enabled_cloudwatch_logs_exports"},
    {"rds::DatabaseInstance", "multi-AZ", "MultiAZ", "multi_az"},
    {"rds::DatabaseInstance", "public access", "PubliclyAccessible", "publicly_accessible"},
    {"rds::DatabaseInstance", "monitoring", "MonitoringInterval", "monitoring_interval"},
    {"rds::DatabaseInstance", "removal", "@removal", "@removal"},
    {"elasticache::ReplicationGroup", "encryption at rest", "AtRestEncryptionEnabled", "at_rest_encryption_enabled"},
    {"elasticache::ReplicationGroup", "encryption key", "KmsKeyId", "kms_key_id"},
    {"elasticache::ReplicationGroup", "TLS", "TransitEncryptionEnabled", "transit_encryption_enabled"},
    {"elasticache::ReplicationGroup", "snapshots", "SnapshotRetentionLimit", "snapshot_retention_limit"},
    {"elasticache::ReplicationGroup", "failover", "AutomaticFailoverEnabled", "automatic_failover_enabled"},
    {"elasticache::ReplicationGroup", "multi-AZ", "MultiAZEnabled", "multi_az_enabled"},
    {"elasticache::ReplicationGroup", "user groups", "UserGroupIds", "user_group_ids"},
    {"lambda::Function", "environment key", "KmsKeyArn", "kms_key_arn"},
    {"lambda::Function", "tracing", "TracingConfig/Mode", "tracing_config/mode"},
    {"lambda::Function", "concurrency", "ReservedConcurrentExecutions", "reserved_concurrent_executions"},
    {"lambda::Function", "subnets", "VpcConfig/SubnetIds", "vpc_config/subnet_ids"},
    {"lambda::Function", "log group", "LoggingConfig/LogGroup", "logging_config/log_group"},
    {"apigateway::Method", "authorization", "AuthorizationType", "authorization"},
    {"apigateway::Stage", "tracing", "TracingEnabled", "xray_tracing_enabled"},
    {"apigateway::Stage", "access logs", "AccessLogSetting/DestinationArn", "access_log_settings/destination_arn"},
    {"apigateway::Stage", "execution logs", "MethodSettings/0/LoggingLevel", "settings/logging_level",
     "MethodSettings"},
    {"apigateway::Stage", "data trace", "MethodSettings/0/DataTraceEnabled", "settings/data_trace_enabled",
     "MethodSettings"},
    {"apigatewayv2::Stage", "access logs", "AccessLogSettings/DestinationArn", "access_log_settings/destination_arn"},
    {"apigatewayv2::Route", "authorization", "AuthorizationType", "authorization_type"},
    {"lambda::Function", "dead-letter target", "DeadLetterConfig/TargetArn", "dead_letter_config/target_arn"},
    {"secretsmanager::Secret", "encryption key", "KmsKeyId", "kms_key_id"},
    {"s3::Bucket", "encryption",
     "BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm",
     "rule/apply_server_side_encryption_by_default/sse_algorithm", "Encryption"},
    {"s3::Bucket", "encryption key",
     "BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/KMSMasterKeyID",
     "rule/apply_server_side_encryption_by_default/kms_master_key_id", "Encryption"},
    {"s3::Bucket", "bucket key", "BucketEncryption/ServerSideEncryptionConfiguration/0/BucketKeyEnabled",
     "rule/bucket_key_enabled", "Encryption"},
    {"s3::Bucket", "versioning", "VersioningConfiguration/Status", "versioning_configuration/status", "Versioning"},
    {"s3::Bucket", "public ACLs blocked", "PublicAccessBlockConfiguration/BlockPublicAcls", "block_public_acls",
     "PublicAccessBlock"},
    {"s3::Bucket", "public policies blocked", "PublicAccessBlockConfiguration/BlockPublicPolicy", "block_public_policy",
     "PublicAccessBlock"},
    {"s3::Bucket", "public ACLs ignored", "PublicAccessBlockConfiguration/IgnorePublicAcls", "ignore_public_acls",
     "PublicAccessBlock"},
    {"s3::Bucket", "public buckets restricted", "PublicAccessBlockConfiguration/RestrictPublicBuckets",
     "restrict_public_buckets", "PublicAccessBlock"},
    {"s3::Bucket", "object ownership", "OwnershipControls/Rules/0/ObjectOwnership", "rule/object_ownership",
     "OwnershipControls"},
    {"s3::Bucket", "removal", "@removal", "@removal"},
    {"cloudtrail::Trail", "encryption key", "KMSKeyId", "kms_key_id"},
    {"cloudtrail::Trail", "every region", "IsMultiRegionTrail", "is_multi_region_trail"},
    {"cloudtrail::Trail", "global events", "IncludeGlobalServiceEvents", "include_global_service_events"},
    {"cloudtrail::Trail", "log file validation", "EnableLogFileValidation", "enable_log_file_validation"},
    {"cloudtrail::Trail", "logging", "IsLogging", "enable_logging"},
    {"cloudtrail::Trail", "CloudWatch Logs delivery", "CloudWatchLogsLogGroupArn", "cloud_watch_logs_group_arn"},
    {"sqs::Queue", "encryption key", "KmsMasterKeyId", "kms_master_key_id"},
    {"sqs::Queue", "retention", "MessageRetentionPeriod", "message_retention_seconds"},
    {"sqs::Queue", "removal", "@removal", "@removal"},
    {"sns::Topic", "encryption key", "KmsMasterKeyId", "kms_master_key_id"},
    {"cloudwatch::Alarm", "actions", "ActionsEnabled", "actions_enabled"},
    {"cloudwatch::Alarm", "alarm actions", "AlarmActions", "alarm_actions"},
    {"cloudwatch::Alarm", "threshold", "Threshold", "threshold"},
    {"cognito::UserPool", "MFA", "MfaConfiguration", "mfa_configuration"},
    {"cognito::UserPool", "threat protection", "UserPoolAddOns/AdvancedSecurityMode",
     "user_pool_add_ons/advanced_security_mode"},
    {"cognito::UserPool", "password length", "Policies/PasswordPolicy/MinimumLength", "password_policy/minimum_length"},
    {"cognito::UserPool", "deletion protection", "DeletionProtection", "deletion_protection"},
    {"cognito::UserPool", "removal", "@removal", "@removal"},
    {"wafv2::WebAcl", "log redaction", "RedactedFields/0/SingleHeader/Name", "redacted_fields/0/single_header/name",
     "Logging", "Logging"},
    {"apigateway::Stage", "client certificate", "ClientCertificateId", "client_certificate_id"},
    {"apigateway::Stage", "cache", "CacheClusterEnabled", "cache_cluster_enabled"},
    {"apigateway::Stage", "cache encryption", "MethodSettings/0/CacheDataEncrypted", "settings/cache_data_encrypted",
     "MethodSettings"},
    {"dynamodb::Table", "encryption", "SSESpecification/SSEEnabled", "server_side_encryption/enabled"},
    {"dynamodb::Table", "encryption key", "SSESpecification/KMSMasterKeyId", "server_side_encryption/kms_key_arn"},
    {"dynamodb::Table", "point-in-time recovery", "PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled",
     "point_in_time_recovery/enabled"},
    {"dynamodb::Table", "deletion protection", "DeletionProtectionEnabled", "deletion_protection_enabled"},
    {"dynamodb::Table", "removal", "@removal", "@removal"},
    {"backup::Vault", "encryption key", "EncryptionKeyArn", "kms_key_arn"},
    {"backup::Vault", "lock", "LockConfiguration/MinRetentionDays", "min_retention_days", "Lock"},
    {"backup::Vault", "removal", "@removal", "@removal"},
    {"backup::Plan", "schedule", "BackupPlan/BackupPlanRule/0/ScheduleExpression", "rule/0/schedule"},
    {"backup::Plan", "retention", "BackupPlan/BackupPlanRule/0/Lifecycle/DeleteAfterDays",
     "rule/0/lifecycle/delete_after"},
    {"backup::Selection", "what is protected", "BackupSelection/Resources", "resources"},
};

// The value at a '/'-separated path, or null.
json at(const json& body, std::string_view path) {
  const json* node = &body;
  while (!path.empty()) {
    const auto slash = std::min(path.find('/'), path.size());
    const std::string key(path.substr(0, slash));
    path.remove_prefix(std::min(slash + 1, path.size()));
    if (node->is_array()) {
      const std::size_t index = std::stoul(key);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else if (node->is_object() && node->contains(key)) {
      node = &(*node)[key];
    } else {
      return nullptr;
    }
  }
  return *node;
}

// An interpolated string in a form both targets share: CloudFormation's Fn::Sub placeholders and
// Terraform's template expressions become <partition>, <region>, <account>, <url_suffix> and
// <ref snake_case_name> (a resource, or a stack parameter / variable).
std::string template_text(const std::string& text, bool cloudformation) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto open = text.find("${", at);
    if (open == std::string::npos) break;
    const auto close = text.find('}', open);
    if (close == std::string::npos) break;
    out += text.substr(at, open - at);
    const std::string inner = text.substr(open + 2, close - open - 2);
    static const std::map<std::string, std::string> kPseudo = {
        {"AWS::Partition", "<partition>"},
        {"AWS::Region", "<region>"},
        {"AWS::AccountId", "<account>"},
        {"AWS::URLSuffix", "<url_suffix>"},
        {"data.aws_partition.current.partition", "<partition>"},
        {"data.aws_region.current.name", "<region>"},
        {"data.aws_caller_identity.current.account_id", "<account>"},
        {"data.aws_partition.current.dns_suffix", "<url_suffix>"}};
    if (const auto it = kPseudo.find(inner); it != kPseudo.end()) {
      out += it->second;
    } else if (cloudformation) {
      out += "<ref " + snake_case(inner.substr(0, inner.find('.'))) + ">";  // ${Id} or ${Id.Attribute}
    } else {
      const auto first = inner.find('.');
      const auto second = inner.find('.', first + 1);
      out += "<ref " + inner.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1) +
             ">";  // ${type.name.attribute} or ${var.name}
    }
    at = close + 1;
  }
  return out + text.substr(at);
}

json canonical(const json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const auto& item : value) out.push_back(canonical(item));
    return out;
  }
  if (value.is_object() && value.size() == 1) {
    if (value.contains("Fn::Sub") && value["Fn::Sub"].is_string()) {
      return template_text(value["Fn::Sub"].get<std::string>(), true);
    }
    if (value.contains("Ref")) return "ref " + snake_case(value["Ref"].get<std::string>());
    if (value.contains("Fn::GetAtt")) {
      const json& args = value["Fn::GetAtt"];
      return "ref " + snake_case(args[0].get<std::string>()) + " " + args[1].get<std::string>();
    }
  }
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    // ${aws_type.name.attribute}, or a log group's ARN with ":*" for its streams (CloudFormation's
    // GetAtt Arn has it already).
    const auto close = text.find('}');
    const bool whole = text.starts_with("${") && close != std::string::npos &&
                       text.find("${", 2) == std::string::npos &&
                       (close + 1 == text.size() || text.substr(close + 1) == ":*");
    if (whole) {
      const std::string expression = text.substr(2, close - 2);
      const auto first = expression.find('.');
      const auto second = expression.find('.', first + 1);
      if (first != std::string::npos && second != std::string::npos) {
        return std::string("ref ") + expression.substr(first + 1, second - first - 1) + " " +
               expression.substr(second + 1);
      }
    }
    if (text.find("${") != std::string::npos) return template_text(text, false);
    return text;
  }
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) return std::to_string(value.get<double>());
  return value;
}

// A reference compares by its target: attribute names differ per target ("Arn" / "arn",
// "GroupId" / "id"), so only the resource is kept.
json target_of(const json& canonical_value) {
  if (canonical_value.is_array()) {
    json out = json::array();
    for (const auto& item : canonical_value) out.push_back(target_of(item));
    return out;
  }
  if (canonical_value.is_string()) {
    const auto text = canonical_value.get<std::string>();
    if (text.starts_with("ref ")) return text.substr(0, text.find(' ', 4));
  }
  return canonical_value;
}

// What deleting the resource does to its data: "deleted", "snapshot" or "retained".
std::string cfn_removal(const json& resource) {
  const std::string policy = resource.value("DeletionPolicy", "Delete");
  return policy == "Retain" ? "retained" : policy == "Snapshot" ? "snapshot" : "deleted";
}
std::string tf_removal(const json& resource) {
  if (at(resource, "lifecycle/prevent_destroy") == true) return "retained";
  if (resource.contains("skip_final_snapshot"))
    return resource["skip_final_snapshot"] == false ? "snapshot" : "deleted";
  return "deleted";
}

struct Compared {
  std::size_t values = 0;
  std::set<std::string> nodes;
};

void compare_app(const App& app, Compared& compared) {
  const json cfn = test::cfn(app)["Resources"];
  const json tf = test::tf(app)["resource"];
  for (const Stack* stack : app.stacks()) {
    for (const Resource* resource : stack->resources()) {
      for (const Safeguard& s : kSafeguards) {
        if (resource->info().name != s.node) continue;
        INFO(resource->path() << ": " << s.what);
        const std::string cfn_id = resource->logical_id() + std::string(s.cfn_suffix);
        if (s.cfn_suffix.empty()) REQUIRE(cfn.contains(cfn_id));
        const json absent_resource = json::object();
        const json& cfn_resource = cfn.contains(cfn_id) ? cfn[cfn_id] : absent_resource;
        std::string tf_type(resource->type().terraform);
        std::string tf_name = resource->terraform_name();
        if (!s.tf_suffix.empty()) {
          tf_name += "_" + snake_case(s.tf_suffix);
          tf_type.clear();  // a secondary resource: found by name among every type
          for (const auto& [type, blocks] : tf.items()) {
            if (blocks.contains(tf_name)) tf_type = type;
          }
        }
        // A secondary resource that is not there (a vault without a lock) compares as absent.
        const json absent = nullptr;
        const bool present = tf.contains(tf_type) && tf[tf_type].contains(tf_name);
        if (s.tf_suffix.empty()) REQUIRE(present);
        const json& tf_resource = present ? tf[tf_type][tf_name] : absent;
        if (s.cfn_path == "@removal") {
          CHECK(cfn_removal(cfn_resource) == tf_removal(tf_resource));
        } else {
          const json cfn_value = canonical(at(cfn_resource.value("Properties", json::object()), s.cfn_path));
          const json tf_value = canonical(at(tf_resource, s.tf_path));
          INFO("CloudFormation " << cfn_value.dump() << ", Terraform " << tf_value.dump());
          CHECK(target_of(cfn_value) == target_of(tf_value));
        }
        ++compared.values;
        compared.nodes.insert(std::string(s.node));
      }
    }
  }
}

}  // namespace

TEST_CASE("Both targets carry the same encryption, retention, logging, backup and access settings, node by node",
          "[safeguards]") {
  Compared compared;
  for (Preset preset : {Preset::Hardened, Preset::Processing, Preset::Records}) {
    INFO("preset " << to_string(preset));
    App app;
    app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(preset));
    compare_app(app, compared);
  }
  {
    INFO("the showcase app: every node");
    App app;
    showcase::build(app);
    compare_app(app, compared);
  }
  // Every node the table names was found and compared somewhere.
  std::set<std::string> named;
  for (const Safeguard& s : kSafeguards) named.insert(std::string(s.node));
  CHECK(compared.nodes == named);
  CHECK(compared.values > 300);
}

TEST_CASE("Every typed node is in what the conformance check validates: the presets or the showcase app",
          "[safeguards]") {
  std::set<std::string_view> used;
  auto collect = [&](const App& app) {
    for (const Stack* stack : app.stacks()) {
      for (const Resource* r : stack->resources()) used.insert(r->info().name);
    }
  };
  for (Preset preset : {Preset::Hardened, Preset::Processing, Preset::Records}) {
    App app;
    app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(preset));
    collect(app);
  }
  App showcase_app;
  showcase::build(showcase_app);
  collect(showcase_app);
  for (const NodeInfo* node : detail::node_catalog()) {
    INFO(node->name << " is validated by no conformance run: add it to tests/showcase/");
    CHECK(used.contains(node->name));
  }
}
