// hipaa/aws/lambda.hpp: Lambda functions (in a VPC, logging to a given log group) and
// invoke permissions.
//
//   auto& fn = stack.add<lambda::Function>("Api", {.runtime = "nodejs22.x", .handler = "index.handler",
//       .code = lambda::Code::inline_source("index.js", source), .role = role});
//
// Inline code is CloudFormation's Code.ZipFile; Terraform has no inline code, so the same source
// is written as a deterministic zip beside main.tf.json with its hash.
//
// A dead-letter queue or topic receives the event of an asynchronous invocation that failed every
// retry. The function sends it with its own role, which this node cannot change: the role must
// allow sqs:SendMessage on the queue (or sns:Publish on the topic) and kms:GenerateDataKey and
// kms:Decrypt on that queue's (or topic's) key. Lambda checks the send permission when it creates
// the function; a missing key permission only shows when an event is dropped.
#pragma once

#include <map>
#include <optional>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"

namespace hipaa::lambda {

struct Code {
  std::string file_name;  // "index.js", "index.py"
  std::string source;
  [[nodiscard]] static Code inline_source(std::string file_name, std::string source) {
    return {std::move(file_name), std::move(source)};
  }
};

// A function's dead-letter target: a standard queue or a standard topic (Lambda takes no FIFO
// one), never both: `.dead_letter = queue` or `.dead_letter = topic`.
class DeadLetterTarget {
 public:
  DeadLetterTarget() = default;
  DeadLetterTarget(const sqs::Queue& queue) : queue_(queue) {}
  DeadLetterTarget(const sns::Topic& topic) : topic_(topic) {}
  [[nodiscard]] const sqs::Queue* queue() const { return queue_.get(); }
  [[nodiscard]] const sns::Topic* topic() const { return topic_.get(); }
  [[nodiscard]] explicit operator bool() const { return queue_ || topic_; }
  // The queue's or topic's ARN; null when neither is set.
  [[nodiscard]] Value arn() const {
    if (queue_) return queue_->arn();
    if (topic_) return topic_->topic_arn();
    return {};
  }

 private:
  Ref<sqs::Queue> queue_;
  Ref<sns::Topic> topic_;
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
  DeadLetterTarget dead_letter;  // see above: the role needs send and key permissions
  std::vector<Value> layers;     // up to 5 layer version ARNs (arn:...:layer:<name>:<version>)
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
  static constexpr std::size_t kMaxLayers = 5;
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
