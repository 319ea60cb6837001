#include "hipaa/aws/cloudtrail.hpp"

#include <algorithm>
#include <cctype>

#include "validate/checks.hpp"

namespace hipaa::cloudtrail {
namespace {

constexpr std::string_view kCloudTrailService = "cloudtrail.amazonaws.com";

bool is_unset(const Value& value) {
  const auto* text = value.get_if<std::string>();
  return value.is_null() || (text != nullptr && text->empty());
}

// The trail's name: given, or its logical id.
Value effective_name(const Trail& trail) {
  return is_unset(trail.props().trail_name) ? Value(trail.logical_id()) : trail.props().trail_name;
}

// One advanced event selector: its name and field conditions.
struct FieldSelector {
  std::string_view field;
  std::vector<Value> equals;
  std::vector<Value> starts_with;
  std::vector<Value> not_starts_with;
};

Properties selector(Lowering& l, std::string_view name, const std::vector<FieldSelector>& fields) {
  std::vector<Properties> lowered;
  for (const auto& f : fields) {
    Properties field = l.object();
    field.set({"Field", "field"}, f.field);
    if (!f.equals.empty()) field.set({"Equals", "equals"}, ValueList(f.equals));
    if (!f.starts_with.empty()) field.set({"StartsWith", "starts_with"}, ValueList(f.starts_with));
    if (!f.not_starts_with.empty()) field.set({"NotStartsWith", "not_starts_with"}, ValueList(f.not_starts_with));
    lowered.push_back(std::move(field));
  }
  Properties out = l.object();
  out.set({"Name", "name"}, name).set({"FieldSelectors", "field_selector"}, std::move(lowered));
  return out;
}

void add_read_write(std::vector<FieldSelector>& fields, ReadWrite read_write) {
  if (read_write == ReadWrite::All) return;
  fields.push_back({"readOnly", {read_write == ReadWrite::ReadOnly ? "true" : "false"}, {}, {}});
}

// Advanced event selectors, chosen over basic ones: they are AWS's recommended form, match S3
// objects by ARN prefix (so "every bucket" can leave out the trail's own bucket, whose data events
// would log CloudTrail's own deliveries without end), filter read-only events per selector, and are
// not bound by the basic selectors' 250 data resources. Management events are then a selector too.
std::vector<Properties> event_selectors(Lowering& l, const Trail& trail) {
  const auto& p = trail.props();
  const DataEvents& d = p.data_events;
  std::vector<Properties> out;
  if (!d.all_s3_buckets && d.s3_buckets.empty() && !d.all_lambda_functions && d.lambda_functions.empty()) return out;
  out.push_back(selector(l, "Management events", {{"eventCategory", {"Management"}, {}, {}}}));
  if (d.all_s3_buckets || !d.s3_buckets.empty()) {
    std::vector<FieldSelector> fields = {{"eventCategory", {"Data"}, {}, {}},
                                         {"resources.type", {"AWS::S3::Object"}, {}, {}}};
    FieldSelector arns{"resources.ARN", {}, {}, {}};
    if (d.all_s3_buckets) {
      if (p.bucket) arns.not_starts_with.push_back(p.bucket->arn_for_objects(""));
    } else {
      for (const auto& b : d.s3_buckets) arns.starts_with.push_back(b->arn_for_objects(""));
    }
    if (!arns.starts_with.empty() || !arns.not_starts_with.empty()) fields.push_back(std::move(arns));
    add_read_write(fields, d.read_write);
    out.push_back(selector(l, "S3 data events", fields));
  }
  if (d.all_lambda_functions || !d.lambda_functions.empty()) {
    std::vector<FieldSelector> fields = {{"eventCategory", {"Data"}, {}, {}},
                                         {"resources.type", {"AWS::Lambda::Function"}, {}, {}}};
    if (!d.all_lambda_functions) {
      FieldSelector arns{"resources.ARN", {}, {}, {}};
      for (const auto& fn : d.lambda_functions) arns.equals.push_back(fn->arn());
      fields.push_back(std::move(arns));
    }
    add_read_write(fields, d.read_write);
    out.push_back(selector(l, "Lambda data events", fields));
  }
  return out;
}

// The role CloudTrail assumes to deliver to the log group, with a customer managed policy for the
// group's streams (never an inline policy: HIPAA-IAM-2, cdk-nag IAMNoInlinePolicy). Returns the
// role's ARN; the trail orders itself after the policy is attached.
doc::Node lower_delivery_role(Lowering& l, const Trail& trail, TargetResource& trail_resource) {
  const logs::LogGroup& group = *trail.props().cloudwatch_log_group;
  const bool cfn = l.is_cloudformation();
  iam::PolicyDocument permissions{{iam::allow({"logs:CreateLogStream", "logs:PutLogEvents"})
                                       .id("DeliverToLogStreams")
                                       .on(interpolate({"arn:", partition(), ":logs:", region(), ":", account_id(),
                                                        ":log-group:", group.log_group_name(), ":log-stream:*"}))}};
  iam::PolicyDocument trust{{iam::allow({"sts:AssumeRole"})
                                 .principal(iam::service(std::string(kCloudTrailService)))
                                 .when({"StringEquals", "aws:SourceArn", {trail.arn_from_name()}})}};

  auto& policy = l.add(trail, cfn ? "AWS::IAM::ManagedPolicy" : "aws_iam_policy", Trail::kLogsPolicySuffix);
  policy.properties().set_node(cfn ? "PolicyDocument" : "policy",
                               iam::lower_policy_document(l, trail, Trail::kLogsPolicySuffix, permissions));
  auto& role = l.add(trail, cfn ? "AWS::IAM::Role" : "aws_iam_role", Trail::kLogsRoleSuffix);
  role.properties().set_node(cfn ? "AssumeRolePolicyDocument" : "assume_role_policy",
                             iam::lower_policy_document(l, trail, "LogsRoleTrust", trust));
  if (cfn) {
    // Attached by the role itself: the trail's reference to the role orders it after the policy.
    role.properties().set_node("ManagedPolicyArns", doc::List{policy.reference({"", ""})});
  } else {
    auto& attachment = l.add(trail, "aws_iam_role_policy_attachment", Trail::kLogsPolicyAttachmentSuffix);
    attachment.properties()
        .set_node("role", role.reference({"", "name"}))
        .set_node("policy_arn", policy.reference({"", "arn"}));
    trail_resource.depends_on(trail, Trail::kLogsPolicyAttachmentSuffix);
  }
  return role.reference({"Arn", "arn"});
}

bool is_trail_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

// CloudTrail's naming rules beyond length and characters, on literal text.
void validate_trail_name(const detail::Checker& check, const Trail& trail) {
  const Value name = effective_name(trail);
  check.name(name, "trail_name", 128, is_trail_name_char, "letters, digits, '.', '_' and '-'", 3);
  const auto text = detail::literal_text(name, trail);
  if (!text || text->size() < 3 || text->size() > 128 || !std::all_of(text->begin(), text->end(), is_trail_name_char)) {
    return;
  }
  auto separator = [](char c) { return c == '.' || c == '_' || c == '-'; };
  std::string problem;
  if (separator(text->front()) || separator(text->back())) {
    problem = "must start and end with a letter or digit";
  } else if (std::adjacent_find(text->begin(), text->end(),
                                [&](char a, char b) { return separator(a) && separator(b); }) != text->end()) {
    problem = "must not have adjacent '.', '_' or '-'";
  } else if (detail::looks_like_ip_address(*text)) {
    problem = "must not be formatted as an IP address";
  }
  if (!problem.empty())
    check.error("HS2003", "'trail_name' value '" + *text + "' " + problem + " (CloudTrail naming rules)");
}

}  // namespace

bool key_allows_cloudtrail(const kms::Key& key) {
  if (key.props().allow_cloudtrail) return true;
  for (const auto& statement : key.props().policy_statements) {
    if (statement.effect != iam::Effect::Allow) continue;
    for (const auto& principal : statement.principals) {
      if (principal.kind != iam::Principal::Kind::Service) continue;
      for (const auto& identifier : principal.identifiers) {
        if (const auto* text = identifier.get_if<std::string>(); text != nullptr && *text == kCloudTrailService) {
          return true;
        }
      }
    }
  }
  return false;
}

Value Trail::arn_from_name() const {
  return interpolate(
      {"arn:", partition(), ":cloudtrail:", region(), ":", account_id(), ":trail/", effective_name(*this)});
}

iam::PolicyDocument Trail::bucket_policy() const {
  const auto& p = props();
  if (!p.bucket) return {};
  const s3::Bucket& bucket = *p.bucket;
  const iam::Principal cloudtrail = iam::service(std::string(kCloudTrailService));
  const Value source = arn_from_name();
  // CloudTrail writes under <prefix>/AWSLogs/<account>/ with the bucket owner in full control.
  const Value objects = is_unset(p.s3_key_prefix)
                            ? interpolate({bucket.arn(), "/AWSLogs/", account_id(), "/*"})
                            : interpolate({bucket.arn(), "/", p.s3_key_prefix, "/AWSLogs/", account_id(), "/*"});
  std::vector<iam::Statement> statements;
  statements.push_back(iam::allow({"s3:GetBucketAcl"})
                           .id("AWSCloudTrailAclCheck")
                           .principal(cloudtrail)
                           .on(bucket.arn())
                           .when({"StringEquals", "aws:SourceArn", {source}}));
  statements.push_back(iam::allow({"s3:PutObject"})
                           .id("AWSCloudTrailWrite")
                           .principal(cloudtrail)
                           .on(objects)
                           .when({"StringEquals", "s3:x-amz-acl", {"bucket-owner-full-control"}})
                           .when({"StringEquals", "aws:SourceArn", {source}}));
  return bucket.resource_policy(statements);
}

void Trail::lower(Lowering& l) const {
  const auto& p = props();
  auto& trail = l.add(*this);
  trail.properties()
      .set({"TrailName", "name"}, effective_name(*this))
      .set({"S3BucketName", "s3_bucket_name"}, p.bucket ? p.bucket->bucket_name() : Value())
      .set({"S3KeyPrefix", "s3_key_prefix"}, p.s3_key_prefix)
      .set({"KMSKeyId", "kms_key_id"}, p.kms_encryption && p.kms_key ? p.kms_key->arn() : Value())
      .set({"IsMultiRegionTrail", "is_multi_region_trail"}, p.is_multi_region)
      .set({"IncludeGlobalServiceEvents", "include_global_service_events"}, p.include_global_service_events)
      .set({"EnableLogFileValidation", "enable_log_file_validation"}, p.enable_log_file_validation)
      .set({"IsLogging", "enable_logging"}, p.is_logging);
  if (p.cloudwatch_log_group) {
    // CloudFormation's log group Arn ends in ":*", which CloudTrail wants; Terraform's does not.
    const Value group = p.cloudwatch_log_group->arn();
    trail.properties().set({"CloudWatchLogsLogGroupArn", "cloud_watch_logs_group_arn"},
                           l.is_cloudformation() ? group : interpolate({group, ":*"}));
    trail.properties().set_node(l.is_cloudformation() ? "CloudWatchLogsRoleArn" : "cloud_watch_logs_role_arn",
                                lower_delivery_role(l, *this, trail));
  }
  trail.properties().set({"AdvancedEventSelectors", "advanced_event_selector"}, event_selectors(l, *this));
  trail.tags(p.tags);

  // The trail writes its bucket's policy, and CloudTrail checks it when the trail is created.
  if (p.bucket) {
    s3::emit_bucket_policy(l, *this, s3::kWrittenPolicySuffix, *p.bucket, bucket_policy());
    trail.depends_on(*this, s3::kWrittenPolicySuffix);
  }
}

void Trail::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.bucket, "bucket");
  validate_trail_name(check, *this);
  if (const auto prefix = detail::literal_text(p.s3_key_prefix, *this); prefix && prefix->size() > 200) {
    check.error("HS2003",
                "'s3_key_prefix' has " + std::to_string(prefix->size()) + " characters; AWS accepts 0 to 200");
  }

  if (p.kms_encryption && !p.kms_key) {
    check.error("HS2001", "required property 'kms_key' is not set: log files are encrypted with a KMS key",
                "set kms_key to a key with allow_cloudtrail, or kms_encryption = false to opt out");
  }
  if (!p.kms_encryption && p.kms_key) {
    check.error("HS2004", "'kms_key' is set but kms_encryption is false",
                "leave kms_key unset, or turn kms_encryption on");
  }
  if (p.kms_encryption && p.kms_key && !key_allows_cloudtrail(*p.kms_key)) {
    check.error(
        "HS2004",
        "the policy of key " + p.kms_key->path() + " does not let CloudTrail use it, so the trail cannot be created",
        "set allow_cloudtrail on " + p.kms_key->path());
  }
  if (!p.kms_encryption && p.bucket && p.bucket->props().encryption == s3::Encryption::Kms &&
      p.bucket->props().kms_key && !key_allows_cloudtrail(*p.bucket->props().kms_key)) {
    check.error("HS2004",
                "log files get the default encryption of " + p.bucket->path() + ", whose key " +
                    p.bucket->props().kms_key->path() + " does not let CloudTrail use it",
                "set kms_key (with allow_cloudtrail), or allow_cloudtrail on " + p.bucket->props().kms_key->path());
  }
  if (p.is_multi_region && !p.include_global_service_events) {
    check.error("HS2004", "a multi-region trail must include global service events",
                "keep include_global_service_events on, or set is_multi_region = false");
  }

  const DataEvents& d = p.data_events;
  if (d.all_s3_buckets && !d.s3_buckets.empty()) {
    check.error("HS2004", "'data_events' sets both all_s3_buckets and s3_buckets", "choose one of them");
  }
  if (d.all_lambda_functions && !d.lambda_functions.empty()) {
    check.error("HS2004", "'data_events' sets both all_lambda_functions and lambda_functions", "choose one of them");
  }
  auto no_empty_reference = [&](const auto& refs, std::string_view property) {
    if (std::any_of(refs.begin(), refs.end(), [](const auto& r) { return !r; })) {
      check.error("HS2001", "'" + std::string(property) + "' has an empty reference");
    }
  };
  no_empty_reference(d.s3_buckets, "data_events.s3_buckets");
  no_empty_reference(d.lambda_functions, "data_events.lambda_functions");
  for (const auto& b : d.s3_buckets) {
    if (b && b.get() == p.bucket.get()) {
      check.error("HS2004",
                  "'data_events.s3_buckets' includes the trail's own bucket " + b->path() +
                      ": the trail would log its own deliveries without end",
                  "leave the trail's bucket out (all_s3_buckets leaves it out by itself)");
    }
  }
}

}  // namespace hipaa::cloudtrail
