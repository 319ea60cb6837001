#include "hipaa/synthetic.hpp"

#include <algorithm>

#include "hipaa/audit_trail.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"

namespace hipaa {
namespace {

// VPC and its flow log (group, policy, role), HTTP API, its log group and stage, the alarm topic
constexpr int kFixedPerStack = 9;
constexpr int kPerUnit = 14;
constexpr int kAuditResources = 5;  // the shared key, and the audit trail: two buckets, a log group, the trail
constexpr int kMaxUnits = 256;      // one /24 subnet per unit in the stack's /16

std::size_t add_unit(Stack& stack, int unit, ec2::Vpc& vpc, apigatewayv2::HttpApi& api, const kms::Key& shared_key,
                     const sns::Topic& alerts) {
  const std::string n = std::to_string(unit);
  auto& subnet = stack.add<ec2::Subnet>(
      "Subnet" + n, {.vpc = vpc,
                     .cidr_block = "10.0." + n + ".0/24",
                     .availability_zone = select(static_cast<std::size_t>(unit % 2), availability_zones())});
  auto& group = stack.add<ec2::SecurityGroup>("Group" + n, {.vpc = vpc, .description = "unit " + n});
  stack.add<ec2::SecurityGroupIngress>("GroupIngress" + n,
                                       {.group = group, .from_port = 443, .peer = group, .description = "peers"});
  auto& key = stack.add<kms::Key>("Key" + n, {.description = "unit " + n, .allow_cloudwatch_logs = true});
  auto& logs = stack.add<logs::LogGroup>("Logs" + n, {.retention_days = 365, .kms_key = key});
  auto& secret = stack.add<secretsmanager::Secret>(
      "Secret" + n, {.description = "unit " + n, .kms_key = shared_key, .generate = secretsmanager::GeneratedSecret{}});
  // The unit's function reads the secret, so it cannot also be its rotation function (a secret
  // names its rotation function when it is created); a benchmark app is measured, not deployed.
  secret.suppress("HIPAA-SECRETS-2",
                  "synthetic benchmark app: its secrets are synthesized to be measured, never "
                  "deployed, so no rotation function is modelled");
  auto& dead_letters = stack.add<sqs::Queue>(
      "DeadLetters" + n, {.kms_key = key, .message_retention_seconds = 1209600, .tags = {{"unit", n}}});
  auto& policy = stack.add<iam::ManagedPolicy>(
      "Policy" + n, {.description = "unit " + n,
                     .document = {{iam::allow({"secretsmanager:GetSecretValue"}).on(secret.arn()),
                                   iam::allow({"sqs:SendMessage"}).on(dead_letters.arn()),
                                   iam::allow({"kms:GenerateDataKey", "kms:Decrypt"}).on(key.arn()),
                                   iam::allow({"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                               "ec2:DeleteNetworkInterface"})
                                       .on("*")}}});
  auto& role = stack.add<iam::Role>("Role" + n, {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
                                                 .managed_policy_arns = {policy.arn()}});
  auto& fn = stack.add<lambda::Function>(
      "Function" + n,
      {.code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({ statusCode: 200 });\n"),
       .role = role,
       .environment = {{"SECRET_ARN", secret.arn()}},
       .subnets = {subnet},
       .security_groups = {group},
       .log_group = logs,
       .reserved_concurrency = 2,
       .dead_letter = dead_letters});
  // Built apart: GCC 12 warns of a map "maybe uninitialized" in a nested designated initializer.
  cloudwatch::Metric depth{.namespace_name = "AWS/SQS",
                           .metric_name = "ApproximateNumberOfMessagesVisible",
                           .statistic = cloudwatch::Statistic::Maximum};
  depth.dimensions.emplace("QueueName", dead_letters.queue_name());
  stack.add<cloudwatch::Alarm>("DeadLettersAlarm" + n,
                               {.alarm_name = interpolate({"unit-" + n + "-dead-letters-", stack.id()}),
                                .metric = std::move(depth),
                                .alarm_actions = {alerts}});
  auto& integration = stack.add<apigatewayv2::Integration>("Integration" + n, {.api = api, .function = fn});
  stack.add<apigatewayv2::Route>("Route" + n, {.api = api, .route_key = "GET /unit" + n, .integration = integration});
  stack.add<lambda::Permission>("Permission" + n,
                                {.function = fn, .source_arn = interpolate({api.execution_arn(), "/*/*"})});
  return kPerUnit;
}

}  // namespace

std::size_t add_synthetic_stacks(App& app, const SyntheticAppOptions& options) {
  const int units = std::clamp((options.resources_per_stack - kFixedPerStack + kPerUnit / 2) / kPerUnit, 1, kMaxUnits);
  std::size_t added = 0;
  const kms::Key* shared_key = nullptr;
  for (int s = 0; s < options.stacks; ++s) {
    Stack& stack = app.add_stack("Stack" + std::to_string(s), {.description = "synthetic stack " + std::to_string(s)});
    if (shared_key == nullptr) {
      shared_key = &stack.add<kms::Key>("SharedKey", {.description = "shared by every stack",
                                                      .allow_cloudwatch_logs = true,
                                                      .allow_cloudtrail = true,
                                                      .allow_cloudwatch_alarms = true});
      // One multi-region trail records the whole account, so it covers every stack of the app.
      stack.add<AuditTrail>("Audit", {.kms_key = *shared_key});
      added += kAuditResources;
    }
    auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
    auto& flow_logs = stack.add<logs::LogGroup>("FlowLogs", {.retention_days = 365, .kms_key = *shared_key});
    auto& delivery = stack.add<iam::ManagedPolicy>(
        "FlowLogsPolicy",
        {.document = {{iam::allow({"logs:CreateLogStream", "logs:PutLogEvents"}).on(flow_logs.streams_arn())}}});
    auto& flow_role =
        stack.add<iam::Role>("FlowLogsRole", {.assume_role_policy = iam::assumed_by("vpc-flow-logs.amazonaws.com"),
                                              .managed_policy_arns = {delivery.arn()}});
    stack.add<ec2::FlowLog>("FlowLog", {.vpc = vpc, .log_group = flow_logs, .delivery_role = flow_role});
    auto& api = stack.add<apigatewayv2::HttpApi>("Api", {.api_name = "synthetic-" + std::to_string(s)});
    auto& group = stack.add<logs::LogGroup>("ApiLogs", {.retention_days = 365, .kms_key = *shared_key});
    stack.add<apigatewayv2::Stage>(
        "ApiStage", {.api = api, .access_log_group = group, .access_log_format = "$context.requestId $context.status"});
    added += kFixedPerStack;
    auto& alerts = stack.add<sns::Topic>("Alerts", {.kms_key = *shared_key, .allow_cloudwatch_alarms = true});
    for (int u = 0; u < units; ++u) added += add_unit(stack, u, vpc, api, *shared_key, alerts);
  }
  return added;
}

}  // namespace hipaa
