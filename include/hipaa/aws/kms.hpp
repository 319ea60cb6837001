// hipaa/aws/kms.hpp: customer managed KMS keys and aliases.
//
//   auto& key = stack.add<kms::Key>("Key", {.description = "PHI at rest"});
//   stack.add<kms::Alias>("KeyAlias", {.alias_name = "alias/phi", .target = key});
//   Value arn = key.arn();
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
  Tags tags;
};

class Key : public ResourceWith<KeyProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::KMS::Key", "aws_kms_key", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value key_id() const { return attribute({"", "key_id"}); }
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  // The key policy this key is created with (account root first).
  [[nodiscard]] iam::PolicyDocument key_policy() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct AliasProps {
  Value alias_name;  // must start with "alias/"
  Ref<Key> target;
};

class Alias : public ResourceWith<AliasProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::KMS::Alias", "aws_kms_alias", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::kms
