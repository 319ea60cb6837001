// hipaa/audit_trail.hpp: the account's audit trail as one construct: a multi-region CloudTrail
// trail with log file validation, encrypted with your key, delivered to a CloudWatch Logs log group
// and to a versioned, TLS-only bucket that outlives the stack, whose S3 access logs go to a second
// bucket. Built from the public nodes only (s3::Bucket, logs::LogGroup, cloudtrail::Trail).
//
//   auto& key = stack.add<kms::Key>("AuditKey", {.allow_cloudwatch_logs = true, .allow_cloudtrail = true});
//   auto& audit = stack.add<AuditTrail>("Audit", {.kms_key = key});
//   Value bucket = audit.bucket().arn();
#pragma once

#include <optional>
#include <string>

#include "hipaa/aws/cloudtrail.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/s3.hpp"

namespace hipaa {

struct AuditTrailProps {
  // Encrypts the trail's log files, its log group and its bucket: it needs allow_cloudtrail and
  // allow_cloudwatch_logs.
  Ref<kms::Key> kms_key;
  Value trail_name;      // default: the trail's logical id
  Value log_group_name;  // default: generated
  int log_retention_days = 365;
  // Objects move to Glacier after this many days (0: they stay in S3 Standard).
  int archive_after_days = 365;
  // Replicates the audit bucket to a versioned bucket in another region or account. Without it the
  // bucket records HIPAA-S3-3 as suppressed, with the reason, since replication needs a bucket
  // outside a single-region stack. `bucket_name` names the audit bucket (the replication role's
  // policy names it by ARN, as the bucket refers to the role).
  struct Replication {
    Value bucket_name;
    Value destination_bucket_arn;
    Value destination_kms_key_arn;
  };
  std::optional<Replication> replication;
  Tags tags;
};

class AuditTrail : public Construct {
 public:
  using Props = AuditTrailProps;
  AuditTrail(Construct& scope, std::string id, const AuditTrailProps& props,
             SourceLocation where = SourceLocation::current());

  // The bucket of the trail's log files (SSE-KMS with kms_key, access-logged to access_logs()).
  [[nodiscard]] s3::Bucket& bucket() const { return *bucket_; }
  // The S3 server access logs of bucket(): SSE-S3, because S3 delivers access logs into no other.
  [[nodiscard]] s3::Bucket& access_logs() const { return *access_logs_; }
  [[nodiscard]] logs::LogGroup& log_group() const { return *log_group_; }
  [[nodiscard]] cloudtrail::Trail& trail() const { return *trail_; }

 private:
  s3::Bucket* access_logs_ = nullptr;
  s3::Bucket* bucket_ = nullptr;
  logs::LogGroup* log_group_ = nullptr;
  cloudtrail::Trail* trail_ = nullptr;
};

}  // namespace hipaa
