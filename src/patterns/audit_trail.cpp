#include "hipaa/audit_trail.hpp"

#include "hipaa/aws/iam.hpp"

namespace hipaa {
namespace {

std::vector<s3::LifecycleRule> archive(int days) {
  if (days <= 0) return {};
  return {{.id = "archive",
           .noncurrent_version_expiration_days = 365,
           .transitions = {{.storage_class = s3::StorageClass::Glacier, .days = days}}}};
}

// The role S3 replicates the audit bucket with: read its versions, write replicas there, decrypt
// with the trail's key and encrypt with the replica key.
iam::Role& replication_role(Construct& scope, const AuditTrailProps& p) {
  const auto& r = *p.replication;
  const Value bucket_arn = interpolate({"arn:", partition(), ":s3:::", r.bucket_name});
  auto& policy = scope.add<iam::ManagedPolicy>(
      "ReplicationPolicy",
      {.description = "Replicates the audit bucket",
       .document = {
           {iam::allow({"s3:GetReplicationConfiguration", "s3:ListBucket"}).on(bucket_arn),
            iam::allow({"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"})
                .on(interpolate({bucket_arn, "/*"})),
            iam::allow({"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"})
                .on(interpolate({r.destination_bucket_arn, "/*"})),
            iam::allow({"kms:Decrypt"}).on(p.kms_key ? p.kms_key->arn() : Value()),
            iam::allow({"kms:Encrypt"}).on(r.destination_kms_key_arn)}}});
  return scope.add<iam::Role>("ReplicationRole", {.description = "Replicates the audit bucket",
                                                  .assume_role_policy = iam::assumed_by("s3.amazonaws.com"),
                                                  .managed_policy_arns = {policy.arn()},
                                                  .tags = p.tags});
}

}  // namespace

AuditTrail::AuditTrail(Construct& scope, std::string id, const AuditTrailProps& props, SourceLocation where)
    : Construct(&scope, std::move(id), where) {
  const AuditTrailProps& p = props;
  access_logs_ = &add<s3::Bucket>(
      "AccessLogs", {.encryption = s3::Encryption::S3Managed, .lifecycle_rules = archive(90), .tags = p.tags});
  access_logs_->suppress("HIPAA-S3-6",
                         "S3 server access logs are delivered only into buckets encrypted with SSE-S3; AWS does not "
                         "support SSE-KMS on the target bucket");
  access_logs_->suppress("HIPAA-S3-3",
                         "holds the S3 access logs of the audit bucket only, kept with versioning and lifecycle; the "
                         "audit records themselves are in the audit bucket");
  std::optional<s3::Replication> replication;
  if (p.replication) {
    replication = s3::Replication{.destination_bucket_arn = p.replication->destination_bucket_arn,
                                  .replica_kms_key_arn = p.replication->destination_kms_key_arn,
                                  .role = replication_role(*this, p)};
  }
  bucket_ = &add<s3::Bucket>("Bucket", {.bucket_name = p.replication ? p.replication->bucket_name : Value(),
                                        .kms_key = p.kms_key,
                                        .access_logs = s3::AccessLogs{.bucket = *access_logs_},
                                        .lifecycle_rules = archive(p.archive_after_days),
                                        .replication = replication,
                                        .tags = p.tags});
  if (!p.replication) {
    bucket_->suppress("HIPAA-S3-3",
                      "replication needs a bucket in another region, outside this single-region stack (set the audit "
                      "trail's replication to replicate); the trail is multi-region and the bucket versioned and "
                      "retained");
  }
  log_group_ = &add<logs::LogGroup>("LogGroup", {.log_group_name = p.log_group_name,
                                                 .retention_days = p.log_retention_days,
                                                 .kms_key = p.kms_key,
                                                 .tags = p.tags});
  trail_ = &add<cloudtrail::Trail>("Trail", {.trail_name = p.trail_name,
                                             .bucket = *bucket_,
                                             .kms_key = p.kms_key,
                                             .cloudwatch_log_group = *log_group_,
                                             .tags = p.tags});
}

}  // namespace hipaa
