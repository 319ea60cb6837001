#include "hipaa/aws/cloudtrail.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

void add_cloudtrail(Stack& stack) {
  Construct& group = stack.add_group("CloudTrail");
  auto& key = group.add<kms::Key>(
      "Key", {.description = "Showcase audit key", .allow_cloudwatch_logs = true, .allow_cloudtrail = true});
  auto& access_logs = group.add<s3::Bucket>("AccessLogs", {.encryption = s3::Encryption::S3Managed});
  auto& bucket = group.add<s3::Bucket>(
      "Bucket", {.kms_key = key,
                 .access_logs = s3::AccessLogs{.bucket = access_logs},
                 .lifecycle_rules = {{.id = "archive-audit-logs",
                                      .transitions = {{.storage_class = s3::StorageClass::Glacier, .days = 365}}}}});
  auto& logs = group.add<logs::LogGroup>(
      "Logs", {.log_group_name = "/showcase/cloudtrail", .retention_days = 2557, .kms_key = key});
  group.add<cloudtrail::Trail>("Trail", {.trail_name = "showcase-trail",
                                         .bucket = bucket,
                                         .s3_key_prefix = "audit",
                                         .kms_key = key,
                                         .cloudwatch_log_group = logs,
                                         .data_events = {.all_s3_buckets = true, .all_lambda_functions = true},
                                         .tags = {{"Purpose", "audit"}}});
}

}  // namespace hipaa::showcase
