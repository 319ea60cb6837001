// hipaa/aws/kms.hpp: customer managed KMS keys and aliases.
//
//   auto& key = stack.add<kms::Key>("Key", {.description = "PHI at rest"});
//   stack.add<kms::Alias>("KeyAlias", {.alias_name = "alias/phi", .target = key});
//   Value arn = key.arn();
//   key.grant_decrypt(fn);
#pragma once

#include <optional>

#include "hipaa/aws/iam.hpp"

namespace hipaa::kms {

struct KeyProps {
  std::string description;
  bool enable_key_rotation = true;
  int pending_window_days = 30;  // 7-30; the waiting period before a deleted key is gone
  // Statements added to the key policy after the account-root statement every key gets.
  std::vector<iam::Statement> policy_statements;
  // Lets CloudWatch Logs in this region use the key for log groups in this account.
  bool allow_cloudwatch_logs = false;
  // Lets CloudTrail encrypt this account's trail log files with the key, and principals of the
  // account (with IAM permission) decrypt them: what a cloudtrail::Trail's kms_key needs.
  bool allow_cloudtrail = false;
  // Lets CloudWatch alarms of this account publish to SNS topics encrypted with the key
  // (kms:Decrypt and kms:GenerateDataKey* for cloudwatch.amazonaws.com, aws:SourceAccount this
  // account): without it an alarm's notification to such a topic is dropped.
  bool allow_cloudwatch_alarms = false;
  Tags tags;
};

// A key outlives its stack and survives replacement (CloudFormation DeletionPolicy and
// UpdateReplacePolicy Retain, Terraform prevent_destroy), as in the CDK: deleting it makes every
// snapshot, backup and log it encrypted unreadable. Opt out with
// set_removal_policy(RemovalPolicy::Delete) (KMS still waits pending_window_days).
class Key final : public Node<Key, KeyProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "kms::Key",
      .summary = "A customer managed KMS key with rotation and a key policy",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::KMS::Key"),
                terraform_type("aws_kms_key",
                               "custom_key_store_id customer_master_key_spec key_usage multi_region xks_key_id")}};
  [[nodiscard]] Value key_id() const { return attribute({"", "key_id"}); }
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  // The key policy this key is created with (account root first).
  [[nodiscard]] iam::PolicyDocument key_policy() const;
  // Grants (iam.hpp): statements on this key's ARN in the grantee's policy, which the key policy's
  // account-root statement lets take effect.
  //   grant_decrypt:         kms:Decrypt                                     (sid DecryptWith<Key>)
  //   grant_encrypt_decrypt: kms:Decrypt, kms:Encrypt, kms:GenerateDataKey   (sid EncryptDecryptWith<Key>)
  void grant_decrypt(const iam::Grantee& grantee) const;
  void grant_encrypt_decrypt(const iam::Grantee& grantee) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct AliasProps {
  Value alias_name;  // must start with "alias/"
  Ref<Key> target;
};

class Alias final : public Node<Alias, AliasProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "kms::Alias",
                                  .summary = "An alias of a KMS key",
                                  .tagging = Tagging::None,
                                  .types = {cloudformation_type("AWS::KMS::Alias", "AliasName"),
                                            terraform_type("aws_kms_alias", "name name_prefix")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::kms
