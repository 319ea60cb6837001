// hipaa/aws/lambda.hpp: Lambda functions (in a VPC, logging to a given log group) and
// invoke permissions.
//
//   auto& fn = stack.add<lambda::Function>("Api", {.runtime = "nodejs22.x", .handler = "index.handler",
//       .code = lambda::Code::inline_source("index.js", source), .role = role});
//
// Inline code is CloudFormation's Code.ZipFile; Terraform has no inline code, so the same source
// is written as a deterministic zip beside main.tf.json with its hash.
#pragma once

#include <map>
#include <optional>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::lambda {

struct Code {
  std::string file_name;  // "index.js", "index.py"
  std::string source;
  [[nodiscard]] static Code inline_source(std::string file_name, std::string source) {
    return {std::move(file_name), std::move(source)};
  }
};

struct FunctionProps {
  Value function_name;
  std::string description;
  std::string runtime = "nodejs22.x";
  std::string handler = "index.handler";
  Code code;
  Ref<iam::Role> role;
  int timeout_seconds = 25;  // under API Gateway's 29 s integration limit
  int memory_mb = 256;
  std::map<std::string, Value> environment;
  Refs<ec2::Subnet> subnets;
  Refs<ec2::SecurityGroup> security_groups;
  Ref<logs::LogGroup> log_group;
  std::optional<int> reserved_concurrency;
  bool active_tracing = true;
  Ref<kms::Key> environment_kms_key;
  Tags tags;
};

class Function final : public Node<Function, FunctionProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "lambda::Function",
      .summary =
          "A Lambda function (inline code in CloudFormation, a content-addressed zip beside main.tf.json in Terraform)",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::Lambda::Function", "FunctionName PackageType TenancyConfig"),
                terraform_type("aws_lambda_function", "function_name package_type tenancy_config")}};
  static constexpr std::size_t kMaxInlineBytes = 4096;  // CloudFormation's ZipFile limit
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value function_name() const { return attribute({"", "function_name"}); }
  // The URI API Gateway invokes the function through.
  [[nodiscard]] Value invoke_uri() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct PermissionProps {
  Ref<Function> function;
  std::string action = "lambda:InvokeFunction";
  std::string principal = "apigateway.amazonaws.com";
  Value source_arn;
};

class Permission final : public Node<Permission, PermissionProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "lambda::Permission",
      .summary = "Lets a service principal invoke a function",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::Lambda::Permission",
                                    "Action EventSourceToken FunctionName FunctionUrlAuthType InvokedViaFunctionUrl "
                                    "Principal PrincipalOrgID SourceAccount SourceArn"),
                terraform_type(
                    "aws_lambda_permission",
                    "action event_source_token function_name function_url_auth_type invoked_via_function_url principal "
                    "principal_org_id qualifier source_account source_arn statement_id statement_id_prefix")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::lambda
