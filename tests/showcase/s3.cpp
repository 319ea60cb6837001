#include "hipaa/aws/s3.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

void add_s3(Stack& stack) {
  Construct& group = stack.add_group("S3");
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase bucket key"});

  // Server access logs: SSE-S3, as S3 requires of a log target, kept for six years.
  auto& logs = group.add<s3::Bucket>(
      "AccessLogs", {.encryption = s3::Encryption::S3Managed,
                     .lifecycle_rules = {{.id = "expire-access-logs",
                                          .expiration_days = 2190,
                                          .noncurrent_version_expiration_days = 30,
                                          .transitions = {{.storage_class = s3::StorageClass::Glacier, .days = 90}}}}});

  // The role S3 replicates with, allowed by literal ARNs (the bucket names the role).
  const std::string name = "hipaa-synth-showcase-data";
  auto s3_arn = [](const std::string& resource) { return interpolate({"arn:", partition(), ":s3:::" + resource}); };
  const Value destination = s3_arn(name + "-replica");
  auto& replication_policy = group.add<iam::ManagedPolicy>(
      "ReplicationPolicy",
      {.document = {
           {iam::allow({"s3:GetReplicationConfiguration", "s3:ListBucket"}).on(s3_arn(name)),
            iam::allow({"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"})
                .on(s3_arn(name + "/*")),
            iam::allow({"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"})
                .on(s3_arn(name + "-replica/*")),
            iam::allow({"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}).on("*")}}});
  auto& replication_role = group.add<iam::Role>(
      "ReplicationRole",
      {.assume_role_policy = iam::assumed_by("s3.amazonaws.com"), .managed_policy_arns = {replication_policy.arn()}});

  // PHI: SSE-KMS, access-logged, tiered, locked and replicated.
  group.add<s3::Bucket>(
      "Data",
      {.bucket_name = name,
       .kms_key = key,
       .access_logs = s3::AccessLogs{.bucket = logs, .prefix = "data/"},
       .lifecycle_rules = {{.id = "tiering",
                            .noncurrent_version_expiration_days = 365,
                            .transitions = {{.storage_class = s3::StorageClass::StandardInfrequentAccess, .days = 30},
                                            {.storage_class = s3::StorageClass::GlacierInstantRetrieval, .days = 90},
                                            {.storage_class = s3::StorageClass::DeepArchive, .days = 365}},
                            .abort_incomplete_multipart_upload_days = 7},
                           {.id = "expire-exports", .prefix = "exports/", .expiration_days = 30}},
       .object_lock = s3::ObjectLock{.mode = s3::ObjectLockMode::Governance, .days = 365},
       .replication = s3::Replication{.destination_bucket_arn = destination,
                                      .replica_kms_key_arn = interpolate({"arn:", partition(), ":kms:us-west-2:",
                                                                          account_id(), ":alias/showcase-replica"}),
                                      .role = replication_role},
       .tags = {{"DataClassification", "phi"}}});

  // A bucket whose policy an s3::BucketPolicy writes, adding a statement of its own.
  auto& reports = group.add<s3::Bucket>("Reports", {.kms_key = key, .access_logs = s3::AccessLogs{.bucket = logs}});
  group.add<s3::BucketPolicy>("ReportsPolicy", {.bucket = reports,
                                                .statements = {iam::allow({"s3:GetObject"})
                                                                   .id("AccountReadsReports")
                                                                   .principal(iam::account_root())
                                                                   .on(reports.arn_for_objects("reports/*"))}});
}

}  // namespace hipaa::showcase
