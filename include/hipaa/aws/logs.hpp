// hipaa/aws/logs.hpp: CloudWatch Logs log groups.
//
//   auto& logs = stack.add<logs::LogGroup>("ApiLogs", {.log_group_name = "/aws/apigateway/api",
//                                                      .retention_days = 365, .kms_key = key});
#pragma once

#include "hipaa/aws/kms.hpp"

namespace hipaa::logs {

struct LogGroupProps {
  Value log_group_name;
  int retention_days = 365;  // one of the values CloudWatch Logs accepts
  Ref<kms::Key> kms_key;     // the key's policy must let CloudWatch Logs use it
  Tags tags;
};

// A log group (audit records among them) outlives its stack and survives replacement (Retain /
// prevent_destroy), as in the CDK. Opt out with set_removal_policy(RemovalPolicy::Delete).
class LogGroup final : public Node<LogGroup, LogGroupProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "logs::LogGroup",
      .summary = "A CloudWatch Logs log group with retention and a KMS key",
      .tagging = Tagging::KeyValueList,
      .holds_data = true,
      .types = {cloudformation_type("AWS::Logs::LogGroup", "LogGroupName"),
                terraform_type("aws_cloudwatch_log_group", "log_group_class name name_prefix")}};
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value log_group_name() const { return attribute({"", "name"}); }
  // Every stream of the group ("arn:...:log-group:NAME:*"), the same in both targets: the resource
  // a policy allowing logs:CreateLogStream and logs:PutLogEvents names. (arn() ends in ":*" in
  // CloudFormation only.)
  [[nodiscard]] Value streams_arn() const {
    return interpolate(
        {"arn:", partition(), ":logs:", region(), ":", account_id(), ":log-group:", log_group_name(), ":*"});
  }
  // Lets the grantee write log events (iam.hpp): logs:CreateLogStream and logs:PutLogEvents on
  // streams_arn() (sid WriteLogsTo<LogGroup>). CloudWatch Logs uses the group's key itself: the
  // writer needs no key permission.
  void grant_write(const iam::Grantee& grantee) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Whether CloudWatch Logs accepts `days` as a retention period.
[[nodiscard]] bool is_valid_retention(int days);

}  // namespace hipaa::logs
