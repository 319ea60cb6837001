// hipaa/aws/cloudtrail.hpp: CloudTrail trails: multi-region, KMS-encrypted, validated log files in
// an S3 bucket whose policy the trail writes, optionally delivered to CloudWatch Logs as well.
//
//   auto& key = stack.add<kms::Key>("TrailKey", {.description = "audit logs", .allow_cloudtrail = true});
//   auto& trail = stack.add<cloudtrail::Trail>("Trail", {.bucket = audit_bucket, .kms_key = key});
//   Value arn = trail.arn();
#pragma once

#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/s3.hpp"

namespace hipaa::cloudtrail {

enum class ReadWrite { All, ReadOnly, WriteOnly };

// Data events (S3 object-level operations, Lambda invocations), logged through advanced event
// selectors beside all management events. Off unless set.
struct DataEvents {
  bool all_s3_buckets = false;  // every bucket of the account except the trail's own
  Refs<s3::Bucket> s3_buckets;  // or the objects of these buckets
  bool all_lambda_functions = false;
  Refs<lambda::Function> lambda_functions;
  ReadWrite read_write = ReadWrite::All;
};

struct TrailProps {
  // Default: the logical id. The trail's policies (bucket, delivery role) name it by an ARN built
  // from this name, since the trail depends on them.
  Value trail_name;
  Ref<s3::Bucket> bucket;  // the trail writes its policy
  Value s3_key_prefix;     // up to 200 characters
  // Log files are encrypted with kms_key (its policy needs allow_cloudtrail). Turning this off
  // leaves them to the bucket's default encryption: rule HIPAA-TRAIL-2 flags it.
  bool kms_encryption = true;
  Ref<kms::Key> kms_key;
  bool is_multi_region = true;                // every region's events, in one trail
  bool include_global_service_events = true;  // IAM, STS, CloudFront; required for multi-region
  bool enable_log_file_validation = true;     // signed digest files prove logs were not altered
  bool is_logging = true;
  // Also delivers events to this log group, through a role CloudTrail assumes (created here, with a
  // managed policy for the group's streams). A key of the group needs allow_cloudwatch_logs.
  Ref<logs::LogGroup> cloudwatch_log_group;
  DataEvents data_events;
  Tags tags;
};

class Trail final : public Node<Trail, TrailProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "cloudtrail::Trail",
      .summary =
          "A CloudTrail trail; writes its bucket's policy, and with a log group creates the delivery role "
          "and its managed policy",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::CloudTrail::Trail", "TrailName"),
                cloudformation_type("AWS::S3::BucketPolicy", "Bucket"),
                cloudformation_type("AWS::IAM::Role", "Path RoleName"),
                cloudformation_type("AWS::IAM::ManagedPolicy", "Description ManagedPolicyName Path"),
                terraform_type("aws_cloudtrail", "name"), terraform_type("aws_s3_bucket_policy", "bucket"),
                terraform_type("aws_iam_role", "name name_prefix path"),
                terraform_type("aws_iam_policy", "description name name_prefix path"),
                terraform_type("aws_iam_role_policy_attachment", "policy_arn role")}};
  // Secondary resources: the delivery role, its policy and (Terraform) the attachment.
  static constexpr std::string_view kLogsRoleSuffix = "LogsRole";
  static constexpr std::string_view kLogsPolicySuffix = "LogsPolicy";
  static constexpr std::string_view kLogsPolicyAttachmentSuffix = "LogsPolicyAttachment";

  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value trail_name() const { return attribute({"", "name"}); }
  // arn:<partition>:cloudtrail:<region>:<account>:trail/<name>, built from the name (computed): how
  // the bucket policy, key policy conditions and delivery role name the trail without depending on it.
  [[nodiscard]] Value arn_from_name() const;
  // The policy the trail writes for its bucket: the bucket's own (TLS deny, statements, access-log
  // grant), then CloudTrail's ACL check and write statements for this trail only.
  [[nodiscard]] iam::PolicyDocument bucket_policy() const;
  [[nodiscard]] const Resource* writes_policy_of() const override { return props().bucket.get(); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Whether a key's policy lets CloudTrail encrypt log files with it (allow_cloudtrail, or a
// statement of the key's own for cloudtrail.amazonaws.com).
[[nodiscard]] bool key_allows_cloudtrail(const kms::Key& key);

}  // namespace hipaa::cloudtrail
