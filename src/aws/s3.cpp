#include "hipaa/aws/s3.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::s3 {
namespace {

std::string_view storage_class_name(StorageClass c) {
  switch (c) {
    case StorageClass::StandardInfrequentAccess: return "STANDARD_IA";
    case StorageClass::IntelligentTiering: return "INTELLIGENT_TIERING";
    case StorageClass::OneZoneInfrequentAccess: return "ONEZONE_IA";
    case StorageClass::GlacierInstantRetrieval: return "GLACIER_IR";
    case StorageClass::Glacier: return "GLACIER";
    case StorageClass::DeepArchive: return "DEEP_ARCHIVE";
  }
  return "GLACIER";
}

// The infrequent-access classes: objects go there 30 days after creation at the earliest, and stay
// 30 days before moving on.
bool is_infrequent_access(StorageClass c) {
  return c == StorageClass::StandardInfrequentAccess || c == StorageClass::OneZoneInfrequentAccess;
}

std::string_view ownership_name(ObjectOwnership o) {
  switch (o) {
    case ObjectOwnership::BucketOwnerEnforced: return "BucketOwnerEnforced";
    case ObjectOwnership::BucketOwnerPreferred: return "BucketOwnerPreferred";
    case ObjectOwnership::ObjectWriter: return "ObjectWriter";
  }
  return "BucketOwnerEnforced";
}

const Bucket* as_bucket(const Resource* r) {
  return &r->info() == &Bucket::kInfo ? static_cast<const Bucket*>(r) : nullptr;
}

Value access_log_prefix(const Bucket& source) {
  const Value& prefix = source.props().access_logs->prefix;
  return prefix.is_null() ? Value(source.logical_id() + "/") : prefix;
}

// A raw reference to another bucket of the stack, for the source side of access logging. The
// target's policy names the source bucket (its grant's aws:SourceArn), so a value reference here
// would close a loop between the two nodes for the tree's cycle check, though neither target has
// one (the policy is a resource of its own). Validation keeps both buckets in one stack.
doc::Node raw_bucket_name(Lowering& l, const Bucket& bucket) {
  if (l.is_cloudformation()) return doc::intrinsic("Ref", bucket.logical_id());
  return "${aws_s3_bucket." + bucket.terraform_name() + ".bucket}";
}

// Where the policy of `bucket` is emitted: its own secondary resource, an s3::BucketPolicy's
// primary resource, or another writer's secondary resource.
void depend_on_policy_of(Lowering& l, TargetResource& r, const Bucket& bucket) {
  const Resource* writer = l.policy_writer(bucket);
  if (writer == nullptr) {
    r.depends_on(bucket, Bucket::kPolicySuffix);
  } else {
    r.depends_on(*writer, &writer->info() == &BucketPolicy::kInfo ? std::string_view{} : kWrittenPolicySuffix);
  }
}

// A Terraform configuration resource of the bucket, named after it plus `suffix`.
TargetResource& configuration(Lowering& l, const Bucket& bucket, std::string_view type, std::string_view suffix) {
  auto& r = l.add(bucket, type, suffix);
  r.properties().terraform("bucket", bucket.bucket_name());
  return r;
}

Properties encryption_rule(Lowering& l, const BucketProps& p) {
  const bool kms = p.encryption == Encryption::Kms;
  Properties by_default = l.object();
  by_default.set({"SSEAlgorithm", "sse_algorithm"}, kms ? "aws:kms" : "AES256")
      .set({"KMSMasterKeyID", "kms_master_key_id"}, kms && p.kms_key ? p.kms_key->arn() : Value());
  Properties rule = l.object();
  rule.set({"ServerSideEncryptionByDefault", "apply_server_side_encryption_by_default"}, std::move(by_default));
  if (kms) rule.set({"BucketKeyEnabled", "bucket_key_enabled"}, p.bucket_key);
  return rule;
}

void set_public_access_block(Properties& target, const PublicAccessBlock& b) {
  target.set({"BlockPublicAcls", "block_public_acls"}, b.block_public_acls)
      .set({"BlockPublicPolicy", "block_public_policy"}, b.block_public_policy)
      .set({"IgnorePublicAcls", "ignore_public_acls"}, b.ignore_public_acls)
      .set({"RestrictPublicBuckets", "restrict_public_buckets"}, b.restrict_public_buckets);
}

Properties lifecycle_rule(Lowering& l, const LifecycleRule& r) {
  Properties rule = l.object();
  rule.set({"Id", "id"}, r.id).set({"Status", "status"}, "Enabled");
  if (l.is_cloudformation()) {
    rule.set({"Prefix", {}}, r.prefix).set({"ExpirationInDays", {}}, r.expiration_days);
  } else {
    // An empty filter block is the whole bucket (provider 5.x wants a filter or a prefix).
    doc::Node filter = doc::Map{};
    if (!r.prefix.empty()) filter.set("prefix", l.render(r.prefix));
    rule.set_node("filter", std::move(filter));
    if (r.expiration_days) {
      Properties expiration = l.object();
      expiration.set({{}, "days"}, *r.expiration_days);
      rule.set({{}, "expiration"}, std::move(expiration));
    }
  }
  if (r.noncurrent_version_expiration_days) {
    Properties noncurrent = l.object();
    noncurrent.set({"NoncurrentDays", "noncurrent_days"}, *r.noncurrent_version_expiration_days);
    rule.set({"NoncurrentVersionExpiration", "noncurrent_version_expiration"}, std::move(noncurrent));
  }
  std::vector<Properties> transitions;
  for (const auto& t : r.transitions) {
    Properties transition = l.object();
    transition.set({"StorageClass", "storage_class"}, storage_class_name(t.storage_class))
        .set({"TransitionInDays", "days"}, t.days);
    transitions.push_back(std::move(transition));
  }
  rule.set({"Transitions", "transition"}, std::move(transitions));
  if (r.abort_incomplete_multipart_upload_days) {
    Properties abort = l.object();
    abort.set({"DaysAfterInitiation", "days_after_initiation"}, *r.abort_incomplete_multipart_upload_days);
    rule.set({"AbortIncompleteMultipartUpload", "abort_incomplete_multipart_upload"}, std::move(abort));
  }
  return rule;
}

Properties object_lock_rule(Lowering& l, const ObjectLock& lock) {
  Properties retention = l.object();
  retention.set({"Mode", "mode"}, lock.mode == ObjectLockMode::Compliance ? "COMPLIANCE" : "GOVERNANCE")
      .set({"Days", "days"}, lock.days)
      .set({"Years", "years"}, lock.years);
  Properties rule = l.object();
  rule.set({"DefaultRetention", "default_retention"}, std::move(retention));
  return rule;
}

Properties replication_rule(Lowering& l, const Replication& r) {
  Properties status = l.object();
  status.set({"Status", "status"}, r.replicate_delete_markers ? "Enabled" : "Disabled");
  Properties destination = l.object();
  destination.set({"Bucket", "bucket"}, r.destination_bucket_arn);
  Properties rule = l.object();
  rule.set({"Id", "id"}, r.rule_id).set({"Status", "status"}, "Enabled").set({"Priority", "priority"}, 1);
  // Every object: an empty prefix (CloudFormation) or an empty filter block (Terraform).
  rule.set_node(l.is_cloudformation() ? "Filter" : "filter",
                l.is_cloudformation() ? doc::Node(doc::Map{{"Prefix", ""}}) : doc::Node(doc::Map{}));
  rule.set({"DeleteMarkerReplication", "delete_marker_replication"}, std::move(status));
  if (!r.replica_kms_key_arn.is_null()) {
    // KMS-encrypted objects replicate only when the rule says so, into objects under the replica key.
    Properties key = l.object();
    key.set({"ReplicaKmsKeyID", "replica_kms_key_id"}, r.replica_kms_key_arn);
    destination.set({"EncryptionConfiguration", "encryption_configuration"}, std::move(key));
    Properties enabled = l.object();
    enabled.set({"Status", "status"}, "Enabled");
    Properties kms_objects = l.object();
    kms_objects.set({"SseKmsEncryptedObjects", "sse_kms_encrypted_objects"}, std::move(enabled));
    rule.set({"SourceSelectionCriteria", "source_selection_criteria"}, std::move(kms_objects));
  }
  rule.set({"Destination", "destination"}, std::move(destination));
  return rule;
}

// Each configuration of a bucket, side by side: a property of the bucket in CloudFormation, a
// resource of its own in Terraform.

void lower_encryption(Lowering& l, const Bucket& b, TargetResource& bucket) {
  const Properties encryption = encryption_rule(l, b.props());
  if (l.is_cloudformation()) {
    Properties settings = l.object();
    settings.set({"ServerSideEncryptionConfiguration", {}}, std::vector<Properties>{encryption});
    bucket.properties().set({"BucketEncryption", {}}, std::move(settings));
    return;
  }
  configuration(l, b, "aws_s3_bucket_server_side_encryption_configuration", "Encryption")
      .properties()
      .set({{}, "rule"}, encryption);
}

void lower_versioning(Lowering& l, const Bucket& b, TargetResource& bucket) {
  if (!b.props().versioned) return;
  Properties status = l.object();
  status.set({"Status", "status"}, "Enabled");
  if (l.is_cloudformation()) {
    bucket.properties().set({"VersioningConfiguration", {}}, std::move(status));
    return;
  }
  configuration(l, b, "aws_s3_bucket_versioning", Bucket::kVersioningSuffix)
      .properties()
      .set({{}, "versioning_configuration"}, std::move(status));
}

// The public access block and object ownership.
void lower_access_controls(Lowering& l, const Bucket& b, TargetResource& bucket) {
  const auto& p = b.props();
  Properties ownership = l.object();
  ownership.set({"ObjectOwnership", "object_ownership"}, ownership_name(p.object_ownership));
  if (l.is_cloudformation()) {
    Properties block = l.object();
    set_public_access_block(block, p.public_access_block);
    bucket.properties().set({"PublicAccessBlockConfiguration", {}}, std::move(block));
    Properties controls = l.object();
    controls.set({"Rules", {}}, std::vector<Properties>{std::move(ownership)});
    bucket.properties().set({"OwnershipControls", {}}, std::move(controls));
    return;
  }
  set_public_access_block(
      configuration(l, b, "aws_s3_bucket_public_access_block", Bucket::kPublicAccessBlockSuffix).properties(),
      p.public_access_block);
  configuration(l, b, "aws_s3_bucket_ownership_controls", Bucket::kOwnershipControlsSuffix)
      .properties()
      .set({{}, "rule"}, std::move(ownership));
}

void lower_access_logs(Lowering& l, const Bucket& b, TargetResource& bucket) {
  const auto& logs = b.props().access_logs;
  if (!logs || !logs->bucket) return;
  const Bucket& target = *logs->bucket;
  if (l.is_cloudformation()) {
    Properties logging = l.object();
    logging.set_node("DestinationBucketName", raw_bucket_name(l, target))
        .set({"LogFilePrefix", {}}, access_log_prefix(b));
    bucket.properties().set({"LoggingConfiguration", {}}, std::move(logging));
    return;
  }
  auto& logging = configuration(l, b, "aws_s3_bucket_logging", "Logging");
  logging.properties()
      .set_node("target_bucket", raw_bucket_name(l, target))
      .set_node("target_prefix", l.render(access_log_prefix(b)));
  // The target grants the logging service through its policy, with ACLs disabled.
  logging.depends_on(target, Bucket::kOwnershipControlsSuffix);
  depend_on_policy_of(l, logging, target);
}

void lower_lifecycle(Lowering& l, const Bucket& b, TargetResource& bucket) {
  const auto& p = b.props();
  if (p.lifecycle_rules.empty()) return;
  std::vector<Properties> rules;
  for (const auto& r : p.lifecycle_rules) rules.push_back(lifecycle_rule(l, r));
  if (l.is_cloudformation()) {
    Properties lifecycle = l.object();
    lifecycle.set({"Rules", {}}, std::move(rules));
    bucket.properties().set({"LifecycleConfiguration", {}}, std::move(lifecycle));
    return;
  }
  auto& lifecycle = configuration(l, b, "aws_s3_bucket_lifecycle_configuration", "Lifecycle");
  lifecycle.properties().set({{}, "rule"}, std::move(rules));
  if (p.versioned) lifecycle.depends_on(b, Bucket::kVersioningSuffix);
}

// Object lock: enabled at creation, with a default retention.
void lower_object_lock(Lowering& l, const Bucket& b, TargetResource& bucket) {
  const auto& p = b.props();
  if (!p.object_lock) return;
  Properties rule = object_lock_rule(l, *p.object_lock);
  if (l.is_cloudformation()) {
    Properties lock = l.object();
    lock.set({"ObjectLockEnabled", {}}, "Enabled").set({"Rule", {}}, std::move(rule));
    bucket.properties().set({"ObjectLockEnabled", {}}, true).set({"ObjectLockConfiguration", {}}, std::move(lock));
    return;
  }
  auto& lock = configuration(l, b, "aws_s3_bucket_object_lock_configuration", "ObjectLock");
  lock.properties().set({{}, "rule"}, std::move(rule));
  if (p.versioned) lock.depends_on(b, Bucket::kVersioningSuffix);
}

// Replication, after versioning.
void lower_replication(Lowering& l, const Bucket& b, TargetResource& bucket) {
  const auto& p = b.props();
  if (!p.replication) return;
  const Replication& r = *p.replication;
  const Value role = r.role ? r.role->arn() : Value();
  std::vector<Properties> rules;
  rules.push_back(replication_rule(l, r));
  if (l.is_cloudformation()) {
    Properties replication = l.object();
    replication.set({"Role", {}}, role).set({"Rules", {}}, std::move(rules));
    bucket.properties().set({"ReplicationConfiguration", {}}, std::move(replication));
    return;
  }
  auto& replication = configuration(l, b, "aws_s3_bucket_replication_configuration", "Replication");
  replication.properties().terraform("role", role).set({{}, "rule"}, std::move(rules));
  if (p.versioned) replication.depends_on(b, Bucket::kVersioningSuffix);
}

// "lifecycle_rules[0] ('archive')": how messages name a rule.
std::string rule_label(std::size_t index, const LifecycleRule& r) {
  std::string label = "lifecycle_rules[" + std::to_string(index) + "]";
  if (!r.id.empty()) label += " ('" + r.id + "')";
  return label;
}

void at_least_one_day(const detail::Checker& check, const std::optional<int>& days, const std::string& property) {
  if (days && *days < 1) {
    check.error("HS2004", "'" + property + "' is " + std::to_string(*days) + "; AWS accepts 1 or more days");
  }
}

void validate_transitions(const detail::Checker& check, std::size_t index, const LifecycleRule& r) {
  const std::string label = rule_label(index, r);
  for (const Transition& t : r.transitions) {
    const int minimum = is_infrequent_access(t.storage_class) ? 30 : 0;
    if (t.days < minimum) {
      check.error("HS2004", label + ": the transition to " + std::string(storage_class_name(t.storage_class)) +
                                " is on day " + std::to_string(t.days) + "; AWS accepts day " +
                                std::to_string(minimum) + " or later");
    }
  }
  // In day order, each transition must go further down S3's waterfall (the enum's order), and
  // objects stay 30 days in an infrequent-access class before they move on.
  std::vector<Transition> ordered = r.transitions;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Transition& a, const Transition& b) { return a.days < b.days; });
  for (std::size_t j = 1; j < ordered.size(); ++j) {
    const Transition& from = ordered[j - 1];
    const Transition& to = ordered[j];
    const std::string from_text = fmt::format("{} (day {})", storage_class_name(from.storage_class), from.days);
    const std::string to_text = fmt::format("{} (day {})", storage_class_name(to.storage_class), to.days);
    if (from.days == to.days || to.storage_class <= from.storage_class ||
        (from.storage_class == StorageClass::OneZoneInfrequentAccess &&
         to.storage_class == StorageClass::GlacierInstantRetrieval)) {
      check.error("HS2004", fmt::format("{}: S3 cannot transition from {} to {}", label, from_text, to_text),
                  "order transitions on later days down STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, "
                  "GLACIER, DEEP_ARCHIVE (not ONEZONE_IA to GLACIER_IR)");
    } else if (is_infrequent_access(from.storage_class) && to.days - from.days < 30) {
      check.error("HS2004", fmt::format("{}: the transition to {} comes {} day(s) after {}; AWS needs at least 30",
                                        label, to_text, to.days - from.days, from_text));
    }
  }
  if (r.expiration_days && !ordered.empty() && *r.expiration_days <= ordered.back().days) {
    check.error("HS2004", label + ": objects expire on day " + std::to_string(*r.expiration_days) +
                              ", not after their last transition (day " + std::to_string(ordered.back().days) + ")");
  }
}

void validate_lifecycle(const detail::Checker& check, const std::vector<LifecycleRule>& rules) {
  if (rules.size() > 1000) {
    check.error("HS2004", "'lifecycle_rules' has " + std::to_string(rules.size()) + " rules; AWS accepts 1000");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const LifecycleRule& r = rules[i];
    const std::string label = rule_label(i, r);
    if (r.id.empty()) {
      check.error("HS2001", "required property 'lifecycle_rules[" + std::to_string(i) + "].id' is not set");
    } else if (r.id.size() > 255) {
      check.error("HS2003", label + ": 'id' has " + std::to_string(r.id.size()) + " characters; AWS accepts 1 to 255");
    } else if (!ids.insert(r.id).second) {
      check.error("HS2004", "'lifecycle_rules' has two rules with id '" + r.id + "'; ids must be unique");
    }
    if (!r.expiration_days && !r.noncurrent_version_expiration_days && r.transitions.empty() &&
        !r.abort_incomplete_multipart_upload_days) {
      check.error("HS2001", label + " has no action",
                  "set expiration_days, noncurrent_version_expiration_days, transitions or "
                  "abort_incomplete_multipart_upload_days");
    }
    const std::string prefix = "lifecycle_rules[" + std::to_string(i) + "].";
    at_least_one_day(check, r.expiration_days, prefix + "expiration_days");
    at_least_one_day(check, r.noncurrent_version_expiration_days, prefix + "noncurrent_version_expiration_days");
    at_least_one_day(check, r.abort_incomplete_multipart_upload_days,
                     prefix + "abort_incomplete_multipart_upload_days");
    validate_transitions(check, i, r);
  }
}

void validate_access_logs(const detail::Checker& check, const Bucket& source) {
  const auto& logs = source.props().access_logs;
  if (!logs) return;
  check.required(logs->bucket, "access_logs.bucket");
  if (!logs->bucket) return;
  // (A bucket cannot name itself: it does not exist yet when its properties are written.)
  const Bucket& target = *logs->bucket;
  if (target.stack() != source.stack()) {
    check.error("HS2004", "'access_logs.bucket' " + target.path() + " is in another stack",
                "create the access-log bucket in the stack of " + source.path() +
                    ": its policy grants delivery for this bucket");
    return;
  }
  if (target.props().encryption == Encryption::Kms) {
    check.error("HS2004",
                fmt::format("{} delivers server access logs to {}, which uses SSE-KMS; S3 delivers access logs only "
                            "to a bucket with SSE-S3 encryption",
                            source.path(), target.path()),
                "set encryption = s3::Encryption::S3Managed on " + target.path());
  }
  if (target.props().object_lock) {
    check.error("HS2004",
                fmt::format("{} delivers server access logs to {}, which has object lock; S3 delivers no access logs "
                            "to a bucket with object lock",
                            source.path(), target.path()),
                "deliver the access logs to a bucket without object_lock");
  }
}

void validate_object_lock(const detail::Checker& check, const BucketProps& p) {
  if (!p.object_lock) return;
  const auto& lock = *p.object_lock;
  if (!p.versioned) check.error("HS2004", "'object_lock' needs versioned = true");
  if (lock.days && lock.years) {
    check.error("HS2004", "'object_lock' sets both days and years; AWS accepts one of them");
  } else if (!lock.days && !lock.years) {
    check.error("HS2001", "'object_lock' has no default retention", "set object_lock.days or object_lock.years");
  }
  if (lock.days) check.range(*lock.days, "object_lock.days", 1, 36500);
  if (lock.years) check.range(*lock.years, "object_lock.years", 1, 100);
}

void validate_replication(const detail::Checker& check, const BucketProps& p) {
  if (!p.replication) return;
  const auto& r = *p.replication;
  check.required(r.role, "replication.role");
  check.required(r.destination_bucket_arn, "replication.destination_bucket_arn");
  if (!p.versioned) check.error("HS2004", "'replication' needs versioned = true");
  if (p.encryption == Encryption::Kms && r.replica_kms_key_arn.is_null()) {
    check.error("HS2001",
                "required property 'replication.replica_kms_key_arn' is not set: the bucket uses SSE-KMS, and S3 "
                "replicates KMS-encrypted objects only into a key for the replicas",
                "set replica_kms_key_arn to a key in the destination's region");
  }
  if (r.rule_id.empty() || r.rule_id.size() > 255) {
    check.error("HS2003",
                "'replication.rule_id' has " + std::to_string(r.rule_id.size()) + " characters; AWS accepts 1 to 255");
  }
}

// S3's naming rules beyond length and characters, on literal text.
void validate_bucket_name(const detail::Checker& check, const Value& name, const Resource& bucket) {
  check.name(name, "bucket_name", 63, detail::is_bucket_name_char, "lower-case letters, digits, '.' and '-'", 3);
  const auto text = detail::literal_text(name, bucket);
  if (!text || text->size() < 3 || text->size() > 63 ||
      !std::all_of(text->begin(), text->end(), detail::is_bucket_name_char)) {
    return;  // reported above, or only known at deploy time
  }
  if (const std::string problem = detail::bucket_name_problem(*text); !problem.empty()) {
    check.error("HS2003", "'bucket_name' value '" + *text + "' " + problem + " (S3 naming rules)");
  }
}

}  // namespace

Value Bucket::arn_for_objects(const std::string& key_pattern) const { return interpolate({arn(), "/" + key_pattern}); }

std::vector<const Bucket*> Bucket::access_log_sources() const {
  std::vector<const Bucket*> out;
  if (stack() == nullptr) return out;
  for (const Resource* r : stack()->resources()) {
    const Bucket* b = as_bucket(r);
    if (b != nullptr && b->props().access_logs && b->props().access_logs->bucket.get() == this) out.push_back(b);
  }
  return out;
}

iam::Statement deny_insecure_transport(const Bucket& bucket) {
  return iam::deny({"s3:*"})
      .id("DenyInsecureTransport")
      .principal(iam::anyone())
      .on(bucket.arn())
      .on(bucket.arn_for_objects())
      .when({"Bool", "aws:SecureTransport", {"false"}});
}

iam::PolicyDocument Bucket::resource_policy(const std::vector<iam::Statement>& extra, bool writer_enforces_tls) const {
  iam::PolicyDocument policy;
  if (props().enforce_tls || writer_enforces_tls) policy.statements.push_back(deny_insecure_transport(*this));
  for (const auto& s : props().policy_statements) policy.statements.push_back(s);
  if (const auto sources = access_log_sources(); !sources.empty()) {
    // S3 server access logs, delivered by the logging service for these buckets of this account
    // only, each under its own prefix.
    iam::Statement grant =
        iam::allow({"s3:PutObject"}).id("AllowS3ServerAccessLogs").principal(iam::service("logging.s3.amazonaws.com"));
    std::vector<Value> source_arns;
    for (const Bucket* source : sources) {
      grant.on(interpolate({arn(), "/", access_log_prefix(*source), "*"}));
      source_arns.push_back(source->arn());
    }
    grant.when({"ArnLike", "aws:SourceArn", source_arns}).when({"StringEquals", "aws:SourceAccount", {account_id()}});
    policy.statements.push_back(std::move(grant));
  }
  for (const auto& s : extra) policy.statements.push_back(s);
  return policy;
}

TargetResource& emit_bucket_policy(Lowering& l, const Resource& writer, std::string_view suffix, const Bucket& bucket,
                                   const iam::PolicyDocument& document) {
  auto& policy = suffix.empty()
                     ? l.add(writer)
                     : l.add(writer, l.is_cloudformation() ? "AWS::S3::BucketPolicy" : "aws_s3_bucket_policy", suffix);
  policy.properties()
      .set({"Bucket", "bucket"}, bucket.bucket_name())
      .set_node(l.is_cloudformation() ? "PolicyDocument" : "policy",
                iam::lower_policy_document(l, writer, suffix.empty() ? "Document" : suffix, document));
  // S3 refuses a policy put while the bucket's public access block is being written.
  if (l.is_terraform()) policy.depends_on(bucket, Bucket::kPublicAccessBlockSuffix);
  return policy;
}

void Bucket::lower(Lowering& l) const {
  const auto& p = props();
  auto& bucket = l.add(*this);
  bucket.properties().set({"BucketName", "bucket"}, p.bucket_name);
  // Data outlives its stack unless the user says otherwise (S3 has no snapshots).
  bucket.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));
  if (l.is_terraform()) {
    // Never delete the objects with the bucket.
    bucket.properties().terraform("force_destroy", false);
    if (p.object_lock) bucket.properties().terraform("object_lock_enabled", true);
  }
  lower_encryption(l, *this, bucket);
  lower_versioning(l, *this, bucket);
  lower_access_controls(l, *this, bucket);
  lower_access_logs(l, *this, bucket);
  lower_lifecycle(l, *this, bucket);
  lower_object_lock(l, *this, bucket);
  lower_replication(l, *this, bucket);
  bucket.tags(p.tags);

  // The policy, unless another node of the stack writes it.
  if (l.policy_writer(*this) == nullptr) {
    if (const auto document = resource_policy(); !document.empty()) {
      emit_bucket_policy(l, *this, kPolicySuffix, *this, document);
    }
  }
}

void Bucket::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  validate_bucket_name(check, p.bucket_name, *this);

  if (p.encryption == Encryption::Kms && !p.kms_key) {
    check.error("HS2001", "required property 'kms_key' is not set: SSE-KMS encryption needs a customer managed key",
                "set kms_key, or encryption = s3::Encryption::S3Managed for a bucket that receives server access logs");
  }
  if (p.encryption == Encryption::S3Managed && p.kms_key) {
    check.error("HS2004", "'kms_key' is set but encryption is S3Managed (SSE-S3), which uses no KMS key",
                "leave kms_key unset, or use encryption = s3::Encryption::Kms");
  }
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "removal policy Snapshot: S3 buckets have no snapshots",
                "use RemovalPolicy::Retain (the default) or Delete");
  }

  validate_access_logs(check, *this);
  validate_lifecycle(check, p.lifecycle_rules);
  validate_object_lock(check, p);
  validate_replication(check, p);
}

void BucketPolicy::lower(Lowering& l) const {
  const auto& p = props();
  if (!p.bucket) return;
  emit_bucket_policy(l, *this, {}, *p.bucket, p.bucket->resource_policy(p.statements, p.enforce_tls));
}

void BucketPolicy::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.bucket, "bucket");
  if (p.bucket && p.bucket->resource_policy(p.statements, p.enforce_tls).empty()) {
    check.error("HS2001", "the policy of " + p.bucket->path() + " would have no statement",
                "add statements, or keep enforce_tls on");
  }
}

namespace {

const kms::Key* sse_kms_key(const BucketProps& p) {
  return p.encryption == Encryption::Kms ? p.kms_key.get() : nullptr;
}

iam::Statement list_bucket(const Bucket& bucket) {
  return iam::allow({"s3:ListBucket"}).id("List" + bucket.logical_id()).on(bucket.arn());
}

}  // namespace

void Bucket::grant_read(const iam::Grantee& grantee) const {
  const std::string grant = path() + " grant_read";
  grantee.add_to_policy(list_bucket(*this), grant);
  detail::grant(grantee, grant, iam::allow({"s3:GetObject"}).id("ReadObjectsIn" + logical_id()).on(arn_for_objects()),
                sse_kms_key(props()), detail::KeyUse::Decrypt);
}

void Bucket::grant_read_write(const iam::Grantee& grantee) const {
  const std::string grant = path() + " grant_read_write";
  grantee.add_to_policy(list_bucket(*this), grant);
  detail::grant(grantee, grant,
                iam::allow({"s3:DeleteObject", "s3:GetObject", "s3:PutObject"})
                    .id("ReadWriteObjectsIn" + logical_id())
                    .on(arn_for_objects()),
                sse_kms_key(props()), detail::KeyUse::Encrypt);
}

}  // namespace hipaa::s3
