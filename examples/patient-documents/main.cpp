// A patient-documents service built from typed nodes only: clinicians sign in with Cognito, call a
// REST API (WAF in front, an encrypted response cache, a client certificate), and a Lambda
// function hands them presigned URLs for a KMS-encrypted, versioned, access-logged document
// bucket that AWS Backup protects. Failed events wait in an encrypted dead-letter queue that an
// alarm watches; the account's activity is recorded by an audit trail.
//   patient-documents --target cfn           (or tf, -o DIR, check, diff ...)
#include "hipaa/audit_trail.hpp"
#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/backup.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/cognito.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "hipaa/aws/wafv2.hpp"
#include "hipaa/cli.hpp"

using namespace hipaa;

namespace {

constexpr const char* kHandler = R"(// Returns a presigned URL to upload or read one document; never logs a body.
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
const s3 = new S3Client({});
exports.handler = async (event) => {
  const id = (event.pathParameters && event.pathParameters.id) || require('crypto').randomUUID();
  const input = { Bucket: process.env.BUCKET, Key: `documents/${id}` };
  const command = event.httpMethod === 'GET' ? new GetObjectCommand(input) : new PutObjectCommand(input);
  const url = await getSignedUrl(s3, command, { expiresIn: 300 });
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id, url }) };
};
)";

// A VPC of two private subnets, with its flow logs.
Refs<ec2::Subnet> private_network(Stack& s, ec2::Vpc& vpc, kms::Key& logs_key) {
  Refs<ec2::Subnet> subnets;
  auto& routes = s.add<ec2::RouteTable>("PrivateRoutes", {.vpc = vpc});
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i + 1);
    auto& subnet = s.add<ec2::Subnet>(
        "Private" + n,
        {.vpc = vpc, .cidr_block = "10.30." + n + ".0/24", .availability_zone = select(i, availability_zones())});
    s.add<ec2::SubnetRouteTableAssociation>("Private" + n + "Routes", {.subnet = subnet, .route_table = routes});
    subnets.push_back(subnet);
  }
  auto& flow_logs = s.add<logs::LogGroup>("FlowLogs", {.retention_days = 731, .kms_key = logs_key});
  auto& delivery = s.add<iam::ManagedPolicy>(
      "FlowLogsDelivery",
      {.document = {{iam::allow({"logs:CreateLogStream", "logs:PutLogEvents"}).on(flow_logs.arn())}}});
  auto& role = s.add<iam::Role>("FlowLogsRole", {.assume_role_policy = iam::assumed_by("vpc-flow-logs.amazonaws.com"),
                                                 .managed_policy_arns = {delivery.arn()}});
  s.add<ec2::FlowLog>("FlowLog", {.vpc = vpc, .log_group = flow_logs, .delivery_role = role});
  return subnets;
}

}  // namespace

int main(int argc, char** argv) {
  App app;
  Stack& s = app.add_stack("PatientDocuments", {.description = "Patient documents behind a Cognito-authorized API",
                                                .region = "us-east-1",
                                                .tags = {{"Application", "patient-documents"}}});

  auto& data_key =
      s.add<kms::Key>("DataKey", {.description = "Patient documents and their queue", .allow_cloudwatch_alarms = true});
  auto& logs_key = s.add<kms::Key>(
      "LogsKey", {.description = "Audit trail and logs", .allow_cloudwatch_logs = true, .allow_cloudtrail = true});
  auto& audit = s.add<AuditTrail>("Audit", {.kms_key = logs_key});

  // The documents: SSE-KMS, versioned, private, TLS only, access-logged, kept when the stack goes.
  auto& documents = s.add<s3::Bucket>(
      "Documents", {.kms_key = data_key,
                    .access_logs = s3::AccessLogs{.bucket = audit.access_logs()},
                    .lifecycle_rules = {{.id = "old-versions", .noncurrent_version_expiration_days = 2555}}});
  documents.suppress("HIPAA-S3-3",
                     "a single-region example: set replication to a versioned bucket in another region in production");

  // AWS Backup keeps daily recovery points of the bucket for 35 days in a locked vault.
  auto& vault = s.add<backup::Vault>(
      "BackupVault", {.vault_name = "patient-documents", .kms_key = data_key, .lock = backup::VaultLock{}});
  auto& plan = s.add<backup::Plan>("BackupPlan", {.plan_name = "patient-documents", .rules = {{.vault = vault}}});
  s.add<backup::Selection>("BackupSelection", {.selection_name = "documents", .plan = plan, .buckets = {documents}});

  // Failed asynchronous events wait 14 days, encrypted; an alarm says when any arrive.
  auto& dead_letters = s.add<sqs::Queue>(
      "DeadLetters",
      {.queue_name = "patient-documents-dlq", .kms_key = data_key, .message_retention_seconds = 1209600});
  auto& alerts = s.add<sns::Topic>(
      "Alerts", {.topic_name = "patient-documents-alerts", .kms_key = data_key, .allow_cloudwatch_alarms = true});
  cloudwatch::Metric waiting{.namespace_name = "AWS/SQS",
                             .metric_name = "ApproximateNumberOfMessagesVisible",
                             .statistic = cloudwatch::Statistic::Maximum};
  waiting.dimensions.emplace("QueueName", dead_letters.queue_name());
  s.add<cloudwatch::Alarm>(
      "DeadLettersAlarm",
      {.alarm_name = "patient-documents-dead-letters", .metric = std::move(waiting), .alarm_actions = {alerts}});

  // The function runs in a private network; it needs no route out: presigned URLs are signed
  // locally with the role's credentials.
  auto& vpc = s.add<ec2::Vpc>("Vpc", {.cidr_block = "10.30.0.0/16"});
  const Refs<ec2::Subnet> subnets = private_network(s, vpc, logs_key);
  auto& function_sg = s.add<ec2::SecurityGroup>("FunctionSecurityGroup", {.vpc = vpc, .description = "documents API"});
  auto& function_logs = s.add<logs::LogGroup>(
      "FunctionLogs", {.log_group_name = "/aws/lambda/patient-documents", .retention_days = 731, .kms_key = logs_key});
  auto& access = s.add<iam::ManagedPolicy>(
      "FunctionAccess",
      {.description = "Presign document uploads and reads; park failed events",
       .document = {
           {iam::allow({"s3:GetObject", "s3:PutObject"}).on(documents.arn_for_objects("documents/*")),
            iam::allow({"kms:GenerateDataKey", "kms:Decrypt"}).on(data_key.arn()),
            iam::allow({"sqs:SendMessage"}).on(dead_letters.arn()),
            iam::allow({"logs:CreateLogStream", "logs:PutLogEvents"}).on(function_logs.arn()),
            iam::allow({"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"})
                .on("*"),
            iam::allow({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}).on("*")}}});
  auto& role = s.add<iam::Role>("FunctionRole", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
                                                 .managed_policy_arns = {access.arn()}});
  auto& function = s.add<lambda::Function>("Function", {.function_name = "patient-documents",
                                                        .code = lambda::Code::inline_source("index.js", kHandler),
                                                        .role = role,
                                                        .environment = {{"BUCKET", documents.bucket_name()}},
                                                        .subnets = subnets,
                                                        .security_groups = {function_sg},
                                                        .log_group = function_logs,
                                                        .reserved_concurrency = 10,
                                                        .environment_kms_key = data_key,
                                                        .dead_letter = dead_letters});

  // Clinicians sign in with Cognito (MFA, strong passwords, threat protection); the API checks
  // their tokens.
  auto& clinicians = s.add<cognito::UserPool>("Clinicians", {.user_pool_name = "patient-documents-clinicians"});
  s.add<cognito::UserPoolClient>("WebClient", {.user_pool = clinicians, .client_name = "web"});
  auto& api = s.add<apigateway::RestApi>("Api", {.api_name = "patient-documents"});
  auto& authorizer = s.add<apigateway::Authorizer>(
      "ClinicianAuthorizer", {.api = api, .authorizer_name = "clinicians", .user_pools = {clinicians}});
  auto& collection = s.add<apigateway::ApiResource>("DocumentsResource", {.api = api, .path_part = "documents"});
  auto& item =
      s.add<apigateway::ApiResource>("DocumentResource", {.api = api, .parent = collection, .path_part = "{id}"});
  Refs<apigateway::Method> methods;
  for (auto [id, resource, verb] : {std::tuple{"Upload", &collection, "POST"}, std::tuple{"Read", &item, "GET"}}) {
    methods.push_back(s.add<apigateway::Method>(id, {.api = api,
                                                     .resource = *resource,
                                                     .http_method = verb,
                                                     .authorization = apigateway::Authorization::Cognito,
                                                     .authorizer = authorizer,
                                                     .function = function}));
  }
  auto& deployment = s.add<apigateway::Deployment>("Deployment", {.api = api, .methods = methods});
  auto& api_logs = s.add<logs::LogGroup>("ApiLogs", {.retention_days = 731, .kms_key = logs_key});
  auto& logging_role = s.add<iam::Role>(
      "ApiLoggingRole",
      {.assume_role_policy = iam::assumed_by("apigateway.amazonaws.com"),
       .managed_policy_arns = {iam::aws_managed("service-role/AmazonAPIGatewayPushToCloudWatchLogs")}});
  auto& account = s.add<apigateway::Account>("ApiAccount", {.cloudwatch_role = logging_role});
  auto& certificate = s.add<apigateway::ClientCertificate>("ApiCertificate", {.description = "patient documents"});
  auto& stage = s.add<apigateway::Stage>(
      "Stage", {.api = api,
                .deployment = deployment,
                .access_log_group = api_logs,
                .access_log_format = R"({"requestId":"$context.requestId","status":"$context.status"})",
                .method_settings = apigateway::MethodSettings{.caching_enabled = true, .cache_ttl_seconds = 60},
                .account = account,
                .client_certificate = certificate,
                .cache_cluster = apigateway::CacheCluster{}});
  s.add<lambda::Permission>("ApiInvoke",
                            {.function = function, .source_arn = interpolate({api.execution_arn(), "/*/*"})});
  auto& firewall_logs = s.add<logs::LogGroup>(
      "FirewallLogs", {.log_group_name = "aws-waf-logs-patient-documents", .retention_days = 731, .kms_key = logs_key});
  auto& firewall = s.add<wafv2::WebAcl>("Firewall", {.web_acl_name = "patient-documents", .log_group = firewall_logs});
  s.add<wafv2::WebAclAssociation>("FirewallAssociation", {.web_acl = firewall, .stage = stage});

  return cli::run(argc, argv, app);
}
