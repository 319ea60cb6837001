// hipaa_synth_variants OUT_DIR — the in-code variants of the differential test against cdk-nag
// (tests/cdk-nag/differential.mjs): the hardened healthcare stack with one construct added or
// changed in a way its config file cannot express. For each variant, writes
// OUT_DIR/<variant>.template.json (the CloudFormation template) and OUT_DIR/<variant>.findings.json
// (what `hipaa-synth check --format json` reports). The config-file variants are
// tests/cdk-nag/variants/*.yaml, run through the CLI.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/cloudtrail.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/wafv2.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/rules.hpp"
#include "hipaa/synth.hpp"

using namespace hipaa;

namespace {

struct Variant {
  std::string name;
  std::function<void(Stack&)> add;
};

ec2::Vpc& vpc(Stack& s) { return s.add<ec2::Vpc>("ExtraVpc", {.cidr_block = "10.9.0.0/16"}); }
ec2::SecurityGroup& group(Stack& s, ec2::Vpc& v, const std::string& id) {
  return s.add<ec2::SecurityGroup>(id, {.vpc = v, .description = id});
}
kms::Key& key(Stack& s, const std::string& id) {
  return s.add<kms::Key>(id, {.description = id, .allow_cloudwatch_logs = true});
}
iam::Role& role(Stack& s) {
  return s.add<iam::Role>("ExtraRole", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
}
// A function that passes every rule but the one a variant is about: in the VPC, with a limit and
// a dead-letter queue.
lambda::FunctionProps function_props(Stack& s) {
  auto& v = vpc(s);
  auto& subnet = s.add<ec2::Subnet>("ExtraSubnet", {.vpc = v, .cidr_block = "10.9.1.0/24"});
  return {.code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({});"),
          .role = role(s),
          .subnets = {subnet},
          .security_groups = {group(s, v, "ExtraFunctionSg")},
          .reserved_concurrency = 5,
          .dead_letter = s.add<sqs::Queue>("ExtraDeadLetters", {.kms_key = key(s, "ExtraQueueKey")})};
}
lambda::Function& function(Stack& s) { return s.add<lambda::Function>("ExtraFunction", function_props(s)); }

s3::Bucket& bucket(Stack& s, s3::BucketProps props) {
  if (props.encryption == s3::Encryption::Kms) props.kms_key = key(s, "ExtraBucketKey");
  return s.add<s3::Bucket>("ExtraBucket", std::move(props));
}

rds::DatabaseSettings db_settings(Stack& s) {
  auto& v = vpc(s);
  auto& a = s.add<ec2::Subnet>("ExtraA", {.vpc = v, .cidr_block = "10.9.1.0/24"});
  auto& b = s.add<ec2::Subnet>("ExtraB", {.vpc = v, .cidr_block = "10.9.2.0/24"});
  return {.engine_version = "16.6",
          .subnet_group = s.add<rds::SubnetGroup>("ExtraSubnets", {.description = "d", .subnets = {a, b}}),
          .security_groups = {group(s, v, "ExtraDbSg")},
          .kms_key = key(s, "ExtraDbKey")};
}

dynamodb::Table& table(Stack& s, dynamodb::TableProps props) {
  props.table_name = "extra-table";
  props.partition_key = {"id"};
  if (props.encryption == dynamodb::Encryption::CustomerManagedKey) props.kms_key = key(s, "ExtraTableKey");
  return s.add<dynamodb::Table>("ExtraTable", std::move(props));
}

cloudtrail::TrailProps trail_props(Stack& s) {
  auto& k = s.add<kms::Key>("ExtraTrailKey", {.description = "k", .allow_cloudtrail = true});
  auto& b = s.add<s3::Bucket>("ExtraTrailBucket", {.kms_key = k});
  return {.bucket = b, .kms_key = k};
}

apigateway::Stage& rest_stage(Stack& s, const std::string& id, apigateway::StageProps props) {
  auto& api = s.add<apigateway::RestApi>("ExtraApi", {.api_name = "extra"});
  auto& resource = s.add<apigateway::ApiResource>("ExtraResource", {.api = api, .path_part = "x"});
  auto& method = s.add<apigateway::Method>("ExtraMethod", {.api = api, .resource = resource});
  props.api = api;
  props.deployment = s.add<apigateway::Deployment>("ExtraDeployment", {.api = api, .methods = {method}});
  return s.add<apigateway::Stage>(id, std::move(props));
}

std::vector<Variant> variants() {
  return {
      // Network.
      {"vpc-default-group-open",
       [](Stack& s) {
         s.add<ec2::Vpc>("ExtraVpc", {.cidr_block = "10.9.0.0/16", .restrict_default_security_group = false});
       }},
      {"route-to-gateway-partner-range",
       [](Stack& s) {
         auto& v = vpc(s);
         auto& gateway = s.add<ec2::InternetGateway>("ExtraGateway", {.vpc = v});
         auto& table = s.add<ec2::RouteTable>("ExtraRoutes", {.vpc = v});
         s.add<ec2::Route>("ExtraRoute",
                           {.route_table = table, .destination_cidr_block = "203.0.113.0/24", .gateway = gateway});
         auto& subnet = s.add<ec2::Subnet>("ExtraSubnet", {.vpc = v, .cidr_block = "10.9.1.0/24"});
         s.add<ec2::SubnetRouteTableAssociation>("ExtraSubnetRoutes", {.subnet = subnet, .route_table = table});
       }},
      {"route-to-gateway-unused-table",
       [](Stack& s) {
         auto& v = vpc(s);
         auto& gateway = s.add<ec2::InternetGateway>("ExtraGateway", {.vpc = v});
         auto& table = s.add<ec2::RouteTable>("ExtraRoutes", {.vpc = v});
         s.add<ec2::Route>("ExtraRoute", {.route_table = table, .gateway = gateway});
       }},
      {"subnet-public-ip-on-launch",
       [](Stack& s) {
         s.add<ec2::Subnet>("ExtraSubnet",
                            {.vpc = vpc(s), .cidr_block = "10.9.1.0/24", .map_public_ip_on_launch = true});
       }},
      {"ingress-all-traffic-from-group",
       [](Stack& s) {
         auto& v = vpc(s);
         s.add<ec2::SecurityGroupIngress>(
             "ExtraIngress",
             {.group = group(s, v, "ExtraTarget"), .protocol = "-1", .peer = group(s, v, "ExtraSource")});
       }},
      {"ingress-ssh-from-anywhere",
       [](Stack& s) {
         s.add<ec2::SecurityGroupIngress>(
             "ExtraIngress", {.group = group(s, vpc(s), "ExtraTarget"), .from_port = 22, .cidr_ipv4 = "0.0.0.0/0"});
       }},
      {"ingress-rdp-from-anywhere",
       [](Stack& s) {
         s.add<ec2::SecurityGroupIngress>(
             "ExtraIngress", {.group = group(s, vpc(s), "ExtraTarget"), .from_port = 3389, .cidr_ipv4 = "0.0.0.0/0"});
       }},
      {"ingress-https-from-anywhere",
       [](Stack& s) {
         s.add<ec2::SecurityGroupIngress>(
             "ExtraIngress", {.group = group(s, vpc(s), "ExtraTarget"), .from_port = 443, .cidr_ipv4 = "0.0.0.0/0"});
       }},
      {"egress-all-ports-anywhere",
       [](Stack& s) {
         s.add<ec2::SecurityGroupEgress>(
             "ExtraEgress",
             {.group = group(s, vpc(s), "ExtraSource"), .from_port = 0, .to_port = 65535, .cidr_ipv4 = "0.0.0.0/0"});
       }},
      // Lambda.
      {"lambda-permission-public",
       [](Stack& s) { s.add<lambda::Permission>("ExtraPermission", {.function = function(s), .principal = "*"}); }},
      {"lambda-permission-any-with-source",
       [](Stack& s) {
         s.add<lambda::Permission>("ExtraPermission",
                                   {.function = function(s), .principal = "*", .source_arn = "arn:aws:sns:x:1:t"});
       }},
      {"lambda-outside-vpc",
       [](Stack& s) {
         auto props = function_props(s);
         props.subnets = {};
         props.security_groups = {};
         s.add<lambda::Function>("ExtraFunction", std::move(props));
       }},
      // Secrets.
      {"secret-not-rotated",
       [](Stack& s) {
         s.add<secretsmanager::Secret>("ExtraSecret", {.secret_name = "extra", .kms_key = key(s, "ExtraSecretKey")});
       }},
      {"secret-aws-managed-key",
       [](Stack& s) {
         s.add<secretsmanager::Secret>(
             "ExtraSecret", {.secret_name = "extra", .rotation = secretsmanager::Rotation{.function = function(s)}});
       }},
      {"secret-rotated",
       [](Stack& s) {
         s.add<secretsmanager::Secret>("ExtraSecret", {.secret_name = "extra",
                                                       .kms_key = key(s, "ExtraSecretKey"),
                                                       .rotation = secretsmanager::Rotation{.function = function(s)}});
       }},
      // Logs.
      {"log-group-retention-removed",
       [](Stack& s) {
         s.add<logs::LogGroup>("ExtraLogs", {.log_group_name = "extra", .kms_key = key(s, "ExtraLogsKey")})
             .add_override(Target::CloudFormation, "Properties.RetentionInDays", Value());
       }},
      {"log-group-unencrypted", [](Stack& s) { s.add<logs::LogGroup>("ExtraLogs", {.log_group_name = "extra"}); }},
      // S3.
      {"bucket-unversioned", [](Stack& s) { bucket(s, {.versioned = false}); }},
      {"bucket-sse-s3", [](Stack& s) { bucket(s, {.encryption = s3::Encryption::S3Managed}); }},
      {"bucket-public-policy-allowed",
       [](Stack& s) { bucket(s, {.public_access_block = {.block_public_policy = false}}); }},
      {"bucket-without-tls-deny", [](Stack& s) { bucket(s, {.enforce_tls = false}); }},
      {"bucket-policy-without-tls-deny",
       [](Stack& s) {
         auto& b = bucket(s, {});
         s.add<s3::BucketPolicy>(
             "ExtraBucketPolicy",
             {.bucket = b,
              .statements =
                  {iam::allow({"s3:GetObject"}).principal(iam::account_root()).on(interpolate({b.arn(), "/*"}))},
              .enforce_tls = false});
       }},
      // DynamoDB.
      {"table-not-backed-up", [](Stack& s) { table(s, {}); }},
      {"table-without-pitr", [](Stack& s) { table(s, {.point_in_time_recovery = false}); }},
      {"table-provisioned",
       [](Stack& s) {
         table(
             s,
             {.billing_mode = dynamodb::BillingMode::Provisioned, .read_capacity_units = 5, .write_capacity_units = 5});
       }},
      // RDS instances beside the cluster.
      {"rds-instance-unencrypted",
       [](Stack& s) {
         auto st = db_settings(s);
         st.storage_encrypted = false;
         s.add<rds::DatabaseInstance>("ExtraDb", {.settings = st});
       }},
      {"rds-instance-public",
       [](Stack& s) {
         s.add<rds::DatabaseInstance>("ExtraDb", {.publicly_accessible = true, .settings = db_settings(s)});
       }},
      {"rds-instance-pinned-minor-version",
       [](Stack& s) {
         s.add<rds::DatabaseInstance>("ExtraDb", {.auto_minor_version_upgrade = false, .settings = db_settings(s)});
       }},
      {"rds-instance-no-logs",
       [](Stack& s) {
         auto st = db_settings(s);
         st.export_logs = false;
         s.add<rds::DatabaseInstance>("ExtraDb", {.settings = st});
       }},
      // Monitoring and audit.
      {"alarm-without-actions",
       [](Stack& s) {
         s.add<cloudwatch::Alarm>(
             "ExtraAlarm",
             {.alarm_name = "extra", .metric = {.namespace_name = "AWS/SQS", .metric_name = "NumberOfMessagesSent"}});
       }},
      {"alarm-actions-disabled",
       [](Stack& s) {
         auto& topic_key = s.add<kms::Key>("ExtraTopicKey", {.description = "k", .allow_cloudwatch_alarms = true});
         auto& topic = s.add<sns::Topic>("ExtraTopic", {.kms_key = topic_key, .allow_cloudwatch_alarms = true});
         s.add<cloudwatch::Alarm>("ExtraAlarm",
                                  {.alarm_name = "extra",
                                   .metric = {.namespace_name = "AWS/SQS", .metric_name = "NumberOfMessagesSent"},
                                   .actions_enabled = false,
                                   .alarm_actions = {topic}});
       }},
      {"topic-aws-managed-key", [](Stack& s) { s.add<sns::Topic>("ExtraTopic", {.aws_managed_key = true}); }},
      {"trail-without-logs-key-validation",
       [](Stack& s) {
         auto p = trail_props(s);
         p.kms_encryption = false;
         p.kms_key = {};
         p.enable_log_file_validation = false;
         s.add<cloudtrail::Trail>("ExtraTrail", p);
       }},
      // IAM.
      {"policy-admin-access",
       [](Stack& s) { s.add<iam::ManagedPolicy>("ExtraPolicy", {.document = {{iam::allow({"*"}).on("*")}}}); }},
      {"policy-service-full-access",
       [](Stack& s) {
         s.add<iam::ManagedPolicy>("ExtraPolicy", {.document = {{iam::allow({"s3:*"}).on("arn:aws:s3:::b/*")}}});
       }},
      {"role-inline-policy",
       [](Stack& s) {
         s.add<iam::Role>("ExtraRole",
                          {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
                           .inline_policies = {{"Read", {{iam::allow({"s3:GetObject"}).on("arn:aws:s3:::b/*")}}}}});
       }},
      // API Gateway and WAF.
      {"rest-stage-bare", [](Stack& s) { rest_stage(s, "ExtraStage", {.tracing = false}); }},
      {"web-acl-unlogged", [](Stack& s) { s.add<wafv2::WebAcl>("ExtraWebAcl", {.web_acl_name = "extra"}); }},
  };
}

bool write(const std::filesystem::path& file, const std::string& contents) {
  std::ofstream out(file, std::ios::binary);
  out << contents;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: hipaa_synth_variants OUT_DIR\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  int failures = 0;
  for (const auto& variant : variants()) {
    App app;
    auto& stack = app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(Preset::Hardened));
    variant.add(stack);
    const SynthesisResult result =
        synthesize(app, {.target = Target::CloudFormation, .format = Format::Json, .allow_noncompliant = true});
    if (!result.ok() || result.files.empty()) {
      std::cerr << variant.name << ": does not synthesize:\n";
      for (const auto& d : result.diagnostics) std::cerr << "  " << format(d) << '\n';
      ++failures;
      continue;
    }
    if (!write(out / (variant.name + ".template.json"), result.files.front().contents) ||
        !write(out / (variant.name + ".findings.json"), rules::to_json(rules::check(app)))) {
      std::cerr << variant.name << ": cannot write to " << out << '\n';
      return 2;
    }
  }
  std::cout << variants().size() - static_cast<std::size_t>(failures) << " in-code variant(s) written to "
            << out.string() << '\n';
  return failures == 0 ? 0 : 1;
}
