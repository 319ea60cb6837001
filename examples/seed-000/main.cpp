// Seed 000 (the CDK-for-Terraform healthcare stack) rewritten with hipaa-synth as it was, defects
// included, to show what `check` reports. Two of its defects cannot be written at all: there is
// no property for a literal master password or Redis auth token, so RDS generates the password
// and Redis is left without authentication, which `check` reports.
//   seed-000 check            (exit 1: the findings)
//   seed-000 --target tf --allow-noncompliant
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/cli.hpp"

int main(int argc, char** argv) {
  using namespace hipaa;
  App app;
  Stack& s = app.add_stack("HealthcareStack", {.region = "us-east-1"});
  const Value suffix = s.add_parameter({.name = "EnvironmentSuffix", .default_value = "dev"});
  auto name = [&](const char* what) { return interpolate({std::string("healthcare-") + what + "-", suffix}); };

  // KMS key used for everything, logs included, with the default key policy.
  auto& key =
      s.add<kms::Key>("HealthcareKmsKey", {.description = "KMS key for HIPAA compliance", .pending_window_days = 7});
  s.add<kms::Alias>("HealthcareKmsAlias", {.alias_name = interpolate({"alias/healthcare-", suffix}), .target = key});

  auto& vpc = s.add<ec2::Vpc>("HealthcareVpc", {.cidr_block = "10.0.0.0/16"});
  auto& igw = s.add<ec2::InternetGateway>("InternetGateway", {.vpc = vpc});
  Refs<ec2::Subnet> public_subnets;
  Refs<ec2::Subnet> private_subnets;
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i + 1);
    public_subnets.push_back(
        s.add<ec2::Subnet>("PublicSubnet" + n, {.vpc = vpc,
                                                .cidr_block = "10.0." + n + ".0/24",
                                                .availability_zone = select(i, availability_zones()),
                                                .map_public_ip_on_launch = true}));
    private_subnets.push_back(
        s.add<ec2::Subnet>("PrivateSubnet" + n, {.vpc = vpc,
                                                 .cidr_block = "10.0." + std::to_string(10 + i) + ".0/24",
                                                 .availability_zone = select(i, availability_zones())}));
  }
  auto& public_rt = s.add<ec2::RouteTable>("PublicRouteTable", {.vpc = vpc});
  s.add<ec2::Route>("PublicRoute", {.route_table = public_rt, .gateway = igw});
  for (int i = 0; i < 2; ++i) {
    s.add<ec2::SubnetRouteTableAssociation>("PublicSubnet" + std::to_string(i + 1) + "Association",
                                            {.subnet = *public_subnets[i], .route_table = public_rt});
  }

  auto& lambda_sg = s.add<ec2::SecurityGroup>(
      "LambdaSecurityGroup",
      {.vpc = vpc, .group_name = name("lambda-sg"), .description = "Security group for Lambda functions"});
  s.add<ec2::SecurityGroupEgress>("LambdaEgress", {.group = lambda_sg, .protocol = "-1", .cidr_ipv4 = "0.0.0.0/0"});
  auto& rds_sg = s.add<ec2::SecurityGroup>(
      "RdsSecurityGroup",
      {.vpc = vpc, .group_name = name("rds-sg"), .description = "Security group for RDS Aurora cluster"});
  s.add<ec2::SecurityGroupIngress>(
      "RdsIngressFromLambda",
      {.group = rds_sg, .from_port = 5432, .peer = lambda_sg, .description = "Allow PostgreSQL access from Lambda"});
  auto& cache_sg = s.add<ec2::SecurityGroup>(
      "ElasticacheSecurityGroup",
      {.vpc = vpc, .group_name = name("elasticache-sg"), .description = "Security group for ElastiCache"});
  s.add<ec2::SecurityGroupIngress>(
      "ElasticacheIngressFromLambda",
      {.group = cache_sg, .from_port = 6379, .peer = lambda_sg, .description = "Allow Redis access from Lambda"});

  auto& db_subnets = s.add<rds::SubnetGroup>("RdsSubnetGroup", {.subnet_group_name = name("db-subnet-group"),
                                                                .description = "Subnet group for RDS Aurora cluster",
                                                                .subnets = private_subnets});
  auto& cluster = s.add<rds::DatabaseCluster>("AuroraCluster", {.cluster_identifier = name("db"),
                                                                .settings = {.engine_version = "16.6",
                                                                             .database_name = "healthcaredb",
                                                                             .master_username = "healthcareadmin",
                                                                             .subnet_group = db_subnets,
                                                                             .security_groups = {rds_sg},
                                                                             .kms_key = key,
                                                                             .deletion_protection = false,
                                                                             .removal = RemovalPolicy::Delete},
                                                                .serverless_v2 = rds::ServerlessV2Scaling{0.5, 1}});
  for (int i = 1; i <= 2; ++i) {
    s.add<rds::DatabaseClusterInstance>("AuroraInstance" + std::to_string(i), {.cluster = cluster});
  }

  auto& cache_subnets =
      s.add<elasticache::SubnetGroup>("ElasticacheSubnetGroup", {.subnet_group_name = name("cache-subnet-group"),
                                                                 .description = "Subnet group for Redis",
                                                                 .subnets = private_subnets});
  auto& redis = s.add<elasticache::ReplicationGroup>("RedisReplicationGroup", {.replication_group_id = name("cache"),
                                                                               .engine_version = "7.1",
                                                                               .kms_key = key,
                                                                               .subnet_group = cache_subnets,
                                                                               .security_groups = {cache_sg},
                                                                               .snapshot_retention_days = 5});

  auto& api_logs = s.add<logs::LogGroup>(
      "ApiGatewayLogGroup",
      {.log_group_name = interpolate({"/aws/apigateway/healthcare-", suffix}), .retention_days = 90, .kms_key = key});
  auto& function_logs = s.add<logs::LogGroup>("ProcessorLogGroup", {.retention_days = 90, .kms_key = key});

  auto& custom = s.add<iam::ManagedPolicy>(
      "LambdaCustomPolicy",
      {.policy_name = name("lambda-policy"),
       .document = {{iam::allow({"secretsmanager:GetSecretValue"}).on(cluster.master_secret_arn()),
                     iam::allow({"kms:Decrypt", "kms:DescribeKey"}).on(key.arn())}}});
  auto& role = s.add<iam::Role>(
      "LambdaExecutionRole",
      {.role_name = name("lambda-role"),
       .assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
       .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole"),
                               iam::aws_managed("service-role/AWSLambdaVPCAccessExecutionRole"), custom.arn()}});

  auto& fn = s.add<lambda::Function>(
      "PatientRecordProcessor",
      {.function_name = name("processor"),
       .runtime = "nodejs22.x",
       .code = lambda::Code::inline_source("index.js", "exports.handler = async (event) => ({ statusCode: 200 });\n"),
       .role = role,
       .timeout_seconds = 30,
       .memory_mb = 512,
       .environment = {{"DB_SECRET_ARN", cluster.master_secret_arn()},
                       {"REDIS_ENDPOINT", redis.primary_endpoint_address()},
                       {"REDIS_PORT", "6379"}},
       .subnets = private_subnets,
       .security_groups = {lambda_sg},
       .log_group = function_logs});

  auto& api = s.add<apigatewayv2::HttpApi>(
      "HealthcareApi", {.api_name = name("api"),
                        .cors = apigatewayv2::Cors{.allow_origins = {"*"},
                                                   .allow_methods = {"GET", "POST", "PUT", "DELETE", "OPTIONS"},
                                                   .allow_headers = {"Content-Type", "Authorization"}}});
  s.add<apigatewayv2::Stage>("ApiStage", {.api = api,
                                          .stage_name = "prod",
                                          .access_log_group = api_logs,
                                          .access_log_format = "$context.requestId $context.status",
                                          .throttling_burst_limit = 100,
                                          .throttling_rate_limit = 50});
  auto& integration =
      s.add<apigatewayv2::Integration>("LambdaIntegration", {.api = api, .function = fn, .timeout_ms = 30000});
  for (const char* route : {"POST /patients", "GET /patients/{id}"}) {
    s.add<apigatewayv2::Route>(std::string(route).starts_with("POST") ? "PostPatientsRoute" : "GetPatientsRoute",
                               {.api = api,
                                .route_key = route,
                                .integration = integration,
                                .authorization = apigatewayv2::RouteAuthorization::None});
  }
  s.add<lambda::Permission>("ApiGatewayLambdaPermission",
                            {.function = fn, .source_arn = interpolate({api.execution_arn(), "/*/*"})});

  return cli::run(argc, argv, app);
}
