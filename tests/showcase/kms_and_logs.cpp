#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

void add_kms_and_logs(Stack& stack) {
  Construct& group = stack.add_group("Keys");
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase key", .allow_cloudwatch_logs = true});
  group.add<kms::Alias>("Alias", {.alias_name = "alias/showcase", .target = key});
  group.add<logs::LogGroup>("Logs", {.log_group_name = "/showcase/app", .retention_days = 731, .kms_key = key});
  // The function that rotates the secret: its role may read and write that secret and use its key.
  Construct& rotation = stack.add_group("SecretRotation");
  iam::PolicyDocument trust = iam::assumed_by("lambda.amazonaws.com");
  const Value secret_arn =
      interpolate({"arn:", partition(), ":secretsmanager:", region(), ":", account_id(), ":secret:showcase/api-key-*"});
  auto& access = rotation.add<iam::ManagedPolicy>(
      "Policy",
      {.description = "Showcase secret rotation",
       .document = {{iam::allow({"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                                 "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"})
                         .id("RotateTheSecret")
                         .on(secret_arn),
                     iam::allow({"kms:Decrypt", "kms:GenerateDataKey"}).id("UseTheSecretKey").on(key.arn())}}});
  auto& role = rotation.add<iam::Role>(
      "Role", {.assume_role_policy = trust,
               .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole"), access.arn()}});
  auto& rotator = rotation.add<lambda::Function>(
      "Function",
      {.function_name = "showcase-secret-rotation",
       .code = lambda::Code::inline_source(
           "index.js", "exports.handler = async (event) => { console.log(event.Step); /* createSecret ... */ };"),
       .role = role,
       .reserved_concurrency = 1});
  // A generated secret (an ephemeral random password in Terraform, never in plan or state),
  // rotated every 30 days.
  group.add<secretsmanager::Secret>("Secret", {.secret_name = "showcase/api-key",
                                               .description = "Showcase API key",
                                               .kms_key = key,
                                               .generate = secretsmanager::GeneratedSecret{},
                                               .rotation = secretsmanager::Rotation{.function = rotator}});
}

}  // namespace hipaa::showcase
