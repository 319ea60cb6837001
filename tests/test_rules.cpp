// Compliance rules: every rule has a failing fixture (the hardened stack plus one offending
// construct or option) and a passing one (the hardened stack itself); suppressions; reports.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/backup.hpp"
#include "hipaa/aws/cloudtrail.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/cognito.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/aws/wafv2.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// A failing fixture: options to change, and/or constructs to add to the hardened stack.
struct Fixture {
  std::string rule;
  std::function<void(HealthcareOptions&)> tweak;  // empty: keep the hardened options
  std::function<void(Stack&)> add;                // empty: add nothing
  std::string flagged_path;                       // the construct the finding names
};

// Small helpers that add one self-contained offending construct.
ec2::Vpc& vpc(Stack& s) { return s.add<ec2::Vpc>("ExtraVpc", {.cidr_block = "10.9.0.0/16"}); }
ec2::SecurityGroup& group(Stack& s, ec2::Vpc& v, const std::string& id) {
  return s.add<ec2::SecurityGroup>(id, {.vpc = v, .description = id});
}
iam::Role& role(Stack& s) {
  return s.add<iam::Role>("ExtraRole", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
}
rds::SubnetGroup& subnets(Stack& s, ec2::Vpc& v) {
  auto& a = s.add<ec2::Subnet>("ExtraA", {.vpc = v, .cidr_block = "10.9.1.0/24"});
  auto& b = s.add<ec2::Subnet>("ExtraB", {.vpc = v, .cidr_block = "10.9.2.0/24"});
  return s.add<rds::SubnetGroup>("ExtraSubnets", {.description = "d", .subnets = {a, b}});
}
rds::DatabaseSettings settings(Stack& s, ec2::Vpc& v) {
  return {.engine_version = "16.6",
          .subnet_group = subnets(s, v),
          .security_groups = {group(s, v, "DbSg")},
          .kms_key = s.add<kms::Key>("ExtraKey", {.description = "k"})};
}
elasticache::ReplicationGroupProps cache_props(Stack& s) {
  auto& v = vpc(s);
  auto& a = s.add<ec2::Subnet>("CacheA", {.vpc = v, .cidr_block = "10.9.1.0/24"});
  auto& users_default = s.add<elasticache::User>(
      "U0",
      {.user_id = "u0", .user_name = "default", .authentication = elasticache::Authentication::NoPasswordRequired});
  auto& users = s.add<elasticache::UserGroup>("Users", {.user_group_id = "g", .users = {users_default}});
  return {.replication_group_id = "extra",
          .kms_key = s.add<kms::Key>("CacheKey", {.description = "k"}),
          .subnet_group = s.add<elasticache::SubnetGroup>("CacheSubnets", {.description = "d", .subnets = {a}}),
          .security_groups = {group(s, v, "CacheSg")},
          .user_groups = {users}};
}
apigateway::Deployment& rest_deployment(Stack& s, apigateway::RestApi& api) {
  auto& resource = s.add<apigateway::ApiResource>("ExtraResource", {.api = api, .path_part = "x"});
  auto& method = s.add<apigateway::Method>("ExtraMethod", {.api = api, .resource = resource});
  return s.add<apigateway::Deployment>("ExtraDeployment", {.api = api, .methods = {method}});
}
lambda::Function& function(Stack& s, lambda::FunctionProps props) {
  props.code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({});");
  props.role = role(s);
  props.reserved_concurrency = 5;
  return s.add<lambda::Function>("ExtraFunction", std::move(props));
}

// A bucket with a key of its own (unless `props` sets one or uses SSE-S3).
s3::Bucket& bucket(Stack& s, const std::string& id, s3::BucketProps props = {}) {
  if (props.encryption == s3::Encryption::Kms && !props.kms_key) {
    props.kms_key = s.add<kms::Key>(id + "Key", {.description = "k"});
  }
  return s.add<s3::Bucket>(id, std::move(props));
}
// A trail's bucket and a key CloudTrail may use, for both.
cloudtrail::TrailProps trail_props(Stack& s) {
  auto& key = s.add<kms::Key>("TrailKey", {.description = "k", .allow_cloudtrail = true});
  return {.bucket = bucket(s, "TrailBucket", {.kms_key = key}), .kms_key = key};
}

dynamodb::Table& table(Stack& s, dynamodb::TableProps props = {}) {
  props.table_name = "extra-table";
  props.partition_key = {"id"};
  if (props.encryption == dynamodb::Encryption::CustomerManagedKey) {
    props.kms_key = s.add<kms::Key>("TableKey", {.description = "k"});
  }
  return s.add<dynamodb::Table>("ExtraTable", std::move(props));
}
backup::Vault& vault(Stack& s, backup::VaultProps props = {}) {
  props.vault_name = "extra-vault";
  if (props.encryption == backup::VaultEncryption::CustomerManagedKey) {
    props.kms_key = s.add<kms::Key>("VaultKey", {.description = "k"});
  }
  return s.add<backup::Vault>("ExtraVault", std::move(props));
}

std::vector<Fixture> fixtures() {
  const std::string S = "HealthcareStack/";
  return {
      {"HIPAA-VPC-1", [](auto& o) { o.network.flow_logs = false; }, {}, S + "Network/Vpc"},
      {"HIPAA-EC2-1",
       {},
       [](Stack& s) {
         auto& v = vpc(s);
         s.add<ec2::SecurityGroupIngress>("Open",
                                          {.group = group(s, v, "Web"), .from_port = 443, .cidr_ipv4 = "0.0.0.0/0"});
       },
       S + "Open"},
      {"HIPAA-NET-1",
       {},
       [](Stack& s) {
         auto& v = vpc(s);
         auto& web = group(s, v, "Web");
         s.add<ec2::SecurityGroupIngress>("Open", {.group = web, .from_port = 443, .cidr_ipv4 = "0.0.0.0/0"});
         auto st = settings(s, v);
         s.add<ec2::SecurityGroupIngress>("DbFromWeb",
                                          {.group = *st.security_groups[0], .from_port = 5432, .peer = web});
         s.add<rds::DatabaseInstance>("ExposedDb", {.settings = st});
       },
       S + "ExposedDb"},
      {"HIPAA-KMS-1",
       {},
       [](Stack& s) { s.add<kms::Key>("Static", {.description = "k", .enable_key_rotation = false}); },
       S + "Static"},
      {"HIPAA-RDS-1",
       {},
       [](Stack& s) {
         auto st = settings(s, vpc(s));
         st.storage_encrypted = false;
         s.add<rds::DatabaseInstance>("Plain", {.settings = st});
       },
       S + "Plain"},
      {"HIPAA-RDS-2",
       {},
       [](Stack& s) {
         s.add<rds::DatabaseInstance>("Public", {.publicly_accessible = true, .settings = settings(s, vpc(s))});
       },
       S + "Public"},
      {"HIPAA-RDS-3",
       {},
       [](Stack& s) {
         auto st = settings(s, vpc(s));
         st.cloudwatch_logs_exports = {"postgresql"};  // not the upgrade log
         s.add<rds::DatabaseInstance>("Quiet", {.settings = st});
       },
       S + "Quiet"},
      {"HIPAA-RDS-4",
       {},
       [](Stack& s) {
         auto st = settings(s, vpc(s));
         st.iam_database_authentication = false;
         s.add<rds::DatabaseInstance>("PasswordOnly", {.settings = st});
       },
       S + "PasswordOnly"},
      {"HIPAA-RDS-5", [](auto& o) { o.database.backup_retention_days = 1; }, {}, S + "DatabaseCluster"},
      {"HIPAA-RDS-6", [](auto& o) { o.database.deletion_protection = false; }, {}, S + "DatabaseCluster"},
      {"HIPAA-RDS-7", [](auto& o) { o.database.instances = 1; }, {}, S + "DatabaseCluster"},
      {"HIPAA-RDS-8", [](auto& o) { o.database.enhanced_monitoring_interval = 0; }, {}, S + "DatabaseInstance1"},
      {"HIPAA-RDS-9",
       {},
       [](Stack& s) {
         s.add<rds::DatabaseInstance>("Pinned", {.auto_minor_version_upgrade = false, .settings = settings(s, vpc(s))});
       },
       S + "Pinned"},
      {"HIPAA-CACHE-1",
       {},
       [](Stack& s) {
         auto p = cache_props(s);
         p.at_rest_encryption = false;
         s.add<elasticache::ReplicationGroup>("Bad", p);
       },
       S + "Bad"},
      {"HIPAA-CACHE-2",
       {},
       [](Stack& s) {
         auto p = cache_props(s);
         p.transit_encryption = false;
         p.user_groups = {};
         s.add<elasticache::ReplicationGroup>("Bad", p);
       },
       S + "Bad"},
      {"HIPAA-CACHE-3",
       {},
       [](Stack& s) {
         auto p = cache_props(s);
         p.user_groups = {};
         s.add<elasticache::ReplicationGroup>("Bad", p);
       },
       S + "Bad"},
      {"HIPAA-CACHE-4",
       {},
       [](Stack& s) {
         auto p = cache_props(s);
         p.snapshot_retention_days = 14;
         s.add<elasticache::ReplicationGroup>("Bad", p);
       },
       S + "Bad"},
      {"HIPAA-CACHE-5",
       {},
       [](Stack& s) {
         auto p = cache_props(s);
         p.multi_az = false;
         s.add<elasticache::ReplicationGroup>("Bad", p);
       },
       S + "Bad"},
      {"HIPAA-SECRETS-1",
       {},
       [](Stack& s) { s.add<secretsmanager::Secret>("Unkeyed", {.secret_name = "x"}); },
       S + "Unkeyed"},
      {"HIPAA-LOGS-1", {}, [](Stack& s) { s.add<logs::LogGroup>("Plain", {.log_group_name = "plain"}); }, S + "Plain"},
      {"HIPAA-LOGS-2", [](auto& o) { o.encryption.log_key_allows_cloudwatch = false; }, {}, S + "Audit/LogGroup"},
      {"HIPAA-LOGS-3", [](auto& o) { o.log_retention_days = 90; }, {}, S + "Audit/LogGroup"},
      {"HIPAA-API-1",
       {},
       [](Stack& s) {
         auto& api = s.add<apigateway::RestApi>("ExtraApi", {.api_name = "x"});
         auto& deployment = rest_deployment(s, api);
         s.add<apigateway::Stage>("Unlogged", {.api = api, .deployment = deployment});
       },
       S + "Unlogged"},
      {"HIPAA-API-2",
       {},
       [](Stack& s) {
         s.add<apigatewayv2::Stage>("Unlogged", {.api = s.add<apigatewayv2::HttpApi>("ExtraApi", {.api_name = "x"})});
       },
       S + "Unlogged"},
      {"HIPAA-API-3", [](auto& o) { o.api.execution_logging_role = false; }, {}, S + "RestApiStage"},
      {"HIPAA-API-4",
       {},
       [](Stack& s) {
         auto& api = s.add<apigateway::RestApi>("ExtraApi", {.api_name = "x"});
         auto& deployment = rest_deployment(s, api);
         s.add<apigateway::Stage>("Untraced", {.api = api, .deployment = deployment, .tracing = false});
       },
       S + "Untraced"},
      {"HIPAA-API-5", [](auto& o) { o.api.data_trace = true; }, {}, S + "RestApiStage"},
      {"HIPAA-API-6", [](auto& o) { o.api.iam_authorization = false; }, {}, S + "PostPatientsMethod"},
      {"HIPAA-API-7",
       [](auto& o) {
         o.api.kind = ApiKind::Http;
         o.api.cors_allowed_origins = {"https://*.example.com"};
       },
       {},
       S + "HttpApi"},
      {"HIPAA-API-8", [](auto& o) { o.api.resource_policy = true; }, {}, S + "RestApi"},
      {"HIPAA-LAMBDA-1", {}, [](Stack& s) { function(s, {}); }, S + "ExtraFunction"},
      {"HIPAA-LAMBDA-2", [](auto& o) { o.function.reserved_concurrency = std::nullopt; }, {}, S + "Function"},
      {"HIPAA-LAMBDA-3", [](auto& o) { o.function.timeout_seconds = 60; }, {}, S + "PostPatientsMethod"},
      {"HIPAA-IAM-1",
       {},
       [](Stack& s) { s.add<iam::ManagedPolicy>("Broad", {.document = {{iam::allow({"s3:*"}).on("*")}}}); },
       S + "Broad"},
      {"HIPAA-IAM-2",
       {},
       [](Stack& s) {
         s.add<iam::Role>("Inline",
                          {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
                           .inline_policies = {{"Read", {{iam::allow({"s3:GetObject"}).on("arn:aws:s3:::b/*")}}}}});
       },
       S + "Inline"},
      {"HIPAA-DYNAMODB-1", {}, [](Stack& s) { table(s); }, S + "ExtraTable"},
      {"HIPAA-DYNAMODB-2", {}, [](Stack& s) { table(s, {.point_in_time_recovery = false}); }, S + "ExtraTable"},
      {"HIPAA-DYNAMODB-3",
       {},
       [](Stack& s) { table(s, {.encryption = dynamodb::Encryption::AwsOwnedKey}); },
       S + "ExtraTable"},
      {"HIPAA-DYNAMODB-4", {}, [](Stack& s) { table(s, {.deletion_protection = false}); }, S + "ExtraTable"},
      {"HIPAA-DYNAMODB-5",
       {},
       [](Stack& s) {
         table(
             s,
             {.billing_mode = dynamodb::BillingMode::Provisioned, .read_capacity_units = 5, .write_capacity_units = 5});
       },
       S + "ExtraTable"},
      {"HIPAA-BACKUP-1",
       {},
       [](Stack& s) { vault(s, {.encryption = backup::VaultEncryption::AwsManagedKey}); },
       S + "ExtraVault"},
      {"HIPAA-BACKUP-2",
       {},
       [](Stack& s) {
         s.add<backup::Plan>("ExtraPlan", {.plan_name = "extra",
                                           .rules = {{.vault = vault(s), .lifecycle = {.delete_after_days = 7}}}});
       },
       S + "ExtraPlan"},
      {"HIPAA-SECRET-1",
       {},
       [](Stack& s) {
         auto& v = vpc(s);
         auto& a = s.add<ec2::Subnet>("FnSubnet", {.vpc = v, .cidr_block = "10.9.1.0/24"});
         function(
             s,
             {.environment = {{"DB_PASSWORD", "hunter2"}}, .subnets = {a}, .security_groups = {group(s, v, "FnSg")}});
       },
       S + "ExtraFunction"},
      {"HIPAA-S3-1",
       {},
       [](Stack& s) { bucket(s, "Open", {.public_access_block = {.block_public_policy = false}}); },
       S + "Open"},
      {"HIPAA-S3-2", {}, [](Stack& s) { bucket(s, "Unlogged"); }, S + "Unlogged"},
      {"HIPAA-S3-3", {}, [](Stack& s) { bucket(s, "Unreplicated"); }, S + "Unreplicated"},
      {"HIPAA-S3-4", {}, [](Stack& s) { bucket(s, "PlainText", {.enforce_tls = false}); }, S + "PlainText"},
      {"HIPAA-S3-5", {}, [](Stack& s) { bucket(s, "Unversioned", {.versioned = false}); }, S + "Unversioned"},
      {"HIPAA-S3-6", {}, [](Stack& s) { bucket(s, "SseS3", {.encryption = s3::Encryption::S3Managed}); }, S + "SseS3"},
      {"HIPAA-TRAIL-1", {}, [](Stack& s) { s.add<cloudtrail::Trail>("Trail", trail_props(s)); }, S + "Trail"},
      {"HIPAA-TRAIL-2",
       {},
       [](Stack& s) {
         auto p = trail_props(s);
         p.kms_encryption = false;
         p.kms_key = {};
         s.add<cloudtrail::Trail>("Trail", p);
       },
       S + "Trail"},
      {"HIPAA-TRAIL-4", [](auto& o) { o.audit.trail = false; }, {}, "HealthcareStack"},
      {"HIPAA-TRAIL-3",
       {},
       [](Stack& s) {
         auto p = trail_props(s);
         p.enable_log_file_validation = false;
         s.add<cloudtrail::Trail>("Trail", p);
       },
       S + "Trail"},
      {"HIPAA-SQS-1",
       {},
       [](Stack& s) { s.add<sqs::Queue>("OwnedKeyQueue", {.sqs_managed_encryption = true}); },
       S + "OwnedKeyQueue"},
      {"HIPAA-SQS-2",
       {},
       [](Stack& s) {
         s.add<sqs::Queue>("OpenQueue",
                           {.kms_key = s.add<kms::Key>("QueueKey", {.description = "k"}), .enforce_tls = false});
       },
       S + "OpenQueue"},
      {"HIPAA-SNS-1",
       {},
       [](Stack& s) { s.add<sns::Topic>("AwsKeyTopic", {.aws_managed_key = true}); },
       S + "AwsKeyTopic"},
      {"HIPAA-SNS-2",
       {},
       [](Stack& s) {
         s.add<sns::Topic>("OpenTopic",
                           {.kms_key = s.add<kms::Key>("TopicKey", {.description = "k"}), .enforce_tls = false});
       },
       S + "OpenTopic"},
      {"HIPAA-SNS-3",
       {},
       [](Stack& s) {
         auto& topic = s.add<sns::Topic>("Topic", {.kms_key = s.add<kms::Key>("TopicKey", {.description = "k"})});
         s.add<sns::Subscription>("Hook", {.topic = topic, .endpoint = "https://example.com/hook"})
             .add_override(Target::CloudFormation, "Properties.Protocol", "http");
       },
       S + "Hook"},
      {"HIPAA-CLOUDWATCH-1",
       {},
       [](Stack& s) {
         s.add<cloudwatch::Alarm>(
             "SilentAlarm",
             {.alarm_name = "silent", .metric = {.namespace_name = "AWS/SQS", .metric_name = "NumberOfMessagesSent"}});
       },
       S + "SilentAlarm"},
      {"HIPAA-API-9",
       {},
       [](Stack& s) {
         auto& api = s.add<apigateway::RestApi>("ExtraApi", {.api_name = "x"});
         auto& deployment = rest_deployment(s, api);
         s.add<apigateway::Stage>(
             "PlainCache",
             {.api = api,
              .deployment = deployment,
              .method_settings = apigateway::MethodSettings{.caching_enabled = true, .cache_data_encrypted = false},
              .cache_cluster = apigateway::CacheCluster{}});
       },
       S + "PlainCache"},
      // The healthcare stack has no response cache, client certificate or web ACL yet.
      {"HIPAA-API-10", [](auto& o) { o.api.cache = false; }, {}, S + "RestApiStage"},
      {"HIPAA-API-11", [](auto& o) { o.api.client_certificate = false; }, {}, S + "RestApiStage"},
      {"HIPAA-WAF-1",
       {},
       [](Stack& s) { s.add<wafv2::WebAcl>("Unlogged", {.web_acl_name = "unlogged"}); },
       S + "Unlogged"},
      {"HIPAA-WAF-2", [](auto& o) { o.api.waf = false; }, {}, S + "RestApiStage"},
      {"HIPAA-LAMBDA-4", [](auto& o) { o.function.dead_letter_queue = false; }, {}, S + "Function"},
      {"HIPAA-CLOUDWATCH-2", [](auto& o) { o.alarms.enabled = false; }, {}, S + "FunctionDeadLetterQueue"},
      {"HIPAA-RDS-10", [](auto& o) { o.backup.enabled = false; }, {}, S + "DatabaseCluster"},
      {"HIPAA-VPC-2",
       {},
       [](Stack& s) {
         s.add<ec2::Vpc>("OpenDefaultVpc", {.cidr_block = "10.9.0.0/16", .restrict_default_security_group = false});
       },
       S + "OpenDefaultVpc"},
      {"HIPAA-VPC-3", [](auto& o) { o.network.public_subnet_cidrs = {"10.0.1.0/24"}; }, {}, S + "Network/PublicRoute"},
      {"HIPAA-VPC-4",
       {},
       [](Stack& s) {
         s.add<ec2::Subnet>("AutoPublicIp",
                            {.vpc = vpc(s), .cidr_block = "10.9.1.0/24", .map_public_ip_on_launch = true});
       },
       S + "AutoPublicIp"},
      // Not only a default route: any route to an internet gateway makes the subnet public.
      {"HIPAA-VPC-5",
       {},
       [](Stack& s) {
         auto& v = vpc(s);
         auto& gateway = s.add<ec2::InternetGateway>("Gateway", {.vpc = v});
         auto& table = s.add<ec2::RouteTable>("PartnerRoutes", {.vpc = v});
         s.add<ec2::Route>("ToPartner",
                           {.route_table = table, .destination_cidr_block = "203.0.113.0/24", .gateway = gateway});
         auto& subnet = s.add<ec2::Subnet>("Exposed", {.vpc = v, .cidr_block = "10.9.1.0/24"});
         s.add<ec2::SubnetRouteTableAssociation>("ExposedRoutes", {.subnet = subnet, .route_table = table});
       },
       S + "Exposed"},
      {"HIPAA-EC2-2",
       {},
       [](Stack& s) {
         auto& v = vpc(s);
         s.add<ec2::SecurityGroupIngress>("Everything",
                                          {.group = group(s, v, "Db"), .protocol = "-1", .peer = group(s, v, "App")});
       },
       S + "Everything"},
      {"HIPAA-EC2-3", [](auto& o) { o.network.lambda_egress_anywhere = true; }, {}, S + "LambdaEgressAnywhere"},
      {"HIPAA-LAMBDA-5",
       {},
       [](Stack& s) { s.add<lambda::Permission>("AnyoneMayInvoke", {.function = function(s, {}), .principal = "*"}); },
       S + "AnyoneMayInvoke"},
      {"HIPAA-SECRETS-2",
       {},
       [](Stack& s) {
         s.add<secretsmanager::Secret>(
             "Static", {.secret_name = "static", .kms_key = s.add<kms::Key>("SecretKey", {.description = "k"})});
       },
       S + "Static"},
      {"HIPAA-LOGS-4",
       {},
       [](Stack& s) {
         s.add<logs::LogGroup>("Forever", {.log_group_name = "forever",
                                           .kms_key = s.add<kms::Key>(
                                               "ForeverKey", {.description = "k", .allow_cloudwatch_logs = true})})
             .add_override(Target::CloudFormation, "Properties.RetentionInDays", Value());
       },
       S + "Forever"},
      {"HIPAA-COGNITO-1",
       {},
       [](Stack& s) {
         s.add<cognito::UserPool>("OptionalMfa", {.user_pool_name = "users", .mfa = cognito::Mfa::Optional});
       },
       S + "OptionalMfa"},
      {"HIPAA-COGNITO-2",
       {},
       [](Stack& s) {
         s.add<cognito::UserPool>("ShortPasswords",
                                  {.user_pool_name = "users", .password_policy = {.minimum_length = 8}});
       },
       S + "ShortPasswords"},
      {"HIPAA-COGNITO-3",
       {},
       [](Stack& s) {
         s.add<cognito::UserPool>("AuditOnly",
                                  {.user_pool_name = "users", .advanced_security = cognito::AdvancedSecurity::Audit});
       },
       S + "AuditOnly"},
      {"HIPAA-COGNITO-4",
       {},
       [](Stack& s) {
         auto& pool = s.add<cognito::UserPool>("Users", {.user_pool_name = "users"});
         s.add<cognito::UserPoolClient>(
             "Implicit",
             {.user_pool = pool,
              .client_name = "spa",
              .oauth = cognito::OAuth{.callback_urls = {"https://app.example.com/"}, .implicit_flow = true}});
       },
       S + "Implicit"},
  };
}

std::vector<rules::Finding> findings_of(const rules::Report& report, std::string_view rule) {
  std::vector<rules::Finding> out;
  for (const auto& f : report.findings) {
    if (f.rule->id == rule) out.push_back(f);
  }
  return out;
}

std::set<std::string> unsuppressed_ids(const rules::Report& report) {
  std::set<std::string> out;
  for (const auto& f : report.findings) {
    if (!f.suppressed_because) out.insert(std::string(f.rule->id));
  }
  return out;
}

}  // namespace

TEST_CASE("The hardened stack passes every rule, but for the suppressions it documents", "[rules]") {
  App app;
  app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(Preset::Hardened));
  const rules::Report report = rules::check(app);
  std::set<std::string> suppressed;
  std::set<std::string> warned;
  for (const auto& f : report.findings) {
    UNSCOPED_INFO(rules::format(f));
    if (f.suppressed_because) {
      suppressed.insert(std::string(f.rule->id) + " " + f.path);
    } else {
      CHECK(f.rule->severity == Severity::Warning);
      warned.insert(std::string(f.rule->id) + " " + f.path);
    }
  }
  // Each with its reason in src/patterns/audit_trail.cpp: S3 access logs go only into SSE-S3
  // buckets; replication needs a bucket in another region.
  CHECK(suppressed == std::set<std::string>{"HIPAA-S3-3 HealthcareStack/Audit/AccessLogs",
                                            "HIPAA-S3-3 HealthcareStack/Audit/Bucket",
                                            "HIPAA-S3-6 HealthcareStack/Audit/AccessLogs"});
  CHECK(warned.empty());
}

TEST_CASE("Every rule has a failing fixture that flags the offending construct", "[rules]") {
  const auto all = fixtures();
  std::set<std::string> covered;
  for (const auto& fixture : all) {
    INFO(fixture.rule);
    REQUIRE(rules::find_rule(fixture.rule) != nullptr);
    auto options = HealthcareOptions::preset(Preset::Hardened);
    if (fixture.tweak) fixture.tweak(options);
    App app;
    auto& stack = app.add<HealthcareStack>("HealthcareStack", options);
    if (fixture.add) fixture.add(stack);
    REQUIRE(validate(app).empty());
    std::vector<rules::Finding> found;
    for (auto& f : findings_of(rules::check(app), fixture.rule)) {
      if (!f.suppressed_because) found.push_back(std::move(f));
    }
    REQUIRE_FALSE(found.empty());
    CHECK(found.front().path == fixture.flagged_path);
    covered.insert(fixture.rule);
  }
  for (const auto& rule : rules::all_rules()) {
    INFO("rule without a failing fixture: " << rule.id);
    CHECK(covered.contains(std::string(rule.id)));
  }
}

TEST_CASE("The seed presets report exactly the seeds' defects they still model", "[rules]") {
  auto ids = [](Preset p) {
    App app;
    app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(p));
    return unsuppressed_ids(rules::check(app));
  };
  CHECK(ids(Preset::Processing) == std::set<std::string>{"HIPAA-VPC-1", "HIPAA-VPC-3", "HIPAA-VPC-5", "HIPAA-EC2-3",
                                                         "HIPAA-RDS-6", "HIPAA-RDS-8", "HIPAA-CACHE-4", "HIPAA-LOGS-2",
                                                         "HIPAA-LOGS-3", "HIPAA-API-6", "HIPAA-API-7", "HIPAA-LAMBDA-2",
                                                         "HIPAA-LAMBDA-4", "HIPAA-RDS-10", "HIPAA-TRAIL-4"});
  CHECK(ids(Preset::Records) == std::set<std::string>{"HIPAA-VPC-1", "HIPAA-VPC-3", "HIPAA-VPC-5", "HIPAA-RDS-3",
                                                      "HIPAA-RDS-5", "HIPAA-RDS-6", "HIPAA-RDS-7", "HIPAA-RDS-8",
                                                      "HIPAA-LOGS-3", "HIPAA-API-3", "HIPAA-API-5", "HIPAA-API-8",
                                                      "HIPAA-LAMBDA-2", "HIPAA-TRAIL-4", "HIPAA-API-10", "HIPAA-API-11",
                                                      "HIPAA-WAF-2", "HIPAA-LAMBDA-4", "HIPAA-RDS-10"});
}

// Passing fixtures for the rules whose constructs the hardened stack does not have (or has only
// one shape of): the compliant form of each offending construct above.
TEST_CASE("The cdk-nag parity rules pass on the compliant form of what they flag", "[rules]") {
  App app;
  auto& s = app.add_stack("S");
  auto& v = s.add<ec2::Vpc>("Vpc", {.cidr_block = "10.9.0.0/16"});
  auto& gateway = s.add<ec2::InternetGateway>("Gateway", {.vpc = v});
  auto& table = s.add<ec2::RouteTable>("Unused", {.vpc = v});  // a gateway route no subnet uses
  s.add<ec2::Route>("ToPartner",
                    {.route_table = table, .destination_cidr_block = "203.0.113.0/24", .gateway = gateway});
  auto& private_table = s.add<ec2::RouteTable>("Private", {.vpc = v});
  auto& subnet = s.add<ec2::Subnet>("Subnet", {.vpc = v, .cidr_block = "10.9.1.0/24"});
  s.add<ec2::SubnetRouteTableAssociation>("SubnetRoutes", {.subnet = subnet, .route_table = private_table});
  auto& app_sg = s.add<ec2::SecurityGroup>("App", {.vpc = v, .description = "app"});
  auto& db_sg = s.add<ec2::SecurityGroup>("Db", {.vpc = v, .description = "db"});
  s.add<ec2::SecurityGroupIngress>("DbFromApp", {.group = db_sg, .from_port = 5432, .peer = app_sg});
  s.add<ec2::SecurityGroupEgress>("HttpsOut", {.group = app_sg, .from_port = 443, .cidr_ipv4 = "0.0.0.0/0"});
  auto& key = s.add<kms::Key>("Key", {.description = "k", .allow_cloudwatch_logs = true});
  auto& fn = function(s, {.subnets = {subnet}, .security_groups = {app_sg}});
  s.add<lambda::Permission>("FromApi", {.function = fn, .principal = "*", .source_arn = "arn:aws:execute-api:x"});
  s.add<secretsmanager::Secret>("Rotated",
                                {.secret_name = "rotated",
                                 .kms_key = key,
                                 .rotation = secretsmanager::Rotation{.function = fn, .automatically_after_days = 90}});
  s.add<logs::LogGroup>("Kept", {.log_group_name = "kept", .kms_key = key})
      .add_override(Target::CloudFormation, "Properties.RetentionInDays", 3653);
  REQUIRE(validate(app).empty());
  const auto report = rules::check(app);
  for (std::string_view id : {"HIPAA-VPC-2", "HIPAA-VPC-3", "HIPAA-VPC-4", "HIPAA-VPC-5", "HIPAA-EC2-2", "HIPAA-EC2-3",
                              "HIPAA-LAMBDA-5", "HIPAA-SECRETS-1", "HIPAA-SECRETS-2", "HIPAA-LOGS-4"}) {
    INFO(id);
    CHECK(findings_of(report, id).empty());
  }
  // The route itself is flagged only when it sends everything to the gateway.
  CHECK(findings_of(report, "HIPAA-VPC-3").empty());
}

TEST_CASE("Reserved concurrency of 0, which runs nothing, is flagged as cdk-nag flags it", "[rules]") {
  auto options = HealthcareOptions::preset(Preset::Hardened);
  options.function.reserved_concurrency = 0;
  App app;
  app.add<HealthcareStack>("HealthcareStack", options);
  const auto found = findings_of(rules::check(app), "HIPAA-LAMBDA-2");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message == "reserved concurrency 0 lets the function run no invocation");
}

TEST_CASE("A secret rotating less often than every 90 days is flagged", "[rules]") {
  App app;
  auto& s = app.add_stack("S");
  auto& fn = function(s, {});
  s.add<secretsmanager::Secret>(
      "Slow",
      {.secret_name = "slow", .rotation = secretsmanager::Rotation{.function = fn, .automatically_after_days = 180}});
  const auto found = findings_of(rules::check(app), "HIPAA-SECRETS-2");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message == "the secret rotates every 180 days; at most 90 are allowed");
}

TEST_CASE("A finding names the rule, the path and the user's source line", "[rules]") {
  App app;
  auto& stack = app.add_stack("S");
  const unsigned line = __LINE__ + 1;
  stack.add<kms::Key>("Key", {.description = "k", .enable_key_rotation = false});
  const auto found = findings_of(rules::check(app), "HIPAA-KMS-1");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == line);
  CHECK(found[0].file.ends_with("test_rules.cpp"));
  CHECK(rules::format(found[0]) == "error HIPAA-KMS-1 at S/Key (" + found[0].file + ":" + std::to_string(line) +
                                       "): automatic key rotation is off [45 CFR 164.312(a)(2)(iv)]\n"
                                       "  fix: set enable_key_rotation");
}

TEST_CASE("A suppression with a reason silences a rule for a subtree and is recorded in the output", "[rules]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& legacy = stack.add_group("Legacy");
  legacy.suppress("HIPAA-KMS-1", "imported key, rotated by the key owner's process");
  legacy.add<kms::Key>("Key", {.description = "k", .enable_key_rotation = false});
  stack.add<kms::Key>("Other", {.description = "k", .enable_key_rotation = false});
  const rules::Report report = rules::check(app);
  const auto found = findings_of(report, "HIPAA-KMS-1");
  REQUIRE(found.size() == 2);
  CHECK(found[0].suppressed_because == "imported key, rotated by the key owner's process");
  CHECK_FALSE(found[1].suppressed_because);
  CHECK(report.count(Severity::Error, true) == 1);
  CHECK(test::cfn(app)["Resources"]["LegacyKey"]["Metadata"] ==
        json{{"hipaa-synth",
              {{"suppressions",
                {{{"rule", "HIPAA-KMS-1"}, {"reason", "imported key, rotated by the key owner's process"}}}}}}});
  CHECK(test::tf(app)["resource"]["aws_kms_key"]["legacy_key"]["//"] ==
        "hipaa-synth suppressions: HIPAA-KMS-1 (imported key, rotated by the key owner's process)");
  CHECK_FALSE(test::cfn(app)["Resources"]["Other"].contains("Metadata"));
}

TEST_CASE("Suppressions are also written in cdk-nag's metadata format, mapped to the cdk-nag rules they cover",
          "[rules]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k"});
  auto& logs = stack.add<logs::LogGroup>("Logs", {.log_group_name = "/app", .retention_days = 30, .kms_key = key});
  logs.suppress("HIPAA-LOGS-1", "encrypted by the platform's key");
  logs.suppress("HIPAA.Security-CloudWatchLogGroupRetentionPeriod", "kept until the case closes");
  logs.suppress("HIPAA.Security-CloudWatchLogGroupEncrypted", "the same cdk-nag rule again: the first reason stays");
  key.suppress("HIPAA-KMS-1", "no cdk-nag counterpart");
  const json resources = test::cfn(app)["Resources"];
  CHECK(
      resources["Logs"]["Metadata"]["cdk_nag"] ==
      json{{"rules_to_suppress",
            {{{"id", "HIPAA.Security-CloudWatchLogGroupEncrypted"}, {"reason", "encrypted by the platform's key"}},
             {{"id", "HIPAA.Security-CloudWatchLogGroupRetentionPeriod"}, {"reason", "kept until the case closes"}}}}});
  // cdk-nag's own ids are not hipaa-synth rules: its section lists only ours.
  CHECK(resources["Logs"]["Metadata"]["hipaa-synth"]["suppressions"] ==
        json{{{"rule", "HIPAA-LOGS-1"}, {"reason", "encrypted by the platform's key"}}});
  CHECK_FALSE(resources["Key"]["Metadata"].contains("cdk_nag"));
}

TEST_CASE("A suppression without a reason is a validation error", "[rules]") {
  App app;
  auto& key = app.add_stack("S").add<kms::Key>("Key", {.description = "k"});
  key.suppress("HIPAA-KMS-1", "");
  const auto found = test::problems(app);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "HS1005 S/Key: suppression of rule 'HIPAA-KMS-1' has no reason");
}

TEST_CASE("Reports render as text, JSON and SARIF", "[rules]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<kms::Key>("Key", {.description = "k", .enable_key_rotation = false});
  const rules::Report report = rules::check(app);
  CHECK(rules::to_text(report).ends_with("1 error(s), 0 warning(s), 0 suppressed, " +
                                         std::to_string(rules::all_rules().size()) + " rule(s) checked\n"));
  const json j = json::parse(rules::to_json(report));
  CHECK(j["errors"] == 1);
  CHECK(j["findings"][0]["rule"] == "HIPAA-KMS-1");
  const json sarif = json::parse(rules::to_sarif(report, "0.1.0"));
  CHECK(sarif["version"] == "2.1.0");
  CHECK(sarif["runs"][0]["tool"]["driver"]["rules"].size() == rules::all_rules().size());
  const json result = sarif["runs"][0]["results"][0];
  CHECK(result["ruleId"] == "HIPAA-KMS-1");
  CHECK(sarif["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()]["id"] == "HIPAA-KMS-1");
  CHECK(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "S/Key");
}

TEST_CASE("docs/rules.md is the current output of `hipaa-synth rules --format markdown`", "[rules]") {
  std::ifstream in(std::string(HIPAA_SOURCE_DIR) + "/docs/rules.md");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == rules::rules_markdown());
}

TEST_CASE("Rule ids are unique and every rule cites the HIPAA Security Rule", "[rules]") {
  std::set<std::string_view> ids;
  for (const auto& rule : rules::all_rules()) {
    CHECK(ids.insert(rule.id).second);
    CHECK(rule.citation.starts_with("45 CFR 164.3"));
    CHECK_FALSE(rule.title.empty());
    CHECK_FALSE(rule.remediation.empty());
  }
}
