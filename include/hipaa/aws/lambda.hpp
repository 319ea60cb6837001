// hipaa/aws/lambda.hpp: Lambda functions (in a VPC, logging to a given log group) and
// invoke permissions.
//
//   auto& fn = stack.add<lambda::Function>("Api", {.runtime = "nodejs22.x", .handler = "index.handler",
//       .code = lambda::Code::inline_source("index.js", source), .role = role});
//   .code = lambda::Code::from_directory("build/api")   // or Code::from_file("build/api/index.js")
//
// Inline code is CloudFormation's Code.ZipFile; Terraform has no inline code, so the same source
// is written as a deterministic zip beside main.tf.json with its hash. Code from files is packaged
// into a deterministic zip, written beside the document in both targets: Terraform uploads it
// (filename, source_code_hash); CloudFormation's Code is its path relative to the template, which
// `aws cloudformation package` uploads to S3 and rewrites to S3Bucket/S3Key (docs/concepts.md).
//
// A dead-letter queue or topic receives the event of an asynchronous invocation that failed every
// retry. The function sends it with its own role, which this node cannot change: the role must
// allow sqs:SendMessage on the queue (or sns:Publish on the topic) and kms:GenerateDataKey and
// kms:Decrypt on that queue's (or topic's) key: `queue.grant_send_messages(fn)` or
// `topic.grant_publish(fn)` does. Lambda checks the send permission when it creates the function,
// as it checks a function in a VPC may manage its network interfaces (ec2:CreateNetworkInterface
// and the like, which the role may get through add_to_policy), so a function with a dead-letter
// target or subnets waits for its role's grants (its GrantPolicy); a missing key permission only
// shows when an event is dropped.
//
// A function is a grantee (iam::Grantee): `secret.grant_read(fn)` adds to its role's policy.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "hipaa/source_location.hpp"

namespace hipaa::lambda {

// A function's code: inline source, or a file or directory packaged into a zip.
struct Code {
  // Code read from the user's files, packaged when the Code is made (Code::from_file,
  // Code::from_directory), so every target and every synthesis uses the same bytes.
  struct Package {
    std::string path;  // as given, relative to the working directory or absolute
    std::string zip;   // the deterministic zip; empty when `problem` is set
    std::size_t unzipped_bytes = 0;
    std::string problem;   // why it could not be packaged (reported as HS2011); empty when packaged
    SourceLocation where;  // the from_file / from_directory call
  };

  std::string file_name;                   // inline code: "index.js", "index.py"
  std::string source;                      // inline code
  std::shared_ptr<const Package> package;  // code from files; null for inline code

  [[nodiscard]] static Code inline_source(std::string file_name, std::string source) {
    Code code;
    code.file_name = std::move(file_name);
    code.source = std::move(source);
    return code;
  }
  // One file, as the zip's only entry under its own name (its executable bit kept). `path` is
  // relative to the process's working directory, as the CDK's Code.fromAsset. Problems (missing,
  // not a regular file, unreadable, too large) are not thrown: validation reports them as HS2011 at
  // the line of this call.
  [[nodiscard]] static Code from_file(const std::string& path, SourceLocation where = SourceLocation::current());
  // Every regular file under `path`, named by its path below it ('/'-separated), in byte order of
  // the names, with fixed timestamps and modes 0644 or 0755 (executable bit kept: a custom
  // runtime's `bootstrap`), no directory entries. A symbolic link is followed when it stays inside
  // `path`; one that leads out, or into a loop, is refused. Problems as from_file, and an empty
  // directory.
  [[nodiscard]] static Code from_directory(const std::string& path, SourceLocation where = SourceLocation::current());
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
  Value function_name;  // default: generated by CloudFormation; "<stack>-<LogicalId>" in Terraform
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
          "A Lambda function (inline code, or a file or directory packaged into a content-addressed zip beside the "
          "document)",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::Lambda::Function", "FunctionName PackageType TenancyConfig"),
                terraform_type("aws_lambda_function", "function_name package_type tenancy_config")}};
  static constexpr std::size_t kMaxInlineBytes = 4096;  // CloudFormation's ZipFile limit
  // Lambda's deployment package quotas (GetAccountSettings' CodeSizeZipped and CodeSizeUnzipped):
  // a zip uploaded directly (Terraform's filename) at most 50 MB; its contents at most 250 MB
  // unzipped, however uploaded (CloudFormation's package goes through S3).
  static constexpr std::size_t kMaxDirectUploadBytes = 50UL * 1024 * 1024;
  static constexpr std::size_t kMaxUnzippedBytes = 250UL * 1024 * 1024;
  static constexpr std::size_t kMaxLayers = 5;
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value function_name() const { return attribute({"", "function_name"}); }
  // The URI API Gateway invokes the function through.
  [[nodiscard]] Value invoke_uri() const;
  // The function's security groups, to connect it to a database or cache (ec2::Connections); no
  // default port. A function outside a VPC has no group: connecting it throws.
  [[nodiscard]] ec2::Connections connections() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  void lower_code(Lowering& l, TargetResource& fn) const;
  // Grants made to this function while it has no iam::Role to hold them (iam::Grantee), each
  // reported by validate (HS3007).
  friend class iam::Grantee;
  std::vector<std::string> grants_without_role_;
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
