#include "hipaa/aws/kms.hpp"

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::kms {

iam::PolicyDocument Key::key_policy() const {
  const auto& p = props();
  iam::PolicyDocument policy;
  // Without the account root statement, IAM policies cannot grant use of the key and the key
  // can become unmanageable.
  policy.statements.push_back(iam::allow({"kms:*"}).id("EnableIamPolicies").principal(iam::account_root()).on("*"));
  if (p.allow_cloudwatch_logs) {
    // CloudWatch Logs uses the key on behalf of log groups of this account and region only.
    policy.statements.push_back(
        iam::allow({"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"})
            .id("AllowCloudWatchLogs")
            .principal(iam::service(interpolate({"logs.", region(), ".", url_suffix()})))
            .on("*")
            .when({"ArnLike",
                   "kms:EncryptionContext:aws:logs:arn",
                   {interpolate({"arn:", partition(), ":logs:", region(), ":", account_id(), ":log-group:*"})}}));
  }
  if (p.allow_cloudtrail) {
    // AWS's key policy for CloudTrail. The key exists before any trail, so the trail is named by
    // pattern: any trail of this account.
    const Value trails = interpolate({"arn:", partition(), ":cloudtrail:*:", account_id(), ":trail/*"});
    const iam::Principal cloudtrail = iam::service("cloudtrail.amazonaws.com");
    policy.statements.push_back(iam::allow({"kms:GenerateDataKey*"})
                                    .id("AllowCloudTrailEncrypt")
                                    .principal(cloudtrail)
                                    .on("*")
                                    .when({"StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", {trails}})
                                    .when({"StringLike", "aws:SourceArn", {trails}}));
    policy.statements.push_back(
        iam::allow({"kms:DescribeKey"}).id("AllowCloudTrailDescribe").principal(cloudtrail).on("*"));
    policy.statements.push_back(iam::allow({"kms:Decrypt", "kms:ReEncryptFrom"})
                                    .id("AllowAccountToDecryptTrailLogs")
                                    .principal(iam::account_root())
                                    .on("*")
                                    .when({"StringEquals", "kms:CallerAccount", {account_id()}})
                                    .when({"StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", {trails}}));
  }
  if (p.allow_cloudwatch_alarms) {
    // CloudWatch encrypts the notification with the topic's key when an alarm publishes to it.
    policy.statements.push_back(iam::allow({"kms:Decrypt", "kms:GenerateDataKey*"})
                                    .id("AllowCloudWatchAlarms")
                                    .principal(iam::service("cloudwatch.amazonaws.com"))
                                    .on("*")
                                    .when({"StringEquals", "aws:SourceAccount", {account_id()}}));
  }
  for (const auto& s : p.policy_statements) policy.statements.push_back(s);
  return policy;
}

void Key::lower(Lowering& l) const {
  const auto& p = props();
  auto& key = l.add(*this);
  key.properties()
      .set({"Description", "description"}, p.description)
      .set({"EnableKeyRotation", "enable_key_rotation"}, p.enable_key_rotation)
      .set({"PendingWindowInDays", "deletion_window_in_days"}, p.pending_window_days)
      .set_node(l.is_cloudformation() ? "KeyPolicy" : "policy",
                iam::lower_policy_document(l, *this, "Policy", key_policy()));
  key.tags(p.tags);
  key.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));
}

void Key::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.range(props().pending_window_days, "pending_window_days", 7, 30);
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "a KMS key has no snapshots: its removal policy is Retain (the default) or Delete");
  }
}

void Alias::lower(Lowering& l) const {
  l.add(*this)
      .properties()
      .set({"AliasName", "name"}, props().alias_name)
      .set({"TargetKeyId", "target_key_id"}, props().target ? props().target->key_id() : Value());
}

void Alias::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().target, "target");
  check.required(props().alias_name, "alias_name");
  if (auto text = detail::literal_text(props().alias_name, *this)) {
    if (!text->starts_with("alias/") || text->starts_with("alias/aws/")) {
      check.error("HS2003", "'alias_name' value '" + *text + "' must start with 'alias/' and not 'alias/aws/'");
    }
    check.name(
        props().alias_name, "alias_name", 256, [](char c) { return detail::is_alnum_dash(c) || c == '/' || c == '_'; },
        "A-Z a-z 0-9 /_-");
  }
}

void Key::grant_decrypt(const iam::Grantee& grantee) const {
  grantee.add_to_policy(detail::key_statement(*this, detail::KeyUse::Decrypt), path() + " grant_decrypt");
}

void Key::grant_encrypt_decrypt(const iam::Grantee& grantee) const {
  grantee.add_to_policy(detail::key_statement(*this, detail::KeyUse::EncryptDecrypt),
                        path() + " grant_encrypt_decrypt");
}

}  // namespace hipaa::kms
