// S3 rules: buckets are private, TLS-only, versioned, access-logged, replicated and encrypted with
// a customer managed key. Rules on the bucket policy judge the policy as whichever node writes it
// emits it (the bucket, an s3::BucketPolicy, a trail).
#include <algorithm>

#include "hipaa/aws/s3.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

// The node of the stack that writes the bucket's policy, or nullptr when the bucket writes its own.
const Resource* policy_writer(const Inventory& stack, const s3::Bucket& bucket) {
  for (const Resource* r : stack.resources()) {
    if (r->writes_policy_of() == &bucket) return r;
  }
  return nullptr;
}

// The bucket's effective policy: its own statements, or what its writer adds.
struct EffectivePolicy {
  iam::PolicyDocument document;
  const Resource* writer = nullptr;
};

EffectivePolicy effective_policy(const Inventory& stack, const s3::Bucket& bucket) {
  const Resource* writer = policy_writer(stack, bucket);
  if (writer != nullptr && &writer->info() == &s3::BucketPolicy::kInfo) {
    const auto& p = static_cast<const s3::BucketPolicy*>(writer)->props();
    return {bucket.resource_policy(p.statements, p.enforce_tls), writer};
  }
  // Other writers (a trail) add Allow statements for a service only, and keep the bucket's TLS
  // setting: the bucket's own policy decides what these rules look at.
  return {bucket.resource_policy(), writer};
}

bool is_tls_deny(const iam::Statement& s) {
  if (s.effect != iam::Effect::Deny) return false;
  const bool all_actions = std::ranges::any_of(s.actions, [](const std::string& a) { return a == "*" || a == "s3:*"; });
  const bool everyone = std::ranges::any_of(s.principals, [](const iam::Principal& p) {
    return p.kind == iam::Principal::Kind::Any ||
           (p.kind == iam::Principal::Kind::Aws &&
            std::ranges::any_of(p.identifiers, [](const Value& v) { return literal_prefix(v) == "*"; }));
  });
  const bool insecure = std::ranges::any_of(s.conditions, [](const iam::Condition& c) {
    return c.test == "Bool" && c.variable == "aws:SecureTransport" && std::ranges::any_of(c.values, [](const Value& v) {
             const auto* b = v.get_if<bool>();
             return literal_prefix(v) == "false" || (b != nullptr && !*b);
           });
  });
  return all_actions && everyone && insecure && s.resources.size() >= 2;
}

// An Allow for anyone without a condition: the bucket is public through its policy.
bool is_public_allow(const iam::Statement& s) {
  if (s.effect != iam::Effect::Allow || !s.conditions.empty()) return false;
  return std::ranges::any_of(s.principals, [](const iam::Principal& p) {
    return p.kind == iam::Principal::Kind::Any ||
           std::ranges::any_of(p.identifiers, [](const Value& v) { return literal_prefix(v) == "*"; });
  });
}

std::string written_by(const EffectivePolicy& policy) {
  return policy.writer != nullptr ? " (written by " + policy.writer->path() + ")" : "";
}

void bucket_not_public(const Inventory& stack, Reporter& report) {
  each<s3::Bucket>(stack, [&](const s3::Bucket& bucket) {
    const auto& block = bucket.props().public_access_block;
    if (!block.block_public_acls || !block.block_public_policy || !block.ignore_public_acls ||
        !block.restrict_public_buckets) {
      report.flag(bucket, "the bucket's public access block is not fully on");
      return;
    }
    // Terraform writes the block as its own resource, which no override reaches.
    if (flag_override(bucket, {"PublicAccessBlockConfiguration", {}}, report)) return;
    const auto policy = effective_policy(stack, bucket);
    if (std::ranges::any_of(policy.document.statements, is_public_allow)) {
      report.flag(bucket, "the bucket policy" + written_by(policy) + " allows anyone without a condition");
    }
  });
}

bool receives_access_logs(const s3::Bucket& bucket) { return !bucket.access_log_sources().empty(); }

void bucket_access_logged(const Inventory& stack, Reporter& report) {
  each<s3::Bucket>(stack, [&](const s3::Bucket& bucket) {
    // A bucket that receives other buckets' access logs is their log, not a bucket to log.
    if (!bucket.props().access_logs && !receives_access_logs(bucket)) {
      report.flag(bucket, "server access logging is off");
    } else {
      flag_override(bucket, {"LoggingConfiguration", "logging"}, report);
    }
  });
}

void bucket_replicated(const Inventory& stack, Reporter& report) {
  each<s3::Bucket>(stack, [&](const s3::Bucket& bucket) {
    if (!bucket.props().replication) {
      report.flag(bucket, "the bucket is not replicated");
    } else {
      flag_override(bucket, {"ReplicationConfiguration", "replication_configuration"}, report);
    }
  });
}

void bucket_tls_only(const Inventory& stack, Reporter& report) {
  each<s3::Bucket>(stack, [&](const s3::Bucket& bucket) {
    const auto policy = effective_policy(stack, bucket);
    if (!std::ranges::any_of(policy.document.statements, is_tls_deny)) {
      report.flag(bucket, "the bucket policy" + written_by(policy) + " does not deny requests made without TLS");
    }
  });
}

void bucket_versioned(const Inventory& stack, Reporter& report) {
  each<s3::Bucket>(stack, [&](const s3::Bucket& bucket) {
    if (!bucket.props().versioned) {
      report.flag(bucket, "versioning is off");
    } else {
      flag_override(bucket, {"VersioningConfiguration", "versioning"}, report);
    }
  });
}

void bucket_kms_encrypted(const Inventory& stack, Reporter& report) {
  each<s3::Bucket>(stack, [&](const s3::Bucket& bucket) {
    // The Terraform names are aws_s3_bucket's inline (deprecated) forms of the settings hipaa-synth
    // emits as separate resources: an override that sets them still changes the bucket.
    if (bucket.props().encryption == s3::Encryption::Kms) {
      flag_override(bucket, {"BucketEncryption", "server_side_encryption_configuration"}, report);
      return;
    }
    if (receives_access_logs(bucket)) {
      report.flag(bucket,
                  "the bucket uses SSE-S3, as a server access log bucket must (S3 delivers no access logs to SSE-KMS "
                  "buckets): suppress this rule on it with that reason");
    } else {
      report.flag(bucket, "the bucket uses SSE-S3, not SSE-KMS with a customer managed key");
    }
  });
}

}  // namespace

const std::vector<Rule>& s3_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-S3-1", Severity::Error, kAccessControl,
       "S3 buckets block all public access and their policy grants nothing to anyone unconditionally",
       "keep all four public_access_block settings on and give public statements conditions", bucket_not_public,
       "S3BucketLevelPublicAccessProhibited S3BucketPublicReadProhibited S3BucketPublicWriteProhibited"},
      {"HIPAA-S3-2", Severity::Error, kAuditControls,
       "S3 buckets log server access (or receive other buckets' access logs)",
       "set access_logs to a bucket with SSE-S3 encryption", bucket_access_logged, "S3BucketLoggingEnabled"},
      {"HIPAA-S3-3", Severity::Error, kDataBackupPlan, "S3 buckets replicate their objects",
       "set replication to a versioned bucket in another region or account", bucket_replicated,
       "S3BucketReplicationEnabled"},
      {"HIPAA-S3-4", Severity::Error, kTransmissionSecurity, "S3 bucket policies deny requests made without TLS",
       "keep enforce_tls on (the bucket's, or its s3::BucketPolicy's)", bucket_tls_only, "S3BucketSSLRequestsOnly"},
      {"HIPAA-S3-5", Severity::Error, kContingencyPlan, "S3 buckets keep object versions", "set versioned",
       bucket_versioned, "S3BucketVersioningEnabled"},
      {"HIPAA-S3-6", Severity::Error, kEncryptionAtRest,
       "S3 buckets encrypt objects with SSE-KMS and a customer managed key",
       "set encryption = s3::Encryption::Kms and kms_key (a server access log bucket cannot: suppress it there)",
       bucket_kms_encrypted, "S3DefaultEncryptionKMS"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
